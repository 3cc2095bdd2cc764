# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    logistics_exception_weekly_digest = fields.Boolean(
        string="Weekly Exceptions Digest",
        default=True,
        help="Exception managers receive every Monday an email with the week's "
        "figures, the breaches and the process reviews opened.",
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return [*super().SELF_READABLE_FIELDS, "logistics_exception_weekly_digest"]

    @property
    def SELF_WRITEABLE_FIELDS(self):
        return [*super().SELF_WRITEABLE_FIELDS, "logistics_exception_weekly_digest"]
