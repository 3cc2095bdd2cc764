from . import models
from . import detectors
from . import wizards
