from . import logistics_exception_cost_type
from . import logistics_exception_cost
from . import logistics_exception_category
from . import logistics_exception_review
