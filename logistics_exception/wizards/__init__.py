from . import logistics_exception_billing_override
from . import logistics_exception_credit_release
from . import mail_activity_schedule
