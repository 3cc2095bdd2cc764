# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, _, fields, models
from odoo.exceptions import UserError

from .sale_order import APPLYING_KEY as PROMISE_DATE_KEY
from .stock_quant import APPROVED
from .stock_return_picking import APPROVED as RETURN_APPROVED
from .stock_return_picking import APPROVED_KEY as RETURN_APPROVED_KEY


class LogisticsApprovalRequest(models.Model):
    """What each control's approval does (``_logistics_apply_<type>``) and
    the helpers of the controls, one section per control."""

    _inherit = "logistics.approval.request"

    # Promise-date changes --------------------------------------------------

    def _logistics_apply_promise_date(self):
        """Move the order's commitment date and give the customer change
        exception the new promised date (its customer is notified when its
        category says so). Runs as the approver, after the approval checks:
        the writes are done as superuser, the approver may not edit orders."""
        self.ensure_one()
        order = self._logistics_document().sudo()
        if not order or order.state != "sale":
            raise UserError(
                _(
                    "%(request)s cannot be applied: %(order)s is no longer a "
                    "confirmed order. Reject the request instead.",
                    request=self.name,
                    order=self.document_name,
                )
            )
        new_date = fields.Datetime.to_datetime(self.payload["commitment_date"])
        order.with_context(**{PROMISE_DATE_KEY: APPROVED}).write(
            {"commitment_date": new_date}
        )
        if self.exception_id:
            self.exception_id.sudo().write({"promised_date": new_date})

    # Expedites -------------------------------------------------------------

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

    # Returns ---------------------------------------------------------------
    # Returns (approval_type "return"): on approval, the return transfer
    # asked for is created from the request's payload.

    def _logistics_documents(self):
        documents = super()._logistics_documents()
        if self.approval_type == "return":
            documents += list(self._logistics_return_pickings())
        return documents

    def _logistics_return_pickings(self):
        """The return transfers created by these (applied) requests."""
        if not self.ids:
            return self.env["stock.picking"]
        return (
            self.env["stock.picking"]
            .sudo()
            .search([("logistics_return_request_id", "in", self.ids)])
        )

    def _logistics_apply_return(self):
        """Create the return transfer asked for, once (the request is already
        "applied"). As superuser: the approval is the access check, and the
        approver may not be a stock user."""
        for request in self:
            payload = request.payload or {}
            picking = (
                self.env["stock.picking"].sudo().browse(payload.get("picking_id"))
            ).exists()
            if not picking or picking.state != "done":
                raise UserError(
                    _(
                        "%(request)s cannot be applied: the transfer to return "
                        "(%(picking)s) is gone or no longer done.",
                        request=request.name,
                        picking=request.document_name,
                    )
                )
            wizard = (
                self.env["stock.return.picking"]
                .sudo()
                .with_context(**{RETURN_APPROVED_KEY: RETURN_APPROVED})
                .create(request._logistics_return_wizard_vals(picking))
            )
            action = wizard.create_returns()
            returned = self.env["stock.picking"].sudo().browse(action["res_id"])
            returned.logistics_return_request_id = request
            request._logistics_post(
                _(
                    "%(request)s: return transfer %(transfer)s created.",
                    request=request.name,
                    transfer=returned.name,
                )
            )

    def _logistics_return_wizard_vals(self, picking):
        self.ensure_one()
        payload = self.payload
        return {
            "picking_id": picking.id,
            "location_id": payload.get("location_id") or False,
            "product_return_moves": [
                Command.create(
                    {
                        "product_id": line["product_id"],
                        "quantity": line["quantity"],
                        "move_id": line["move_id"],
                        "to_refund": line.get("to_refund", True),
                    }
                )
                for line in payload.get("lines", [])
            ],
        }

    # Billing-hold overrides and credit releases ----------------------------
    # Billing-hold overrides and credit releases that wait for approval
    # (above the shipped thresholds). Approval carries out what the core's
    # wizards do at once, recording the requester (who asked, with the reason)
    # as who overrode or released; the approvers are on the request.

    def _logistics_waiting_action(self):
        """What a wizard returns once its change waits for approval: it closes
        with a notification naming the request and who may approve it."""
        self.ensure_one()
        waiting = self.review_ids.filtered(lambda r: r.status in ("waiting", "pending"))
        reviewers = waiting.sudo().reviewer_ids - self.requested_by_id
        return self._logistics_waiting_notification(
            _(
                "%(request)s waits for approval (%(reviewers)s): nothing "
                "changes until it is approved.",
                request=self.name,
                reviewers=", ".join(reviewers.mapped("name")) or _("nobody"),
            )
        )

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
        # What was asked overrides the holds of then, not a hold raised since.
        asked = {tuple(key) for key in (self.payload or {}).get("blockers", [])}
        new = [
            item
            for item in blockers
            if (item["record"]._name, item["record"].id) not in asked
        ]
        if asked and new:
            raise UserError(
                _(
                    "Invoice %(invoice)s has new holds since %(request)s was "
                    "asked: %(holds)s Reject the request and ask again.",
                    invoice=self.document_name,
                    request=self.name,
                    holds=" ".join(item["label"] for item in new),
                )
            )
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
