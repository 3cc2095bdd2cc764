# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    dispatch_charge_approval_limit = fields.Monetary(
        string="Charge Approval Limit",
        currency_field="currency_id",
        default=250.0,
        help="Dispatch charges above this amount are approved by a billing "
        "manager; below it, any billing user approves them.",
    )
    dispatch_unbilled_escalation_days = fields.Integer(
        string="Escalate Unbilled Jobs After (Days)",
        default=7,
        help="A delivered job not invoiced after this many days gives the "
        "billing team an activity and raises an exception.",
    )

    # Completed but unbilled (aging escalation) ------------------------
    dispatch_billing_user_id = fields.Many2one(
        "res.users",
        string="Unbilled Jobs Responsible",
        domain="[('share', '=', False)]",
        help="Who gets the activity when a delivered job is still not "
        "invoiced after the escalation delay. Empty: the salesperson of the "
        "job's order.",
    )
