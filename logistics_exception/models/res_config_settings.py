from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    logistics_exception_high_value_amount = fields.Monetary(
        related="company_id.logistics_exception_high_value_amount",
        currency_field="currency_id",
        readonly=False,
    )
    logistics_billing_hold = fields.Boolean(
        related="company_id.logistics_billing_hold", readonly=False
    )
    logistics_exception_customer_notify_hours = fields.Integer(
        related="company_id.logistics_exception_customer_notify_hours", readonly=False
    )
