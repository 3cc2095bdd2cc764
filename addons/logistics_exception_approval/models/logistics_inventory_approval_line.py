# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
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
    # The quant may be cleaned up (quantity zero) while the request waits:
    # the line keeps where the count was made.
    quant_id = fields.Many2one("stock.quant", ondelete="set null", check_company=True)
    product_id = fields.Many2one(
        "product.product", required=True, readonly=True, check_company=True
    )
    location_id = fields.Many2one(
        "stock.location", required=True, readonly=True, check_company=True
    )
    lot_id = fields.Many2one("stock.lot", readonly=True, check_company=True)
    package_id = fields.Many2one("stock.quant.package", readonly=True)
    owner_id = fields.Many2one("res.partner", readonly=True)
    product_uom_id = fields.Many2one(related="product_id.uom_id")
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

    def _logistics_quants_to_apply(self):
        """The quants of the lines, set to apply the approved difference (a
        quant cleaned up meanwhile is made again). The difference, not the
        counted quantity: goods received or shipped while the request waited
        are not written off, and no more than what was approved moves."""
        Quant = self.env["stock.quant"]
        quants = Quant
        for line in self:
            quant = line.quant_id.exists()
            if not quant:
                quant = Quant.with_context(inventory_mode=True).create(
                    {
                        "product_id": line.product_id.id,
                        "location_id": line.location_id.id,
                        "lot_id": line.lot_id.id,
                        "package_id": line.package_id.id,
                        "owner_id": line.owner_id.id,
                        "inventory_quantity": line.difference,
                    }
                )
            quant.inventory_quantity = quant.quantity + line.difference
            quants |= quant
        return quants
