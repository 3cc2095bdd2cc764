from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form

from .test_detection_inventory import DetectionCommon


class TestCreditHold(DetectionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.account_use_credit_limit = True
        cls.customer.with_company(cls.company).credit_limit = 1000
        cls.product.list_price = 500
        cls.rule_credit = cls.env.ref("logistics_exception.rule_credit_hold")

    def test_order_over_credit_limit_is_held_until_finance_releases_it(self):
        order = self._sale(10)
        self.assertTrue(order.logistics_credit_hold)
        exception = self._exceptions(self.rule_credit)
        self.assertEqual(len(exception), 1)
        self.assertEqual(exception.sale_id, order)
        self.assertEqual(exception.category_id.code, "CREDIT_HOLD")
        self.assertEqual(exception.reason_id.code, "OVER_CREDIT_LIMIT")
        self.assertTrue(exception.customer_impact)
        self.assertGreater(exception.financial_impact, 0)
        picking = order.picking_ids
        with self.assertRaisesRegex(UserError, "credit hold"):
            self._validate(picking)
        self.assertNotEqual(picking.state, "done")
        # A warehouse user cannot release it...
        with self.assertRaises(AccessError):
            order.with_user(self.user).action_logistics_release_credit_hold()
        # ...a Finance user can, with a reason.
        action = order.with_user(
            self.billing_user
        ).action_logistics_release_credit_hold()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.billing_user)
            .with_context(**action["context"])
        )
        wizard.reason = "Customer paid INV/2026/00042 this morning"
        wizard.save().action_release()
        self.assertFalse(order.logistics_credit_hold)
        self.assertEqual(order.logistics_credit_released_by, self.billing_user)
        self.assertEqual(
            order.logistics_credit_release_reason,
            "Customer paid INV/2026/00042 this morning",
        )
        self.assertEqual(exception.state, "resolved")
        self.assertIn("INV/2026/00042", exception.message_ids[0].body)
        self._validate(picking)
        self.assertEqual(picking.state, "done")

    def test_only_finance_puts_or_lifts_a_hold_even_over_rpc(self):
        order = self._sale(10)
        with self.assertRaises(AccessError):
            order.with_user(self.user).write({"logistics_credit_hold": False})
        self.assertTrue(order.logistics_credit_hold)

    def test_salesperson_without_accounting_rights_confirms_and_holds(self):
        salesman = self.env["res.users"].create(
            {
                "name": "Sally Sales",
                "login": "lex_test_sally",
                "groups_id": [
                    Command.set([self.env.ref("sales_team.group_sale_salesman").id])
                ],
            }
        )
        order = (
            self.env["sale.order"]
            .with_user(salesman)
            .create(
                {
                    "partner_id": self.customer.id,
                    "order_line": [
                        Command.create(
                            {"product_id": self.product.id, "product_uom_qty": 10}
                        )
                    ],
                }
            )
        )
        order.action_confirm()
        self.assertTrue(order.logistics_credit_hold)
        self.assertEqual(len(self._exceptions(self.rule_credit)), 1)

    def test_hold_raised_again_after_cancel_and_new_confirmation(self):
        order = self._sale(10)
        first = self._exceptions(self.rule_credit)
        order.with_user(self.billing_user).action_logistics_release_credit_hold()
        self.env["logistics.exception.credit.release"].with_user(
            self.billing_user
        ).create({"order_id": order.id, "reason": "Paid"}).action_release()
        self.assertEqual(first.state, "resolved")
        order._action_cancel()
        order.action_draft()
        order.action_confirm()
        self.assertTrue(order.logistics_credit_hold)
        self.assertEqual(
            len(self._exceptions(self.rule_credit, ("is_open", "=", True))), 1
        )

    def test_order_within_credit_limit_is_not_held(self):
        order = self._sale(1)
        self.assertFalse(order.logistics_credit_hold)
        self.assertFalse(self._exceptions(self.rule_credit))
        # Over the limit, the same customer's order is held.
        over = self._sale(10)
        self.assertTrue(over.logistics_credit_hold)
        self.assertEqual(self._exceptions(self.rule_credit).sale_id, over)

    def test_company_without_credit_limits_holds_nothing(self):
        self.company.account_use_credit_limit = False
        order = self._sale(10)
        self.assertFalse(order.logistics_credit_hold)
        self.assertFalse(self._exceptions(self.rule_credit))
        # The same order once the company uses credit limits is held.
        self.company.account_use_credit_limit = True
        held = self._sale(10)
        self.assertTrue(held.logistics_credit_hold)
        self.assertEqual(self._exceptions(self.rule_credit).sale_id, held)


