from . import logistics_dispatch_zone
