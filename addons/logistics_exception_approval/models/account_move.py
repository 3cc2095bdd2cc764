# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, models
from odoo.exceptions import UserError


class AccountMove(models.Model):
    _inherit = "account.move"

    def _logistics_approval_amount(self):
        """What a billing-hold override puts at stake, in the company's
        currency: the invoice's total."""
        self.ensure_one()
        return abs(self.amount_total_signed)

    def _get_logistics_billing_error(self, blockers):
        """The refusal to post also names the overrides waiting for approval:
        nobody needs to ask again."""
        error = super()._get_logistics_billing_error(blockers)
        # Who is refused may not read the requests: only their names are shown.
        waiting = (
            self.env["logistics.approval.request"]
            .sudo()
            .search(
                [
                    ("approval_type", "=", "billing_override"),
                    ("res_model", "=", self._name),
                    (
                        "res_id",
                        "in",
                        [inv._origin.id for inv in blockers if inv._origin],
                    ),
                    ("state", "=", "to_approve"),
                ]
            )
        )
        if not waiting:
            return error
        return UserError(
            _(
                "%(error)s\n\nAn override of the billing hold waits for "
                "approval: %(requests)s.",
                error=error.args[0],
                requests=", ".join(waiting.mapped("name")),
            )
        )
