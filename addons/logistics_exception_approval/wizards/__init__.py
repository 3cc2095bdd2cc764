from . import logistics_promise_date_change
