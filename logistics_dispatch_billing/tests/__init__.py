from . import test_dispatch_job
from . import test_dispatch_job_access
from . import test_failed_delivery
from . import test_dispatch_job_from_sale
from . import test_driver_tour
