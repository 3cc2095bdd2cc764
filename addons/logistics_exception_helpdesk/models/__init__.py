from . import logistics_exception_rule
from . import logistics_exception_team
from . import logistics_exception
from . import helpdesk_ticket
