from odoo import _, api, models


class ReceiptDiscrepancyDetector(models.AbstractModel):
    """Receipts of a purchase order short or over against what was ordered:
    partial receipts for what came in over, the last receipt of the lines
    for all that came against all that was ordered."""

    _name = "logistics.exception.detector.receipt_discrepancy"
    _inherit = "logistics.exception.detector"
    _description = "Receipt quantity differs from the purchase order"
    _area = "purchase"
    _events = ("picking_done", "backorder_cancelled")

    @api.model
    def _detect(self, rules, event):
        snapshot = event.payload.get("snapshot", {})
        receipts = event.records.filtered(
            lambda p: p.picking_type_code == "incoming" and p.purchase_id
        )
        if event.name == "backorder_cancelled":
            # The rest will not come: what came in against the order is final.
            receipts = receipts.filtered(lambda p: p.state == "cancel")
        if not receipts:
            return []
        find_reason = self._reason_finder(
            ("OVER_RECEIPT", "SHORT_RECEIPT"), receipts.company_id
        )

        def detect_one(rule, picking):
            warehouse = picking.picking_type_id.warehouse_id
            if not rule._applies_to(picking.company_id, warehouse):
                return None
            lines = self._receipt_gaps(rule, picking, snapshot)
            return lines and self._discrepancy_values(rule, picking, lines, find_reason)

        return self._detect_each(rules, receipts, detect_one)

    @api.model
    def _receipt_gaps(self, rule, picking, snapshot):
        """(move, ordered, received) of the lines of ``picking`` that differ
        beyond the tolerance of ``rule``, in the product's unit."""
        moves = picking.move_ids.filtered("purchase_line_id")
        if picking.backorder_ids:
            # A partial receipt: the backorder waits for the rest (the late
            # receipt rule watches it). Only what came in over counts now.
            return [
                line
                for line in self._short_lines(rule, moves, snapshot)
                if line[2] > line[1]
            ]
        # The last receipt of these lines: all that came against all that was
        # ordered, whatever the number of deliveries.
        lines = []
        for line in moves.purchase_line_id:
            if line.move_ids.filtered(lambda m: m.state not in ("done", "cancel")):
                continue  # more is still expected on another receipt
            uom = line.product_id.uom_id
            ordered = line.product_uom._compute_quantity(line.product_qty, uom)
            received = line.product_uom._compute_quantity(line.qty_received, uom)
            if rule._exceeds_tolerance(ordered, received, uom.rounding):
                move = moves.filtered(lambda m, pl=line: m.purchase_line_id == pl)[:1]
                lines.append((move, ordered, received))
        return lines

    @api.model
    def _discrepancy_values(self, rule, picking, lines, find_reason):
        over = any(done > expected for _move, expected, done in lines)
        short = any(done < expected for _move, expected, done in lines)
        values = {
            "picking": picking.name,
            "vendor": picking.partner_id.display_name,
            "order": picking.purchase_id.name,
        }
        if over and short:
            summary = _(
                "Receipt %(picking)s from %(vendor)s is over and short against "
                "%(order)s",
                **values,
            )
        elif over:
            summary = _(
                "Receipt %(picking)s from %(vendor)s is over against %(order)s",
                **values,
            )
        else:
            summary = _(
                "Receipt %(picking)s from %(vendor)s is short against %(order)s",
                **values,
            )
        extra = {}
        if not rule.reason_id:
            code = "OVER_RECEIPT" if over and not short else "SHORT_RECEIPT"
            reason = find_reason(code, picking.company_id, rule.category_id)
            if reason:
                extra["reason_id"] = reason.id
        return rule._prepare_exception_values(
            picking,
            picking.company_id,
            summary=summary,
            description=self._describe_lines(lines),
            picking_id=picking.id,
            purchase_id=picking.purchase_id.id,
            warehouse_id=picking.picking_type_id.warehouse_id.id,
            location_id=picking.location_dest_id.id,
            partner_id=picking.partner_id.id,
            **self._goods_values(lines),
            **extra,
        )
