from . import logistics_dispatch_job_fail
from . import logistics_rate_card_simulate
from . import logistics_dispatch_charge_reject
from . import logistics_dispatch_invoice_ready
