# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


# The return control's own file (one file per control, see the approvals
# contract): merging it into stock_warehouse.py would mix two controls.
class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"  # pylint: disable=consider-merging-classes-inherited

    logistics_return_approval_threshold = fields.Monetary(
        string="Return Approval Threshold",
        currency_field="logistics_currency_id",
        help="A customer return worth more than this (returned quantity x the "
        "sale price, or the product cost without a sales order) waits for "
        "approval before its return transfer is created. Zero: no approval "
        "needed.",
    )

    @api.constrains("logistics_return_approval_threshold")
    def _check_logistics_return_approval_threshold(self):
        for warehouse in self:
            if warehouse.logistics_return_approval_threshold < 0:
                raise ValidationError(
                    _(
                        "The return approval threshold of %s cannot be negative.",
                        warehouse.name,
                    )
                )
