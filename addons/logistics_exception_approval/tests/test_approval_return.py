# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user

from .common import STOCK_MANAGER, InventoryApprovalCommon


class ReturnApprovalCommon(InventoryApprovalCommon):
    """A delivered sales order of 10 lamps at 100 from a warehouse whose
    return approval threshold is 500."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse.logistics_return_approval_threshold = 500.0
        cls.customer = cls.env["res.partner"].create({"name": "Rita Returner"})
        cls.returned_product = cls.env["product.product"].create(
            {
                "name": "Returnable Lamp",
                "type": "product",
                "list_price": 100.0,
                "standard_price": 40.0,
            }
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.returned_product, cls.location, 50.0
        )
        order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "warehouse_id": cls.warehouse.id,
                "order_line": [
                    (
                        0,
                        0,
                        {
                            "product_id": cls.returned_product.id,
                            "product_uom_qty": 10,
                            "price_unit": 100.0,
                        },
                    )
                ],
            }
        )
        order.action_confirm()
        cls.delivery = order.picking_ids
        cls.delivery.action_assign()
        cls.delivery.move_ids.quantity = 10
        cls.delivery.move_ids.picked = True
        cls.delivery.button_validate()
        assert cls.delivery.state == "done", cls.delivery.state

    def _return(self, quantity, user=None, reason="Customer refused the lamps", **ctx):
        """Return ``quantity`` lamps of the delivery as ``user`` (a stock
        user) through the return wizard's form; the wizard's action."""
        wizard_form = Form(
            self.env["stock.return.picking"]
            .with_user(user or self.stock_user)
            .with_context(
                active_id=self.delivery.id, active_model="stock.picking", **ctx
            )
        )
        with wizard_form.product_return_moves.edit(0) as line:
            line.quantity = quantity
        if reason:
            wizard_form.logistics_return_reason = reason
        wizard = wizard_form.save()
        return wizard.create_returns()

    def _returns(self):
        return self.env["stock.picking"].search([("return_id", "=", self.delivery.id)])

    def _return_request(self):
        return self.env["logistics.approval.request"].search(
            [
                ("approval_type", "=", "return"),
                ("res_model", "=", "stock.picking"),
                ("res_id", "=", self.delivery.id),
            ]
        )

    def _messages(self, record):
        return " ".join(record.message_ids.mapped("body"))


class TestApprovalReturn(ReturnApprovalCommon):
    """A customer return worth more than its warehouse's threshold waits for
    a stock manager's approval before its return transfer is created."""

    def test_return_above_threshold_waits_then_approval_creates_it(self):
        # 6 lamps x 100 = 600, above the threshold of 500.
        action = self._return(6)
        self.assertEqual(action["tag"], "display_notification")
        self.assertFalse(self._returns(), "no return transfer before approval")
        request = self._return_request()
        self.assertEqual(request.state, "to_approve")
        self.assertEqual(request.requested_by_id, self.stock_user)
        self.assertEqual(request.amount, 600)
        self.assertEqual(request.partner_id, self.customer)
        self.assertIn("6 Units Returnable Lamp", request.description)
        self.assertEqual(request.reason, "Customer refused the lamps")
        self.assertEqual(request.payload["picking_id"], self.delivery.id)
        self.assertEqual([line["quantity"] for line in request.payload["lines"]], [6.0])
        self.assertIn(request.name, action["params"]["message"])
        exception = request.exception_id
        self.assertEqual(
            exception.category_id,
            self.env.ref("logistics_exception.category_return_authorization"),
        )
        self.assertEqual(exception.picking_id, self.delivery)
        self.assertIn(self.approver, request.activity_ids.user_id)
        self.assertNotIn(self.stock_user, request.activity_ids.user_id)

        self._review(request, self.approver, "RMA issued")
        self.assertEqual(request.state, "applied")
        returned = self._returns()
        self.assertEqual(len(returned), 1)
        self.assertEqual(returned.logistics_return_request_id, request)
        self.assertEqual(returned.move_ids.product_id, self.returned_product)
        self.assertEqual(returned.move_ids.product_uom_qty, 6)
        self.assertTrue(returned.move_ids.to_refund)
        self.assertEqual(
            returned.move_ids.origin_returned_move_id, self.delivery.move_ids
        )
        # Every step is in the chatter of the request, the delivery and the
        # exception, and the return transfer names the request.
        for record in (request, self.delivery, exception):
            self.assertIn(returned.name, self._messages(record))
            self.assertIn("approved and applied", self._messages(record))
        self.assertIn(request.name, self._messages(self.delivery))
        self.assertIn(request.name, self._messages(returned))
        # Applying again creates nothing more.
        request._logistics_apply()
        self.assertEqual(len(self._returns()), 1)

    def test_return_below_threshold_is_created_at_once(self):
        # 3 lamps x 100 = 300, under the threshold of 500.
        action = self._return(3, reason=False)
        returned = self._returns()
        self.assertEqual(action["res_model"], "stock.picking")
        self.assertEqual(action["res_id"], returned.id)
        self.assertEqual(returned.move_ids.product_uom_qty, 3)
        self.assertFalse(self._return_request())

    def test_a_return_split_in_two_does_not_pass_under_the_threshold(self):
        # 3 lamps (300) at once, then 3 more: 600 of this delivery's lamps
        # returned, above the threshold of 500.
        self._return(3, reason=False)
        self._return(3, reason="The rest of the lot is scratched too")
        self.assertEqual(len(self._returns()), 1)
        request = self._return_request()
        self.assertEqual(request.state, "to_approve")
        self.assertEqual(request.amount, 600)

    def test_no_threshold_means_no_approval(self):
        self.warehouse.logistics_return_approval_threshold = 0
        self._return(10, reason=False)
        self.assertEqual(self._returns().move_ids.product_uom_qty, 10)
        self.assertFalse(self._return_request())

    def test_without_an_active_tier_the_return_goes_ahead(self):
        self.env["tier.definition"].search(
            [("model", "=", "logistics.approval.request")]
        ).active = False
        exceptions = self.env["logistics.exception"].search_count([])
        action = self._return(6)
        self.assertEqual(action["res_id"], self._returns().id)
        self.assertEqual(self._returns().move_ids.product_uom_qty, 6)
        self.assertFalse(self._return_request())
        self.assertEqual(self.env["logistics.exception"].search_count([]), exceptions)

    def test_return_above_threshold_needs_a_reason(self):
        # The form asks for it once the value is above the threshold...
        with self.assertRaisesRegex(AssertionError, "logistics_return_reason"):
            self._return(6, reason=False)
        # ...and the server refuses a call that skips the form.
        wizard = (
            self.env["stock.return.picking"]
            .with_user(self.stock_user)
            .with_context(active_id=self.delivery.id, active_model="stock.picking")
            .create({})
        )
        wizard.product_return_moves.quantity = 6
        self.assertTrue(wizard.logistics_approval_needed)
        self.assertEqual(wizard.logistics_return_value, 600)
        with self.assertRaisesRegex(UserError, "Return Reason"):
            wizard.create_returns()
        self.assertFalse(self._return_request())
        self.assertFalse(self._returns())

    def test_requester_cannot_approve_own_return(self):
        self._return(6, user=self.counter)
        request = self._return_request()
        self.assertEqual(request.requested_by_id, self.counter)
        with self.assertRaisesRegex(UserError, "someone else must approve"):
            request.with_user(self.counter).validate_tier()
        self.assertEqual(request.state, "to_approve")
        self.assertFalse(self._returns())

    def test_rejected_return_creates_nothing(self):
        self._return(6)
        request = self._return_request()
        self._review(request, self.approver, "Outside the return window", reject=True)
        self.assertEqual(request.state, "rejected")
        self.assertFalse(self._returns())
        self.assertIn("Outside the return window", self._messages(self.delivery))
        self.assertIn("Outside the return window", self._messages(request.exception_id))

    def test_waiting_return_blocks_another_return_of_the_picking(self):
        self._return(6)
        with self.assertRaisesRegex(UserError, "already waits for approval"):
            self._return(7)
        with self.assertRaisesRegex(UserError, "already waits for approval"):
            self._return(1, reason=False)
        self.assertEqual(len(self._return_request()), 1)
        self.assertFalse(self._returns())

    def test_context_key_cannot_skip_the_approval(self):
        # A context sent over RPC carries values, never the sentinel object.
        self._return(6, logistics_exception_approval_return=True)
        self.assertFalse(self._returns())
        self.assertEqual(self._return_request().state, "to_approve")

    def test_second_request_after_rejection_reuses_the_open_exception(self):
        self._return(6)
        first = self._return_request()
        self._review(first, self.approver, "Ask again with photos", reject=True)
        self._return(6, reason="Photos attached: lamps broken in transit")
        second = self._return_request() - first
        self.assertEqual(second.state, "to_approve")
        self.assertEqual(second.exception_id, first.exception_id)

    def test_very_valuable_return_needs_a_sales_manager_too(self):
        # The sales manager is no stock user: approving creates the return all
        # the same.
        sales_manager = new_test_user(
            self.env,
            login="lexa_sales_manager",
            name="Sally Sales",
            groups="base.group_user,sales_team.group_sale_manager",
            company_id=self.company.id,
        )
        self.returned_product.list_price = 0
        self.delivery.move_ids.sale_line_id.price_unit = 2000.0
        # 6 x 2000 = 12000, above the shipped second tier (10000).
        self._return(6)
        request = self._return_request()
        self.assertEqual(request.amount, 12000)
        self.assertEqual(len(request.review_ids), 2)
        self._review(request, self.approver, "RMA issued")
        self.assertEqual(request.state, "to_approve")
        self.assertFalse(self._returns())
        self.assertIn(sales_manager, request.activity_ids.user_id)
        self._review(request, sales_manager, "Key account, accept")
        self.assertEqual(request.state, "applied")
        self.assertEqual(self._returns().move_ids.product_uom_qty, 6)

    def test_another_company_manager_cannot_approve_the_return(self):
        self._return(6)
        request = self._return_request()
        other = self.env["res.company"].create({"name": "Other Returns Co"})
        outsider = new_test_user(
            self.env,
            login="lexa_other_returns",
            groups=STOCK_MANAGER,
            company_id=other.id,
            company_ids=[(6, 0, other.ids)],
        )
        self.assertNotIn(outsider, request.review_ids.reviewer_ids.filtered("active"))
        with self.assertRaises(AccessError):
            request.with_user(outsider).read(["name"])
        self.assertFalse(self._returns())

    def test_return_threshold_cannot_be_negative(self):
        with self.assertRaises(ValidationError):
            self.warehouse.logistics_return_approval_threshold = -1.0

    def test_return_without_sales_order_is_valued_at_cost(self):
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.out_type_id.id,
                "partner_id": self.customer.id,
                "location_id": self.location.id,
                "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Lamps without an order",
                            "product_id": self.returned_product.id,
                            "product_uom_qty": 20,
                            "location_id": self.location.id,
                            "location_dest_id": self.env.ref(
                                "stock.stock_location_customers"
                            ).id,
                        },
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.move_ids.quantity = 20
        picking.move_ids.picked = True
        picking.button_validate()
        wizard = (
            self.env["stock.return.picking"]
            .with_user(self.stock_user)
            .with_context(active_id=picking.id, active_model="stock.picking")
            .create({})
        )
        # 15 lamps x a cost of 40 = 600, above 500; 10 x 40 = 400 is not.
        wizard.product_return_moves.quantity = 15
        self.assertEqual(wizard.logistics_return_value, 600)
        self.assertTrue(wizard.logistics_approval_needed)
        wizard.product_return_moves.quantity = 10
        self.assertEqual(wizard.logistics_return_value, 400)
        self.assertFalse(wizard.logistics_approval_needed)
