from . import logistics_exception
from . import logistics_exception_category
from . import logistics_inventory_approval
from . import logistics_inventory_approval_line
from . import stock_quant
from . import stock_warehouse
from . import tier_review
