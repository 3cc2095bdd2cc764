# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import math
from datetime import timedelta

from odoo import api, fields, models


class LogisticsApprovalDemo(models.AbstractModel):
    """Real approval flows run once when the demo data is installed."""

    _name = "logistics.approval.demo"
    _description = "Logistics Approval Demo Flows"

    @api.model
    def _run_approval_flows(self):
        env = self.env
        admin = env.ref("base.user_admin")
        warehouse = env.ref("stock.warehouse0")
        stock = warehouse.lot_stock_id
        cabinet = env.ref("product.product_product_12")
        cost = cabinet.with_company(warehouse.company_id).standard_price or 1.0
        env["stock.quant"]._update_available_quantity(cabinet, stock, 40)
        # The administrator counts cabinets missing worth more than the
        # approval threshold (under the dual one): the count waits for the
        # operations manager, the other stock manager.
        missing = math.ceil(warehouse.logistics_approval_threshold / cost) + 1
        quant = (
            env["stock.quant"]
            .with_user(admin)
            .with_context(inventory_mode=True)
            .search([("product_id", "=", cabinet.id), ("location_id", "=", stock.id)])
        )
        quant.inventory_quantity = max(quant.quantity - missing, 0)
        quant.logistics_reason_id = env.ref(
            "logistics_exception.reason_inventory_record_error"
        )
        quant.action_apply_inventory()
        self._run_promise_date_flow()

    @api.model
    def _run_promise_date_flow(self):
        """Customer service asks to move a strategic customer's promise date
        three days later: the change waits for the account owner's manager."""
        env = self.env
        service = env.ref("logistics_exception.user_lex_service")
        order = env["sale.order"].search(
            [
                (
                    "partner_id.commercial_partner_id",
                    "=",
                    env.ref("base.res_partner_12").id,
                ),
                ("state", "=", "sale"),
            ],
            order="id desc",
            limit=1,
        )
        if not order:
            return
        current = order.commitment_date or order.expected_date or fields.Datetime.now()
        env["logistics.promise.date.change"].with_user(service).create(
            {
                "order_id": order.id,
                "commitment_date": current + timedelta(days=3),
                "reason": "The carrier has no truck before Thursday; the customer "
                "asked to be called before any new date is confirmed.",
            }
        ).action_apply()
