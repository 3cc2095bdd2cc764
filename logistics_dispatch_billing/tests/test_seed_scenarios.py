# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The three dispatch-to-cash scenarios of the issue, end to end, each
step done by the person who does it at work: the salesperson confirms, the
dispatcher plans, the driver arrives and proves the delivery, billing
approves and invoices."""

import base64
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import RedirectWarning, UserError
from odoo.tests import Form, tagged

from .common import SIGNATURE
from .test_dispatch_subcontract import DispatchSubcontractCommon

# A Tuesday morning: no after-hours charge.
MORNING = datetime(2026, 3, 3, 9, 0)


@tagged("post_install", "-at_install")
@freeze_time(MORNING)
class TestSeedScenarios(DispatchSubcontractCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.transport.purchase_method = "purchase"
        cls.company.dispatch_unbilled_escalation_days = 7
        cls.company.dispatch_billing_user_id = cls.billing

    def _order(self, partner=None):
        """The salesperson confirms an order of goods and transport: a job."""
        order = (
            self.env["sale.order"]
            .with_user(self.salesman)
            .create(
                {
                    "partner_id": (partner or self.customer).id,
                    "order_line": [
                        fields.Command.create(
                            {"product_id": self.goods.id, "product_uom_qty": 2}
                        ),
                        fields.Command.create({"product_id": self.transport.id}),
                    ],
                }
            )
        )
        order.action_confirm()
        order = order.with_user(self.env.user)
        self.assertEqual(len(order.dispatch_job_ids), 1)
        return order

    def _plan(self, job, start=MORNING):
        job.with_user(self.dispatcher).write(
            {
                "vehicle_id": self.vehicle.id,
                "user_id": self.driver.id,
                "planned_start": start,
                "planned_end": start + timedelta(hours=2),
            }
        )
        job.with_user(self.dispatcher).action_plan()
        self.assertEqual(job.state, "planned")

    def _arrive(self, job, at):
        with freeze_time(at):
            job.with_user(self.driver).action_start()
            job.with_user(self.driver).action_arrive()
        self.assertEqual(job.date_arrival, at)

    def _sign_and_deliver(self, job, at, **pod):
        with freeze_time(at):
            job.with_user(self.driver).write(
                {
                    "pod_receiver_name": "M. Dock",
                    "pod_signature": SIGNATURE,
                    **pod,
                }
            )
            job.with_user(self.driver).action_deliver()
        self.assertEqual(job.state, "delivered")
        self.assertEqual(job.date_departure, at)

    def _ship(self, order):
        picking = order.picking_ids.filtered(lambda p: p.state != "done")
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        picking._action_done()

    def _invoice(self, order):
        """Billing makes the customer's invoice of its ready jobs."""
        wizard = Form(
            self.env["logistics.dispatch.invoice.ready"]
            .with_user(self.billing)
            .with_context(default_partner_id=order.partner_id.id)
        ).save()
        action = wizard.action_create_invoice()
        return self.env["account.move"].browse(action["res_id"])

    def test_1_waiting_time_is_charged_and_invoiced(self):
        order = self._order()
        job = order.dispatch_job_ids
        self._plan(job)
        # On site 95 minutes: 30 free, then 65 rounded up to 75 (15-minute
        # increment).
        self._arrive(job, MORNING + timedelta(minutes=40))
        self._sign_and_deliver(job, MORNING + timedelta(minutes=135))
        charge = job.charge_ids
        self.assertEqual(charge.accessorial_type_id, self.wait)
        self.assertEqual(
            (charge.quantity, charge.amount, charge.state), (75, 75, "draft")
        )
        self._ship(order)
        self.assertFalse(job.billing_ready)
        charge.with_user(self.billing).action_approve()
        self.assertTrue(job.billing_ready, job.billing_blocker)
        invoice = self._invoice(order)
        waiting_line = invoice.invoice_line_ids.filtered(
            lambda line: line.product_id == self.wait.product_id
        )
        self.assertEqual((waiting_line.quantity, waiting_line.price_subtotal), (75, 75))
        invoice.with_user(self.billing).action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(charge.state, "invoiced")
        self.assertEqual(job.invoice_ids, invoice)
        self.assertEqual(job.date_invoiced, fields.Datetime.now())
        self.assertTrue(
            self.env["ir.attachment"].search_count(
                [("res_model", "=", "account.move"), ("res_id", "=", invoice.id)]
            ),
            "the proof of delivery is attached to the invoice",
        )
        # The charge is billed once: nothing is left to invoice.
        self.assertEqual(order.invoice_status, "invoiced")

    def test_2_failed_delivery_with_a_missing_document(self):
        self.customer.dispatch_pod_customs_document = True
        order = self._order()
        job = order.dispatch_job_ids
        self._plan(job)
        self._arrive(job, MORNING + timedelta(minutes=30))
        # The customs document is not there: the delivery is not proven.
        with self.assertRaisesRegex(UserError, "customs document"):
            self._sign_and_deliver(job, MORNING + timedelta(minutes=40))
        self.assertEqual(job.state, "in_transit")
        # The driver records the failed delivery with its reason.
        action = job.with_user(self.driver).action_fail()
        with Form(
            self.env[action["res_model"]]
            .with_user(self.driver)
            .with_context(**action["context"])
        ) as wizard:
            wizard.reason_id = self.env.ref(
                "logistics_exception.reason_refused_at_door"
            )
            wizard.note = "No customs document for the consignment."
        wizard.save().action_confirm()
        self.assertEqual(job.state, "failed")
        exception = job.exception_ids
        self.assertEqual(len(exception), 1)
        self.assertTrue(exception.billing_hold)
        self.assertTrue(exception.customer_impact)
        # Billing tries to invoice: refused while the exception holds it.
        self._ship(order)
        invoice = order.with_user(self.billing)._create_invoices()
        with self.assertRaisesRegex(RedirectWarning, exception.name):
            invoice.with_user(self.billing).action_post()
        self.assertEqual(invoice.state, "draft")
        # Re-planned for the next morning, delivered with the document.
        new_job = self.env["logistics.dispatch.job"].browse(
            job.with_user(self.dispatcher).action_replan()["res_id"]
        )
        self.assertEqual(new_job.origin_job_id, job)
        self._plan(new_job, MORNING + timedelta(days=1))
        self._arrive(new_job, MORNING + timedelta(days=1, minutes=10))
        self._sign_and_deliver(
            new_job,
            MORNING + timedelta(days=1, minutes=25),
            pod_customs_document=base64.b64encode(b"customs declaration"),
            pod_customs_document_name="customs.pdf",
        )
        redelivery = new_job.charge_ids
        self.assertEqual(redelivery.accessorial_type_id, self.redelivery)
        self.assertEqual(redelivery.amount, 60.0)
        redelivery.with_user(self.billing).action_approve()
        # The exception is resolved with its root cause and evidence.
        exception.root_cause_id = self.env["logistics.exception.root.cause"].search(
            [("category_id", "=", exception.category_id.id)], limit=1
        )
        self.env["ir.attachment"].create(
            {
                "name": "call-log.txt",
                "raw": b"Document sent by the customer",
                "res_model": exception._name,
                "res_id": exception.id,
            }
        )
        exception.action_resolve()
        # The draft invoice predates the redelivery: billing makes it again.
        invoice.with_user(self.billing).button_cancel()
        invoice = self._invoice(order)
        self.assertIn(self.redelivery.product_id, invoice.invoice_line_ids.product_id)
        invoice.with_user(self.billing).action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(redelivery.state, "invoiced")
        self.assertEqual(new_job.invoice_ids, invoice)

    def test_3_subcontracted_job_is_flagged_until_the_vendor_bill_matches(self):
        order = self._order()
        job = order.dispatch_job_ids
        job.with_user(self.dispatcher).subcontractor_id = self.carrier
        self._plan(job)
        # Bought from the carrier at its card: 50 and 10 % fuel.
        purchase_line = job.sudo().purchase_line_id
        self.assertEqual(purchase_line.order_id.partner_id, self.carrier)
        self.assertAlmostEqual(purchase_line.price_unit, 55.0)
        purchase = purchase_line.order_id
        purchase.button_confirm()
        self._arrive(job, MORNING + timedelta(minutes=20))
        self._sign_and_deliver(job, MORNING + timedelta(minutes=30))
        rule = self.env.ref("logistics_dispatch_billing.rule_dispatch_vendor_unbilled")
        with freeze_time(MORNING + timedelta(days=8)):
            self.env["logistics.dispatch.job"]._cron_escalate_unbilled()
        flag = (
            self.env["logistics.exception"]
            .with_context(active_test=False)
            .search([("dispatch_job_id", "=", job.id), ("rule_id", "=", rule.id)])
        )
        self.assertTrue(flag.is_open)
        purchase.action_create_invoice()
        bill = purchase.invoice_ids
        bill.invoice_date = fields.Date.to_date("2026-03-12")
        self.assertTrue(flag.is_open, "a draft bill does not match yet")
        bill.action_post()
        self.assertFalse(flag.is_open)
