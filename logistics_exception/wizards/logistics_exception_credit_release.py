from odoo import _, api, fields, models
from odoo.exceptions import UserError


class LogisticsExceptionCreditRelease(models.TransientModel):
    _name = "logistics.exception.credit.release"
    _description = "Release a Sales Order from Credit Hold"

    order_id = fields.Many2one("sale.order", required=True, readonly=True)
    reason = fields.Text(required=True)

    @api.model_create_multi
    def create(self, vals_list):
        self.env["sale.order"]._check_logistics_finance_user()
        return super().create(vals_list)

    def action_release(self):
        self.ensure_one()
        self.env["sale.order"]._check_logistics_finance_user()
        order = self.order_id
        if not order.logistics_credit_hold:
            raise UserError(_("Order %s is not on credit hold.", order.name))
        if not (self.reason or "").strip():
            raise UserError(_("Say why the hold is released."))
        return self._logistics_release(self.reason.strip())

    def _logistics_release(self, reason):
        """Hook: carry the release out (an approvals module may make it wait
        for approval instead). Returns the action that closes the wizard."""
        self.ensure_one()
        # Finance users may not have the right to edit sales orders: the
        # release is theirs to make, checked in action_release.
        self.order_id.sudo()._logistics_release_credit_hold(reason)
        return {"type": "ir.actions.act_window_close"}
