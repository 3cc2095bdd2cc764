from . import logistics_exception_cost_type
from . import logistics_exception_cost
from . import logistics_exception_dashboard
