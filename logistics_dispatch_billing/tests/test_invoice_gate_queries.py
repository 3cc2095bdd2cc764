# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo import Command, fields

from ..models.account_move import POD_INLINE_LIMIT
from .common import SIGNATURE, DispatchBillingCommon


# In working hours: no after-hours charge to approve.
@freeze_time("2026-03-04 10:00:00")
class TestInvoiceGateQueries(DispatchBillingCommon):
    """The gate on posting an invoice costs the same few queries whatever
    the number of jobs it covers."""

    def _invoice_of_jobs(self, count):
        """A draft invoice of ``count`` orders of the transport service,
        each with a delivered job (with its POD) and an approved charge."""
        orders = self.env["sale.order"].create(
            [
                {
                    "partner_id": self.customer.id,
                    "order_line": [Command.create({"product_id": self.transport.id})],
                }
                for _index in range(count)
            ]
        )
        orders.action_confirm()
        now = fields.Datetime.now()
        jobs = self.env["logistics.dispatch.job"].create(
            [
                {
                    "sale_id": order.id,
                    "partner_id": self.customer.id,
                    "service_product_id": self.transport.id,
                    "planned_start": now,
                }
                for order in orders
            ]
        )
        jobs.write(
            {
                "state": "delivered",
                "date_delivered": now,
                "pod_date": now,
                "pod_receiver_name": "R. Receiver",
                "pod_signature": SIGNATURE,
            }
        )
        self.env["logistics.dispatch.charge"].create(
            [
                {
                    "job_id": job.id,
                    "accessorial_type_id": self.wait.id,
                    "product_id": self.wait.product_id.id,
                    "name": "Waiting time",
                    "quantity": 15,
                    "price_unit": 1.0,
                }
                for job in jobs
            ]
        ).write({"state": "approved"})
        invoice = orders._create_invoices()
        self.assertEqual(len(invoice), 1)
        self.env.flush_all()
        self.env.invalidate_all()
        return invoice.with_user(self.billing), jobs

    def _assert_gate_queries(self, count):
        invoice, jobs = self._invoice_of_jobs(count)
        invoice._get_logistics_billing_blockers()  # warm the model caches
        self.env.invalidate_all()
        with self.assertQueryCount(14):
            self.assertFalse(invoice._get_logistics_billing_blockers())
        # A blocker among them: the same queries find it.
        jobs[-1].charge_ids.write({"state": "draft"})
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(14):
            blockers = invoice._get_logistics_billing_blockers()
        self.assertEqual(
            [item["record"] for item in blockers[invoice]],
            list(jobs[-1].charge_ids),
        )

    def test_gate_of_20_jobs(self):
        self._assert_gate_queries(20)

    def test_gate_of_200_jobs(self):
        self._assert_gate_queries(200)

    def _pod_attachments(self, invoice):
        return self.env["ir.attachment"].search(
            [("res_model", "=", "account.move"), ("res_id", "=", invoice.id)]
        )

    def test_proofs_of_a_large_invoice_are_attached_right_after_posting(self):
        invoice, jobs = self._invoice_of_jobs(POD_INLINE_LIMIT + 1)
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(jobs.invoice_ids, invoice)
        self.assertTrue(invoice.sudo().dispatch_pod_pending)
        self.assertFalse(self._pod_attachments(invoice))
        self.env["account.move"]._cron_attach_dispatch_pod()
        self.assertFalse(invoice.sudo().dispatch_pod_pending)
        self.assertEqual(len(self._pod_attachments(invoice)), 1)
        # Nothing left to do: a second run attaches nothing more.
        self.env["account.move"]._cron_attach_dispatch_pod()
        self.assertEqual(len(self._pod_attachments(invoice)), 1)
