# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, models
from odoo.exceptions import UserError


class LogisticsApprovalRequest(models.Model):
    """Billing-hold overrides and credit releases that wait for approval
    (above the shipped thresholds). Approval carries out what the core's
    wizards do at once, recording the requester (who asked, with the reason)
    as who overrode or released; the approvers are on the request."""

    _inherit = "logistics.approval.request"

    def _logistics_waiting_action(self):
        """What a wizard returns once its change waits for approval: it closes
        with a notification naming the request and who may approve it."""
        self.ensure_one()
        waiting = self.review_ids.filtered(lambda r: r.status in ("waiting", "pending"))
        reviewers = waiting.sudo().reviewer_ids - self.requested_by_id
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Waiting for approval"),
                "message": _(
                    "%(request)s waits for approval (%(reviewers)s): nothing "
                    "changes until it is approved.",
                    request=self.name,
                    reviewers=", ".join(reviewers.mapped("name")) or _("nobody"),
                ),
                "type": "warning",
                "sticky": False,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _logistics_payload_reason(self):
        self.ensure_one()
        return (self.payload or {}).get("reason") or self.reason

    def _logistics_check_amount_unchanged(self, amount):
        """Refuse to approve a change to a document now worth more than what
        was asked for: the approvers approved that amount."""
        self.ensure_one()
        if self.currency_id.compare_amounts(amount, self.amount) > 0:
            raise UserError(
                _(
                    "%(document)s has changed since %(request)s was asked "
                    "(now %(now)s, asked for %(asked)s): reject the request and "
                    "ask again.",
                    document=self.document_name,
                    request=self.name,
                    now=self.currency_id.format(amount),
                    asked=self.currency_id.format(self.amount),
                )
            )

    def _logistics_apply_billing_override(self):
        """Override the billing hold of the invoice as the core's wizard
        does, the requester recorded as who overrode it. The approval is the
        access check: the invoice is written as superuser."""
        self.ensure_one()
        invoice = self._logistics_document().sudo()
        blockers = (
            invoice._get_logistics_billing_blockers().get(invoice, [])
            if invoice
            else []
        )
        if not blockers:
            raise UserError(
                _(
                    "Invoice %(invoice)s is no longer held (posted, cancelled, "
                    "overridden or its holds are settled): there is nothing to "
                    "override any more. Reject %(request)s instead.",
                    invoice=self.document_name,
                    request=self.name,
                )
            )
        self._logistics_check_amount_unchanged(invoice._logistics_approval_amount())
        invoice._logistics_override_billing_hold(
            self._logistics_payload_reason(), blockers, user=self.requested_by_id
        )

    def _logistics_apply_credit_release(self):
        """Release the order's credit hold as the core's wizard does (the
        credit_released event clears its exception), the requester recorded
        as who released it. The approval is the access check: the order is
        written as superuser."""
        self.ensure_one()
        order = self._logistics_document().sudo()
        if not order or not order.logistics_credit_hold:
            raise UserError(
                _(
                    "Order %(order)s is no longer on credit hold: there is "
                    "nothing to release any more. Reject %(request)s instead.",
                    order=self.document_name,
                    request=self.name,
                )
            )
        self._logistics_check_amount_unchanged(order._logistics_approval_amount())
        order._logistics_release_credit_hold(
            self._logistics_payload_reason(), user=self.requested_by_id
        )
