# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    logistics_return_request_id = fields.Many2one(
        "logistics.approval.request",
        string="Return Approval",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The approval request that authorised this return transfer.",
    )
