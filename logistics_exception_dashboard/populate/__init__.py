from . import logistics_exception_cost
