from . import logistics_dispatch_job_fail
