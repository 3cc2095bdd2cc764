# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, models


class LogisticsExceptionBillingOverride(models.TransientModel):
    """The same Finance managers override a billing hold as without
    approvals (the core wizard checks their right first); above a tier
    definition's threshold the override waits for approval."""

    _inherit = "logistics.exception.billing.override"

    def _logistics_override(self, blockers):
        self.ensure_one()
        invoice = self.move_id
        reason = (self.reason or "").strip()
        exceptions = [
            item["record"]
            for item in blockers
            if item.get("kind") == "exception"
            and item["record"].company_id == invoice.company_id
        ]
        request = self.env["logistics.approval.request"]._logistics_request(
            "billing_override",
            invoice,
            reason=reason,
            amount=invoice._logistics_approval_amount(),
            description=_(
                "Let invoice %(invoice)s be posted although it is held: %(blockers)s",
                invoice=invoice.display_name,
                blockers=" ".join(item["label"] for item in blockers),
            ),
            payload={
                "reason": reason,
                "blockers": [
                    [item["record"]._name, item["record"].id] for item in blockers
                ],
            },
            partner_id=invoice.commercial_partner_id.id,
            exception_id=exceptions[0].id if exceptions else False,
        )
        if not request:
            return super()._logistics_override(blockers)
        return request._logistics_waiting_action()
