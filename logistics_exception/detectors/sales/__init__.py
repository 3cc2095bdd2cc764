from . import credit_hold
from . import order_change
from . import commitment_at_risk
