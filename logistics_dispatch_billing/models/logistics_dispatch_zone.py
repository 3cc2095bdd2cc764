# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class LogisticsDispatchZone(models.Model):
    """A delivery zone: where a job goes, and the origin or destination of a
    rate card's lane."""

    _name = "logistics.dispatch.zone"
    _description = "Dispatch Zone"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(help="Short code printed on dispatch documents.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    description = fields.Text(translate=True)

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique (code, company_id)",
            "A zone with this code already exists in this company.",
        ),
    ]
