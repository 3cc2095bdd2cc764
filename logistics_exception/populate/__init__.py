from . import logistics_exception_team
from . import logistics_exception
