# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, models
from odoo.exceptions import UserError


class LogisticsApprovalRequest(models.Model):
    _inherit = "logistics.approval.request"

    def _logistics_apply_expedite(self):
        """Confirm the approved rush purchase. Approving is refused, changing
        nothing, when the order is no longer a quotation or is now worth more
        than what was asked: the approver rejects it instead (and the buyer
        asks again by confirming)."""
        for request in self:
            order = request._logistics_document()
            if not order:
                continue
            order = order.sudo()
            if order.state not in ("draft", "sent"):
                raise UserError(
                    _(
                        "%(order)s is no longer a request for quotation "
                        "(%(state)s): there is nothing to confirm any more. "
                        "Reject %(request)s instead.",
                        order=order.name,
                        request=request.name,
                        state=dict(order._fields["state"].selection)[order.state],
                    )
                )
            values = order._logistics_expedite_values()
            # No longer linked to an open expedite: worth nothing at stake.
            value = values[order][1] if order in values else 0.0
            currency = request.currency_id
            if currency.compare_amounts(value, request.amount) > 0:
                raise UserError(
                    _(
                        "%(order)s is now worth %(value)s, more than the "
                        "%(asked)s asked for in %(request)s: reject the request; "
                        "confirming the order asks again.",
                        order=order.name,
                        request=request.name,
                        value=currency.format(value),
                        asked=currency.format(request.amount),
                    )
                )
            order._logistics_confirm_approved()
