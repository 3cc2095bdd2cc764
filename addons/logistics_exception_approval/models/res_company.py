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

    logistics_expedite_approval_threshold = fields.Monetary(
        string="Expedite Approval Threshold",
        currency_field="currency_id",
        help="A rush purchase (a purchase order linked to an open urgent "
        "expedite exception) worth more than this (untaxed amount plus the "
        "exception's premium freight, in the company's currency) waits for "
        "approval before it is confirmed. Zero: every rush purchase does. "
        "To switch the control off, archive the expedite tier definitions.",
    )

    @api.constrains("logistics_expedite_approval_threshold")
    def _check_logistics_expedite_approval_threshold(self):
        if any(c.logistics_expedite_approval_threshold < 0 for c in self):
            raise ValidationError(
                _("The expedite approval threshold cannot be negative.")
            )
