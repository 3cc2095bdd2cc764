from . import test_dashboard_kpi
from . import test_dashboard_tour
