from . import test_scanner_tour
