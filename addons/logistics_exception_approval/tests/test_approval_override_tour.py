# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.logistics_exception.tests.common import (
    GROUP_USER,
    LogisticsExceptionTourCase,
)

REASON = "Customer agreed to be invoiced in full today"


class TestApprovalOverrideTour(LogisticsExceptionTourCase):
    def test_override_above_threshold_is_asked_then_approved(self):
        customer = self.env["res.partner"].create({"name": "Tour Tiles Ltd"})
        product = self.env["product.product"].create(
            {
                "name": "Pallet of tiles",
                "type": "consu",
                "list_price": 100,
                "invoice_policy": "order",
            }
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": 150})
                ],
            }
        )
        order.action_confirm()
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
        self.assertGreater(invoice.amount_total_signed, 10000)
        asker = new_test_user(
            self.env,
            login="lexa_tour_cfo",
            password="lexa_tour_cfo",
            name="Fiona Finance",
            groups=f"base.group_user,{GROUP_USER},account.group_account_manager,"
            "sales_team.group_sale_salesman_all_leads",
        )
        approver = new_test_user(
            self.env,
            login="lexa_tour_controller",
            password="lexa_tour_controller",
            name="Sid Second-Finance",
            groups="base.group_user,account.group_account_manager",
        )
        self.start_tour(
            f"/web#model=account.move&id={invoice.id}&view_type=form",
            "logistics_exception_approval_override_ask_tour",
            login=asker.login,
        )
        request = self.env["logistics.approval.request"].search(
            [("approval_type", "=", "billing_override"), ("res_id", "=", invoice.id)]
        )
        self.assertEqual(request.state, "to_approve")
        self.assertFalse(invoice.logistics_billing_hold_override_uid)
        self.start_tour(
            f"/web#model=logistics.approval.request&id={request.id}&view_type=form",
            "logistics_exception_approval_override_approve_tour",
            login=approver.login,
        )
        self.assertEqual(request.state, "applied")
        self.assertEqual(invoice.logistics_billing_hold_override_uid, asker)
        self.assertEqual(invoice.logistics_billing_hold_override_reason, REASON)
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")
