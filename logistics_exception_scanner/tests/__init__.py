from . import test_scanner_report
