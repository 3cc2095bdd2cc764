# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    dispatch_service = fields.Boolean(
        string="Dispatch Service Type",
        help="A transport service: a confirmed sales order with this product "
        "creates a dispatch job for each of its outgoing transfers.",
    )
