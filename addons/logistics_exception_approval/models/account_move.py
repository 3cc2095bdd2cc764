# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.logistics_exception.models.account_move import OVERRIDE_FIELDS


class AccountMove(models.Model):
    _inherit = "account.move"

    def _logistics_approval_amount(self):
        """What a billing-hold override puts at stake, in the company's
        currency: the invoice's total."""
        self.ensure_one()
        return abs(self.amount_total_signed)

    @api.model
    def _check_logistics_billing_override_access(self, vals):
        """Writing the override fields by hand (RPC, import) does not skip the
        approval an override of that amount needs: only the approved request
        writes them (as superuser)."""
        super()._check_logistics_billing_override_access(vals)
        if not OVERRIDE_FIELDS & vals.keys() or self.env.su:
            return
        Request = self.env["logistics.approval.request"]
        for invoice in self:
            if Request._logistics_needs_approval(
                {
                    "approval_type": "billing_override",
                    "company_id": invoice.company_id.id,
                    "amount": invoice._logistics_approval_amount(),
                }
            ):
                raise AccessError(
                    _(
                        "Overriding the billing hold of %(invoice)s needs an "
                        "approval: use Override Billing Hold, which asks for it.",
                        invoice=invoice.display_name,
                    )
                )

    def _get_logistics_billing_error(self, blockers):
        """The refusal to post also names the overrides waiting for approval:
        nobody needs to ask again."""
        error = super()._get_logistics_billing_error(blockers)
        # Who is refused may not read the requests: only their names are shown.
        waiting = self.env["logistics.approval.request"]._logistics_waiting(
            "billing_override",
            self.browse([inv._origin.id for inv in blockers if inv._origin]),
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
