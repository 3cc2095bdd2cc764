from markupsafe import Markup

from odoo import _, api, models
from odoo.tools import float_compare


class PickingShortageDetector(models.AbstractModel):
    """A delivery or an internal transfer validated with less than its
    demand. Cleared when the backorder ships in full."""

    _name = "logistics.exception.detector.picking_shortage"
    _inherit = "logistics.exception.detector"
    _description = "Delivery or internal transfer validated short"
    _area = "inventory"
    _events = ("picking_done",)

    @api.model
    def _detect(self, rules, event):
        snapshot = event.payload.get("snapshot", {})
        # The next leg of a route: the mismatch detector reports it.
        legs_elsewhere = bool(
            self.env["logistics.exception.rule"]._get_rule_ids("transfer_mismatch")
        )
        pickings = event.records.filtered(
            lambda p: p.picking_type_code in ("outgoing", "internal")
        )

        def detect_one(rule, picking):
            warehouse = picking.picking_type_id.warehouse_id
            if not rule._applies_to(picking.company_id, warehouse):
                return None
            moves = picking.move_ids
            if picking.picking_type_code == "internal" and legs_elsewhere:
                moves = moves.filtered(lambda m: not m.move_orig_ids)
            lines = [
                line
                for line in self._short_lines(rule, moves, snapshot)
                if line[2] < line[1]
            ]
            return lines and self._shortage_values(rule, picking, lines)

        return self._detect_each(rules, pickings, detect_one)

    @api.model
    def _shortage_values(self, rule, picking, lines):
        backorder = picking.backorder_ids[:1]
        if backorder:
            rest = _(
                "Backorder %(backorder)s holds the rest.", backorder=backorder.name
            )
        else:
            rest = _("No backorder was created.")
        return rule._prepare_exception_values(
            picking,
            picking.company_id,
            summary=_(
                "%(picking)s validated short on %(count)s line(s)",
                picking=picking.name,
                count=len(lines),
            ),
            description=self._describe_lines(lines) + Markup("<p>%s</p>") % rest,
            picking_id=picking.id,
            sale_id=picking.sale_id.id,
            warehouse_id=picking.picking_type_id.warehouse_id.id,
            location_id=picking.location_id.id,
            partner_id=picking.partner_id.id,
            customer_impact=picking.picking_type_code == "outgoing",
            **self._goods_values(lines),
        )

    @api.model
    def _clear(self, rules, event):
        """A backorder shipped in full (no further backorder, nothing short)
        clears the shortages of the transfers it came from."""
        if event.name != "picking_done":
            return []
        snapshot = event.payload.get("snapshot", {})
        full = event.records.filtered(
            lambda p: (
                p.backorder_id
                and p.state == "done"
                and not p.backorder_ids
                and not self._shipped_short(p, snapshot)
            )
        )
        origins = self.env["stock.picking"]
        ancestors = full.backorder_id
        while ancestors:
            origins |= ancestors
            ancestors = ancestors.backorder_id - origins
        if not origins:
            return []
        return [
            (
                self._open_exceptions(rules, [("picking_id", "in", origins.ids)]),
                _("The backorder was delivered in full: the shortage is made good."),
            )
        ]

    @api.model
    def _shipped_short(self, picking, snapshot):
        """Whether a move of ``picking`` was done with less than its demand."""
        for move in picking.move_ids:
            demand, done = snapshot.get(move.id, (move.product_uom_qty, move.quantity))
            if (
                float_compare(
                    done, demand, precision_rounding=move.product_uom.rounding
                )
                < 0
            ):
                return True
        return False
