# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from contextlib import contextmanager

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user

from odoo.addons.logistics_exception.tests.test_detection_accounting import (
    AccountingDetectionCommon,
)

from .common import ReviewCase

REASON = "Customer agreed to be invoiced in full"


class OverrideApprovalCommon(ReviewCase, AccountingDetectionCommon):
    """Finance people of the shipped tiers: a billing user (asks for credit
    releases), Fiona Finance (a Finance manager: overrides, approves credit
    releases) and a second Finance manager without any logistics group."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Tracking on: the audit trail is what these tests check.
        cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=False, mail_notrack=False)
        )
        cls.second_manager = new_test_user(
            cls.env,
            login="lexa_second_finance",
            name="Sid Second-Finance",
            groups="base.group_user,account.group_account_manager",
            company_id=cls.company.id,
        )
        cls.Request = cls.env["logistics.approval.request"]

    def _new_transaction(self):
        """Records are not tracked in the transaction that creates them: what
        follows happens as in a later request."""
        self.env.flush_all()
        self.cr.flush()

    @contextmanager
    def _refused(self, pattern):
        """A UserError matching ``pattern``, everything rolled back as the
        request of the user would be."""
        with self.assertRaisesRegex(UserError, pattern), self.env.cr.savepoint():
            yield

    def _requests(self, approval_type, document):
        return self.Request.search(
            [
                ("approval_type", "=", approval_type),
                ("res_model", "=", document._name),
                ("res_id", "=", document.id),
            ]
        )

    def _bodies(self, record):
        return " ".join(record.message_ids.mapped("body"))


class TestBillingOverrideApproval(OverrideApprovalCommon):
    def _held_invoice(self, quantity):
        """A draft invoice of ``quantity`` x 25 (plus taxes) whose order was
        delivered short, the shortage holding billing."""
        order = self._sale(quantity)
        self._validate(order.picking_ids, {self.product: quantity - 2})
        shortage = self._exceptions(self.rule_shortage)
        shortage.billing_hold = True
        invoice = self._invoice(order)
        self._new_transaction()
        return invoice, shortage

    def _override(self, invoice, user, reason=REASON):
        action = invoice.with_user(user).action_open_logistics_billing_override()
        wizard_form = Form(
            self.env[action["res_model"]]
            .with_user(user)
            .with_context(**action["context"])
        )
        wizard_form.reason = reason
        return wizard_form.save().action_confirm()

    def test_override_above_threshold_waits_for_a_second_finance_manager(self):
        invoice, shortage = self._held_invoice(500)
        self.assertGreater(invoice.amount_total_signed, 10000)
        result = self._override(invoice, self.account_manager)
        # The wizard closes telling that the override waits.
        self.assertEqual(result["tag"], "display_notification")
        self.assertEqual(
            result["params"]["next"]["type"], "ir.actions.act_window_close"
        )
        request = self._requests("billing_override", invoice)
        self.assertIn(request.name, result["params"]["message"])
        self.assertIn(self.second_manager.name, result["params"]["message"])
        self.assertEqual(request.state, "to_approve")
        self.assertEqual(request.requested_by_id, self.account_manager)
        self.assertEqual(request.amount, invoice.amount_total_signed)
        self.assertEqual(request.exception_id, shortage)
        self.assertEqual(request.partner_id, invoice.commercial_partner_id)
        self.assertEqual(request.payload["reason"], REASON)
        self.assertEqual(
            request.payload["blockers"], [["logistics.exception", shortage.id]]
        )
        self.assertIn(self.second_manager, request.activity_ids.user_id)
        self.assertNotIn(self.account_manager, request.activity_ids.user_id)
        # Nothing is overridden yet: the invoice cannot be posted.
        self.assertFalse(invoice.logistics_billing_hold_override_uid)
        with self.assertRaisesRegex(UserError, shortage.name) as refusal:
            invoice.with_user(self.billing_user).action_post()
        self.assertIn(
            f"An override of the billing hold waits for approval: {request.name}",
            str(refusal.exception),
        )
        self.assertEqual(invoice.state, "draft")
        # The requester cannot approve their own override.
        with self.assertRaisesRegex(UserError, "someone else must approve"):
            request.with_user(self.account_manager).validate_tier()
        self.assertFalse(invoice.logistics_billing_hold_override_uid)

        self._review(request, self.second_manager, "Checked with the customer")
        self._new_transaction()
        self.assertEqual(request.state, "applied")
        self.assertEqual(request.review_ids.done_by, self.second_manager)
        # The requester is who overrode, with the reason they gave; tracked.
        self.assertEqual(
            invoice.logistics_billing_hold_override_uid, self.account_manager
        )
        self.assertEqual(invoice.logistics_billing_hold_override_reason, REASON)
        tracked = invoice.message_ids.tracking_value_ids.field_id.mapped("name")
        self.assertIn("logistics_billing_hold_override_uid", tracked)
        self.assertIn("logistics_billing_hold_override_reason", tracked)
        # Request, approval and override in the chatter of the invoice, of
        # the exception and of the request.
        for record in (invoice, shortage, request):
            bodies = self._bodies(record)
            self.assertIn(f"{request.name} requested by Fiona Finance", bodies)
            self.assertIn(f"{request.name} approved and applied", bodies)
        self.assertIn(
            f"Billing hold overridden on invoice {invoice.display_name} by "
            f"Fiona Finance: {REASON}",
            self._bodies(shortage),
        )
        invoice.with_user(self.billing_user).action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertTrue(shortage.is_open)

    def test_the_exception_leads_to_its_requests(self):
        invoice, shortage = self._held_invoice(500)
        self._override(invoice, self.account_manager)
        request = self._requests("billing_override", invoice)
        exception = shortage.with_user(self.manager)
        self.assertEqual(exception.approval_request_count, 1)
        action = exception.action_view_approval_requests()
        self.assertEqual(action["res_id"], request.id)
        # A plain exception user who is neither requester nor reviewer does
        # not see the Finance request.
        self.assertEqual(shortage.with_user(self.user).approval_request_count, 0)

    def test_rejected_override_leaves_the_invoice_held(self):
        invoice, shortage = self._held_invoice(500)
        self._override(invoice, self.account_manager)
        request = self._requests("billing_override", invoice)
        self._review(request, self.second_manager, "Wait for the goods", reject=True)
        self.assertEqual(request.state, "rejected")
        self.assertFalse(invoice.logistics_billing_hold_override_uid)
        with self.assertRaisesRegex(UserError, shortage.name):
            invoice.with_user(self.billing_user).action_post()
        self.assertIn("Wait for the goods", self._bodies(invoice))
        self.assertIn("Wait for the goods", self._bodies(shortage))
        # Once decided, the override may be asked again.
        self._override(invoice, self.account_manager, "The goods arrived")
        self.assertEqual(len(self._requests("billing_override", invoice)), 2)

    def test_second_override_while_one_waits_is_refused(self):
        invoice, _shortage = self._held_invoice(500)
        self._override(invoice, self.account_manager)
        with self.assertRaisesRegex(UserError, "already has a request waiting"):
            self._override(invoice, self.second_manager, "Me too")
        self.assertEqual(len(self._requests("billing_override", invoice)), 1)

    def test_override_below_threshold_is_done_at_once_as_before(self):
        invoice, shortage = self._held_invoice(10)
        self.assertLess(invoice.amount_total_signed, 10000)
        result = self._override(invoice, self.account_manager)
        self.assertEqual(result, {"type": "ir.actions.act_window_close"})
        self.assertFalse(self._requests("billing_override", invoice))
        self.assertEqual(
            invoice.logistics_billing_hold_override_uid, self.account_manager
        )
        self.assertEqual(invoice.logistics_billing_hold_override_reason, REASON)
        self.assertIn(f"by Fiona Finance: {REASON}", shortage.message_ids[0].body)
        invoice.with_user(self.billing_user).action_post()
        self.assertEqual(invoice.state, "posted")

    def test_approval_when_nothing_is_held_any_more_is_refused(self):
        invoice, _shortage = self._held_invoice(500)
        self._override(invoice, self.account_manager)
        request = self._requests("billing_override", invoice)
        invoice.button_cancel()
        with self._refused("nothing to override any more"):
            self._review(request, self.second_manager, "Fine")
        self.assertEqual(request.state, "to_approve")
        self.assertFalse(invoice.logistics_billing_hold_override_uid)
        # The approver rejects it instead.
        self._review(request, self.second_manager, "Cancelled", reject=True)
        self.assertEqual(request.state, "rejected")

    def test_approval_of_an_invoice_grown_since_the_request_is_refused(self):
        invoice, _shortage = self._held_invoice(500)
        self._override(invoice, self.account_manager)
        request = self._requests("billing_override", invoice)
        invoice.invoice_line_ids[0].price_unit = 50
        with self._refused("has changed since"):
            self._review(request, self.second_manager, "Fine")
        self.assertEqual(request.state, "to_approve")
        self.assertFalse(invoice.logistics_billing_hold_override_uid)

    def test_billing_user_still_cannot_override(self):
        invoice, _shortage = self._held_invoice(500)
        with self.assertRaises(AccessError):
            invoice.with_user(
                self.billing_user
            ).action_open_logistics_billing_override()
        wizard = self.env["logistics.exception.billing.override"].create(
            {"move_id": invoice.id, "reason": "Please"}
        )
        with self.assertRaises(AccessError):
            wizard.with_user(self.billing_user).action_confirm()
        self.assertFalse(self._requests("billing_override", invoice))
        self.assertFalse(invoice.logistics_billing_hold_override_uid)

    def test_a_hold_raised_after_the_request_is_not_overridden(self):
        invoice, shortage = self._held_invoice(500)
        self._override(invoice, self.account_manager)
        request = self._requests("billing_override", invoice)
        later = self.env["logistics.exception"].create(
            {
                "summary": "Damaged on arrival, found after the request",
                "category_id": shortage.category_id.id,
                "sale_id": invoice.line_ids.sale_line_ids.order_id.id,
                "billing_hold": True,
            }
        )
        with self.assertRaises(UserError) as refusal:
            self._review(request, self.second_manager, "ok")
        self.assertIn("new holds since", str(refusal.exception))
        self.assertIn(later.name, str(refusal.exception))
        self.assertEqual(request.state, "to_approve")
        self.assertFalse(invoice.logistics_billing_hold_override_uid)

    def test_writing_the_override_by_hand_does_not_skip_the_approval(self):
        invoice, _shortage = self._held_invoice(500)
        with self.assertRaisesRegex(AccessError, "needs an approval"):
            invoice.with_user(self.account_manager).write(
                {
                    "logistics_billing_hold_override_reason": "RPC",
                    "logistics_billing_hold_override_uid": self.account_manager.id,
                }
            )
        self.assertFalse(invoice.logistics_billing_hold_override_uid)


class TestCreditReleaseApproval(OverrideApprovalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.account_use_credit_limit = True
        cls.customer.with_company(cls.company).credit_limit = 1000
        cls.product.list_price = 500
        cls.rule_credit = cls.env.ref("logistics_exception.rule_credit_hold")

    def _release(self, order, user, reason=REASON):
        action = order.with_user(user).action_logistics_release_credit_hold()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(user)
            .with_context(**action["context"])
        )
        wizard.reason = reason
        return wizard.save().action_release()

    def test_release_above_threshold_waits_for_a_finance_manager(self):
        order = self._sale(30)
        self.assertTrue(order.logistics_credit_hold)
        self.assertGreater(order.amount_total, 10000)
        exception = self._exceptions(self.rule_credit)
        self._new_transaction()
        result = self._release(order, self.billing_user)
        self.assertEqual(result["tag"], "display_notification")
        request = self._requests("credit_release", order)
        self.assertEqual(request.state, "to_approve")
        self.assertEqual(request.requested_by_id, self.billing_user)
        self.assertEqual(request.exception_id, exception)
        self.assertEqual(request.amount, order.amount_total)
        # Still on hold: its delivery cannot be validated.
        self.assertTrue(order.logistics_credit_hold)
        self.assertTrue(exception.is_open)
        with self.assertRaisesRegex(UserError, "credit hold"):
            self._validate(order.picking_ids)
        with self.assertRaisesRegex(UserError, "someone else must approve"):
            request.with_user(self.billing_user).validate_tier()

        self._review(request, self.account_manager, "Payment received")
        self._new_transaction()
        self.assertEqual(request.state, "applied")
        self.assertEqual(request.review_ids.done_by, self.account_manager)
        self.assertFalse(order.logistics_credit_hold)
        self.assertEqual(order.logistics_credit_released_by, self.billing_user)
        self.assertEqual(order.logistics_credit_release_reason, REASON)
        tracked = order.message_ids.tracking_value_ids.field_id.mapped("name")
        self.assertIn("logistics_credit_released_by", tracked)
        # The credit_released event cleared the exception, as without approval.
        self.assertEqual(exception.state, "resolved")
        bodies = self._bodies(exception)
        self.assertIn(f"Finance released the credit hold: {REASON}", bodies)
        self.assertIn(f"{request.name} approved and applied", bodies)
        self.assertIn(f"{request.name} approved and applied", self._bodies(order))
        self._validate(order.picking_ids)
        self.assertEqual(order.picking_ids.state, "done")

    def test_release_below_threshold_is_done_at_once_as_before(self):
        order = self._sale(10)
        self.assertLess(order.amount_total, 10000)
        exception = self._exceptions(self.rule_credit)
        result = self._release(order, self.billing_user)
        self.assertEqual(result, {"type": "ir.actions.act_window_close"})
        self.assertFalse(self._requests("credit_release", order))
        self.assertFalse(order.logistics_credit_hold)
        self.assertEqual(order.logistics_credit_released_by, self.billing_user)
        self.assertEqual(exception.state, "resolved")

    def test_lifting_the_hold_by_hand_does_not_skip_the_approval(self):
        order = self._sale(30)
        self.assertTrue(order.logistics_credit_hold)
        self.account_manager.groups_id |= self.env.ref(
            "sales_team.group_sale_salesman_all_leads"
        )
        with self.assertRaisesRegex(AccessError, "needs an approval"):
            order.with_user(self.account_manager).write(
                {"logistics_credit_hold": False}
            )
        self.assertTrue(order.logistics_credit_hold)

    def test_rejected_release_keeps_the_hold(self):
        order = self._sale(30)
        exception = self._exceptions(self.rule_credit)
        self._release(order, self.billing_user)
        request = self._requests("credit_release", order)
        self._review(request, self.account_manager, "Still unpaid", reject=True)
        self.assertEqual(request.state, "rejected")
        self.assertTrue(order.logistics_credit_hold)
        self.assertFalse(order.logistics_credit_released_by)
        self.assertTrue(exception.is_open)
        self.assertIn("Still unpaid", self._bodies(exception))

    def test_approval_of_an_order_released_meanwhile_is_refused(self):
        order = self._sale(30)
        self._release(order, self.billing_user)
        request = self._requests("credit_release", order)
        order._logistics_release_credit_hold("Paid in cash")
        with self._refused("nothing to release any more"):
            self._review(request, self.account_manager, "Fine")
        self.assertEqual(request.state, "to_approve")
        self.assertEqual(order.logistics_credit_release_reason, "Paid in cash")

    def test_warehouse_user_still_cannot_release(self):
        order = self._sale(30)
        with self.assertRaises(AccessError):
            order.with_user(self.user).action_logistics_release_credit_hold()
        with self.assertRaises(AccessError):
            self.env["logistics.exception.credit.release"].with_user(self.user).create(
                {"order_id": order.id, "reason": "Please"}
            )
        self.assertFalse(self._requests("credit_release", order))
        self.assertTrue(order.logistics_credit_hold)
