# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class StockChangeProductQty(models.TransientModel):
    """The product's "Update Quantity" is a count like any other: it needs a
    reason, and a valuable variance waits for approval."""

    _inherit = "stock.change.product.qty"

    logistics_reason_id = fields.Many2one(
        "logistics.exception.reason",
        string="Adjustment Reason",
        domain="[('category_id.inventory_adjustment', '=', True), "
        "'|', ('company_id', '=', False), ('company_id', '=', current_company_id)]",
        help="Why the quantity on hand changes. Required when it does.",
    )

    def _logistics_pending_lines(self):
        return self.env["logistics.inventory.approval.line"].search(
            [
                ("product_id", "=", self.product_id.id),
                ("approval_id.state", "=", "to_approve"),
            ]
        )

    def change_product_qty(self):
        self.ensure_one()
        before = self._logistics_pending_lines()
        res = super(
            StockChangeProductQty,
            self.with_context(logistics_adjustment_reason=self.logistics_reason_id),
        ).change_product_qty()
        pending = self._logistics_pending_lines() - before
        if pending:
            return self.env["stock.quant"]._logistics_waiting_notification(pending)
        return res
