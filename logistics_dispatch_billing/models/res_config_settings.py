# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dispatch_charge_approval_limit = fields.Monetary(
        related="company_id.dispatch_charge_approval_limit", readonly=False
    )
    dispatch_unbilled_escalation_days = fields.Integer(
        related="company_id.dispatch_unbilled_escalation_days", readonly=False
    )
    dispatch_billing_user_id = fields.Many2one(
        related="company_id.dispatch_billing_user_id", readonly=False
    )
