from odoo import Command
from odoo.tests import new_test_user

from .common import GROUP_USER, LogisticsExceptionTourCase


class TestDocumentsTour(LogisticsExceptionTourCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create({"name": "Tour Tiles Ltd"})
        cls.product = cls.env["product.product"].create(
            {
                "name": "Pallet of tiles",
                "type": "product",
                "list_price": 50,
                "invoice_policy": "order",
            }
        )
        cls.warehouse = cls.env.ref("stock.warehouse0")
        cls.env["stock.quant"]._update_available_quantity(
            cls.product, cls.warehouse.lot_stock_id, 100
        )

    def _order(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "warehouse_id": self.warehouse.id,
                "order_line": [
                    Command.create(
                        {"product_id": self.product.id, "product_uom_qty": 10}
                    )
                ],
            }
        )
        order.action_confirm()
        return order

    def test_warehouse_user_reports_an_exception_from_a_delivery(self):
        picking = self._order().picking_ids
        user = new_test_user(
            self.env,
            login="lex_tour_dock",
            password="lex_tour_dock",
            groups=f"base.group_user,{GROUP_USER},stock.group_stock_user",
        )
        self.start_tour(
            f"/web#model=stock.picking&id={picking.id}&view_type=form",
            "logistics_exception_report_from_picking_tour",
            login=user.login,
        )
        exception = self.env["logistics.exception"].search(
            [("summary", "=", "Two cartons crushed by the forklift at dock 2")]
        )
        self.assertEqual(exception.picking_id, picking)
        self.assertEqual(exception.partner_id, self.customer)
        self.assertEqual(exception.source_ref, picking)
        self.assertEqual(exception.create_uid, user)
        self.assertEqual(picking.logistics_exception_count, 1)

    def test_finance_manager_overrides_a_billing_hold(self):
        order = self._order()
        self.env["logistics.exception"].create(
            {
                "summary": "Two pallets damaged in the truck",
                "category_id": self.env.ref(
                    "logistics_exception.category_damaged_goods"
                ).id,
                "sale_id": order.id,
                "billing_hold": True,
            }
        )
        invoice = order._create_invoices()
        manager = new_test_user(
            self.env,
            login="lex_tour_cfo",
            password="lex_tour_cfo",
            groups=f"base.group_user,{GROUP_USER},account.group_account_manager,"
            "sales_team.group_sale_salesman_all_leads",
        )
        self.start_tour(
            f"/web#model=account.move&id={invoice.id}&view_type=form",
            "logistics_exception_billing_override_tour",
            login=manager.login,
        )
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.logistics_billing_hold_override_uid, manager)
        self.assertEqual(
            invoice.logistics_billing_hold_override_reason,
            "Customer agreed to be invoiced in full today",
        )
