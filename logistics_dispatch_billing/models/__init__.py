from . import logistics_dispatch_zone
from . import res_partner
from . import res_partner_category
from . import logistics_dispatch_job
from . import logistics_exception
from . import product_template
from . import sale_order
