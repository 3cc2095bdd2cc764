# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, TransactionCase, new_test_user, tagged

from .common import ReviewCase

BUYER = "base.group_user,purchase.group_purchase_user"
PURCHASE_MANAGER = "base.group_user,purchase.group_purchase_manager"
EXCEPTION_MANAGER = (
    "base.group_user,logistics_exception.logistics_exception_group_manager"
)


class ExpediteApprovalCommon(ReviewCase, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(
                cls.env.context,
                tracking_disable=False,
                mail_create_nolog=True,
                no_reset_password=True,
            )
        )
        cls.company = cls.env.ref("base.main_company")
        cls.company.logistics_expedite_approval_threshold = 1000.0
        # Odoo's own double validation of purchases stays out of the way.
        cls.company.po_double_validation = "one_step"
        cls.currency = cls.company.currency_id
        cls.buyer = new_test_user(
            cls.env,
            login="lexe_buyer",
            name="Bea Buyer",
            groups=BUYER,
            company_id=cls.company.id,
        )
        cls.manager = new_test_user(
            cls.env,
            login="lexe_manager",
            name="Pia Purchase Manager",
            groups=PURCHASE_MANAGER,
            company_id=cls.company.id,
        )
        cls.other_manager = new_test_user(
            cls.env,
            login="lexe_other_manager",
            name="Otto Other Manager",
            groups=PURCHASE_MANAGER,
            company_id=cls.company.id,
        )
        cls.exception_manager = new_test_user(
            cls.env,
            login="lexe_exception_manager",
            name="Ella Exceptions",
            groups=EXCEPTION_MANAGER,
            company_id=cls.company.id,
        )
        cls.vendor = cls.env["res.partner"].create({"name": "Rapid Parts Ltd"})
        cls.product = cls.env["product.product"].create(
            {"name": "Rush Gearbox", "type": "product", "standard_price": 100.0}
        )
        cls.category = cls.env.ref("logistics_exception.category_urgent_expedite")

    def _order(self, price=100.0, qty=20, user=None):
        """A quotation of ``qty`` x ``price`` (untaxed), made by the buyer."""
        return (
            self.env["purchase.order"]
            .with_user(user or self.buyer)
            .create(
                {
                    "partner_id": self.vendor.id,
                    "company_id": self.company.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "product_qty": qty,
                                "price_unit": price,
                                "taxes_id": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )

    def _expedite(self, order, category=None):
        return self.env["logistics.exception"].create(
            {
                "summary": "Customer line down: rush gearboxes",
                "category_id": (category or self.category).id,
                "company_id": self.company.id,
                "purchase_id": order.id,
            }
        )

    def _requests(self, order):
        return self.env["logistics.approval.request"].search(
            [
                ("approval_type", "=", "expedite"),
                ("res_model", "=", "purchase.order"),
                ("res_id", "=", order.id),
            ]
        )

    def _pickings(self, order):
        return self.env["stock.picking"].search([("purchase_id", "=", order.id)])


class TestApprovalExpedite(ExpediteApprovalCommon):
    def test_rush_purchase_above_threshold_waits_for_approval(self):
        order = self._order()  # 2000 > 1000
        exception = self._expedite(order)
        action = order.with_user(self.buyer).button_confirm()
        self.assertEqual(action["tag"], "display_notification")
        self.assertIn(order.name, action["params"]["message"])
        self.assertEqual(order.state, "draft", "a rush purchase waits for approval")
        self.assertFalse(self._pickings(order))
        request = self._requests(order)
        self.assertEqual(len(request), 1)
        self.assertEqual(request.state, "to_approve")
        self.assertEqual(request.amount, 2000.0)
        self.assertEqual(request.requested_by_id, self.buyer)
        self.assertEqual(request.exception_id, exception)
        self.assertEqual(request.partner_id, self.vendor)
        self.assertEqual(request.payload["purchase_id"], order.id)
        self.assertTrue(order.with_user(self.buyer).logistics_expedite_waiting)
        self.assertEqual(
            order.with_user(self.buyer).logistics_expedite_request_id, request
        )
        todo_users = request.activity_ids.user_id
        self.assertIn(self.manager, todo_users)
        self.assertIn(self.other_manager, todo_users)
        self.assertNotIn(self.buyer, todo_users)
        # Asking again while it waits is refused, nothing more is created.
        with self.assertRaisesRegex(UserError, "already waits for expedite approval"):
            order.with_user(self.buyer).button_confirm()
        self.assertEqual(len(self._requests(order)), 1)
        # Approving the quotation directly (over RPC) does not skip the control.
        with self.assertRaisesRegex(UserError, "need an expedite approval"):
            order.with_user(self.buyer).button_approve()
        self.assertEqual(order.state, "draft")

    def test_approval_confirms_once_and_is_in_every_chatter(self):
        order = self._order()
        exception = self._expedite(order)
        order.with_user(self.buyer).button_confirm()
        request = self._requests(order)
        self._review(request, self.manager, "Line down at the customer: go")
        self.assertEqual(request.state, "applied")
        self.assertEqual(order.state, "purchase")
        self.assertEqual(len(self._pickings(order)), 1)
        self.assertFalse(request.activity_ids)
        for thread in (request, order, exception):
            self.assertTrue(
                any(
                    request.name in (m.body or "") and "approved" in (m.body or "")
                    for m in thread.message_ids
                ),
                f"approval missing in the chatter of {thread}",
            )
        # Applying again changes nothing.
        request._logistics_apply()
        self.assertEqual(order.state, "purchase")
        self.assertEqual(len(self._pickings(order)), 1)

    def test_below_threshold_confirms_directly(self):
        order = self._order(qty=5)  # 500 <= 1000
        self._expedite(order)
        order.with_user(self.buyer).button_confirm()
        self.assertEqual(order.state, "purchase")
        self.assertFalse(self._requests(order))

    def test_purchase_without_expedite_confirms_directly(self):
        order = self._order(qty=200)  # 20000, no exception
        other = self._order(qty=200)
        # An exception of another category, and a closed expedite: no rush.
        self._expedite(
            other, self.env.ref("logistics_exception.category_supplier_delay")
        )
        closed = self._expedite(order)
        closed.write({"state": "cancelled"})
        self.assertFalse(closed.is_open)
        (order | other).with_user(self.buyer).button_confirm()
        self.assertEqual(order.state, "purchase")
        self.assertEqual(other.state, "purchase")
        self.assertFalse(self._requests(order) | self._requests(other))

    def test_zero_threshold_asks_for_every_rush_purchase(self):
        self.company.logistics_expedite_approval_threshold = 0.0
        order = self._order(qty=1)  # 100
        self._expedite(order)
        order.with_user(self.buyer).button_confirm()
        self.assertEqual(order.state, "draft")
        self.assertEqual(self._requests(order).state, "to_approve")

    def test_archived_tier_definitions_switch_the_control_off(self):
        (
            self.env.ref("logistics_exception_approval.tier_definition_expedite_first")
            | self.env.ref(
                "logistics_exception_approval.tier_definition_expedite_second"
            )
        ).active = False
        order = self._order()
        self._expedite(order)
        order.with_user(self.buyer).button_confirm()
        self.assertEqual(order.state, "purchase")
        self.assertFalse(self._requests(order))

    def test_one_confirm_splits_rush_and_ordinary_orders(self):
        rush = self._order()
        plain = self._order()
        self._expedite(rush)
        action = (rush | plain).with_user(self.buyer).button_confirm()
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(rush.state, "draft")
        self.assertEqual(plain.state, "purchase")

    def test_several_rush_orders_get_one_request_each(self):
        orders = self._order() | self._order() | self._order(qty=5)
        for order in orders:
            self._expedite(order)
        orders.with_user(self.buyer).button_confirm()
        self.assertEqual(orders.mapped("state"), ["draft", "draft", "purchase"])
        for order in orders[:2]:
            self.assertEqual(self._requests(order).state, "to_approve")
        self.assertFalse(self._requests(orders[2]))

    def test_other_company_manager_is_no_reviewer(self):
        other_company = self.env["res.company"].create({"name": "Far Away Ltd"})
        outsider = new_test_user(
            self.env,
            login="lexe_far_manager",
            name="Fay Far",
            groups=PURCHASE_MANAGER,
            company_id=other_company.id,
            company_ids=[Command.set(other_company.ids)],
        )
        order = self._order()
        self._expedite(order)
        order.with_user(self.buyer).button_confirm()
        request = self._requests(order)
        self.assertNotIn(outsider, request.activity_ids.user_id)
        self.assertNotIn(outsider, request.reviewer_ids)
        with self.assertRaises(UserError):
            request.with_user(outsider).validate_tier()
        self.assertEqual(order.state, "draft")

    def test_read_only_user_cannot_ask(self):
        stock_user = new_test_user(
            self.env,
            login="lexe_stock_user",
            name="Stan Stock",
            groups="base.group_user,stock.group_stock_user",
            company_id=self.company.id,
        )
        order = self._order()
        self._expedite(order)
        with self.assertRaises(AccessError):
            order.with_user(stock_user).button_confirm()
        self.assertFalse(self._requests(order))
        self.assertEqual(order.state, "draft")

    def test_self_approval_is_refused(self):
        order = self._order(user=self.manager)
        self._expedite(order)
        order.with_user(self.manager).button_confirm()
        request = self._requests(order)
        self.assertEqual(request.requested_by_id, self.manager)
        self.assertNotIn(self.manager, request.activity_ids.user_id)
        with self.assertRaisesRegex(UserError, "someone else must approve"):
            request.with_user(self.manager).validate_tier()
        self.assertEqual(request.state, "to_approve")
        self.assertEqual(order.state, "draft")
        self._review(request, self.other_manager, "Approved for the customer")
        self.assertEqual(order.state, "purchase")

    def test_rejection_keeps_the_quotation(self):
        order = self._order()
        exception = self._expedite(order)
        order.with_user(self.buyer).button_confirm()
        request = self._requests(order)
        self._review(request, self.manager, "Standard freight is enough", reject=True)
        self.assertEqual(request.state, "rejected")
        self.assertEqual(order.state, "draft")
        self.assertFalse(self._pickings(order))
        for thread in (request, order, exception):
            self.assertTrue(
                any(
                    "Standard freight is enough" in (m.body or "")
                    for m in thread.message_ids
                )
            )
        # Asking again makes a new request.
        order.with_user(self.buyer).button_confirm()
        self.assertEqual(len(self._requests(order)), 2)
        self.assertEqual(order.state, "draft")

    def test_high_value_needs_a_second_different_approver(self):
        order = self._order(qty=300)  # 30000 > 25000
        self._expedite(order)
        order.with_user(self.buyer).button_confirm()
        request = self._requests(order)
        self.assertEqual(len(request.review_ids), 2)
        self._review(request, self.manager, "Purchase side: fine")
        self.assertEqual(request.state, "to_approve")
        self.assertEqual(order.state, "draft")
        with self.assertRaises(UserError):
            request.with_user(self.other_manager).validate_tier()
        self.assertIn(self.exception_manager, request.activity_ids.user_id)
        self._review(request, self.exception_manager, "Customer pays the premium")
        self.assertEqual(request.state, "applied")
        self.assertEqual(order.state, "purchase")

    def test_approved_amount_covers_a_later_confirmation_only_up_to_it(self):
        order = self._order()
        self._expedite(order)
        order.with_user(self.buyer).button_confirm()
        request = self._requests(order)
        self._review(request, self.manager, "ok")
        self.assertEqual(order.state, "purchase")
        # Cancelled and set back to quotation: the same value confirms again.
        order.with_user(self.buyer).button_cancel()
        order.with_user(self.buyer).button_draft()
        order.with_user(self.buyer).button_confirm()
        self.assertEqual(order.state, "purchase")
        self.assertEqual(len(self._requests(order)), 1)
        # More than approved: a new approval.
        order.with_user(self.buyer).button_cancel()
        order.with_user(self.buyer).button_draft()
        order.order_line.with_user(self.buyer).product_qty = 30
        order.with_user(self.buyer).button_confirm()
        self.assertEqual(order.state, "draft")
        requests = self._requests(order)
        self.assertEqual(len(requests), 2)
        self.assertEqual(requests.sorted("id")[-1].amount, 3000.0)

    def test_order_grown_while_waiting_is_not_confirmed(self):
        order = self._order()
        self._expedite(order)
        order.with_user(self.buyer).button_confirm()
        request = self._requests(order)
        order.order_line.with_user(self.buyer).product_qty = 40  # 4000 > 2000
        # assertRaises (not assertRaisesRegex) rolls the refused approval back,
        # as the request of a real user would be.
        with self.assertRaises(UserError) as refusal:
            self._review(request, self.manager, "ok for 2000")
        self.assertIn("more than the", str(refusal.exception))
        self.assertEqual(order.state, "draft")
        self.assertEqual(request.state, "to_approve")
        self._review(request, self.manager, "Worth more now", reject=True)
        self.assertEqual(request.state, "rejected")
        order.with_user(self.buyer).button_confirm()
        self.assertEqual(order.state, "draft")
        self.assertEqual(self._requests(order).sorted("id")[-1].amount, 4000.0)

    def test_order_cancelled_while_waiting_stays_cancelled(self):
        order = self._order()
        self._expedite(order)
        order.with_user(self.buyer).button_confirm()
        request = self._requests(order)
        order.with_user(self.buyer).button_cancel()
        with self.assertRaises(UserError) as refusal:
            self._review(request, self.manager, "ok")
        self.assertIn("no longer a request for quotation", str(refusal.exception))
        self.assertEqual(order.state, "cancel")
        self.assertFalse(self._pickings(order))
        self.assertEqual(request.state, "to_approve")

    def test_threshold_is_set_in_the_settings(self):
        settings = Form(self.env["res.config.settings"])
        settings.logistics_expedite_approval_threshold = 2500.0
        settings.save().execute()
        self.assertEqual(self.company.logistics_expedite_approval_threshold, 2500.0)
        order = self._order()  # 2000 <= 2500
        self._expedite(order)
        order.with_user(self.buyer).button_confirm()
        self.assertEqual(order.state, "purchase")

    def test_threshold_cannot_be_negative(self):
        with self.assertRaises(UserError):
            self.company.logistics_expedite_approval_threshold = -1.0

    def test_premium_freight_cost_counts_with_the_dashboards(self):
        if "logistics.exception.cost" not in self.env:
            self.skipTest("the dashboards module is not installed")
        order = self._order(qty=8)  # 800 <= 1000 alone
        exception = self._expedite(order)
        self.env["logistics.exception.cost"].create(
            {
                "exception_id": exception.id,
                "cost_type_id": self.env.ref(
                    "logistics_exception_dashboard.cost_type_expedite"
                ).id,
                "amount": 380.0,
                "name": "Dedicated van",
            }
        )
        # Another kind of cost does not count.
        self.env["logistics.exception.cost"].create(
            {
                "exception_id": exception.id,
                "cost_type_id": self.env.ref(
                    "logistics_exception_dashboard.cost_type_penalty"
                ).id,
                "amount": 5000.0,
            }
        )
        order.with_user(self.buyer).button_confirm()
        self.assertEqual(order.state, "draft")
        request = self._requests(order)
        self.assertEqual(request.amount, 1180.0)
        self.assertEqual(request.payload["premium_freight"], 380.0)


@tagged("post_install", "-at_install")
class TestApprovalExpediteTour(HttpCase, ExpediteApprovalCommon):
    def test_buyer_confirms_a_rush_quotation_and_sees_it_wait(self):
        self.buyer.password = "lexe_buyer"
        order = self._order()
        self._expedite(order)
        self.start_tour(
            f"/web#model=purchase.order&id={order.id}&view_type=form",
            "logistics_exception_approval_expedite_tour",
            login="lexe_buyer",
        )
        self.assertEqual(order.state, "draft")
        self.assertEqual(self._requests(order).state, "to_approve")
