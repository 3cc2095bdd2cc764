from . import test_report
