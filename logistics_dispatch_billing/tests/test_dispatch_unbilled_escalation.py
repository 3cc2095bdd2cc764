# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tools import SQL

from .test_dispatch_subcontract import DispatchSubcontractCommon

DAY_0 = datetime(2026, 3, 2, 10, 0)


class TestDispatchUnbilledEscalation(DispatchSubcontractCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.dispatch_unbilled_escalation_days = 7
        cls.company.dispatch_billing_user_id = cls.billing
        cls.rule = cls.env.ref("logistics_dispatch_billing.rule_dispatch_unbilled")
        cls.vendor_rule = cls.env.ref(
            "logistics_dispatch_billing.rule_dispatch_vendor_unbilled"
        )
        cls.transport.purchase_method = "purchase"

    def _delivered_job(self, subcontracted=False):
        with freeze_time(DAY_0):
            job = self._job_of(self._confirmed_order())
            if subcontracted:
                job.subcontractor_id = self.carrier
            self._deliver(job, arrival=DAY_0 - timedelta(minutes=20))
        return job

    def _escalate(self, days):
        with freeze_time(DAY_0 + timedelta(days=days)):
            self.env["logistics.dispatch.job"]._cron_escalate_unbilled()

    def _activities(self, job):
        return self.env["mail.activity"].search(
            [("res_model", "=", job._name), ("res_id", "=", job.id)]
        )

    def _exceptions(self, job, rule):
        return (
            self.env["logistics.exception"]
            .with_context(active_test=False)
            .search([("dispatch_job_id", "=", job.id), ("rule_id", "=", rule.id)])
        )

    def test_unbilled_job_is_escalated_once_past_the_delay(self):
        job = self._delivered_job()
        self._escalate(days=6)
        self.assertFalse(self._activities(job))
        self.assertFalse(self._exceptions(job, self.rule))
        self._escalate(days=8)
        activity = self._activities(job)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.billing)
        self.assertIn(job.name, activity.summary)
        exception = self._exceptions(job, self.rule)
        self.assertEqual(len(exception), 1)
        self.assertEqual(exception.detected_by, "rule")
        self.assertEqual(exception.category_id.code, "UNBILLED_SERVICE")
        self.assertEqual(exception.partner_id, self.customer)
        self.assertEqual(exception.sale_id, job.sale_id)
        # Escalating does not hold the invoice it asks for.
        self.assertFalse(exception.billing_hold)
        self.assertEqual(job.date_unbilled_escalated, DAY_0 + timedelta(days=8))
        # Not twice: the next runs, even after the exception is closed by hand.
        self._escalate(days=9)
        exception.action_cancel()
        self.assertFalse(exception.is_open)
        self._escalate(days=10)
        self.assertEqual(len(self._activities(job)), 1)
        self.assertEqual(len(self._exceptions(job, self.rule)), 1)

    def test_the_company_delay_applies(self):
        self.company.dispatch_unbilled_escalation_days = 2
        job = self._delivered_job()
        self._escalate(days=3)
        self.assertEqual(len(self._exceptions(job, self.rule)), 1)

    def test_invoiced_job_is_not_escalated_and_its_flag_clears(self):
        invoiced = self._delivered_job()
        invoiced.date_invoiced = DAY_0 + timedelta(days=1)
        late = self._delivered_job()
        self._escalate(days=8)
        self.assertFalse(self._exceptions(invoiced, self.rule))
        self.assertFalse(self._activities(invoiced))
        exception = self._exceptions(late, self.rule)
        self.assertTrue(exception.is_open)
        # The invoice gate stamps the job when its invoice is posted.
        late.date_invoiced = DAY_0 + timedelta(days=9)
        self.assertFalse(exception.is_open)
        self.assertEqual(exception.state, "resolved")

    def test_scheduled_scan_clears_what_was_invoiced_meanwhile(self):
        job = self._delivered_job()
        self._escalate(days=8)
        exception = self._exceptions(job, self.rule)
        # Stamped without the ORM's write (as a data import might).
        self.env.cr.execute(
            SQL(
                "UPDATE logistics_dispatch_job SET date_invoiced = now() WHERE id = %s",
                job.id,
            )
        )
        job.invalidate_recordset(["date_invoiced"])
        self.assertTrue(exception.is_open)
        self.env["logistics.exception.engine"]._cron_scan()
        self.assertFalse(exception.is_open)

    def test_without_billing_responsible_the_salesperson_is_told(self):
        self.company.dispatch_billing_user_id = False
        job = self._delivered_job()
        job.sale_id.user_id = self.salesman
        self._escalate(days=8)
        self.assertEqual(self._activities(job).user_id, self.salesman)

    def test_subcontracted_job_is_flagged_until_the_vendor_bill_matches(self):
        """Seed scenario (3)."""
        job = self._delivered_job(subcontracted=True)
        order = job.purchase_line_id.order_id
        self.assertTrue(order)
        self.assertAlmostEqual(job.purchase_line_id.price_unit, 55.0)
        order.button_confirm()
        self._escalate(days=8)
        flag = self._exceptions(job, self.vendor_rule)
        self.assertEqual(len(flag), 1)
        self.assertEqual(flag.purchase_id, order)
        self.assertEqual(flag.partner_id, self.carrier)
        self.assertEqual(len(self._activities(job)), 2)
        # A draft bill does not match; posting it does.
        order.action_create_invoice()
        bill = order.invoice_ids
        self.assertEqual(bill.invoice_line_ids.purchase_line_id, job.purchase_line_id)
        bill.invoice_date = fields.Date.to_date("2026-03-11")
        with freeze_time(DAY_0 + timedelta(days=9)):
            self._escalate(days=9)
            self.env["logistics.exception.engine"]._cron_scan()
        self.assertTrue(flag.is_open)
        bill.action_post()
        self.assertFalse(flag.is_open)
        self.assertEqual(flag.state, "resolved")
        # The customer side is its own flag: still open, the job is not invoiced.
        self.assertTrue(self._exceptions(job, self.rule).is_open)
        self._escalate(days=12)
        self.assertEqual(len(self._exceptions(job, self.vendor_rule)), 1)

    def test_billed_subcontracted_job_is_not_flagged(self):
        job = self._delivered_job(subcontracted=True)
        order = job.purchase_line_id.order_id
        order.button_confirm()
        order.action_create_invoice()
        order.invoice_ids.invoice_date = fields.Date.to_date("2026-03-03")
        order.invoice_ids.action_post()
        self._escalate(days=8)
        self.assertFalse(self._exceptions(job, self.vendor_rule))
        self.assertEqual(len(self._exceptions(job, self.rule)), 1)
