from . import picking_shortage
from . import transfer_mismatch
from . import scrap
from . import late_transfer
