from . import logistics_exception_report
