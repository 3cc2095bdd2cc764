from . import logistics_exception_dashboard
