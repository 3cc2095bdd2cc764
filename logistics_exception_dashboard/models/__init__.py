from . import logistics_exception_cost_type
from . import logistics_exception_cost
from . import logistics_exception_dashboard
from . import logistics_exception
from . import account_move
