# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, models


class LogisticsApprovalRequest(models.Model):
    _inherit = "logistics.approval.request"

    def _logistics_apply_expedite(self):
        """Confirm the approved rush purchase, unless it is no longer a
        quotation or is now worth more than what was approved (then it must
        ask again: confirming it does)."""
        for request in self:
            order = request._logistics_document()
            if not order:
                continue
            order = order.sudo()
            if order.state not in ("draft", "sent"):
                request._logistics_post(
                    _(
                        "%(order)s was not confirmed by %(request)s: it is no "
                        "longer a request for quotation (%(state)s).",
                        order=order.name,
                        request=request.name,
                        state=dict(order._fields["state"].selection)[order.state],
                    )
                )
                continue
            values = order._logistics_expedite_values()
            # No longer linked to an open expedite: worth nothing at stake.
            value = values[order][1] if order in values else 0.0
            currency = request.currency_id
            if currency.compare_amounts(value, request.amount) > 0:
                request._logistics_post(
                    _(
                        "%(order)s was not confirmed by %(request)s: it is now "
                        "worth %(value)s, more than the %(approved)s approved. "
                        "Confirming it asks for a new approval.",
                        order=order.name,
                        request=request.name,
                        value=value,
                        approved=request.amount,
                    )
                )
                continue
            order._logistics_confirm_approved()
