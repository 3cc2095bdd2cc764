from odoo import _, api, fields, models
from odoo.exceptions import AccessError

OVERRIDE_FIELDS = {
    "logistics_billing_hold_override_reason",
    "logistics_billing_hold_override_uid",
}
GROUP_ACCOUNT_MANAGER = "account.group_account_manager"


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "logistics.exception.source.mixin"]
    _logistics_exception_field = "move_id"

    logistics_billing_held = fields.Boolean(
        string="Billing Held",
        compute="_compute_logistics_billing_held",
        groups="account.group_account_manager",
        help="Open logistics exceptions hold the billing of the goods of this "
        "invoice: it cannot be posted until they are resolved or the hold is "
        "overridden.",
    )
    logistics_billing_hold_override_reason = fields.Text(
        string="Billing Hold Override Reason",
        tracking=True,
        copy=False,
        readonly=True,
    )
    logistics_billing_hold_override_uid = fields.Many2one(
        "res.users",
        string="Billing Hold Overridden By",
        tracking=True,
        copy=False,
        readonly=True,
    )

    @api.depends(
        "state",
        "move_type",
        "line_ids.sale_line_ids",
        "logistics_billing_hold_override_uid",
    )
    def _compute_logistics_billing_held(self):
        holds = self.env["logistics.exception.rule"]._get_billing_holds(self)
        for move in self:
            move.logistics_billing_held = bool(holds.get(move))

    def _get_logistics_exception_defaults(self):
        values = super()._get_logistics_exception_defaults()
        sale_orders = self.line_ids.sale_line_ids.order_id
        if len(sale_orders) == 1:
            values["sale_id"] = sale_orders.id
        purchase_orders = self.line_ids.purchase_line_id.order_id
        if len(purchase_orders) == 1:
            values["purchase_id"] = purchase_orders.id
        return values

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_logistics_billing_override_access(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_logistics_billing_override_access(vals)
        return super().write(vals)

    @api.model
    def _check_logistics_billing_override_access(self, vals):
        """Only a Finance manager overrides a billing hold, whatever the way."""
        if OVERRIDE_FIELDS & vals.keys() and not self.env.su:
            self._check_logistics_billing_override_rights()

    @api.model
    def _check_logistics_billing_override_rights(self):
        if not self.env.user.has_group(GROUP_ACCOUNT_MANAGER):
            raise AccessError(
                _(
                    "Only a Finance manager (Billing Administrator) can override "
                    "the billing hold of an invoice. Ask one to do it, or resolve "
                    "the exceptions that hold it."
                )
            )

    def action_open_logistics_billing_override(self):
        """Open the wizard where a Finance manager overrides the billing hold."""
        self.ensure_one()
        self._check_logistics_billing_override_rights()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "logistics_exception.logistics_exception_billing_override_action"
        )
        action["context"] = {"default_move_id": self.id}
        return action

    def button_draft(self):
        res = super().button_draft()
        # An override covers the invoice as it was posted: once back in draft
        # it may bill other goods, so the gate applies again.
        overridden = self.filtered("logistics_billing_hold_override_uid")
        if overridden:
            overridden.sudo().write(dict.fromkeys(OVERRIDE_FIELDS, False))
        return res

    def _post(self, soft=True):
        Rule = self.env["logistics.exception.rule"]
        detect = not self.env.context.get("logistics_exception_skip_detection")
        if detect and Rule._get_rule_ids("billing_hold"):
            Rule._check_billing_hold(self)
        posted = super()._post(soft=soft)
        if detect and Rule._has_invoice_detectors():
            Rule._detect_invoice_events(posted)
        return posted
