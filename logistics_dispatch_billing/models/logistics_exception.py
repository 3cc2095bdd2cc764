# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class LogisticsException(models.Model):
    _inherit = "logistics.exception"

    dispatch_job_id = fields.Many2one(
        "logistics.dispatch.job",
        string="Dispatch Job",
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
    )

    @api.model
    def _billing_hold_document_fields(self):
        return {
            **super()._billing_hold_document_fields(),
            "logistics.dispatch.job": "dispatch_job_id",
        }
