from . import logistics_exception_cost_type
from . import logistics_exception_cost
from . import logistics_exception_category
from . import logistics_exception_review
from . import logistics_exception_scorecard
from . import res_partner
from . import stock_warehouse
from . import logistics_exception_weekly_digest
