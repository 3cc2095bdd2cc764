# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form

from .charge_common import MORNING, DispatchChargeCommon
from .test_dispatch_subcontract import other_currency


@freeze_time(MORNING)
class TestDispatchChargeApproval(DispatchChargeCommon):
    def test_above_the_limit_a_clerk_is_refused_and_a_manager_approves(self):
        # 400 minutes on site: 370 beyond the free 30, rounded up to 375
        # minutes at 1.0, above the 250 limit.
        job = self._delivered_job(minutes=400)
        charge = job.charge_ids
        self.assertEqual(charge.amount, 375.0)
        lines_before = job.sale_id.order_line
        with self.assertRaisesRegex(UserError, "approval limit .* billing manager"):
            charge.with_user(self.billing).action_approve()
        self.assertEqual(charge.state, "draft")
        self.assertEqual(job.sale_id.order_line, lines_before)
        charge.with_user(self.billing_manager).action_approve()
        self.assertEqual(charge.state, "approved")
        self.assertEqual(charge.approved_uid, self.billing_manager)
        self.assertEqual(charge.sale_line_id.price_subtotal, 375.0)

    def test_a_charge_at_the_limit_is_approved_by_a_clerk(self):
        self.company.dispatch_charge_approval_limit = 75.0
        job = self._delivered_job(minutes=95)
        job.charge_ids.with_user(self.billing).action_approve()
        self.assertEqual(job.charge_ids.state, "approved")

    def test_dispatcher_cannot_approve(self):
        job = self._delivered_job(minutes=95)
        with self.assertRaises(AccessError):
            job.charge_ids.with_user(self.dispatcher).action_approve()
        with self.assertRaises(AccessError):
            job.charge_ids.with_user(self.dispatcher).write({"state": "approved"})
        self.assertEqual(job.charge_ids.state, "draft")
        self.assertFalse(job.charge_ids.sale_line_id)

    def test_reject_with_a_reason_then_reset(self):
        job = self._delivered_job(minutes=95)
        charge = job.charge_ids
        action = charge.with_user(self.billing).action_reject()
        wizard_form = Form(
            self.env[action["res_model"]]
            .with_user(self.billing)
            .with_context(**action["context"])
        )
        wizard_form.reason = "The dock was closed: our driver came early."
        wizard_form.save().action_confirm()
        self.assertEqual(charge.state, "rejected")
        self.assertEqual(
            charge.reject_reason, "The dock was closed: our driver came early."
        )
        self.assertEqual(job.charge_total, 0.0)
        with self.assertRaisesRegex(UserError, "the charge is Rejected"):
            charge.with_user(self.billing).action_approve()
        charge.with_user(self.billing).action_draft()
        self.assertEqual(charge.state, "draft")
        self.assertFalse(charge.reject_reason)

    def test_reject_without_a_reason_is_refused(self):
        job = self._delivered_job(minutes=95)
        with self.assertRaisesRegex(UserError, "why"):
            job.charge_ids.with_user(self.billing)._reject("  ")
        self.assertEqual(job.charge_ids.state, "draft")

    def test_a_rejected_charge_is_not_recomputed_back(self):
        job = self._delivered_job(minutes=95)
        job.charge_ids.with_user(self.billing)._reject("Not our fault")
        job.with_user(self.dispatcher).action_compute_charges()
        self.assertEqual(job.charge_ids.state, "rejected")
        self.assertEqual(len(job.charge_ids), 1)

    def test_an_approved_charge_cannot_be_changed(self):
        job = self._delivered_job(minutes=95)
        charge = job.charge_ids
        charge.with_user(self.billing).action_approve()
        with self.assertRaisesRegex(UserError, "only a charge to approve"):
            charge.with_user(self.billing).quantity = 200
        with self.assertRaises(AccessError):
            charge.with_user(self.billing).sale_line_id = False
        self.assertEqual(charge.quantity, 75)

    def test_a_draft_charge_is_corrected_by_hand_before_approval(self):
        job = self._delivered_job(minutes=95)
        charge = job.charge_ids
        charge.with_user(self.billing).quantity = 60
        charge.with_user(self.billing).action_approve()
        self.assertEqual(charge.sale_line_id.product_uom_qty, 60)

    def test_a_job_without_sales_order_is_refused(self):
        job = self._create_job(service_product_id=self.transport.id)
        self._deliver(job, arrival=MORNING, minutes=95)
        self.assertEqual(job.charge_ids.quantity, 75)
        with self.assertRaisesRegex(UserError, "no sales order"):
            job.charge_ids.with_user(self.billing).action_approve()
        self.assertEqual(job.charge_ids.state, "draft")

    def test_a_locked_order_is_refused(self):
        job = self._delivered_job(minutes=95)
        job.sale_id.action_lock()
        with self.assertRaisesRegex(UserError, "unlock the order"):
            job.charge_ids.with_user(self.billing).action_approve()

    def test_approval_and_rejection_are_tracked(self):
        job = self._delivered_job(minutes=95)
        # A charge is tracked once its creation is committed.
        self.env.cr.precommit.run()
        charge = job.charge_ids.with_context(tracking_disable=False, mail_notrack=False)
        charge.with_user(self.billing).action_approve()
        self.env.cr.precommit.run()
        tracked = charge.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "state"
        )
        self.assertEqual(tracked.old_value_char, "To Approve")
        self.assertEqual(tracked.new_value_char, "Approved")
        self.assertEqual(tracked.mail_message_id.author_id, self.billing.partner_id)

        other = self._delivered_job(minutes=95).charge_ids
        self.env.cr.precommit.run()
        other = other.with_context(tracking_disable=False, mail_notrack=False)
        other.with_user(self.billing)._reject("Driver was early")
        self.env.cr.precommit.run()
        fields_tracked = other.message_ids.tracking_value_ids.mapped("field_id.name")
        self.assertIn("state", fields_tracked)
        self.assertIn("reject_reason", fields_tracked)

    def test_invoiced_once_with_the_posted_invoice(self):
        """Seed scenario (1) to the invoice: the approved waiting charge is
        billed with the order and turns invoiced when the invoice posts."""
        job = self._delivered_job(minutes=95)
        charge = job.charge_ids
        charge.with_user(self.billing).action_approve()
        # The goods leave the warehouse, so that the invoice bills no more
        # than was delivered.
        picking = job.picking_id
        picking.action_assign()
        picking.move_ids.write({"quantity": 1, "picked": True})
        picking._action_done()
        invoice = job.sale_id._create_invoices()
        charge_line = invoice.invoice_line_ids.filtered(
            lambda line: charge.sale_line_id in line.sale_line_ids
        )
        self.assertEqual((charge_line.quantity, charge_line.price_unit), (75, 1.0))
        self.assertEqual(charge.state, "approved")
        invoice.action_post()
        self.assertEqual(charge.state, "invoiced")
        self.assertEqual(charge.sale_line_id.qty_invoiced, 75)
        self.assertEqual(charge.sale_line_id.qty_to_invoice, 0)
        # Billed once: nothing of the charge is left to invoice.
        self.assertNotIn(
            charge.sale_line_id,
            job.sale_id.order_line.filtered(lambda line: line.qty_to_invoice),
        )
        invoice.button_draft()
        self.assertEqual(charge.state, "approved")
        invoice.action_post()
        self.assertEqual(charge.state, "invoiced")

    def _manual_charge(self, job, quantity, price_unit):
        return self.Charge.with_user(self.dispatcher).create(
            {
                "job_id": job.id,
                "accessorial_type_id": self.wait.id,
                "product_id": self.wait.product_id.id,
                "name": "Waiting agreed on the phone",
                "quantity": quantity,
                "price_unit": price_unit,
            }
        )

    def test_a_clerk_cannot_write_the_amount_under_the_limit(self):
        self.company.dispatch_charge_approval_limit = 100.0
        charge = self._manual_charge(self._delivered_job(minutes=10), 1, 500.0)
        with self.assertRaisesRegex(AccessError, "quantity times its unit price"):
            charge.with_user(self.billing).write({"amount": 1})
        with self.assertRaisesRegex(AccessError, "quantity times its unit price"):
            self.Charge.with_user(self.dispatcher).create(
                {
                    "job_id": self._delivered_job(minutes=10).id,
                    "accessorial_type_id": self.wait.id,
                    "product_id": self.wait.product_id.id,
                    "name": "Waiting",
                    "quantity": 1,
                    "price_unit": 500.0,
                    "amount": 1,
                }
            )
        self.assertEqual(charge.amount, 500.0)
        # Even a stale stored amount does not open the limit: it checks
        # quantity times unit price.
        charge.sudo().write({"amount": 1})
        self.assertEqual(charge.amount, 1)
        with self.assertRaisesRegex(UserError, "approval limit"):
            charge.with_user(self.billing).action_approve()
        self.assertEqual(charge.state, "draft")
        self.assertFalse(charge.sale_line_id)

    def test_charge_price_is_converted_to_the_order_currency(self):
        currency = other_currency(self.company, 2.0)
        pricelist = self.env["product.pricelist"].create(
            {"name": "Export", "currency_id": currency.id}
        )
        customer = self.env["res.partner"].create(
            {"name": "Export customer", "property_product_pricelist": pricelist.id}
        )
        order = self._confirmed_order(partner=customer)
        self.assertEqual(order.currency_id, currency)
        job = self._job_of(order)
        self._deliver(job, arrival=MORNING, minutes=95)
        charge = job.charge_ids
        self.assertEqual((charge.quantity, charge.price_unit), (75, 1.0))
        charge.with_user(self.billing).action_approve()
        # 1.0 in the company's currency (the card's), 2.0 in the order's.
        self.assertAlmostEqual(charge.sale_line_id.price_unit, 2.0)
        self.assertAlmostEqual(charge.sale_line_id.price_subtotal, 150.0)
