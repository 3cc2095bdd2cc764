"""A customer's fresh database, without demo data: what the suite ships makes
a detected exception land in a queue with both SLA deadlines, and what clears
by itself is confirmed by somebody.

Not collected with the other tests (they need the demo data): `make test`
runs this file alone against a second database installed without demo data.
"""

from odoo import Command

from scenario_case import ScenarioCase


class TestFreshDatabase(ScenarioCase):
    def test_detected_shortage_lands_in_a_queue_with_deadlines(self):
        module = self.env["ir.module.module"].search(
            [("name", "=", "logistics_exception")]
        )
        self.assertFalse(module.demo, "This check runs on a database without demo.")
        self.assertFalse(self.env.ref("logistics_exception.team_warehouse").member_ids)
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        )
        product = self.env["product.product"].create(
            {"name": "Pallet jack", "type": "product"}
        )
        self.env["stock.quant"]._update_available_quantity(
            product, warehouse.lot_stock_id, 8
        )
        customer = self.env["res.partner"].create({"name": "First customer"})
        order = self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "warehouse_id": warehouse.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": 10})
                ],
            }
        )
        order.action_confirm()
        picking = order.picking_ids
        picking.move_ids.write({"quantity": 8, "picked": True})
        picking.with_context(
            skip_backorder=True, picking_ids_not_to_backorder=[]
        ).button_validate()
        self.assertEqual(picking.state, "done")
        exception = self.env["logistics.exception"].search(
            [("picking_id", "=", picking.id)]
        )
        self.assertEqual(len(exception), 1)
        self.assertEqual(exception.category_id.code, "STOCK_SHORTAGE")
        # The shipped queue and SLA ladder.
        self.assertEqual(
            exception.team_id, self.env.ref("logistics_exception.team_warehouse")
        )
        self.assertTrue(exception.sla_policy_id)
        self.assertTrue(exception.sla_response_deadline)
        self.assertLess(exception.sla_response_deadline, exception.sla_deadline)
        # The backorder ships in full: a shortage needs a root cause, so
        # somebody (no owner, no leader: a manager) is asked to confirm.
        backorder = picking.backorder_ids
        self.assertEqual(len(backorder), 1)
        self.env["stock.quant"]._update_available_quantity(
            product, warehouse.lot_stock_id, 2
        )
        backorder.action_assign()
        backorder.move_ids.picked = True
        backorder.button_validate()
        self.assertTrue(exception.is_open)
        user = exception.activity_ids.user_id
        self.assertEqual(len(user), 1)
        self.assertTrue(user.active)
        self.assertTrue(
            user.has_group("logistics_exception.logistics_exception_group_manager")
        )
