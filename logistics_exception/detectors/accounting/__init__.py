from . import invoice_qty_mismatch
from . import bill_price_variance