class TestOrderChange(DetectionCommon):
    @freeze_time("2027-03-01 08:00:00")
    def test_change_after_confirmation_raises_one_open_exception(self):
        rule = self.env.ref("logistics_exception.rule_order_change")
        order = self._sale(10)
        order.commitment_date = datetime(2026, 12, 24, 9, 0)
        exception = self._exceptions(rule)
        self.assertEqual(len(exception), 1)
        self.assertEqual(exception.sale_id, order)
        self.assertEqual(exception.category_id.code, "CUSTOMER_CHANGE")
        self.assertIn("Delivery Date", exception.summary)
        # A second change goes into the open exception.
        order.write(
            {
                "order_line": [
                    Command.update(order.order_line.id, {"product_uom_qty": 12})
                ]
            }
        )
        self.assertEqual(len(self._exceptions(rule)), 1)
        self.assertIn("Order Lines", exception.message_ids[0].body)
        # Once resolved, the next change is a new request.
        exception.action_start()
        exception.action_resolve()
        with freeze_time("2027-03-01 08:05:00"):
            order.commitment_date = datetime(2026, 12, 28, 9, 0)
        self.assertEqual(len(self._exceptions(rule)), 2)

    def test_description_edit_is_not_a_customer_change(self):
        rule = self.env.ref("logistics_exception.rule_order_change")
        order = self._sale(10)
        order.write(
            {
                "order_line": [
                    Command.update(order.order_line.id, {"name": "Blue pallets"})
                ]
            }
        )
        self.assertFalse(self._exceptions(rule))
        # A quantity edit of the same line is a customer change.
        order.write(
            {
                "order_line": [
                    Command.update(order.order_line.id, {"product_uom_qty": 12})
                ]
            }
        )
        self.assertEqual(self._exceptions(rule).sale_id, order)

    def test_changes_before_confirmation_are_not_exceptions(self):
        rule = self.env.ref("logistics_exception.rule_order_change")
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "warehouse_id": self.warehouse.id,
                "order_line": [Command.create({"product_id": self.product.id})],
            }
        )
        order.commitment_date = datetime(2026, 12, 24, 9, 0)
        self.assertFalse(self._exceptions(rule))
        # The same change once the order is confirmed is an exception.
        order.action_confirm()
        order.commitment_date = datetime(2026, 12, 28, 9, 0)
        self.assertEqual(self._exceptions(rule).sale_id, order)


class TestVendorDateSlip(DetectionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        mto = cls.env.ref("stock.route_warehouse0_mto")
        mto.active = True
        cls.mto_product = cls.env["product.product"].create(
            {
                "name": "Custom signage",
                "type": "product",
                "route_ids": [
                    Command.set(
                        [mto.id, cls.env.ref("purchase_stock.route_warehouse0_buy").id]
                    )
                ],
                "seller_ids": [
                    Command.create({"partner_id": cls.vendor.id, "price": 40})
                ],
            }
        )
        cls.rule_slip = cls.env.ref("logistics_exception.rule_vendor_date_slip")

    def _mto_sale_and_purchase(self, commitment):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "warehouse_id": self.warehouse.id,
                "commitment_date": commitment,
                "order_line": [
                    Command.create(
                        {"product_id": self.mto_product.id, "product_uom_qty": 3}
                    )
                ],
            }
        )
        order.action_confirm()
        purchase = (
            self.env["purchase.order.line"]
            .search([("product_id", "=", self.mto_product.id)])
            .order_id
        )
        purchase.button_confirm()
        return order, purchase

    @freeze_time("2027-03-01 08:00:00")
    def test_consequences_clear_even_when_the_slip_was_closed_by_hand(self):
        commitment = datetime(2027, 3, 11, 8, 0)
        _order, purchase = self._mto_sale_and_purchase(commitment)
        purchase.order_line.date_planned = commitment + timedelta(days=2)
        exceptions = self._exceptions(self.rule_slip)
        root = exceptions.filtered(lambda e: not e.parent_id)
        child = exceptions - root
        root.action_start()
        root.action_resolve()
        self.assertTrue(child.is_open)
        purchase.order_line.date_planned = commitment - timedelta(days=2)
        self.assertEqual(child.state, "resolved")

    @freeze_time("2027-03-01 08:00:00")
    def test_vendor_date_past_commitment_puts_the_sale_at_risk(self):
        commitment = datetime(2027, 3, 11, 8, 0)
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "warehouse_id": self.warehouse.id,
                "commitment_date": commitment,
                "order_line": [
                    Command.create(
                        {"product_id": self.mto_product.id, "product_uom_qty": 3}
                    )
                ],
            }
        )
        order.action_confirm()
        purchase = (
            self.env["purchase.order.line"]
            .search([("product_id", "=", self.mto_product.id)])
            .order_id
        )
        self.assertEqual(len(purchase), 1)
        purchase.button_confirm()
        self.assertFalse(self._exceptions(self.rule_slip))
        purchase.order_line.date_planned = commitment + timedelta(days=2)
        exceptions = self._exceptions(self.rule_slip)
        root = exceptions.filtered(lambda e: not e.parent_id)
        child = exceptions - root
        self.assertEqual(len(root), 1)
        self.assertEqual(root.purchase_id, purchase)
        self.assertEqual(root.category_id.code, "SUPPLIER_DELAY")
        self.assertEqual(len(child), 1)
        self.assertEqual(child.parent_id, root)
        self.assertEqual(child.sale_id, order)
        self.assertEqual(child.reason_id.code, "COMMITMENT_AT_RISK")
        self.assertTrue(child.customer_impact)
        # The vendor slips again: logged on the open exception, no duplicate.
        purchase.order_line.date_planned = commitment + timedelta(days=3)
        self.assertEqual(len(self._exceptions(self.rule_slip)), 2)
        # A buyer without rights on sales or logistics reschedules too.
        buyer = self.env["res.users"].create(
            {
                "name": "Bob Buyer",
                "login": "lex_test_bob",
                "groups_id": [
                    Command.set([self.env.ref("purchase.group_purchase_user").id])
                ],
            }
        )
        purchase.with_user(buyer).order_line.date_planned = commitment + timedelta(
            days=4
        )
        self.assertEqual(len(self._exceptions(self.rule_slip)), 2)
        # Back in time: both clear.
        purchase.order_line.date_planned = commitment - timedelta(days=1)
        self.assertEqual(set(exceptions.mapped("state")), {"resolved"})


