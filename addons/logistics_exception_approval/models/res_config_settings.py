# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    logistics_approval_sla_hours = fields.Integer(
        related="company_id.logistics_approval_sla_hours", readonly=False
    )
    logistics_expedite_approval_threshold = fields.Monetary(
        related="company_id.logistics_expedite_approval_threshold",
        currency_field="company_currency_id",
        readonly=False,
    )
