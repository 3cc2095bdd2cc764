from . import logistics_exception_reason_sheet
from . import logistics_exception_label
