# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from .common import DispatchBillingCommon

# A weekday morning: inside the card's working hours (after hours 18:00-07:00).
MORNING = datetime(2026, 3, 10, 10, 0, 0)


class DispatchChargeCommon(DispatchBillingCommon):
    """A confirmed order's job delivered with ``minutes`` on site, and
    helpers to read its charges."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Charge = cls.env["logistics.dispatch.charge"]

    def _delivered_job(self, minutes=95, arrival=MORNING, **job_values):
        order = self._confirmed_order()
        job = self._job_of(order)
        if job_values:
            job.write(job_values)
        self._deliver(job, arrival=arrival, minutes=minutes)
        return job

    def _charge(self, job, accessorial_type):
        return self.Charge.search(
            [("job_id", "=", job.id), ("accessorial_type_id", "=", accessorial_type.id)]
        )
