from . import failed_delivery
