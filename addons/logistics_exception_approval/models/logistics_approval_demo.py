# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import math

from odoo import api, models


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
        # The administrator counts cabinets missing worth more than the dual
        # approval threshold: the count waits for two stock managers (the
        # operations manager is one).
        missing = math.ceil(warehouse.logistics_dual_approval_threshold / cost) + 1
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
