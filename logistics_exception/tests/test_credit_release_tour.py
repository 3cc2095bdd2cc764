from odoo import Command
from odoo.tests import new_test_user

from .common import GROUP_USER, LogisticsExceptionTourCase


class TestCreditReleaseTour(LogisticsExceptionTourCase):
    def test_finance_user_releases_a_held_order(self):
        company = self.env.company
        company.account_use_credit_limit = True
        customer = self.env["res.partner"].create({"name": "Overdrawn Retail"})
        customer.with_company(company).credit_limit = 100
        product = self.env["product.product"].create(
            {"name": "Pallet of tiles", "type": "consu", "list_price": 400}
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "order_line": [Command.create({"product_id": product.id})],
            }
        )
        order.action_confirm()
        self.assertTrue(order.logistics_credit_hold)
        finance = new_test_user(
            self.env,
            login="lex_tour_finance",
            password="lex_tour_finance",
            groups=f"base.group_user,{GROUP_USER},account.group_account_invoice,"
            "sales_team.group_sale_salesman_all_leads",
        )
        self.start_tour(
            f"/web#model=sale.order&id={order.id}&view_type=form",
            "logistics_exception_credit_release_tour",
            login=finance.login,
        )
        self.assertFalse(order.logistics_credit_hold)
        self.assertEqual(order.logistics_credit_released_by, finance)
        exception = self.env["logistics.exception"].search([("sale_id", "=", order.id)])
        self.assertEqual(exception.state, "resolved")
