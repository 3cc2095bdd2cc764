# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    logistics_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    logistics_approval_threshold = fields.Monetary(
        string="Adjustment Approval Threshold",
        currency_field="logistics_currency_id",
        help="A counted quantity whose variance is worth more than this "
        "(difference x product cost) waits for a stock manager's approval. "
        "Zero: no approval needed.",
    )
    logistics_dual_approval_threshold = fields.Monetary(
        string="Adjustment Dual Approval Threshold",
        currency_field="logistics_currency_id",
        help="Above this value a second, different approver is needed. "
        "Zero: one approval is enough.",
    )

    @api.constrains("logistics_approval_threshold", "logistics_dual_approval_threshold")
    def _check_logistics_approval_thresholds(self):
        for warehouse in self:
            first = warehouse.logistics_approval_threshold
            second = warehouse.logistics_dual_approval_threshold
            if first < 0 or second < 0:
                raise ValidationError(
                    _(
                        "The approval thresholds of %s cannot be negative.",
                        warehouse.name,
                    )
                )
            if second and second < first:
                raise ValidationError(
                    _(
                        "The dual approval threshold of %s must be at least its "
                        "approval threshold.",
                        warehouse.name,
                    )
                )

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

    @api.model
    def _logistics_threshold_fields(self):
        return {
            "logistics_approval_threshold",
            "logistics_dual_approval_threshold",
            "logistics_return_approval_threshold",
        }

    def write(self, vals):
        # The stock managers the thresholds control do not set them: only an
        # exceptions administrator (or a settings administrator) does.
        if (
            self._logistics_threshold_fields() & vals.keys()
            and not self.env.su
            and not self.env.user.has_group(
                "logistics_exception.logistics_exception_group_admin"
            )
            and not self.env.user.has_group("base.group_system")
        ):
            raise AccessError(
                _(
                    "Only a Logistics Exceptions administrator sets the approval "
                    "thresholds of a warehouse."
                )
            )
        return super().write(vals)
