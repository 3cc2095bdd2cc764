from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command

from .test_detection_inventory import DetectionCommon

NOW = datetime(2026, 3, 2, 8, 0)


def days(number):
    return NOW + timedelta(days=number)


class TestSupplyRisk(DetectionCommon):
    """Late supply puts promises at risk: the vendor's slip on the purchase
    line (root) and the order's 'at risk' consequence, whether the vendor
    reschedules (event) or the receipt simply does not come (scan)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule_slip = cls.env.ref("logistics_exception.rule_vendor_date_slip")
        cls.rule_at_risk = cls.env.ref("logistics_exception.rule_commitment_at_risk")
        cls.buy = cls.env.ref("purchase_stock.route_warehouse0_buy")
        cls.mto = cls.env.ref("stock.route_warehouse0_mto")
        cls.mto.active = True
        # Stocked, bought from the vendor, nothing on hand.
        cls.shelf = cls.env["product.product"].create(
            {
                "name": "Oak shelving unit",
                "type": "product",
                "route_ids": [Command.set(cls.buy.ids)],
                "seller_ids": [
                    Command.create({"partner_id": cls.vendor.id, "price": 80})
                ],
            }
        )

    def _promise(self, quantity, commitment, route=None):
        """A confirmed sale of shelves promised for ``commitment``."""
        line = {"product_id": self.shelf.id, "product_uom_qty": quantity}
        if route:
            line["route_id"] = route.id
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "warehouse_id": self.warehouse.id,
                "commitment_date": commitment,
                "order_line": [Command.create(line)],
            }
        )
        order.action_confirm()
        return order

    def _slip(self, purchase):
        """The slips raised on ``purchase`` (roots) and their consequences."""
        exceptions = self._exceptions(self.rule_slip, ("purchase_id", "=", purchase.id))
        roots = exceptions.filtered(lambda e: not e.parent_id)
        return roots, exceptions - roots

    def _at_risk(self, order):
        return self._exceptions(self.rule_at_risk, ("sale_id", "=", order.id))

    def _assert_slip(self, purchase, orders):
        """One slip on the purchase line, one 'at risk' per order under it."""
        root, children = self._slip(purchase)
        self.assertEqual(len(root), 1)
        self.assertEqual(root.source_ref, purchase.order_line)
        self.assertEqual(root.category_id.code, "SUPPLIER_DELAY")
        self.assertEqual(root.product_id, self.shelf)
        self.assertEqual(children.sale_id, orders)
        self.assertEqual(len(children), len(orders))
        self.assertEqual(children.parent_id, root)
        self.assertEqual(set(children.mapped("reason_id.code")), {"COMMITMENT_AT_RISK"})
        self.assertTrue(all(children.mapped("customer_impact")))
        return root, children

    def test_vendor_date_past_the_promise_puts_a_stocked_order_at_risk(self):
        with freeze_time(NOW):
            purchase = self._purchase(10, product=self.shelf, date_planned=days(2))
            order = self._promise(10, days(3))
            self.assertIn(order.picking_ids.move_ids.state, ("confirmed", "waiting"))
            # Rescheduled but still before the promise: nothing to say.
            purchase.order_line.date_planned = days(2.5)
            self.assertFalse(self._slip(purchase)[0] | self._slip(purchase)[1])
            purchase.order_line.date_planned = days(6)
            root, child = self._assert_slip(purchase, order)
            self.assertIn(self.vendor.name, root.summary)
            self.assertIn(order.name, child.summary)
            # Slipping again is news on the open slip, not a new exception.
            purchase.order_line.date_planned = days(7)
            self.assertEqual(self._assert_slip(purchase, order), (root, child))
            # The scan sees the same risk and does not raise it twice.
            self.Rule._cron_scan()
            self.assertFalse(self._at_risk(order))
            self.assertEqual(self._assert_slip(purchase, order), (root, child))

    def test_make_to_order_slip_puts_its_order_and_orders_on_the_surplus_at_risk(
        self,
    ):
        with freeze_time(NOW):
            made_to_order = self._promise(3, days(3), route=self.mto)
            from_stock = self._promise(2, days(4))
            purchase = (
                self.env["purchase.order.line"]
                .search([("product_id", "=", self.shelf.id)])
                .order_id
            )
            self.assertEqual(len(purchase), 1)
            # The buyer orders two more for the order waiting in stock.
            purchase.order_line.product_qty = 5
            purchase.button_confirm()
            chained = purchase.order_line.move_ids.move_dest_ids
            self.assertEqual(chained.picking_id.sale_id, made_to_order)
            purchase.order_line.date_planned = days(2)
            self.assertFalse(self._slip(purchase)[0] | self._slip(purchase)[1])
            # Late for both: the chained order and the order on the surplus.
            purchase.order_line.date_planned = days(5)
            self._assert_slip(purchase, made_to_order | from_stock)
            # Late for the later promise only: the other one clears.
            purchase.order_line.date_planned = days(3.5)
            root, child = self._slip(purchase)
            self.assertTrue(root.is_open)
            self.assertEqual(child.filtered("is_open").sale_id, made_to_order)
            self.assertEqual(
                child.filtered(lambda e: e.sale_id == from_stock).state, "resolved"
            )

    def test_part_in_stock_and_the_rest_incoming_late_is_at_risk(self):
        self.env["stock.quant"]._update_available_quantity(
            self.shelf, self.stock_location, 4
        )
        with freeze_time(NOW):
            purchase = self._purchase(6, product=self.shelf, date_planned=days(2))
            order = self._promise(10, days(3))
            move = order.picking_ids.move_ids
            self.assertEqual((move.state, move.quantity), ("partially_available", 4))
            self.Rule._cron_scan()
            self.assertFalse(self._at_risk(order))
            self.assertFalse(self._slip(purchase)[0])
            purchase.order_line.date_planned = days(6)
            self._assert_slip(purchase, order)

    def test_scan_sees_part_in_stock_and_the_rest_overdue(self):
        self.env["stock.quant"]._update_available_quantity(
            self.shelf, self.stock_location, 4
        )
        with freeze_time(NOW):
            purchase = self._purchase(6, product=self.shelf, date_planned=days(1))
            order = self._promise(10, days(3))
            # Partly reserved: the delivery shows as ready, the order is not.
            self.assertEqual(order.picking_ids.state, "assigned")
            self.Rule._cron_scan()
            self.assertFalse(self._at_risk(order))
        with freeze_time(days(1.5)):
            self.Rule._cron_scan()
            at_risk = self._at_risk(order)
            self.assertEqual(len(at_risk), 1)
            self.assertIn("6 Units", at_risk.description)
            self.assertEqual(at_risk.parent_id, self._slip(purchase)[0])
            self.assertTrue(at_risk.parent_id)

    def test_scan_links_an_order_without_supply_to_the_slip_it_raises(self):
        with freeze_time(NOW):
            purchase = self._purchase(10, product=self.shelf, date_planned=days(1))
            covered = self._promise(10, days(3))
            uncovered = self._promise(5, days(3))
        with freeze_time(days(1.5)):
            self.Rule._cron_scan()
            root = self._slip(purchase)[0]
            self.assertEqual(len(root), 1)
            # The order the late receipt was for is its consequence; the order
            # with no supply at all, on the same product, too: both in the
            # run that raised the slip.
            self.assertEqual(self._at_risk(covered).parent_id, root)
            self.assertEqual(self._at_risk(uncovered).parent_id, root)

    def test_receipt_that_never_came_puts_the_promise_at_risk_at_the_scan(self):
        with freeze_time(NOW):
            purchase = self._purchase(10, product=self.shelf, date_planned=days(1))
            order = self._promise(10, days(3))
            self.Rule._cron_scan()
            self.assertFalse(self._at_risk(order))
            self.assertFalse(self._slip(purchase)[0])
        with freeze_time(days(1.5)):
            self.Rule._cron_scan()
            at_risk = self._at_risk(order)
            self.assertEqual(len(at_risk), 1)
            self.assertIn(purchase.picking_ids.name, at_risk.description)
            self.assertIn("has not arrived", at_risk.description)
            root, children = self._slip(purchase)
            self.assertEqual(len(root), 1)
            self.assertEqual(root.source_ref, purchase.order_line)
            self.assertEqual(root.category_id.code, "SUPPLIER_DELAY")
            self.assertFalse(children)
            self.assertEqual(at_risk.parent_id, root)
            # Nothing new at the next run.
            self.Rule._cron_scan()
            self.assertEqual(self._at_risk(order), at_risk)
            self.assertEqual(self._slip(purchase)[0], root)
            # The vendor reschedules further: news on the same slip.
            purchase.order_line.date_planned = days(5)
            self.assertEqual(self._slip(purchase), (root, children))
            self.assertEqual(self._at_risk(order), at_risk)
            self.assertTrue(at_risk.is_open)

    def test_vendor_back_in_time_clears_the_slip_and_the_risk(self):
        with freeze_time(NOW):
            purchase = self._purchase(10, product=self.shelf, date_planned=days(2))
            order = self._promise(10, days(3))
            purchase.order_line.date_planned = days(6)
            root, child = self._assert_slip(purchase, order)
            purchase.order_line.date_planned = days(2)
            self.assertEqual((root | child).mapped("state"), ["resolved"] * 2)
            self.assertIn("back before", root.message_ids[0].body)

    def test_scan_clears_the_slip_and_the_risk_once_forecast_in_time(self):
        with freeze_time(NOW):
            purchase = self._purchase(10, product=self.shelf, date_planned=days(1))
            late = self._promise(10, days(3))
        with freeze_time(days(1.5)):
            self.Rule._cron_scan()
            at_risk = self._at_risk(late)
            root = self._slip(purchase)[0]
            self.assertEqual(at_risk.parent_id, root)
            self.assertTrue(root.is_open)
            # The vendor's new date is within the promise; the scan alone
            # (no rescheduling event) sees it.
            purchase.order_line.with_context(
                logistics_exception_skip_detection=True
            ).date_planned = days(2.5)
            self.assertTrue(at_risk.is_open)
            self.Rule._cron_scan()
            self.assertEqual(at_risk.state, "resolved")
            self.assertIn("forecast in time", at_risk.message_ids[0].body)
            self.assertEqual(root.state, "resolved")

    def test_event_clears_the_risk_the_scan_raised(self):
        with freeze_time(NOW):
            purchase = self._purchase(10, product=self.shelf, date_planned=days(1))
            order = self._promise(10, days(3))
        with freeze_time(days(1.5)):
            self.Rule._cron_scan()
            at_risk = self._at_risk(order)
            root = self._slip(purchase)[0]
            self.assertEqual(at_risk.parent_id, root)
            purchase.order_line.date_planned = days(2.5)
            self.assertEqual(root.state, "resolved")
            self.assertEqual(at_risk.state, "resolved")
