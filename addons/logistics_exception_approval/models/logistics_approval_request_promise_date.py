# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, fields, models
from odoo.exceptions import UserError

from .sale_order_promise_date import APPLYING_KEY
from .stock_quant import APPROVED


class LogisticsApprovalRequest(models.Model):
    _inherit = "logistics.approval.request"

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
        order.with_context(**{APPLYING_KEY: APPROVED}).write(
            {"commitment_date": new_date}
        )
        if self.exception_id:
            self.exception_id.sudo().write({"promised_date": new_date})
