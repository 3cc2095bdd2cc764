from . import controllers
from . import detectors
from . import models
from . import populate
from . import wizards
