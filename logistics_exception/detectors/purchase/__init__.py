from . import receipt_discrepancy
from . import late_receipt
from . import po_unacknowledged
from . import vendor_date_slip
