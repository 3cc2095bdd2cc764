from . import detectors
from . import models
from . import wizards
