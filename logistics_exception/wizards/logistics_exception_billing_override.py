from markupsafe import Markup, escape

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class LogisticsExceptionBillingOverride(models.TransientModel):
    """A Finance manager lets an invoice be posted although open logistics
    exceptions hold the billing of its goods, and says why."""

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
        help="Why the invoice may be posted although its goods are held. "
        "Recorded on the invoice and on each holding exception.",
    )
    held_exceptions = fields.Html(
        string="Held By",
        compute="_compute_held_exceptions",
        sanitize=False,
    )

    @api.depends("move_id")
    def _compute_held_exceptions(self):
        for wizard in self:
            exceptions = wizard._get_held_exceptions()
            wizard.held_exceptions = Markup("<ul>%s</ul>") % Markup("").join(
                Markup("<li>%s</li>") % name
                for name in exceptions.mapped("display_name")
            )

    def _get_held_exceptions(self):
        """The open exceptions that hold the invoice (superuser records: the
        Finance manager may not work in the logistics queues)."""
        self.ensure_one()
        if not self.move_id:
            return self.env["logistics.exception"]
        holds = self.move_id._get_logistics_billing_holds()
        return holds.get(self.move_id, self.env["logistics.exception"].sudo())

    def action_confirm(self):
        self.ensure_one()
        self.env["account.move"]._check_logistics_billing_override_rights()
        invoice = self.move_id
        exceptions = self._get_held_exceptions()
        if not exceptions:
            raise UserError(
                _(
                    "Invoice %(invoice)s is not held by any open logistics "
                    "exception: post it as usual.",
                    invoice=invoice.display_name,
                )
            )
        invoice.write(
            {
                "logistics_billing_hold_override_reason": self.reason,
                "logistics_billing_hold_override_uid": self.env.uid,
            }
        )
        body = Markup("<p>%s</p>") % escape(
            _(
                "Billing hold overridden on invoice %(invoice)s by %(user)s: "
                "%(reason)s",
                invoice=invoice.display_name,
                user=self.env.user.name,
                reason=self.reason,
            )
        )
        # The exceptions are superuser records (see _get_held_exceptions): the
        # note records the override the manager was entitled to make.
        for exception in exceptions:
            exception.message_post(
                body=body,
                subtype_xmlid="mail.mt_note",
                author_id=self.env.user.partner_id.id,
            )
        return {"type": "ir.actions.act_window_close"}
