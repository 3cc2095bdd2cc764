from . import test_dashboard_kpi
