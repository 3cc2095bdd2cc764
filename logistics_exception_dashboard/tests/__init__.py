from . import test_dashboard_kpi
from . import test_dashboard_tour
from . import test_cost
from . import test_cost_tour
