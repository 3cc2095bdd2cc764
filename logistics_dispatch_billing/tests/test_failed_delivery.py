# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form

from .common import DispatchJobCommon


class TestFailedDelivery(DispatchJobCommon):
    def _fail_as_driver(self, job, reason, note="Nobody answered"):
        action = job.with_user(self.driver).action_fail()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.driver)
            .with_context(**action["context"])
        )
        wizard.reason_id = reason
        wizard.note = note
        return wizard.save().action_confirm()

    def test_failed_delivery_raises_an_exception_that_holds_billing(self):
        job = self._planned_job()
        job.with_user(self.driver).action_start()
        job.with_user(self.driver).action_arrive()
        self._fail_as_driver(job, self.reason_not_home)
        self.assertEqual(job.state, "failed")
        self.assertEqual(job.fail_reason_id, self.reason_not_home)
        self.assertTrue(job.date_departure)
        exception = job.exception_ids
        self.assertEqual(len(exception), 1)
        self.assertEqual(
            exception.rule_id,
            self.env.ref("logistics_dispatch_billing.rule_failed_delivery"),
        )
        self.assertEqual(exception.category_id.code, "FAILED_DELIVERY")
        self.assertEqual(exception.reason_id, self.reason_not_home)
        self.assertTrue(exception.customer_impact)
        self.assertTrue(exception.billing_hold)
        self.assertEqual(exception.partner_id, self.customer)
        self.assertEqual(exception.detected_by, "rule")
        self.assertEqual(job.exception_count, 1)

    def test_failing_twice_raises_one_exception(self):
        job = self._planned_job()
        self._fail_as_driver(job, self.reason_not_home)
        with self.assertRaisesRegex(UserError, "Cannot fail"):
            job.with_user(self.driver).action_fail()
        self.assertEqual(len(job.exception_ids), 1)

    def test_reason_outside_failed_delivery_is_refused(self):
        job = self._planned_job()
        other = self.env["logistics.exception.reason"].search(
            [("category_id.code", "!=", "FAILED_DELIVERY")], limit=1
        )
        with self.assertRaisesRegex(UserError, "not a reason for a failed delivery"):
            job.with_user(self.driver)._fail(other)
        self.assertEqual(job.state, "planned")
        self.assertFalse(job.exception_ids)

    def test_no_exception_when_the_rule_is_archived(self):
        self.env.ref("logistics_dispatch_billing.rule_failed_delivery").active = False
        job = self._planned_job()
        self._fail_as_driver(job, self.reason_not_home)
        self.assertEqual(job.state, "failed")
        self.assertFalse(job.exception_ids)

    def test_replan_creates_a_new_job_linked_to_the_failed_one(self):
        job = self._planned_job()
        self._fail_as_driver(job, self.reason_not_home)
        with self.assertRaises(AccessError):
            job.with_user(self.driver).action_replan()
        action = job.with_user(self.dispatcher).action_replan()
        new_job = self.env["logistics.dispatch.job"].browse(action["res_id"])
        self.assertEqual(new_job.origin_job_id, job)
        self.assertEqual(job.replan_job_ids, new_job)
        self.assertEqual(new_job.state, "draft")
        self.assertEqual(new_job.partner_id, job.partner_id)
        self.assertEqual(new_job.vehicle_id, job.vehicle_id)
        self.assertNotEqual(new_job.name, job.name)
        self.assertFalse(new_job.fail_reason_id)
