from odoo import _, fields, models
from odoo.exceptions import AccessError


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "logistics.exception.source.mixin"]
    _logistics_exception_field = "sale_id"

    logistics_credit_hold = fields.Boolean(
        string="Credit Hold",
        readonly=True,
        copy=False,
        tracking=True,
        help="Confirmed over the customer's credit limit: its deliveries cannot be "
        "validated until Finance releases the hold.",
    )
    logistics_credit_release_reason = fields.Text(
        string="Credit Release Reason", readonly=True, copy=False, tracking=True
    )
    logistics_credit_released_by = fields.Many2one(
        "res.users",
        string="Credit Released By",
        readonly=True,
        copy=False,
        tracking=True,
    )

    def _get_logistics_exception_defaults(self):
        values = super()._get_logistics_exception_defaults()
        values["warehouse_id"] = self.warehouse_id.id
        return values

    def action_confirm(self):
        res = super().action_confirm()
        if not self.env.context.get("logistics_exception_skip_detection"):
            self.env["logistics.exception.rule"]._detect_credit_hold(self)
        return res

    def write(self, vals):
        watched = {"order_line", "partner_shipping_id", "commitment_date"} & set(vals)
        confirmed = self.filtered(lambda o: o.state == "sale") if watched else self
        res = super().write(vals)
        if (
            watched
            and confirmed
            and not self.env.context.get("logistics_exception_skip_detection")
        ):
            self.env["logistics.exception.rule"]._detect_order_change(
                confirmed, watched
            )
        return res

    def action_logistics_release_credit_hold(self):
        """Open the release wizard (Finance only)."""
        self.ensure_one()
        if not self.env.user.has_group("account.group_account_invoice"):
            raise AccessError(_("Only Finance users can release a credit hold."))
        return {
            "type": "ir.actions.act_window",
            "name": _("Release Credit Hold"),
            "res_model": "logistics.exception.credit.release",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_id": self.id},
        }

    def _logistics_release_credit_hold(self, reason):
        """Lift the hold, keep who and why, and clear the exception."""
        self.write(
            {
                "logistics_credit_hold": False,
                "logistics_credit_release_reason": reason,
                "logistics_credit_released_by": self.env.uid,
            }
        )
        self.env["logistics.exception.rule"]._clear_credit_hold(self, reason)
