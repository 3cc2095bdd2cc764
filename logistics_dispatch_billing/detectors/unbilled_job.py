# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup

from odoo import _, api, models

from ..models.logistics_dispatch_job import EVENT_INVOICED, EVENT_UNBILLED


class UnbilledJobDetector(models.AbstractModel):
    """A delivered dispatch job still not invoiced after the company's delay
    (the scheduled escalation fires the event). Cleared when a posted
    customer invoice bills the job."""

    _name = "logistics.exception.detector.dispatch_unbilled"
    _inherit = "logistics.exception.detector"
    _description = "Delivered dispatch job not invoiced"
    _area = "accounting"
    _events = (EVENT_UNBILLED, EVENT_INVOICED)

    @api.model
    def _detect(self, rules, event):
        if event.name != EVENT_UNBILLED:
            return []
        return self._detect_with_first_rule(rules, event.records, self._unbilled_values)

    @api.model
    def _unbilled_values(self, rule, job):
        days = job.company_id.dispatch_unbilled_escalation_days
        return rule._prepare_exception_values(
            job,
            job.company_id,
            summary=_(
                "%(job)s for %(partner)s delivered and not invoiced",
                job=job.name,
                partner=job.partner_id.display_name,
            ),
            description=Markup("<p>%s</p>")
            % _(
                "%(job)s was delivered on %(date)s and no posted customer "
                "invoice bills it after %(days)s days.",
                job=job.name,
                date=self._local_datetime(job.date_delivered),
                days=days,
            ),
            dispatch_job_id=job.id,
            partner_id=job.partner_id.id,
            sale_id=job.sale_id.id,
            picking_id=job.picking_id.id,
        )

    @api.model
    def _clear(self, rules, event):
        invoiced = self._open_exceptions(
            rules, [("dispatch_job_id.date_invoiced", "!=", False)]
        )
        return [(invoiced, _("The job is invoiced now."))]
