# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError

from .common import DispatchBillingCommon

DAY_0 = datetime(2026, 3, 2, 10, 0)


class TestDispatchUnbilledAging(DispatchBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_2 = cls.env["res.partner"].create({"name": "Second Customer"})

    def _delivered_job(self, when, partner=None):
        with freeze_time(when):
            job = self._job_of(self._confirmed_order(partner))
            self._deliver(job, arrival=when - timedelta(minutes=20))
        return job

    def _board(self, user=None):
        Report = self.env["logistics.dispatch.unbilled.report"]
        # The ages depend on the clock: read them again (a request would).
        Report.invalidate_model()
        if user:
            Report = Report.with_user(user)
        return Report.search([("job_id.partner_id", "in", self._partners.ids)])

    @property
    def _partners(self):
        return self.customer | self.customer_2

    def test_delivered_uninvoiced_jobs_fall_in_age_buckets(self):
        jobs = [
            self._delivered_job(DAY_0 - timedelta(days=days))
            for days in (0, 1, 2, 3, 4, 7, 8, 30)
        ]
        with freeze_time(DAY_0 + timedelta(hours=1)):
            board = self._board()
            buckets = {row.job_id: row.age_bucket for row in board}
        self.assertEqual(
            [buckets[job] for job in jobs],
            ["0_1", "0_1", "2_3", "2_3", "4_7", "4_7", "over_7", "over_7"],
        )
        # The same jobs a week later: all older.
        with freeze_time(DAY_0 + timedelta(days=7, hours=1)):
            buckets = {row.job_id: row.age_bucket for row in self._board()}
        self.assertEqual(buckets[jobs[0]], "4_7")
        self.assertEqual(buckets[jobs[1]], "over_7")

    def test_invoiced_undelivered_and_cancelled_jobs_are_not_on_the_board(self):
        delivered = self._delivered_job(DAY_0)
        invoiced = self._delivered_job(DAY_0)
        invoiced.date_invoiced = DAY_0 + timedelta(hours=2)
        planned = self._job_of(self._confirmed_order())
        planned.with_user(self.dispatcher).action_plan()
        with freeze_time(DAY_0 + timedelta(days=1)):
            self.assertEqual(self._board().job_id, delivered)

    def test_value_is_the_service_and_approved_charges_by_customer(self):
        first = self._delivered_job(DAY_0)
        second = self._delivered_job(DAY_0 - timedelta(days=5), self.customer_2)
        Charge = self.env["logistics.dispatch.charge"]
        # One charge per type: only the approved one counts.
        for charge_type, state, price in (
            (self.wait, "approved", 25.0),
            (self.after_hours, "draft", 100.0),
            (self.redelivery, "rejected", 7.0),
        ):
            Charge.create(
                {
                    "job_id": first.id,
                    "accessorial_type_id": charge_type.id,
                    "product_id": charge_type.product_id.id,
                    "name": charge_type.name,
                    "quantity": 1,
                    "price_unit": price,
                    "state": state,
                }
            )
        with freeze_time(DAY_0 + timedelta(hours=3)):
            Report = self.env["logistics.dispatch.unbilled.report"]
            row = self._board().filtered(lambda r: r.job_id == first)
            self.assertEqual(row.service_amount, 80.0)
            self.assertEqual(row.charge_amount, 25.0)
            self.assertEqual(row.amount, 105.0)
            groups = Report.read_group(
                [("job_id", "in", (first | second).ids)],
                ["amount:sum", "job_count:sum"],
                ["partner_id", "age_bucket"],
                lazy=False,
            )
        totals = {
            (g["partner_id"][0], g["age_bucket"]): (g["amount"], g["job_count"])
            for g in groups
        }
        self.assertEqual(
            totals,
            {
                (self.customer.id, "0_1"): (105.0, 1),
                (self.customer_2.id, "4_7"): (80.0, 1),
            },
        )
        self.assertEqual(
            self._board().filtered(lambda r: r.job_id == first).warehouse_id,
            first.picking_id.picking_type_id.warehouse_id,
        )

    def test_two_jobs_of_one_order_share_its_service_amount(self):
        order = self._confirmed_order()
        job = self._job_of(order)
        twin = job.copy({"picking_id": False})
        with freeze_time(DAY_0):
            for one in job | twin:
                self._deliver(one, arrival=DAY_0 - timedelta(minutes=20))
        with freeze_time(DAY_0 + timedelta(hours=1)):
            self.assertEqual(self._board().mapped("service_amount"), [40.0, 40.0])

    def test_board_access(self):
        job = self._delivered_job(DAY_0)
        with freeze_time(DAY_0 + timedelta(hours=1)):
            self.assertEqual(self._board(self.billing).job_id, job)
            self.assertEqual(self._board(self.dispatch_manager).job_id, job)
            with self.assertRaises(AccessError):
                self._board(self.driver)
            with self.assertRaises(AccessError):
                self._board(self.dispatcher)
            # Another company's billing clerk sees none of it.
            billing_b = self.billing.copy(
                {
                    "login": "disp_billing_b",
                    "company_id": self.company_b.id,
                    "company_ids": [(6, 0, self.company_b.ids)],
                }
            )
            self.assertFalse(self._board(billing_b))
