from . import test_dashboard_kpi
from . import test_dashboard_tour
from . import test_cost
from . import test_cost_tour
from . import test_review
from . import test_scorecard
from . import test_weekly_digest
from . import test_review_tour
