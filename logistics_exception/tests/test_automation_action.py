from odoo import Command
from odoo.exceptions import ValidationError

from .common import LogisticsExceptionCommon


class TestAutomationAction(LogisticsExceptionCommon):
    def test_automation_rule_with_the_new_action_raises_an_exception(self):
        category = self.env.ref("logistics_exception.category_customer_change")
        automation = self.env["base.automation"].create(
            {
                "name": "Large orders for Acme need a check",
                "model_id": self.env.ref("sale.model_sale_order").id,
                "trigger": "on_create_or_write",
                "filter_domain": f"[('partner_id', '=', {self.customer.id})]",
                "action_server_ids": [
                    Command.create(
                        {
                            "name": "Raise a customer change exception",
                            "model_id": self.env.ref("sale.model_sale_order").id,
                            "state": "logistics_exception",
                            "logistics_category_id": category.id,
                            "logistics_severity": "high",
                            "logistics_team_id": self.team.id,
                            "logistics_summary_template": (
                                "Check order {{ object.name }}"
                            ),
                        }
                    )
                ],
            }
        )
        order = self.env["sale.order"].create({"partner_id": self.customer.id})
        exception = self.env["logistics.exception"].search([("sale_id", "=", order.id)])
        self.assertEqual(len(exception), 1)
        self.assertEqual(exception.summary, f"Check order {order.name}")
        self.assertEqual(exception.category_id, category)
        self.assertEqual(exception.severity, "high")
        self.assertEqual(exception.team_id, self.team)
        self.assertEqual(exception.detected_by, "rule")
        self.assertEqual(exception.source_ref, order)
        action = automation.action_server_ids
        self.assertEqual(
            exception.source_key, f"action:{action.id}:sale.order:{order.id}"
        )
        # The rule fires again on write: still one exception for the order.
        order.note = "Deliver to the back door"
        self.assertEqual(
            self.env["logistics.exception"].search_count([("sale_id", "=", order.id)]),
            1,
        )

    def test_action_without_category_is_refused(self):
        with self.assertRaises(ValidationError):
            self.env["ir.actions.server"].create(
                {
                    "name": "Broken",
                    "model_id": self.env.ref("sale.model_sale_order").id,
                    "state": "logistics_exception",
                }
            )
