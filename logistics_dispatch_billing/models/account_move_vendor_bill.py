# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models

from .logistics_dispatch_job_subcontract import EVENT_VENDOR_BILLED


class AccountMove(models.Model):
    _inherit = "account.move"

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        bills = posted.filtered(lambda m: m.move_type == "in_invoice")
        lines = bills.invoice_line_ids.purchase_line_id
        engine = self.env["logistics.exception.engine"]
        if lines and engine._listens(EVENT_VENDOR_BILLED):
            # sudo: the accountant posting the bill may not read dispatch
            # jobs; the engine only clears the flags the bill answers.
            jobs = (
                self.env["logistics.dispatch.job"]
                .sudo()
                .search([("purchase_line_id", "in", lines.ids)])
            )
            engine._dispatch(EVENT_VENDOR_BILLED, jobs)
        return posted
