# The detection engine, the detector protocol and the detectors, one file
# each, by area. See detector.py for how to add one.
from . import engine
from . import detector
from . import supply_forecast
from . import inventory
from . import purchase
from . import sales
from . import accounting
