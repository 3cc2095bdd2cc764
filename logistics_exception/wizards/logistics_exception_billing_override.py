from markupsafe import Markup, escape

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
        # The blockers' records (exceptions, jobs) are superuser records (the
        # Finance manager may not work in the logistics queues): the note
        # records the override the manager was entitled to make.
        threads = []
        for item in blockers:
            threads.extend(t for t in item.get("threads", []) if t not in threads)
        for thread in threads:
            thread.message_post(
                body=body,
                subtype_xmlid="mail.mt_note",
                author_id=self.env.user.partner_id.id,
            )
        return {"type": "ir.actions.act_window_close"}
