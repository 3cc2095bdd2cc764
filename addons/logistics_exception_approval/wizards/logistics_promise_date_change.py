# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup, escape

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_datetime


class LogisticsPromiseDateChange(models.TransientModel):
    """Change the promise date of a confirmed order, with a reason. A later
    date for a priority or strategic customer waits for approval; any other
    change is written at once."""

    _name = "logistics.promise.date.change"
    _description = "Change Promise Date"

    order_id = fields.Many2one("sale.order", string="Order", required=True)
    current_date = fields.Datetime(
        string="Promised Date", compute="_compute_current_date"
    )
    service_tier = fields.Selection(
        related="order_id.partner_id.commercial_partner_id.logistics_service_tier"
    )
    commitment_date = fields.Datetime(string="New Promise Date", required=True)
    reason = fields.Text(required=True)

    @api.depends("order_id")
    def _compute_current_date(self):
        for wizard in self:
            wizard.current_date = (
                wizard.order_id._logistics_promised_date() if wizard.order_id else False
            )

    def action_apply(self):
        """Ask for approval, or write the date at once."""
        self.ensure_one()
        order = self.order_id
        order.check_access_rights("write")
        order.check_access_rule("write")
        reason = (self.reason or "").strip()
        if not reason:
            raise UserError(_("Say why the promise date changes: give a reason."))
        if order.state != "sale":
            raise UserError(
                _(
                    "%(order)s is not a confirmed order: edit its date directly.",
                    order=order.name,
                )
            )
        if self.commitment_date == order._logistics_promised_date():
            raise UserError(
                _(
                    "%(order)s is already promised for that date: choose another one.",
                    order=order.name,
                )
            )
        request = self.env["logistics.approval.request"]
        if order._logistics_promise_controlled(self.commitment_date):
            request = order._logistics_request_promise_date(
                self.commitment_date, reason
            )
        if request:
            return request._logistics_waiting_notification(
                _(
                    "%(request)s asks to move the promise date of "
                    "%(order)s; the date moves once it is approved.",
                    request=request.name,
                    order=order.name,
                )
            )
        old_date = order._logistics_promised_date()
        order.write({"commitment_date": self.commitment_date})
        order.message_post(
            body=Markup("<p>%s</p>")
            % escape(
                _(
                    "Promise date moved from %(old)s to %(new)s by %(user)s. "
                    "Reason: %(reason)s",
                    old=format_datetime(self.env, old_date) if old_date else _("none"),
                    new=format_datetime(self.env, self.commitment_date),
                    user=self.env.user.name,
                    reason=reason,
                )
            ),
            subtype_xmlid="mail.mt_note",
        )
        return {"type": "ir.actions.act_window_close"}