class TestSalePurchaseScan(DetectionCommon):
    def test_unconfirmed_rfq_is_raised_and_clears_on_confirmation(self):
        rule = self.env.ref("logistics_exception.rule_po_unacknowledged")
        with freeze_time("2026-03-02 08:00:00"):
            order = self.env["purchase.order"].create(
                {
                    "partner_id": self.vendor.id,
                    "order_line": [
                        Command.create(
                            {"product_id": self.product.id, "product_qty": 5}
                        )
                    ],
                }
            )
            order.write({"state": "sent"})
        with freeze_time("2026-03-03 08:00:00"):
            self.Rule._cron_scan()
            self.assertFalse(self._exceptions(rule))
        with freeze_time("2026-03-04 09:00:00"):
            self.Rule._cron_scan()
            exception = self._exceptions(rule)
            self.assertEqual(len(exception), 1)
            self.assertEqual(exception.purchase_id, order)
            self.assertEqual(exception.reason_id.code, "PO_NOT_ACKNOWLEDGED")
            order.button_confirm()
            self.Rule._cron_scan()
            self.assertEqual(exception.state, "resolved")

    @freeze_time("2027-03-01 08:00:00")
    def test_commitment_without_supply_is_at_risk_until_goods_are_ready(self):
        rule = self.env.ref("logistics_exception.rule_commitment_at_risk")
        product = self.env["product.product"].create(
            {"name": "Out of stock lamp", "type": "product"}
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "warehouse_id": self.warehouse.id,
                "commitment_date": datetime(2027, 3, 2, 8, 0),
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": 4})
                ],
            }
        )
        order.action_confirm()
        self.Rule._cron_scan()
        exception = self._exceptions(rule)
        self.assertEqual(len(exception), 1)
        self.assertEqual(exception.sale_id, order)
        self.assertIn("no incoming supply", exception.description)
        self.Rule._cron_scan()
        self.assertEqual(len(self._exceptions(rule)), 1)
        self.env["stock.quant"]._update_available_quantity(
            product, self.stock_location, 4
        )
        order.picking_ids.action_assign()
        self.Rule._cron_scan()
        self.assertEqual(exception.state, "resolved")

    @freeze_time("2027-03-01 08:00:00")
    def test_commitment_far_ahead_is_not_checked_yet(self):
        rule = self.env.ref("logistics_exception.rule_commitment_at_risk")
        product = self.env["product.product"].create(
            {"name": "Out of stock chair", "type": "product"}
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "commitment_date": datetime(2027, 3, 31, 8, 0),
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": 4})
                ],
            }
        )
        order.action_confirm()
        self.Rule._cron_scan()
        self.assertFalse(self._exceptions(rule))
        # Two days before the promise, the same order is checked and at risk.
        with freeze_time("2027-03-29 08:00:00"):
            self.Rule._cron_scan()
        self.assertEqual(self._exceptions(rule).sale_id, order)
