# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    logistics_approval_sla_hours = fields.Integer(
        string="Approval SLA (hours)",
        default=24,
        help="How long an approval request may wait for its approvers. Past "
        "it, the request escalates to the escalation contact of its "
        "exception's team. Zero: requests never escalate.",
    )

    @api.constrains("logistics_approval_sla_hours")
    def _check_logistics_approval_sla_hours(self):
        if any(company.logistics_approval_sla_hours < 0 for company in self):
            raise ValidationError(_("The approval SLA cannot be negative."))
