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
