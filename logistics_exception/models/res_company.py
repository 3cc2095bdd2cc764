from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    logistics_exception_high_value_amount = fields.Monetary(
        string="High-Value Order Threshold",
        currency_field="currency_id",
        default=10000.0,
        help="Exceptions on orders worth at least this amount (company currency) "
        "get one more priority star.",
    )
    logistics_billing_hold = fields.Boolean(
        string="Hold Invoices of Goods with Open Exceptions",
        default=True,
        help="A customer invoice cannot be posted while open logistics exceptions "
        "that hold billing concern it, its sales orders or their transfers, "
        "unless a Finance manager overrides the hold with a reason.",
    )

    def write(self, vals):
        res = super().write(vals)
        if "resource_calendar_id" in vals:
            # Exceptions outside a queue count the company's working hours.
            self.env["logistics.exception"]._sla_mark_outdated(
                [("company_id", "in", self.ids), ("team_id", "=", False)]
            )
        return res

    def _logistics_sla_outdated(self):
        """The SLA policies of these companies changed: recompute the
        deadlines of their open exceptions."""
        if self:
            self.env["logistics.exception"]._sla_mark_outdated(
                [("company_id", "in", self.ids)]
            )
