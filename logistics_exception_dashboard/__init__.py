from . import models
from . import populate
from . import report
