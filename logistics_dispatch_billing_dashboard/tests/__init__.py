from . import test_dispatch_dashboard
from . import test_dispatch_dashboard_tour
