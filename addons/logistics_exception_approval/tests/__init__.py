from . import test_inventory_approval
from . import test_inventory_approval_tour
