from collections import defaultdict

from odoo import _, api, fields, models
from odoo.tools import SQL, split_every

# Outgoing moves whose goods are not all reserved yet.
WAITING_MOVE_STATES = ("confirmed", "waiting", "partially_available")


class LogisticsExceptionSupplyForecast(models.AbstractModel):
    """What the stock forecast says of the promises made to customers: which
    deliveries wait for goods that will not come in time, and from which
    purchase. Shared by the vendor date slip and the commitment at risk
    detectors."""

    _name = "logistics.exception.supply.forecast"
    _description = "Logistics Exception Supply Forecast"

    @api.model
    def _waiting_moves(self, orders):
        """Outgoing moves of ``orders`` whose goods are not all reserved."""
        return orders.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing"
        ).move_ids.filtered(lambda m: m.state in WAITING_MOVE_STATES)

    @api.model
    def _supply_date(self, move):
        """When the goods of the incoming ``move`` are expected: for a
        purchase, not before the vendor's date (rescheduling the vendor only
        moves the deadline of the receipt, not its date)."""
        vendor_date = move.purchase_line_id.date_planned
        return max(move.date, vendor_date) if vendor_date else move.date

    @api.model
    def _forecast_supply_risks(self, moves):
        """What Odoo's forecast (the Forecasted Report, which computes the
        forecast availability of moves) says of the outgoing ``moves`` of
        sales orders with a commitment date: {move: [(quantity, supply move,
        expected date)]} for those whose goods are not reserved and not
        forecast in time. The supply move is empty for the quantity that has
        none; else it comes after the commitment date, or it is a receipt
        past its date that has not arrived."""
        moves = moves.sudo().filtered(
            lambda m: (
                m.state in WAITING_MOVE_STATES
                and m.product_id.type == "product"
                and m.picking_id.sale_id.commitment_date
            )
        )
        risks = defaultdict(list)
        now = fields.Datetime.now()
        # sudo: the forecast reads every move and quant of the warehouse.
        Forecast = self.env["stock.forecasted_product_product"].sudo()
        for warehouse, wh_moves in moves.grouped(
            lambda m: m.location_id.warehouse_id
        ).items():
            if not warehouse:
                continue
            locations = (
                self.env["stock.location"]
                .sudo()
                ._search([("id", "child_of", warehouse.view_location_id.id)])
            )
            move_ids = set(wh_moves.ids)
            for line in Forecast._get_report_lines(
                False,
                wh_moves.product_id.ids,
                locations,
                warehouse.lot_stock_id,
                read=False,
            ):
                move = line["move_out"]
                if not move or move.id not in move_ids or line["reservation"]:
                    continue
                supply = line["move_in"] or self.env["stock.move"]
                if line["replenishment_filled"] and not supply:
                    continue  # in stock, or on its way within the warehouse
                date = supply and self._supply_date(supply)
                in_time = (
                    supply
                    and date <= move.picking_id.sale_id.commitment_date
                    # A receipt past its date has not come: late too.
                    and (date >= now or supply.picking_code != "incoming")
                )
                if not in_time:
                    risks[move].append((line["quantity"], supply, date))
        return risks

    @api.model
    def _commitments_in_time(self, exceptions):
        """The 'at risk' ``exceptions`` whose order is no longer at risk: no
        delivery waits for goods that are not forecast in time."""
        moves = self._waiting_moves(exceptions.sale_id)
        late = self.env["stock.move"].union(*self._forecast_supply_risks(moves))
        late_sales = late.picking_id.sale_id
        return exceptions.filtered(lambda e: e.sale_id not in late_sales)

    @api.model
    def _sales_at_risk_by_purchase_line(self, lines):
        """Sales orders put at risk by the late supply of purchase ``lines``:
        {line: orders}. Make-to-stock, Odoo's forecast tells which waiting
        deliveries of the product each receipt covers; make-to-order, the
        deliveries the receipt is chained to wait for it whatever the
        warehouse. Override me for other sources of supply."""
        chained = (lines.move_dest_ids | lines.move_ids.move_dest_ids).picking_id
        warehouses = lines.order_id.picking_type_id.warehouse_id
        waiting = (
            self.env["stock.move"]
            .sudo()
            .search(
                [
                    ("product_id", "in", lines.product_id.ids),
                    ("state", "in", WAITING_MOVE_STATES),
                    ("picking_type_id.code", "=", "outgoing"),
                    ("picking_id.sale_id.commitment_date", "!=", False),
                    "|",
                    ("location_id", "child_of", warehouses.view_location_id.ids),
                    ("picking_id.sale_id", "in", chained.sale_id.ids),
                ]
            )
        )
        at_risk = defaultdict(lambda: self.env["sale.order"].sudo())
        for move, shortfalls in self._forecast_supply_risks(waiting).items():
            for _quantity, supply, _date in shortfalls:
                if supply.purchase_line_id in lines:
                    at_risk[supply.purchase_line_id] |= move.picking_id.sale_id
        waiting_sales = waiting.picking_id.sale_id
        for line in lines:
            orders = (
                line.move_dest_ids | line.move_ids.move_dest_ids
            ).picking_id.sale_id & waiting_sales
            at_risk[line] |= orders.filtered(
                lambda so, pl=line: so.commitment_date < pl.date_planned
            )
        return at_risk

    @api.model
    def _cleared_supply_risks(self, rules, batch_size):
        """(exceptions, message) pairs of the open exceptions of ``rules`` on
        sales orders that are no longer at risk: goods ready, or forecast in
        time now. The database keeps the orders whose waiting deliveries all
        have some stock or some supply due in time in their warehouse (the
        forecast decides for them, a batch at a time): orders nothing can
        save are not forecast again at every run."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT e.id, EXISTS (
                        SELECT 1 FROM stock_move m
                          JOIN stock_picking p ON p.id = m.picking_id
                          JOIN stock_picking_type pt ON pt.id = p.picking_type_id
                         WHERE p.sale_id = e.sale_id AND pt.code = 'outgoing'
                           AND m.state IN %(waiting)s
                       )
                  FROM logistics_exception e
                  JOIN sale_order so ON so.id = e.sale_id
                 WHERE e.rule_id IN %(rules)s AND e.is_open
                   AND NOT EXISTS (
                        SELECT 1 FROM stock_move m
                          JOIN stock_picking p ON p.id = m.picking_id
                          JOIN stock_picking_type pt ON pt.id = p.picking_type_id
                          JOIN stock_location src ON src.id = m.location_id
                         WHERE p.sale_id = e.sale_id AND pt.code = 'outgoing'
                           AND m.state IN %(waiting)s
                           AND NOT EXISTS (
                                SELECT 1 FROM stock_quant q
                                  JOIN stock_location l ON l.id = q.location_id
                                 WHERE q.product_id = m.product_id
                                   AND q.quantity > 0
                                   AND l.warehouse_id = src.warehouse_id
                           )
                           AND NOT EXISTS (
                                SELECT 1 FROM stock_move i
                                  JOIN stock_location dest
                                    ON dest.id = i.location_dest_id
                                  JOIN stock_location orig ON orig.id = i.location_id
                                  LEFT JOIN stock_picking_type ipt
                                    ON ipt.id = i.picking_type_id
                                  LEFT JOIN purchase_order_line pol
                                    ON pol.id = i.purchase_line_id
                                 WHERE i.product_id = m.product_id
                                   AND i.state NOT IN ('draft', 'cancel', 'done')
                                   AND dest.warehouse_id = src.warehouse_id
                                   AND orig.warehouse_id IS DISTINCT FROM
                                       src.warehouse_id
                                   AND GREATEST(i.date, pol.date_planned)
                                       <= so.commitment_date
                                   AND (GREATEST(i.date, pol.date_planned) >= %(now)s
                                        OR ipt.code IS DISTINCT FROM 'incoming')
                           )
                   )
              ORDER BY e.id
                """,
                waiting=WAITING_MOVE_STATES,
                rules=tuple(rules.ids),
                now=fields.Datetime.now(),
            )
        )
        ready, to_forecast = [], []
        for exception_id, waiting in self.env.cr.fetchall():
            (to_forecast if waiting else ready).append(exception_id)
        Exception_ = self.env["logistics.exception"].sudo()
        cleared = [
            (Exception_.browse(ready), _("The goods are ready for the delivery now."))
        ]
        for ids in split_every(batch_size, to_forecast):
            cleared.append(
                (
                    self._commitments_in_time(Exception_.browse(ids)),
                    _("The goods are forecast in time for the promised date now."),
                )
            )
        return cleared
