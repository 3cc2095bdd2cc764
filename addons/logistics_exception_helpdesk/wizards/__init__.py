from . import logistics_exception_merge
