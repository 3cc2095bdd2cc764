from . import test_access
from . import test_priority
from . import test_report_from_documents
from . import test_resolution
from . import test_sla
from . import test_source_key
from . import test_workflow
from . import test_exception_tour
