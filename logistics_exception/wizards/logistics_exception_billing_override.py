from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class LogisticsExceptionBillingOverride(models.TransientModel):
    """A Finance manager lets an invoice be posted although something holds
    its billing (open logistics exceptions, and what other modules add), and
    says why."""

    _name = "logistics.exception.billing.override"
    _description = "Override the Billing Hold of an Invoice"

    move_id = fields.Many2one(
        "account.move",
        string="Invoice",
        required=True,
        ondelete="cascade",
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'draft')]",
    )
    reason = fields.Text(
        required=True,
        help="Why the invoice may be posted although it is held. Recorded "
        "on the invoice and noted on each record that holds it.",
    )
    held_exceptions = fields.Html(
        string="Held By",
        compute="_compute_held_exceptions",
        sanitize=False,
    )

    @api.depends("move_id")
    def _compute_held_exceptions(self):
        for wizard in self:
            wizard.held_exceptions = Markup("<ul>%s</ul>") % Markup("").join(
                Markup('<li><a href="/web#model=%s&amp;id=%s">%s</a></li>')
                % (item["record"]._name, item["record"].id, item["label"])
                for item in wizard._get_blockers()
            )

    def _get_blockers(self):
        """Every reason the invoice may not be posted (see
        ``account.move._get_logistics_billing_blockers``)."""
        self.ensure_one()
        if not self.move_id:
            return []
        blockers = self.move_id._get_logistics_billing_blockers()
        return blockers.get(self.move_id, [])

    def action_confirm(self):
        self.ensure_one()
        self.env["account.move"]._check_logistics_billing_override_rights()
        invoice = self.move_id
        blockers = self._get_blockers()
        if not blockers:
            raise UserError(
                _(
                    "Invoice %(invoice)s is not held by any open logistics "
                    "exception or other blocker: post it as usual.",
                    invoice=invoice.display_name,
                )
            )
        return self._logistics_override(blockers)

    def _logistics_override(self, blockers):
        """Hook: carry the override out (an approvals module may make it wait
        for approval instead). Returns the action that closes the wizard."""
        self.ensure_one()
        self.move_id._logistics_override_billing_hold(self.reason, blockers)
        return {"type": "ir.actions.act_window_close"}
