# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_is_zero

from .logistics_approval_mixin import ASKING

# Marks the application of an approved request. A Python object, not a value:
# a context sent over RPC (JSON) cannot carry it, so users cannot skip the
# controls by passing a context key.
APPROVED = object()


class StockQuant(models.Model):
    _inherit = "stock.quant"

    logistics_reason_id = fields.Many2one(
        "logistics.exception.reason",
        string="Adjustment Reason",
        # Who applies counts (stock managers) reads the taxonomy's reasons;
        # plain stock users do not see the exceptions' configuration.
        groups="stock.group_stock_manager",
        domain="[('category_id.inventory_adjustment', '=', True), "
        "'|', ('company_id', '=', False), ('company_id', '=', company_id)]",
        help="Why the counted quantity differs from the quantity on hand "
        "(scan the reason's barcode or pick it). Required to apply a count.",
    )
    logistics_approval_line_ids = fields.One2many(
        "logistics.inventory.approval.line",
        "quant_id",
        readonly=True,
        groups="stock.group_stock_manager",
    )

    @api.constrains("logistics_reason_id")
    def _check_logistics_reason_id(self):
        for quant in self.filtered("logistics_reason_id"):
            reason = quant.logistics_reason_id
            if not reason.category_id.inventory_adjustment or (
                reason.company_id and reason.company_id != quant.company_id
            ):
                raise ValidationError(
                    _(
                        "%(reason)s is not a reason for inventory adjustments "
                        "of %(company)s: pick a reason of an inventory category.",
                        reason=reason.display_name,
                        company=quant.company_id.name,
                    )
                )

    @api.model
    def _get_inventory_fields_write(self):
        return [*super()._get_inventory_fields_write(), "logistics_reason_id"]

    def action_apply_inventory(self):
        res = super().action_apply_inventory()
        if res:
            return res
        pending = self.env["logistics.inventory.approval.line"].search(
            [("quant_id", "in", self.ids), ("approval_id.state", "=", "to_approve")]
        )
        if not pending:
            return res
        return self._logistics_waiting_notification(pending)

    @api.model
    def _logistics_waiting_notification(self, pending):
        """Tell who applied counts that these lines wait for approval."""
        return self.env["logistics.approval.mixin"]._logistics_waiting_notification(
            _(
                "These counts are worth more than the warehouse's threshold "
                "and wait for approval (%(requests)s): %(products)s.",
                requests=", ".join(pending.approval_id.mapped("name")),
                products=", ".join(pending.product_id.mapped("display_name")),
            )
        )

    def _logistics_changing(self):
        return self.filtered(
            lambda q: (
                not float_is_zero(
                    q.inventory_diff_quantity,
                    precision_rounding=q.product_uom_id.rounding,
                )
            )
        )

    def _logistics_variance_value(self):
        self.ensure_one()
        cost = self.product_id.with_company(self.company_id).standard_price
        return abs(self.inventory_diff_quantity) * cost

    def _apply_inventory(self):
        """Counted quantities need a reason; valuable variances need approval."""
        if self.env.context.get("logistics_exception_approval_applying") is APPROVED:
            return super()._apply_inventory()
        if not self.user_has_groups("stock.group_stock_manager"):
            # Stock refuses with its own message: only managers apply counts.
            return super()._apply_inventory()
        changing = self._logistics_changing()
        # A reason given once for the whole action (the product's "Update
        # Quantity"): a record, never an id a client could send.
        given = self.env.context.get("logistics_adjustment_reason")
        if isinstance(given, models.BaseModel) and given._name == (
            "logistics.exception.reason"
        ):
            changing.filtered(lambda q: not q.logistics_reason_id).write(
                {"logistics_reason_id": given.id}
            )
        missing = changing.filtered(lambda q: not q.logistics_reason_id)
        if missing:
            raise UserError(
                _(
                    "Give an adjustment reason (scan or pick it) for every counted "
                    "quantity that changes the stock. Missing for: %(products)s. "
                    "Nothing was applied.",
                    products=", ".join(missing.product_id.mapped("display_name")),
                )
            )
        pending = self.env["logistics.inventory.approval.line"].search(
            [("quant_id", "in", changing.ids), ("approval_id.state", "=", "to_approve")]
        )
        if pending:
            raise UserError(
                _(
                    "These counts already wait for approval (%(requests)s): "
                    "%(products)s. Nothing was applied.",
                    requests=", ".join(pending.approval_id.mapped("name")),
                    products=", ".join(pending.product_id.mapped("display_name")),
                )
            )
        to_approve = self.browse()
        for quant in changing:
            warehouse = quant.location_id.warehouse_id
            threshold = warehouse.logistics_approval_threshold
            if threshold and quant._logistics_variance_value() > threshold:
                to_approve |= quant
        direct = self - to_approve
        if to_approve:
            to_approve._logistics_request_approval()
        if not direct:
            return
        for reason, quants in direct._logistics_group_by_reason().items():
            name = reason.display_name if reason else False
            quants.with_context(
                inventory_name=name or self.env.context.get("inventory_name")
            )._logistics_apply_inventory_unchecked()
        direct.logistics_reason_id = False

    def _logistics_group_by_reason(self):
        groups = defaultdict(lambda: self.browse())
        for quant in self:
            groups[quant.logistics_reason_id] |= quant
        return groups

    def _logistics_apply_inventory_unchecked(self):
        """Stock's own application of the counts, without the reason and
        approval controls (used once a request is approved)."""
        return self.with_context(
            logistics_exception_approval_applying=APPROVED
        )._apply_inventory()

    def _logistics_request_approval(self):
        """One approval request per warehouse for these counts; the quants are
        reset (the request keeps the counted quantities)."""
        by_warehouse = defaultdict(lambda: self.browse())
        for quant in self:
            by_warehouse[quant.location_id.warehouse_id] |= quant
        vals_list = []
        for warehouse, quants in by_warehouse.items():
            dual = warehouse.logistics_dual_approval_threshold
            lines = []
            for quant in quants:
                value = quant._logistics_variance_value()
                lines.append(
                    fields.Command.create(
                        {
                            "quant_id": quant.id,
                            "product_id": quant.product_id.id,
                            "location_id": quant.location_id.id,
                            "lot_id": quant.lot_id.id,
                            "package_id": quant.package_id.id,
                            "owner_id": quant.owner_id.id,
                            "quantity": quant.quantity,
                            "counted_quantity": quant.inventory_quantity,
                            "difference": quant.inventory_diff_quantity,
                            "unit_cost": quant.product_id.with_company(
                                quant.company_id
                            ).standard_price,
                            "value": value,
                            "reason_id": quant.logistics_reason_id.id,
                        }
                    )
                )
            vals_list.append(
                {
                    "company_id": warehouse.company_id.id,
                    "warehouse_id": warehouse.id,
                    "dual_approval": bool(dual)
                    and any(q._logistics_variance_value() > dual for q in quants),
                    "line_ids": lines,
                }
            )
        requests = (
            self.env["logistics.inventory.approval"]
            .with_context(logistics_approval_asking=ASKING)
            .create(vals_list)
        )
        requests._logistics_raise_exceptions()
        requests._submit()
        self.write(
            {
                "inventory_quantity": 0,
                "inventory_quantity_set": False,
                "user_id": False,
                "logistics_reason_id": False,
            }
        )
        return requests
