# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class LogisticsInventoryApprovalLine(models.Model):
    _name = "logistics.inventory.approval.line"
    _description = "Inventory Adjustment Approval Line"
    _check_company_auto = True

    approval_id = fields.Many2one(
        "logistics.inventory.approval",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(related="approval_id.company_id", store=True)
    quant_id = fields.Many2one(
        "stock.quant", required=True, ondelete="cascade", check_company=True
    )
    product_id = fields.Many2one(related="quant_id.product_id", store=True)
    location_id = fields.Many2one(related="quant_id.location_id", store=True)
    lot_id = fields.Many2one(related="quant_id.lot_id")
    product_uom_id = fields.Many2one(related="quant_id.product_uom_id")
    currency_id = fields.Many2one(related="approval_id.currency_id")
    quantity = fields.Float(
        string="On Hand When Counted", digits="Product Unit of Measure", readonly=True
    )
    counted_quantity = fields.Float(digits="Product Unit of Measure", readonly=True)
    difference = fields.Float(digits="Product Unit of Measure", readonly=True)
    unit_cost = fields.Monetary(currency_field="currency_id", readonly=True)
    value = fields.Monetary(
        string="Variance Value", currency_field="currency_id", readonly=True
    )
    reason_id = fields.Many2one(
        "logistics.exception.reason", required=True, readonly=True
    )
