from . import stock_change_product_qty
from . import logistics_exception_billing_override
from . import logistics_exception_credit_release
from . import logistics_promise_date_change
