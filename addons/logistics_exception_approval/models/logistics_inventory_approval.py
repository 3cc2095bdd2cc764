# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.tools import format_amount


class LogisticsInventoryApproval(models.Model):
    _name = "logistics.inventory.approval"
    _description = "Inventory Adjustment Approval"
    _inherit = ["logistics.approval.mixin"]
    _order = "id desc"

    warehouse_id = fields.Many2one(
        "stock.warehouse", required=True, readonly=True, check_company=True
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
    move_ids = fields.Many2many(
        "stock.move", string="Stock Moves", readonly=True, copy=False
    )

    @api.depends("line_ids.value")
    def _compute_amount_total(self):
        for request in self:
            request.amount_total = sum(request.line_ids.mapped("value"))

    @api.model
    def _logistics_frozen_fields(self):
        return {"warehouse_id", "line_ids", "dual_approval", "move_ids"}

    def _logistics_activity_summary(self):
        self.ensure_one()
        return _("Approve inventory adjustment %s", self.name)

    def _logistics_apply(self):
        self._apply_counts()

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
                        "Inventory variance of %(amount)s waits for approval "
                        "(%(request)s)",
                        amount=format_amount(
                            self.env, request.amount_total, request.currency_id
                        ),
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
                request.sudo().with_context(
                    skip_validation_check=True
                ).exception_id = exception

    def _apply_counts(self):
        """Apply the counted quantities of an approved request, exactly once."""
        for request in self:
            if request.state != "approved" or request.applied_date:
                continue
            # Claim the request first: a concurrent or repeated call finds it
            # applied and does nothing.
            request.sudo().write(
                {"state": "applied", "applied_date": fields.Datetime.now()}
            )
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
            request.sudo().move_ids = moves
            request._logistics_post(
                _(
                    "%(request)s approved and applied: %(count)s stock moves.",
                    request=request.name,
                    count=len(moves),
                )
            )
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
