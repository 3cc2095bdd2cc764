from . import test_review
from . import test_scorecard
