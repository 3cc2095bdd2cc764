from . import logistics_exception_document_type
from . import logistics_exception_category
from . import logistics_exception
from . import logistics_exception_scanner
