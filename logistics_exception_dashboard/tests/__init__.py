from . import test_cost
from . import test_cost_tour
