from . import test_helpdesk_detection
from . import test_helpdesk_round_trip
from . import test_helpdesk_manual_merge
from . import test_helpdesk_tour
