# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, _, models
from odoo.exceptions import UserError

from .stock_return_picking import APPROVED, APPROVED_KEY


class LogisticsApprovalRequest(models.Model):
    """Returns (approval_type "return"): on approval, the return transfer
    asked for is created from the request's payload."""

    _inherit = "logistics.approval.request"

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
                .with_context(**{APPROVED_KEY: APPROVED})
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
