from . import logistics_dispatch_zone
from . import logistics_accessorial_type
from . import logistics_rate_card
from . import logistics_rate_card_line
from . import logistics_rate_card_accessorial
