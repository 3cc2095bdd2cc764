from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.tools import SQL

from ..engine import SCAN
from ..supply_forecast import WAITING_MOVE_STATES


class CommitmentAtRiskDetector(models.AbstractModel):
    """Confirmed orders whose commitment date falls within the horizon (the
    grace period, in hours ahead; a day back at most) and whose deliveries
    wait for goods forecast after that date, or not at all. Where a late
    purchase is behind it, the order is at risk as a consequence of the
    vendor's slip. Cleared when the goods are ready or forecast in time."""

    _name = "logistics.exception.detector.commitment_at_risk"
    _inherit = "logistics.exception.detector"
    _description = "Sales order commitment date cannot be met"
    _area = "sales"
    _scheduled = True

    @api.model
    def _scan(self, rule, batch_size, cursor):
        now = fields.Datetime.now()
        slip_rules = self.env["logistics.exception.rule"]._get_rule_ids(
            "vendor_date_slip"
        )
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT so.id
                  FROM sale_order so
                 WHERE so.id > %(cursor)s %(companies)s
                   AND so.state = 'sale'
                   AND so.commitment_date >= %(since)s
                   AND so.commitment_date < %(horizon)s
                   AND EXISTS (
                        SELECT 1 FROM stock_move m
                          JOIN stock_picking p ON p.id = m.picking_id
                          JOIN stock_picking_type pt ON pt.id = p.picking_type_id
                         WHERE p.sale_id = so.id AND pt.code = 'outgoing'
                           AND m.state IN %(waiting)s
                   )
                   AND NOT EXISTS (
                        SELECT 1 FROM logistics_exception e
                         WHERE e.sale_id = so.id
                           AND (e.rule_id = %(rule)s
                                OR (e.rule_id IN %(slip_rules)s AND e.is_open))
                   )
              ORDER BY so.id
                 LIMIT %(rows)s
                """,
                cursor=cursor or 0,
                companies=rule._company_filter(SQL("so.company_id")),
                since=now - timedelta(days=1),
                horizon=now + timedelta(hours=rule.threshold_hours or 72.0),
                waiting=WAITING_MOVE_STATES,
                rule=rule.id,
                slip_rules=slip_rules or (0,),
                rows=batch_size,
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        orders = self.env["sale.order"].browse(ids)
        return self._at_risk_values(rule, orders), self._next_cursor(ids, batch_size)

    @api.model
    def _at_risk_values(self, rule, orders):
        """Values of the 'at risk' exceptions of ``orders`` whose goods are
        not forecast in time, and of the slips of the late purchases behind
        them (when the vendor date slip rule is active), their roots."""
        Forecast = self.env["logistics.exception.supply.forecast"]
        moves = Forecast._waiting_moves(orders)
        risks = Forecast._forecast_supply_risks(moves)
        slip_rules = self.env["logistics.exception.rule"]._get_rules("vendor_date_slip")
        vals_list = []
        # (slip rule, purchase line) -> [vendor date, orders]
        slips = defaultdict(lambda: [None, self.env["sale.order"]])
        cause_of = {}
        moves_of = moves.grouped(lambda m: m.picking_id.sale_id)
        for order in orders:
            if not rule._applies_to(order.company_id, order.warehouse_id):
                continue
            late = [
                (move, shortfall)
                for move in moves_of.get(order, [])
                for shortfall in risks.get(move, [])
            ]
            if not late:
                continue
            # The latest vendor decides when the order can leave.
            purchases = sorted(
                (
                    (date, supply.purchase_line_id)
                    for _move, (_qty, supply, date) in late
                    if supply.purchase_line_id
                ),
                key=lambda item: item[0],
                reverse=True,
            )
            for date, line in purchases:
                warehouse = line.order_id.picking_type_id.warehouse_id
                for slip_rule in slip_rules:
                    if slip_rule._applies_to(line.company_id, warehouse):
                        slips[slip_rule, line][0] = date
                        slips[slip_rule, line][1] |= order
                        cause_of.setdefault(order.id, (slip_rule, line))
            products = {move.product_id for move, _shortfall in late}
            vals_list.append(
                rule._prepare_exception_values(
                    order,
                    order.company_id,
                    summary=_(
                        "%(order)s cannot be delivered by %(date)s as promised",
                        order=order.name,
                        date=self._local_datetime(
                            order.commitment_date, order.warehouse_id
                        ),
                    ),
                    description=self._describe_shortfalls(late, order.warehouse_id),
                    sale_id=order.id,
                    partner_id=order.partner_id.id,
                    warehouse_id=order.warehouse_id.id,
                    customer_impact=True,
                    product_id=products.pop().id if len(products) == 1 else False,
                )
            )
        if not slips:
            return vals_list
        Slip = self.env["logistics.exception.detector.vendor_date_slip"]
        roots = {
            (slip_rule, line): Slip._slip_values(slip_rule, line, late_orders, date)
            for (slip_rule, line), (date, late_orders) in slips.items()
        }
        for vals in vals_list:
            cause = cause_of.get(vals["sale_id"])
            if cause:
                vals["parent_key"] = roots[cause]["source_key"]
        return list(roots.values()) + vals_list

    @api.model
    def _describe_shortfalls(self, late, warehouse):
        """A list of the goods of ``late`` (move, (quantity, supply, date))
        and what keeps them from being on time."""
        now = fields.Datetime.now()
        items = []
        for move, (quantity, supply, date) in late:
            values = {
                "product": move.product_id.display_name,
                "qty": f"{quantity:g}",
                "uom": move.product_id.uom_id.name,
                "document": supply.picking_id.name or supply.reference or "",
                "date": self._local_datetime(date, warehouse) if date else "",
            }
            if not supply:
                text = _("%(qty)s %(uom)s of %(product)s: no incoming supply", **values)
            elif date < now:
                text = _(
                    "%(qty)s %(uom)s of %(product)s: %(document)s was due on "
                    "%(date)s and has not arrived",
                    **values,
                )
            else:
                text = _(
                    "%(qty)s %(uom)s of %(product)s: %(document)s expected on %(date)s",
                    **values,
                )
            items.append(Markup("<li>%s</li>") % text)
        return Markup("<ul>%s</ul>") % Markup("").join(items)

    @api.model
    def _clear(self, rules, event):
        if event.name != SCAN:
            return []
        return self.env["logistics.exception.supply.forecast"]._cleared_supply_risks(
            rules, event.payload.get("batch_size", 500)
        )
