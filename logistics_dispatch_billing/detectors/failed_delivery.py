# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup

from odoo import _, api, models


class FailedDeliveryDetector(models.AbstractModel):
    """A dispatch job the driver could not deliver: an exception with
    customer impact that holds billing until it is resolved."""

    _name = "logistics.exception.detector.failed_delivery"
    _inherit = "logistics.exception.detector"
    _description = "Dispatch job failed at delivery"
    _area = "sales"
    _events = ("dispatch_job_failed",)

    @api.model
    def _detect(self, rules, event):
        reason = event.payload.get("reason")
        note = event.payload.get("note") or ""
        return self._detect_with_first_rule(
            rules,
            event.records,
            lambda rule, job: self._failed_values(rule, job, reason, note),
        )

    @api.model
    def _failed_values(self, rule, job, reason, note):
        description = Markup("<p>%s</p>") % _(
            "Delivery of %(job)s to %(address)s failed: %(reason)s.",
            job=job.name,
            address=job.partner_shipping_id.display_name or job.partner_id.name,
            reason=reason.name if reason else _("no reason given"),
        )
        if note:
            description += Markup("<p>%s</p>") % note
        vals = rule._prepare_exception_values(
            job,
            job.company_id,
            summary=_(
                "Failed delivery %(job)s for %(partner)s",
                job=job.name,
                partner=job.partner_id.display_name,
            ),
            description=description,
            dispatch_job_id=job.id,
            partner_id=job.partner_id.id,
            sale_id=job.sale_id.id,
            picking_id=job.picking_id.id,
            customer_impact=True,
            billing_hold=True,
        )
        if reason:
            vals["reason_id"] = reason.id
            if reason.severity:
                vals["severity"] = reason.severity
        return vals
