# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class LogisticsExceptionCategory(models.Model):
    _inherit = "logistics.exception.category"

    inventory_adjustment = fields.Boolean(
        string="Inventory Adjustments",
        help="The reasons of this category may justify a counted quantity "
        "applied to stock (inventory adjustment).",
    )
