from . import test_scanner_api
from . import test_scanner_concurrency
from . import test_scanner_report
from . import test_scanner_tour
