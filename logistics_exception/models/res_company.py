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
