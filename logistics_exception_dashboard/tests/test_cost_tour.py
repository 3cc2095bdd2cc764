# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.logistics_exception.tests.common import (
    GROUP_USER,
    LogisticsExceptionTourCase,
)


class TestCostTour(LogisticsExceptionTourCase):
    def test_finance_issues_a_credit_note_from_the_exception(self):
        finance = new_test_user(
            self.env,
            login="lex_tour_cost_finance",
            password="lex_tour_cost_finance",
            groups=f"base.group_user,{GROUP_USER},account.group_account_invoice",
        )
        customer = self.env["res.partner"].create(
            {"name": "Acme Retail", "is_company": True}
        )
        exception = self.env["logistics.exception"].create(
            {
                "summary": "3 cartons short on delivery to Acme",
                "category_id": self.env.ref(
                    "logistics_exception.category_stock_shortage"
                ).id,
                "partner_id": customer.id,
                "user_id": finance.id,
                "cost_ids": [
                    Command.create(
                        {
                            "cost_type_id": self.env.ref(
                                "logistics_exception_dashboard.cost_type_rework"
                            ).id,
                            "amount": 30.0,
                            "name": "Re-pack 3 cartons",
                        }
                    )
                ],
            }
        )
        self.start_tour(
            f"/web#model=logistics.exception&id={exception.id}&view_type=form",
            "logistics_exception_cost_tour",
            login=finance.login,
        )
        credit_line = exception.cost_ids.filtered("move_id")
        self.assertEqual(credit_line.move_id.state, "posted")
        self.assertEqual(credit_line.move_id.partner_id, customer)
        self.assertEqual(
            credit_line.cost_type_id,
            self.env.ref("logistics_exception_dashboard.cost_type_credit_note"),
        )
        self.assertAlmostEqual(credit_line.amount, 120.0)
        self.assertAlmostEqual(exception.financial_impact, 150.0)
