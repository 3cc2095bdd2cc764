from . import test_cost
