from . import failed_delivery
from . import unbilled_job
from . import subcontract_unbilled
