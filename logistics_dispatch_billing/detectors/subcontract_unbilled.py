# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup

from odoo import _, api, models

from ..models.logistics_dispatch_job import (
    EVENT_VENDOR_BILLED,
    EVENT_VENDOR_UNBILLED,
)


class SubcontractUnbilledDetector(models.AbstractModel):
    """A subcontracted dispatch job delivered without a posted vendor bill
    matching its purchase line after the company's delay (the scheduled
    escalation fires the event). Cleared when the carrier's bill is posted."""

    _name = "logistics.exception.detector.dispatch_vendor_unbilled"
    _inherit = "logistics.exception.detector"
    _description = "Subcontracted dispatch job without vendor bill"
    _area = "accounting"
    _events = (EVENT_VENDOR_UNBILLED, EVENT_VENDOR_BILLED)

    @api.model
    def _detect(self, rules, event):
        if event.name != EVENT_VENDOR_UNBILLED:
            return []
        return self._detect_with_first_rule(
            rules, event.records, self._vendor_unbilled_values
        )

    @api.model
    def _vendor_unbilled_values(self, rule, job):
        order = job.purchase_line_id.order_id
        return rule._prepare_exception_values(
            job,
            job.company_id,
            summary=_(
                "%(job)s by %(vendor)s delivered without vendor bill",
                job=job.name,
                vendor=job.subcontractor_id.display_name,
            ),
            description=Markup("<p>%s</p>")
            % _(
                "%(job)s was delivered on %(date)s by %(vendor)s and no "
                "posted vendor bill matches its line on %(order)s.",
                job=job.name,
                date=self._local_datetime(job.date_delivered),
                vendor=job.subcontractor_id.display_name,
                order=order.name,
            ),
            dispatch_job_id=job.id,
            partner_id=job.subcontractor_id.id,
            purchase_id=order.id,
            sale_id=job.sale_id.id,
        )

    @api.model
    def _clear(self, rules, event):
        exceptions = self._open_exceptions(
            rules, [("dispatch_job_id.purchase_line_id", "!=", False)]
        )
        if not exceptions:
            return []
        lines = exceptions.dispatch_job_id.sudo().purchase_line_id
        billed = (
            self.env["account.move.line"]
            .sudo()
            .search(
                [
                    ("purchase_line_id", "in", lines.ids),
                    ("parent_state", "=", "posted"),
                    ("move_id.move_type", "=", "in_invoice"),
                ]
            )
            .purchase_line_id
        )
        matched = exceptions.filtered(
            lambda e: e.dispatch_job_id.sudo().purchase_line_id in billed
        )
        return [(matched, _("A posted vendor bill matches the job now."))]
