# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResPartnerCategory(models.Model):
    _inherit = "res.partner.category"

    dispatch_pod_min_photos = fields.Integer(string="POD: Minimum Photos")
    dispatch_pod_temperature_log = fields.Boolean(string="POD: Temperature Log")
    dispatch_pod_customs_document = fields.Boolean(string="POD: Customs Document")
