from . import test_accessorial_type
from . import test_rate_access
from . import test_rate_card_choice
from . import test_rate_pricing
from . import test_rate_simulator
from . import test_rate_simulator_tour
