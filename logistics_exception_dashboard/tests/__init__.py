from . import test_report
from . import test_kanban_tour
