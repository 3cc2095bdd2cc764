from . import test_review
from . import test_scorecard
from . import test_weekly_digest
from . import test_review_tour
