from odoo import Command
from odoo.tests import new_test_user

from .common import GROUP_MANAGER, LogisticsExceptionTourCase


class TestDocumentAccessTour(LogisticsExceptionTourCase):
    def test_manager_opens_an_exception_on_another_sellers_order(self):
        seller = new_test_user(
            self.env,
            login="lex_tour_seller",
            groups="base.group_user,sales_team.group_sale_salesman",
        )
        manager = new_test_user(
            self.env,
            login="lex_tour_ops",
            password="lex_tour_ops",
            groups=f"base.group_user,{GROUP_MANAGER},"
            "sales_team.group_sale_salesman,stock.group_stock_user",
        )
        product = self.env["product.product"].create(
            {"name": "Pallet of jars", "type": "consu"}
        )
        order = self.env["sale.order"].create(
            {
                "name": "LEXTOUR-SO-77",
                "partner_id": self.env["res.partner"].create({"name": "Jar Shop"}).id,
                "user_id": seller.id,
                "order_line": [Command.create({"product_id": product.id})],
            }
        )
        order.action_confirm()
        self.env["logistics.exception"].create(
            {
                "summary": "Pallet of jars dropped at the dock",
                "category_id": self.env.ref(
                    "logistics_exception.category_damaged_goods"
                ).id,
                "sale_id": order.id,
                "picking_id": order.picking_ids.id,
                "source_ref": f"sale.order,{order.id}",
            }
        )
        self.start_tour(
            "/web#action=logistics_exception.logistics_exception_action",
            "logistics_exception_document_access_tour",
            login=manager.login,
        )
