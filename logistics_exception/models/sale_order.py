from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError

CREDIT_FIELDS = {
    "logistics_credit_hold",
    "logistics_credit_release_reason",
    "logistics_credit_released_by",
}
LINE_CHANGE_FIELDS = {"product_id", "product_uom_qty", "product_uom"}


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
            found = self.env["logistics.exception.engine"]._dispatch(
                "order_confirmed", self
            )
            # Confirmed over the credit limit: deliveries held until Finance
            # releases the order.
            held = found.filtered(
                lambda e: e.rule_id.detector == "credit_hold"
            ).sale_id.filtered(lambda o: not o.logistics_credit_hold)
            if held:
                held.sudo().write({"logistics_credit_hold": True})
        return res

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_logistics_credit_access(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_logistics_credit_access(vals)
        watched = self._logistics_changed_fields(vals)
        confirmed = self.filtered(lambda o: o.state == "sale") if watched else self
        res = super().write(vals)
        if (
            watched
            and confirmed
            and not self.env.context.get("logistics_exception_skip_detection")
        ):
            self.env["logistics.exception.engine"]._dispatch(
                "order_changed", confirmed, changed_fields=watched
            )
        return res

    @api.model
    def _check_logistics_credit_access(self, vals):
        """Only Finance puts or lifts a credit hold, whatever the client."""
        if CREDIT_FIELDS & vals.keys() and not self.env.su:
            self._check_logistics_finance_user()

    @api.model
    def _check_logistics_finance_user(self):
        if not self.env.user.has_group("account.group_account_invoice"):
            raise AccessError(
                _("Only Finance users can put an order on credit hold or release it.")
            )

    @api.model
    def _logistics_changed_fields(self, vals):
        """Fields of ``vals`` that make a customer change on a confirmed order:
        the delivery address or date, lines added or removed, or a line's
        product, quantity or unit (not its description or delivered quantity)."""
        changed = {"partner_shipping_id", "commitment_date"} & set(vals)
        for command in vals.get("order_line") or []:
            if not isinstance(command, (list, tuple)):
                continue
            if command[0] in (Command.CREATE, Command.DELETE, Command.UNLINK) or (
                command[0] == Command.UPDATE
                and LINE_CHANGE_FIELDS & set(command[2] or {})
            ):
                changed.add("order_line")
                break
        return changed

    def action_logistics_release_credit_hold(self):
        """Open the release wizard (Finance only)."""
        self.ensure_one()
        self._check_logistics_finance_user()
        return {
            "type": "ir.actions.act_window",
            "name": _("Release Credit Hold"),
            "res_model": "logistics.exception.credit.release",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_id": self.id},
        }

    def _logistics_release_credit_hold(self, reason, user=None):
        """Lift the hold, keep why and who (``user``, by default the current
        user), and clear the exception."""
        self.write(
            {
                "logistics_credit_hold": False,
                "logistics_credit_release_reason": reason,
                "logistics_credit_released_by": (user or self.env.user).id,
            }
        )
        self.env["logistics.exception.engine"]._dispatch(
            "credit_released", self, reason=reason
        )
