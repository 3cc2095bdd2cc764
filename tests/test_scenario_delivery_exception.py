"""Cross-module scenario: a short delivery is reported, worked and resolved.

Runs against the test database that `make test` creates (every module of the
suite installed with its demo data).
"""

from odoo.tests import Form, new_test_user

from scenario_case import ScenarioCase


class TestDeliveryExceptionScenario(ScenarioCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.dispatcher = new_test_user(
            cls.env,
            login="scenario_dispatcher",
            groups="logistics_exception.logistics_exception_group_user,"
            "stock.group_stock_user,sales_team.group_sale_salesman",
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Pallet of tiles", "type": "product"}
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Tile Depot", "logistics_service_tier": "strategic"}
        )
        cls.warehouse = cls.env.ref("stock.warehouse0")
        team = cls.env["logistics.exception.team"].create(
            {"name": "Scenario dock", "member_ids": [(4, cls.dispatcher.id)]}
        )
        cls.env.ref("logistics_exception.category_stock_shortage").team_id = team
        cls.team = team
        # The category's queue is the scenario: the demo's routing rules (a
        # strategic customer to customer service) stay out of it.
        cls.env["logistics.exception.routing.rule"].search([]).active = False

    def test_short_delivery_reported_worked_and_resolved(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "warehouse_id": self.warehouse.id,
                "order_line": [
                    (0, 0, {"product_id": self.product.id, "product_uom_qty": 10})
                ],
            }
        )
        order.action_confirm()
        picking = order.picking_ids
        action = picking.with_user(self.dispatcher).action_report_logistics_exception()
        form = Form(
            self.env["logistics.exception"]
            .with_user(self.dispatcher)
            .with_context(**action["context"])
        )
        form.summary = "Only 8 of 10 pallets on the shelf"
        form.category_id = self.env.ref("logistics_exception.category_stock_shortage")
        form.reason_id = self.env.ref("logistics_exception.reason_short_pick")
        form.quantity_expected = 10
        form.quantity_actual = 8
        exception = form.save()

        # Routed to the category's queue; a strategic customer raises priority.
        self.assertEqual(exception.team_id, self.team)
        self.assertEqual(exception.sale_id, order)
        self.assertEqual(exception.customer_tier, "strategic")
        self.assertEqual(exception.priority, "3")
        self.assertEqual(exception.quantity_difference, -2)

        as_dispatcher = exception.with_user(self.dispatcher)
        as_dispatcher.action_start()
        as_dispatcher.root_cause_id = self.env["logistics.exception.root.cause"].search(
            [("category_id", "=", exception.category_id.id)], limit=1
        )
        as_dispatcher.action_resolve()
        self.assertEqual(exception.state, "resolved")
        self.assertEqual(exception.user_id, self.dispatcher)
        self.assertEqual(picking.logistics_exception_open_count, 0)
        self.assertEqual(order.logistics_exception_count, 1)
