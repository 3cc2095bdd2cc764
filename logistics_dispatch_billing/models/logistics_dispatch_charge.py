# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import float_compare

from .logistics_dispatch_job import values_set_on_create

BILLING_GROUP = "account.group_account_invoice"
BILLING_MANAGER_GROUP = "account.group_account_manager"
# Fields only the charge's own actions and computation write.
PROTECTED_FIELDS = {
    "state",
    "approved_uid",
    "sale_line_id",
    "reject_reason",
    "rate_card_id",
    "computed",
    "withdrawn",
}
# Computed from the quantity and the unit price only.
COMPUTED_FIELDS = {"amount"}
# Fields that make the amount: frozen once a charge leaves draft.
PRICED_FIELDS = {
    "job_id",
    "accessorial_type_id",
    "product_id",
    "name",
    "quantity",
    "price_unit",
}


class LogisticsDispatchCharge(models.Model):
    """A charge billed for a dispatch job on top of its transport service:
    waiting time, a redelivery, after-hours delivery, special handling.
    Computed from the job's events, approved by billing, then billed once
    through a line of the job's sales order."""

    _name = "logistics.dispatch.charge"
    _description = "Dispatch Charge"
    _inherit = ["mail.thread"]
    _order = "job_id desc, id"
    _check_company_auto = True

    job_id = fields.Many2one(
        "logistics.dispatch.job",
        string="Job",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        related="job_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one(
        related="job_id.partner_id", store=True, index=True, precompute=True
    )
    sale_id = fields.Many2one(
        related="job_id.sale_id", store=True, index="btree_not_null", precompute=True
    )
    accessorial_type_id = fields.Many2one(
        "logistics.accessorial.type",
        string="Type",
        required=True,
        index=True,
        tracking=True,
    )
    product_id = fields.Many2one(
        "product.product",
        string="Service Product",
        required=True,
        check_company=True,
        help="The service the charge is invoiced with.",
    )
    name = fields.Char(string="Description", required=True)
    quantity = fields.Float(digits="Product Unit of Measure", tracking=True)
    price_unit = fields.Monetary(string="Unit Price", tracking=True)
    amount = fields.Monetary(compute="_compute_amount", store=True)
    state = fields.Selection(
        [
            ("draft", "To Approve"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
            ("invoiced", "Invoiced"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    reject_reason = fields.Text(readonly=True, copy=False, tracking=True)
    approved_uid = fields.Many2one(
        "res.users", string="Approved By", readonly=True, copy=False
    )
    rate_card_id = fields.Many2one(
        "logistics.rate.card", string="Rate Card", readonly=True, check_company=True
    )
    sale_line_id = fields.Many2one(
        "sale.order.line",
        string="Sales Order Line",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
    )
    computed = fields.Boolean(
        readonly=True,
        copy=False,
        help="Computed from the job's events at the rates of its card: "
        "recomputed while it is to approve. A charge added by hand is left "
        "as it is.",
    )

    withdrawn = fields.Boolean(
        readonly=True,
        copy=False,
        help="Rejected by the recomputation of the job's events after a "
        "correction no longer justified it: a later recomputation that "
        "justifies it again reopens it.",
    )

    _sql_constraints = [
        (
            "sale_line_uniq",
            "unique(sale_line_id)",
            "A sales order line bills one dispatch charge only.",
        ),
        (
            "job_type_uniq",
            "unique(job_id, accessorial_type_id)",
            (
                "A job has one charge per accessorial type: change the "
                "existing charge instead of adding another."
            ),
        ),
    ]

    @api.depends("quantity", "price_unit", "currency_id")
    def _compute_amount(self):
        for charge in self:
            amount = charge.quantity * charge.price_unit
            # A new charge has no currency before it has a job.
            charge.amount = (
                charge.currency_id.round(amount) if charge.currency_id else amount
            )

    @api.depends("job_id.name", "name")
    def _compute_display_name(self):
        for charge in self:
            charge.display_name = (
                f"{charge.job_id.name} - {charge.name}"
                if charge.job_id
                else charge.name or ""
            )

    @api.constrains("quantity", "price_unit")
    def _check_positive(self):
        for charge in self:
            if charge.quantity < 0 or charge.price_unit < 0:
                raise ValidationError(
                    _(
                        "Charge %(charge)s of job %(job)s: the quantity and the "
                        "unit price cannot be negative.",
                        charge=charge.name,
                        job=charge.job_id.name,
                    )
                )

    @api.onchange("accessorial_type_id")
    def _onchange_accessorial_type_id(self):
        if self.accessorial_type_id:
            self.product_id = self.accessorial_type_id.product_id
            self.name = self.accessorial_type_id.name

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                self._check_protected_fields(values_set_on_create(vals))
                self._check_computed_fields(vals)
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self._check_protected_fields(vals)
            self._check_computed_fields(vals)
            frozen = self.filtered(lambda c: c.state != "draft")
            if frozen and PRICED_FIELDS & set(vals):
                raise UserError(
                    _(
                        "%(charges)s cannot be changed: only a charge to "
                        "approve can be. Reset a rejected charge to draft first.",
                        charges=", ".join(frozen.mapped("display_name")),
                    )
                )
        return super().write(vals)

    @api.model
    def _check_protected_fields(self, vals):
        protected = PROTECTED_FIELDS & set(vals)
        if protected:
            raise AccessError(
                _(
                    "%(fields)s of a charge change through its buttons "
                    "(approve, reject, reset), not by hand.",
                    fields=", ".join(
                        sorted(self._fields[name].string for name in protected)
                    ),
                )
            )

    @api.model
    def _check_computed_fields(self, vals):
        if COMPUTED_FIELDS & set(vals):
            raise AccessError(
                _(
                    "The amount of a charge is its quantity times its unit "
                    "price: change those, not the amount."
                )
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def _check_billing_user(self, action):
        if not self.env.user.has_group(BILLING_GROUP):
            raise AccessError(
                _("Only a billing user can %(action)s charges.", action=action)
            )
        self.check_access_rights("write")
        self.check_access_rule("write")

    def _check_charge_state(self, allowed, action):
        wrong = self.filtered(lambda c: c.state not in allowed)
        if wrong:
            states = dict(self._fields["state"].selection)
            raise UserError(
                _(
                    "Cannot %(action)s %(charges)s: the charge is %(state)s.",
                    action=action,
                    charges=", ".join(wrong.mapped("display_name")),
                    state=", ".join(sorted({states[s] for s in wrong.mapped("state")})),
                )
            )

    def action_approve(self):
        """Approve the charges and bill them through a line of their job's
        sales order each. Above the company's approval limit, only a billing
        manager approves."""
        self._check_billing_user(_("approve"))
        self._check_charge_state(("draft",), _("approve"))
        self._check_approval_limit()
        self._check_billable_order()
        # sudo: billing users approve charges without rights on sales orders;
        # the checks above prove they may approve these charges.
        lines = (
            self.env["sale.order.line"]
            .sudo()
            .create([charge._prepare_sale_line_values() for charge in self])
        )
        for charge, line in zip(self, lines, strict=True):
            charge.sudo().write(
                {
                    "state": "approved",
                    "approved_uid": self.env.uid,
                    "sale_line_id": line.id,
                }
            )
        return True

    def action_reject(self):
        """Ask the reason of the rejection (a wizard)."""
        self._check_billing_user(_("reject"))
        self._check_charge_state(("draft",), _("reject"))
        return {
            "type": "ir.actions.act_window",
            "name": _("Reject Charges"),
            "res_model": "logistics.dispatch.charge.reject",
            "view_mode": "form",
            "target": "new",
            "context": {"default_charge_ids": self.ids},
        }

    def action_draft(self):
        """Reset rejected charges to approve."""
        self._check_billing_user(_("reset"))
        self._check_charge_state(("rejected",), _("reset to draft"))
        # sudo: the state is written by the actions only (checked above).
        self.sudo().write(
            {"state": "draft", "reject_reason": False, "withdrawn": False}
        )
        return True

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _approval_amount(self):
        """The amount the approval limit is checked against, in the company's
        currency: quantity times unit price, never the stored amount."""
        self.ensure_one()
        return self.currency_id.round(self.quantity * self.price_unit)

    def _check_approval_limit(self):
        if self.env.user.has_group(BILLING_MANAGER_GROUP):
            return
        above = self.filtered(
            lambda c: (
                float_compare(
                    c._approval_amount(),
                    c.company_id.dispatch_charge_approval_limit,
                    precision_rounding=c.currency_id.rounding,
                )
                > 0
            )
        )
        if above:
            raise UserError(
                _(
                    "%(charges)s exceed the approval limit of %(limit)s: a "
                    "billing manager approves them.",
                    charges=", ".join(
                        f"{c.display_name} "
                        f"({c.currency_id.format(c._approval_amount())})"
                        for c in above
                    ),
                    limit=above[0].currency_id.format(
                        above[0].company_id.dispatch_charge_approval_limit
                    ),
                )
            )

    def _check_billable_order(self):
        """Each charge needs a confirmed, unlocked sales order to be billed
        on."""
        no_order = self.filtered(lambda c: not c.job_id.sale_id)
        if no_order:
            raise UserError(
                _(
                    "%(charges)s cannot be approved: the job has no sales order "
                    "to bill it on. Link the job to the customer's order or "
                    "reject the charge.",
                    charges=", ".join(no_order.mapped("display_name")),
                )
            )
        orders = self.job_id.sale_id.sudo()
        closed = orders.filtered(lambda o: o.state != "sale" or o.locked)
        if closed:
            raise UserError(
                _(
                    "%(orders)s must be confirmed and unlocked to bill dispatch "
                    "charges: unlock the order, then approve.",
                    orders=", ".join(closed.mapped("name")),
                )
            )

    def _prepare_sale_line_values(self):
        """Values of the sales order line that bills this charge (override
        me)."""
        self.ensure_one()
        order = self.job_id.sale_id
        # The charge is priced in the company's currency (its rate card's),
        # the order in its pricelist's.
        price_unit = self.currency_id._convert(
            self.price_unit,
            order.currency_id,
            self.company_id,
            order.date_order or fields.Date.context_today(self),
        )
        return {
            "order_id": order.id,
            "product_id": self.product_id.id,
            "name": _("%(charge)s (%(job)s)", charge=self.name, job=self.job_id.name),
            "product_uom_qty": self.quantity,
            "price_unit": price_unit,
            "sequence": 1000,
        }

    def _reject(self, reason):
        """Reject draft charges with ``reason`` (the wizard's confirm)."""
        self._check_billing_user(_("reject"))
        self._check_charge_state(("draft",), _("reject"))
        if not (reason or "").strip():
            raise UserError(_("Say why the charges are rejected."))
        # sudo: the state and reason are written by the actions only.
        self.sudo().write({"state": "rejected", "reject_reason": reason.strip()})
        return True

    def _sync_invoiced_state(self):
        """Approved charges whose sales order line is billed by posted
        customer invoices become invoiced, and back to approved when those
        invoices are reset or cancelled."""
        charges = self.filtered(
            lambda c: c.state in ("approved", "invoiced") and c.sale_line_id
        )
        to_invoiced = self.browse()
        to_approved = self.browse()
        for charge in charges:
            line = charge.sale_line_id
            posted = 0.0
            for inv_line in line.invoice_lines.filtered(
                lambda l: l.move_id.state == "posted"
            ):
                qty = inv_line.product_uom_id._compute_quantity(
                    inv_line.quantity, line.product_uom
                )
                if inv_line.move_id.move_type == "out_invoice":
                    posted += qty
                elif inv_line.move_id.move_type == "out_refund":
                    posted -= qty
            billed = (
                float_compare(
                    posted,
                    line.product_uom_qty,
                    precision_rounding=line.product_uom.rounding,
                )
                >= 0
            )
            if billed and charge.state == "approved":
                to_invoiced |= charge
            elif not billed and charge.state == "invoiced":
                to_approved |= charge
        # sudo: invoicing moves the state of the charges it bills.
        to_invoiced.sudo().write({"state": "invoiced"})
        to_approved.sudo().write({"state": "approved"})
