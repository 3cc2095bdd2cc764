# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, models


class LogisticsExceptionCreditRelease(models.TransientModel):
    """The same Finance users release a credit hold as without approvals
    (the core wizard checks their right first); above a tier definition's
    threshold the release waits for approval."""

    _inherit = "logistics.exception.credit.release"

    def _logistics_release(self, reason):
        self.ensure_one()
        order = self.order_id
        # The Finance user may not read the logistics queues: the exception
        # is only linked to the request.
        exception = (
            self.env["logistics.exception"]
            .sudo()
            .search(
                [
                    ("sale_id", "=", order.id),
                    ("rule_id.detector", "=", "credit_hold"),
                    ("is_open", "=", True),
                    ("company_id", "=", order.company_id.id),
                ],
                order="id desc",
                limit=1,
            )
        )
        request = self.env["logistics.approval.request"]._logistics_request(
            "credit_release",
            order,
            reason=reason,
            amount=order._logistics_approval_amount(),
            description=_(
                "Release the credit hold of order %(order)s.", order=order.name
            ),
            payload={"reason": reason},
            partner_id=order.partner_id.id,
            exception_id=exception.id,
        )
        if not request:
            return super()._logistics_release(reason)
        return request._logistics_waiting_action()
