# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    dispatch_pod_min_photos = fields.Integer(
        string="POD: Minimum Photos",
        help="Photos or documents the driver attaches before a delivery to "
        "this customer counts as proven.",
    )
    dispatch_pod_temperature_log = fields.Boolean(
        string="POD: Temperature Log",
        help="Deliveries to this customer need a temperature log.",
    )
    dispatch_pod_customs_document = fields.Boolean(
        string="POD: Customs Document",
        help="Deliveries to this customer need a customs document.",
    )
    dispatch_auto_job = fields.Boolean(
        string="Dispatch Jobs from Deliveries",
        help="A confirmed sales order of this customer creates a dispatch job "
        "for each of its outgoing transfers.",
    )

    dispatch_zone_id = fields.Many2one(
        "logistics.dispatch.zone",
        string="Dispatch Zone",
        company_dependent=True,
        help="The zone of deliveries to this address, whatever its zip code "
        "(jobs going here get it).",
    )

    def _get_dispatch_pod_requirements(self):
        """What a proof of delivery to this partner needs: the strictest of
        the customer's own settings and those of their categories."""
        commercial = self.commercial_partner_id
        sources = [commercial, *commercial.category_id]
        return {
            "min_photos": max(s.dispatch_pod_min_photos for s in sources),
            "temperature_log": any(s.dispatch_pod_temperature_log for s in sources),
            "customs_document": any(s.dispatch_pod_customs_document for s in sources),
        }
