from . import test_review
