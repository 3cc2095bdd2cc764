from odoo import _, api, models


class TransferMismatchDetector(models.AbstractModel):
    """The second leg of a transfer (the other warehouse receiving from
    transit, the next step of a multi-step route) handled another quantity
    than the first leg sent."""

    _name = "logistics.exception.detector.transfer_mismatch"
    _inherit = "logistics.exception.detector"
    _description = "Transfer received with another quantity than was sent"
    _area = "inventory"
    _events = ("picking_done", "backorder_cancelled")

    @api.model
    def _detect(self, rules, event):
        snapshot = event.payload.get("snapshot", {})
        pickings = event.records
        if event.name == "backorder_cancelled":
            # Cancelled moves forget their origins: judge the legs they split
            # from, now that the rest will not come.
            cancelled = pickings.filtered(lambda p: p.state == "cancel")
            receipts = cancelled.filtered(
                lambda p: p.picking_type_code == "incoming" and p.purchase_id
            )
            pickings = (cancelled - receipts).backorder_id
        pickings = pickings.filtered(
            lambda p: (
                p.picking_type_code != "outgoing"
                # The rest is still to come: judged when it has come.
                and not p.backorder_ids.filtered(lambda b: b.state != "cancel")
            )
        )

        def detect_one(rule, picking):
            warehouse = picking.picking_type_id.warehouse_id
            if not rule._applies_to(picking.company_id, warehouse):
                return None
            lines = self._leg_gaps(rule, picking, snapshot)
            return lines and self._mismatch_values(rule, picking, lines)

        return self._detect_each(rules, pickings, detect_one)

    @api.model
    def _leg_gaps(self, rule, picking, snapshot):
        """(move, sent, received) of the moves of ``picking`` that received
        another quantity than their origins sent, beyond the tolerance; in
        the product's unit."""
        lines = []
        for move in picking.move_ids.filtered("move_orig_ids"):
            origins = move.move_orig_ids.filtered(lambda m: m.state == "done")
            sent = sum(
                origin.product_uom._compute_quantity(origin.quantity, move.product_uom)
                for origin in origins
            )
            if not sent:
                continue
            # Earlier partial legs from the same origins count as received.
            siblings = origins.move_dest_ids.filtered(
                lambda m, mv=move: m != mv and m.state == "done"
            )
            received = snapshot.get(move.id, (0.0, move.quantity))[1] + sum(
                sibling.product_uom._compute_quantity(
                    sibling.quantity, move.product_uom
                )
                for sibling in siblings
            )
            sent = self._in_product_uom(move, sent)
            received = self._in_product_uom(move, received)
            if rule._exceeds_tolerance(sent, received, move.product_id.uom_id.rounding):
                lines.append((move, sent, received))
        return lines

    @api.model
    def _mismatch_values(self, rule, picking, lines):
        sources = picking.move_ids.move_orig_ids.picking_id
        return rule._prepare_exception_values(
            picking,
            picking.company_id,
            summary=_(
                "%(picking)s received another quantity than %(sources)s sent",
                picking=picking.name,
                sources=", ".join(sources.mapped("name")),
            ),
            description=self._describe_lines(lines),
            picking_id=picking.id,
            warehouse_id=picking.picking_type_id.warehouse_id.id,
            location_id=picking.location_dest_id.id,
            **self._goods_values(lines),
        )
