# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError


class LogisticsInventoryApproval(models.Model):
    _name = "logistics.inventory.approval"
    _description = "Inventory Adjustment Approval"
    _inherit = ["mail.thread", "mail.activity.mixin", "tier.validation"]
    _order = "id desc"
    _check_company_auto = True

    # tier.validation: the request is reviewed while "to_approve"; full
    # approval moves it to "approved" (then "applied" once the stock moved).
    _state_from = ["to_approve"]
    _state_to = ["approved"]
    _tier_validation_manual_config = False
    _tier_validation_buttons_xpath = "/form/header/field[@name='state']"

    name = fields.Char(
        required=True, readonly=True, copy=False, default=lambda self: _("New")
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("to_approve", "To Approve"),
            ("approved", "Approved"),
            ("applied", "Applied"),
            ("rejected", "Rejected"),
        ],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    warehouse_id = fields.Many2one(
        "stock.warehouse", required=True, readonly=True, check_company=True
    )
    requested_by_id = fields.Many2one(
        "res.users",
        string="Requested By",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
    )
    line_ids = fields.One2many(
        "logistics.inventory.approval.line", "approval_id", readonly=True
    )
    amount_total = fields.Monetary(
        string="Variance Value",
        currency_field="currency_id",
        compute="_compute_amount_total",
        store=True,
    )
    dual_approval = fields.Boolean(
        readonly=True,
        help="A line is worth more than the warehouse's dual approval threshold: "
        "two different approvers are needed.",
    )
    exception_id = fields.Many2one(
        "logistics.exception",
        string="Exception",
        readonly=True,
        check_company=True,
        copy=False,
    )
    move_ids = fields.Many2many(
        "stock.move", string="Stock Moves", readonly=True, copy=False
    )
    applied_date = fields.Datetime(readonly=True, copy=False)
    reject_reason = fields.Char(readonly=True, copy=False, tracking=True)

    @api.depends("line_ids.value")
    def _compute_amount_total(self):
        for request in self:
            request.amount_total = sum(request.line_ids.mapped("value"))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # The requester is who asks, never someone named by them.
            vals["requested_by_id"] = self.env.uid
            if vals.get("name", _("New")) == _("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "logistics.inventory.approval"
                ) or _("New")
        return super().create(vals_list)

    def write(self, vals):
        if "requested_by_id" in vals:
            raise UserError(_("The requester of an adjustment request cannot change."))
        return super().write(vals)

    # tier.validation hooks ------------------------------------------------

    def _get_sequences_to_approve(self, user):
        """The requester never reviews; a second tier needs a second person."""
        if user == self.requested_by_id:
            return []
        if user in self.review_ids.filtered(lambda r: r.status == "approved").done_by:
            return []
        return super()._get_sequences_to_approve(user)

    def validate_tier(self):
        self.ensure_one()
        self._check_can_approve()
        return super().validate_tier()

    def _validate_tier(self, tiers=False):
        self._check_can_approve()
        res = super()._validate_tier(tiers=tiers)
        self._logistics_after_review()
        return res

    def _add_tier_validation_buttons(self, node, params):
        """No "Restart Validation": a request is rejected and counted again."""
        new_node = super()._add_tier_validation_buttons(node, params)
        for button in new_node.xpath("//button[@name='restart_validation']"):
            button.getparent().remove(button)
        return new_node

    def restart_validation(self):
        raise UserError(
            _(
                "An inventory adjustment request cannot be restarted: reject it "
                "and count again."
            )
        )

    def reject_tier(self):
        self.ensure_one()
        if not self.can_review:
            raise UserError(
                _(
                    "You cannot reject %(request)s: only its next approver can.",
                    request=self.name,
                )
            )
        return super().reject_tier()

    def _rejected_tier(self, tiers=False):
        res = super()._rejected_tier(tiers=tiers)
        self._logistics_after_review()
        return res

    def _check_can_approve(self):
        for request in self:
            if self.env.user == request.requested_by_id:
                raise UserError(
                    _(
                        "You requested %(request)s: another stock manager must "
                        "approve it.",
                        request=request.name,
                    )
                )
            if request.state != "to_approve":
                raise UserError(
                    _("%(request)s is not waiting for approval.", request=request.name)
                )
            if not request.can_review:
                raise UserError(
                    _(
                        "You cannot approve %(request)s: it waits for another "
                        "approver than you.",
                        request=request.name,
                    )
                )

    def _logistics_after_review(self):
        """Move the request on once its reviews are all done."""
        for request in self:
            if request.state != "to_approve":
                continue
            if request.validation_status == "validated":
                request.activity_unlink(["mail.mail_activity_data_todo"])
                request.write({"state": "approved"})
                request._apply_counts()
            elif request.validation_status == "rejected":
                comment = ", ".join(
                    c
                    for c in request.review_ids.filtered(
                        lambda r: r.status == "rejected"
                    ).mapped("comment")
                    if c
                )
                request.activity_unlink(["mail.mail_activity_data_todo"])
                request.with_context(skip_validation_check=True).write(
                    {"state": "rejected", "reject_reason": comment or False}
                )
                body = _(
                    "%(request)s rejected by %(user)s: %(reason)s. "
                    "The stock was not changed.",
                    request=request.name,
                    user=self.env.user.name,
                    reason=comment or _("no reason given"),
                )
                request.message_post(body=body)
                request._logistics_log_on_exception(body)
            else:
                request._schedule_review_activities()

    # business methods -------------------------------------------------------

    def _submit(self):
        """Ask for the reviews of the shipped (or configured) tiers."""
        self.write({"state": "to_approve"})
        self.request_validation()
        self.invalidate_recordset(["review_ids"])
        self._schedule_review_activities()

    def _schedule_review_activities(self):
        """A to-do for each person who may review the next tier."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        for request in self:
            done_by = request.review_ids.filtered(
                lambda r: r.status == "approved"
            ).done_by
            if done_by:
                request.activity_feedback(
                    ["mail.mail_activity_data_todo"],
                    user_id=self.env.user.id,
                    feedback=_("Approved"),
                )
            open_reviews = request.review_ids.filtered(
                lambda r: r.status in ("waiting", "pending")
            )
            if not open_reviews:
                continue
            next_sequence = min(open_reviews.mapped("sequence"))
            reviewers = open_reviews.filtered(
                lambda r, s=next_sequence: r.sequence == s
            ).reviewer_ids
            reviewers -= request.requested_by_id | done_by
            existing = request.activity_ids.filtered(
                lambda a, t=todo: a.activity_type_id == t
            ).user_id
            for user in reviewers - existing:
                request.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=user.id,
                    summary=_("Approve inventory adjustment %s", request.name),
                )

    def _logistics_raise_exceptions(self):
        """Raise (or find, when open already) the inventory-discrepancy
        exception of each request through the detection engine."""
        vals_list = []
        for request in self:
            top = request.line_ids.sorted("value", reverse=True)[:1]
            if not top:
                continue
            vals_list.append(
                {
                    "company_id": request.company_id.id,
                    "source_key": f"logistics.inventory.approval:{request.id}",
                    "category_id": top.reason_id.category_id.id,
                    "reason_id": top.reason_id.id,
                    "product_id": top.product_id.id,
                    "location_id": top.location_id.id,
                    "quantity_expected": top.quantity,
                    "quantity_actual": top.counted_quantity,
                    "detected_by": "rule",
                    "summary": _(
                        "Inventory variance of %(amount)s %(currency)s waits for "
                        "approval (%(request)s)",
                        amount=request.currency_id.round(request.amount_total),
                        currency=request.currency_id.name,
                        request=request.name,
                    ),
                }
            )
        if not vals_list:
            return
        _raised, found = self.env["logistics.exception.engine"]._raise_found(vals_list)
        by_key = {exc.source_key: exc for exc in found}
        for request in self:
            exception = by_key.get(f"logistics.inventory.approval:{request.id}")
            if exception:
                request.with_context(
                    skip_validation_check=True
                ).exception_id = exception

    def _logistics_log_on_exception(self, body):
        for request in self.filtered("exception_id"):
            request.exception_id.sudo().message_post(
                body=body, subtype_xmlid="mail.mt_note"
            )

    def _apply_counts(self):
        """Apply the counted quantities of an approved request, exactly once."""
        for request in self:
            if request.state != "approved" or request.applied_date:
                continue
            # Claim the request first: a concurrent or repeated call finds it
            # applied and does nothing.
            request.write({"state": "applied", "applied_date": fields.Datetime.now()})
            for reason in request.line_ids.reason_id:
                lines = request.line_ids.filtered(
                    lambda ln, r=reason: ln.reason_id == r
                )
                quants = lines._logistics_quants_to_apply()
                quants.with_context(
                    inventory_name=_(
                        "%(request)s: %(reason)s",
                        request=request.name,
                        reason=reason.display_name,
                    )
                )._logistics_apply_inventory_unchecked()
            moves = self.env["stock.move"].search(
                [
                    ("is_inventory", "=", True),
                    ("name", "=like", f"{request.name}:%"),
                    ("product_id", "in", request.line_ids.product_id.ids),
                ]
            )
            request.move_ids = moves
            body = _(
                "%(request)s approved and applied: %(count)s stock moves.",
                request=request.name,
                count=len(moves),
            )
            request.message_post(body=body)
            request._logistics_log_on_exception(body)
        self._logistics_add_cost_lines()

    def _logistics_add_cost_lines(self):
        """The stock lost by applied requests as a write-off cost line of
        their exception, when the dashboards module (its cost lines) is
        installed: a soft link, so this bridge does not depend on it."""
        if "logistics.exception.cost" not in self.env:
            return
        write_off = self.env.ref(
            "logistics_exception_dashboard.cost_type_write_off",
            raise_if_not_found=False,
        )
        if not write_off:
            return
        vals_list = []
        for request in self.filtered(lambda r: r.state == "applied" and r.exception_id):
            lost = sum(
                request.line_ids.filtered(lambda ln: ln.difference < 0).mapped("value")
            )
            if request.currency_id.is_zero(lost):
                continue
            vals_list.append(
                {
                    "exception_id": request.exception_id.id,
                    "cost_type_id": write_off.id,
                    "amount": lost,
                    "name": _("Inventory write-off of %s", request.name),
                }
            )
        if vals_list:
            self.env["logistics.exception.cost"].sudo().create(vals_list)
