from . import logistics_rate_card_simulate
