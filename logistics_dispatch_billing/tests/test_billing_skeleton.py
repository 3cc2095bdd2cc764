# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from .common import DispatchBillingCommon


class TestBillingSkeleton(DispatchBillingCommon):
    def test_a_confirmed_order_job_is_delivered_with_its_stamps(self):
        order = self._confirmed_order()
        job = self._job_of(order)
        self._deliver(job, minutes=95)
        self.assertEqual(job.state, "delivered")
        minutes = (job.date_departure - job.date_arrival).total_seconds() / 60
        self.assertEqual(minutes, 95)
        self.assertEqual(
            self.card._compute_waiting_minutes(job.date_arrival, job.date_departure), 75
        )
