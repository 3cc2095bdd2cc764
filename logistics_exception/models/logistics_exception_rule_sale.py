# The detectors are split by application (stock in logistics_exception_rule.py,
# sales and purchase in logistics_exception_rule_sale.py, accounting in
# logistics_exception_rule_account.py) so that each file stays readable.
# pylint: disable=consider-merging-classes-inherited
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.tools import SQL

# Outgoing moves whose goods are not all reserved yet.
WAITING_MOVE_STATES = ("confirmed", "waiting", "partially_available")


class LogisticsExceptionRule(models.Model):
    """Sales and purchase detectors: vendors that do not confirm, vendor dates
    that slip past a customer's commitment, commitments that cannot be met,
    orders confirmed over the credit limit, orders changed once confirmed."""

    _inherit = "logistics.exception.rule"

    detector = fields.Selection(
        selection_add=[
            ("po_unacknowledged", "Purchase order not confirmed by the vendor"),
            ("vendor_date_slip", "Vendor date moved past a customer commitment"),
            ("commitment_at_risk", "Sales order commitment date cannot be met"),
            ("credit_hold", "Sales order confirmed over the credit limit"),
            ("order_change", "Confirmed sales order changed"),
        ],
        ondelete={
            "po_unacknowledged": "cascade",
            "vendor_date_slip": "cascade",
            "commitment_at_risk": "cascade",
            "credit_hold": "cascade",
            "order_change": "cascade",
        },
    )

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _raise_or_log(self, record, vals, message):
        """Raise the exception of ``vals`` unless one of this rule is already
        open for ``record``: then the news goes into that one's chatter.
        For events that recur on the same document (changes, date slips)."""
        self.ensure_one()
        open_exception = (
            self.env["logistics.exception"]
            .sudo()
            .search(
                [
                    ("rule_id", "=", self.id),
                    ("is_open", "=", True),
                    ("source_key", "=like", f"{self._source_key(record)}:%"),
                ],
                limit=1,
            )
        )
        if open_exception:
            open_exception.message_post(body=message, subtype_xmlid="mail.mt_note")
            return open_exception
        return self._raise_exceptions([vals])

    # ------------------------------------------------------------------
    # Events: sales
    # ------------------------------------------------------------------
    @api.model
    def _detect_credit_hold(self, orders):
        """Confirmed orders that take the customer over their credit limit are
        put on hold: their deliveries cannot be validated until Finance
        releases them."""
        rules = self._get_rules("credit_hold")
        if not rules:
            return
        vals_list = []
        held = self.env["sale.order"]
        # The open balance and orders to invoice are computed, not stored: drop
        # what an earlier confirmation in this transaction left in the cache.
        orders.partner_id.commercial_partner_id.invalidate_recordset(
            ["credit", "credit_to_invoice"]
        )
        for order in orders:
            company = order.company_id
            if not company.account_use_credit_limit:
                continue
            # sudo: the salesperson confirming may not read accounting figures.
            partner = order.partner_id.commercial_partner_id.sudo().with_company(
                company
            )
            if not partner.credit_limit:
                continue
            exposure = partner.credit + partner.credit_to_invoice
            if exposure <= partner.credit_limit:
                continue
            rule = next(
                (r for r in rules if r._applies_to(company, order.warehouse_id)), None
            )
            if not rule:
                continue
            held |= order
            vals_list.append(
                rule._prepare_exception_values(
                    order,
                    company,
                    summary=_(
                        "%(order)s confirmed over the credit limit of %(partner)s",
                        order=order.name,
                        partner=partner.display_name,
                    ),
                    description=Markup("<p>%s</p>")
                    % _(
                        "Credit limit %(limit)s, open balance and orders to invoice "
                        "%(exposure)s. Deliveries of the order are held until "
                        "Finance releases it.",
                        limit=partner.credit_limit,
                        exposure=exposure,
                    ),
                    sale_id=order.id,
                    partner_id=order.partner_id.id,
                    warehouse_id=order.warehouse_id.id,
                    customer_impact=True,
                    financial_impact=exposure - partner.credit_limit,
                )
            )
        if held:
            held.sudo().write({"logistics_credit_hold": True})
        self._raise_exceptions(vals_list)

    @api.model
    def _clear_credit_hold(self, orders, reason):
        rules = self._get_rules("credit_hold")
        if rules:
            self._clear_exceptions(
                [("rule_id", "in", rules.ids), ("sale_id", "in", orders.ids)],
                _("Finance released the credit hold: %s", reason),
            )

    @api.model
    def _detect_order_change(self, orders, changed_fields):
        """A confirmed order's lines, address or date changed: the customer
        asked for a change that warehouse and dispatch must absorb."""
        rules = self._get_rules("order_change")
        if not rules:
            return
        labels = [orders._fields[name].string for name in sorted(changed_fields)]
        now = fields.Datetime.now()
        for order in orders.filtered(lambda o: o.state == "sale"):
            for rule in rules:
                if not rule._applies_to(order.company_id, order.warehouse_id):
                    continue
                message = _(
                    "%(order)s changed after confirmation: %(fields)s",
                    order=order.name,
                    fields=", ".join(labels),
                )
                vals = rule._prepare_exception_values(
                    order,
                    order.company_id,
                    summary=message,
                    sale_id=order.id,
                    partner_id=order.partner_id.id,
                    warehouse_id=order.warehouse_id.id,
                    customer_impact=True,
                    source_key=rule._source_key(
                        order, f"change:{fields.Datetime.to_string(now)}"
                    ),
                )
                rule._raise_or_log(order, vals, message)

    # ------------------------------------------------------------------
    # Events: purchase
    # ------------------------------------------------------------------
    @api.model
    def _detect_vendor_date_slip(self, purchase_lines):
        """A vendor's expected date moved later than the commitment date of
        sales orders that wait for those goods: the purchase line gets a root
        exception and each sales order an 'at risk' consequence. When the
        date comes back in time, both clear."""
        rules = self._get_rules("vendor_date_slip")
        if not rules:
            return
        # sudo: a buyer reschedules without rights on sales or on the queues.
        lines = purchase_lines.sudo().filtered(
            lambda pl: pl.order_id.state in ("purchase", "done") and pl.date_planned
        )
        if not lines:
            return
        at_risk = self._sales_at_risk_by_purchase_line(lines)
        Exception_ = self.env["logistics.exception"].sudo()
        open_slips = self._open_slips(rules, lines)
        slips = []
        back_in_time = Exception_
        in_time = Exception_
        for line in lines:
            late = at_risk[line]
            order = line.order_id
            for rule in rules:
                if not rule._applies_to(
                    order.company_id, order.picking_type_id.warehouse_id
                ):
                    continue
                # The slip and its consequences, even those whose root was
                # closed by hand in the meantime.
                raised = rule._slip_exceptions(open_slips, line)
                if not late:
                    back_in_time |= raised
                    continue
                slips.append((rule, line, late, line.date_planned))
                in_time |= raised.filtered(
                    lambda e, so=late: e.sale_id and e.sale_id not in so
                )
        self._raise_date_slips(slips, open_slips)
        if back_in_time:
            self._clear_exceptions(
                [("id", "in", back_in_time.ids)],
                _("The vendor's date is back before the promised dates."),
            )
            # Orders the scan put at risk and linked to the slip.
            in_time |= self._commitments_in_time(
                Exception_.search(
                    [
                        ("parent_id", "in", back_in_time.ids),
                        ("is_open", "=", True),
                        ("rule_id", "in", self._get_rules("commitment_at_risk").ids),
                    ]
                )
            )
        if in_time:
            self._clear_exceptions(
                [("id", "in", in_time.ids)],
                _("The goods are forecast in time for the promised date now."),
            )

    @api.model
    def _open_slips(self, rules, lines):
        """The open exceptions of slip ``rules`` on the purchase orders of
        ``lines``: the slips and their consequences."""
        return (
            self.env["logistics.exception"]
            .sudo()
            .search(
                [
                    ("rule_id", "in", rules.ids),
                    ("is_open", "=", True),
                    ("purchase_id", "in", lines.order_id.ids),
                ]
            )
        )

    def _slip_exceptions(self, open_slips, line):
        """The slip of purchase ``line`` and its consequences among
        ``open_slips``."""
        self.ensure_one()
        key = self._source_key(line)
        return open_slips.filtered(
            lambda e: (
                e.rule_id == self
                and (
                    (e.source_key or "").startswith(f"{key}:")
                    or (e.source_key or "").endswith(f":{key}")
                )
            )
        )

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
    def _raise_date_slips(self, slips, open_slips=None):
        """``slips``: (rule, purchase line, sales orders at risk, vendor date).
        Raise the slip of each line (or log the news on its open one) and the
        'at risk' consequences of the orders, linked to it. An order the scan
        already put at risk is linked to the slip instead of raised twice."""
        if not slips:
            return
        roots = self._raise_slip_roots(slips, open_slips)
        sales = self.env["sale.order"].union(*(orders for _r, _l, orders, _d in slips))
        scanned = {
            exception.sale_id: exception
            for exception in self.env["logistics.exception"]
            .sudo()
            .search(
                [
                    ("rule_id", "in", self._get_rules("commitment_at_risk").ids),
                    ("is_open", "=", True),
                    ("sale_id", "in", sales.ids),
                ]
            )
        }
        vals_list = []
        to_link = defaultdict(lambda: self.env["logistics.exception"].sudo())
        for rule, line, orders, date in slips:
            root = roots.get((rule, line), self.env["logistics.exception"])
            for sale in orders:
                if sale in scanned:
                    if root and not scanned[sale].parent_id:
                        to_link[root] |= scanned[sale]
                    continue
                vals_list.append(rule._prepare_at_risk_values(line, sale, date, root))
        for root, exceptions in to_link.items():
            exceptions.write({"parent_id": root.id})
        self._raise_exceptions(vals_list)

    @api.model
    def _raise_slip_roots(self, slips, open_slips=None):
        """The open slip of each (rule, purchase line) of ``slips``, raised
        where there is none and told the news where there is one:
        {(rule, line): root}. ``open_slips``: the open exceptions of the
        purchase orders, when the caller has read them already."""
        lines = self.env["purchase.order.line"].union(*(s[1] for s in slips))
        if open_slips is None:
            open_slips = self._open_slips(self._get_rules("vendor_date_slip"), lines)
        roots = {
            (slip.rule_id, slip.source_ref): slip
            for slip in open_slips
            if not slip.parent_id and slip.source_ref
        }
        vals_list = []
        for rule, line, orders, date in slips:
            message = rule._slip_message(line, orders, date)
            root = roots.get((rule, line))
            if root:
                root.message_post(body=message, subtype_xmlid="mail.mt_note")
            else:
                vals_list.append(rule._prepare_slip_values(line, date, message))
        for root in self._raise_exceptions(vals_list):
            roots[root.rule_id, root.source_ref] = root
        return roots

    def _slip_message(self, line, orders, date):
        """What the vendor of ``line`` expected on ``date`` means to the
        customers of ``orders``."""
        self.ensure_one()
        values = {
            "vendor": line.order_id.partner_id.display_name,
            "product": line.product_id.display_name,
            "order": line.order_id.name,
            "date": fields.Datetime.to_string(date),
            "customers": ", ".join(orders.partner_id.mapped("display_name")),
        }
        if date < fields.Datetime.now():
            return _(
                "%(vendor)s has not delivered %(product)s of %(order)s, due on "
                "%(date)s: the dates promised to %(customers)s are at risk",
                **values,
            )
        return _(
            "%(vendor)s now expects %(product)s of %(order)s on %(date)s, "
            "after the date promised to %(customers)s",
            **values,
        )

    def _prepare_slip_values(self, line, date, message):
        """Values of the slip (the root) on purchase ``line``."""
        self.ensure_one()
        order = line.order_id
        return self._prepare_exception_values(
            line,
            order.company_id,
            summary=message,
            purchase_id=order.id,
            partner_id=order.partner_id.id,
            product_id=line.product_id.id,
            warehouse_id=order.picking_type_id.warehouse_id.id,
            source_key=self._source_key(
                line, f"slip:{fields.Datetime.to_string(date)}"
            ),
        )

    def _prepare_at_risk_values(self, line, sale, date, root):
        """Values of the 'at risk' consequence of the slip ``root`` of
        purchase ``line`` on ``sale``."""
        self.ensure_one()
        at_risk = self._find_reason("COMMITMENT_AT_RISK", sale.company_id, False)
        return {
            "rule_id": self.id,
            "detected_by": "rule",
            "category_id": (at_risk.category_id or self.category_id).id,
            "reason_id": at_risk.id,
            "company_id": sale.company_id.id,
            "source_ref": f"sale.order,{sale.id}",
            "source_key": self._source_key(sale, self._source_key(line)),
            "summary": _(
                "%(order)s at risk: %(product)s now expected %(date)s, "
                "promised for %(commitment)s",
                order=sale.name,
                product=line.product_id.display_name,
                date=fields.Datetime.to_string(date),
                commitment=fields.Datetime.to_string(sale.commitment_date),
            ),
            "sale_id": sale.id,
            "purchase_id": line.order_id.id,
            "partner_id": sale.partner_id.id,
            "warehouse_id": sale.warehouse_id.id,
            "product_id": line.product_id.id,
            "customer_impact": True,
            "parent_id": root.id,
        }

    # ------------------------------------------------------------------
    # Forecast
    # ------------------------------------------------------------------
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
        moves = exceptions.sale_id.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing"
        ).move_ids.filtered(lambda m: m.state in WAITING_MOVE_STATES)
        late = self.env["stock.move"].union(*self._forecast_supply_risks(moves))
        late_sales = late.picking_id.sale_id
        return exceptions.filtered(lambda e: e.sale_id not in late_sales)

    # ------------------------------------------------------------------
    # Scheduled scan
    # ------------------------------------------------------------------
    def _iter_batches(self, query, batch_size):
        """Ids returned by ``query(last_id, batch_size)`` (an SQL selecting ids
        greater than ``last_id`` in order), batch after batch until none are
        left: candidates the Python filters drop are not read again."""
        last_id = 0
        while True:
            self.env.flush_all()
            self.env.cr.execute(query(last_id, batch_size))
            ids = [row[0] for row in self.env.cr.fetchall()]
            if not ids:
                return
            last_id = ids[-1]
            yield ids

    def _scan_po_unacknowledged(self, batch_size):
        """Requests for quotation sent and not confirmed, and confirmed orders
        whose vendor was asked to acknowledge the receipt date and has not,
        after the grace period."""
        self.ensure_one()
        limit = fields.Datetime.now() - timedelta(hours=self.threshold_hours or 0.0)

        def query(last_id, rows):
            return SQL(
                """
                SELECT po.id
                  FROM purchase_order po
                 WHERE po.id > %(last_id)s %(companies)s
                   AND (
                        (po.state = 'sent' AND po.date_order < %(limit)s)
                        OR (po.state = 'purchase'
                            AND NOT COALESCE(po.mail_reception_confirmed, FALSE)
                            AND po.date_approve < %(limit)s
                            AND po.date_approve >= %(window)s)
                   )
                   AND NOT EXISTS (
                        SELECT 1 FROM logistics_exception e
                         WHERE e.rule_id = %(rule)s AND e.purchase_id = po.id
                   )
              ORDER BY po.id
                 LIMIT %(rows)s
                """,
                last_id=last_id,
                companies=self._company_filter(SQL("po.company_id")),
                limit=limit,
                window=limit - timedelta(days=7),
                rule=self.id,
                rows=rows,
            )

        for ids in self._iter_batches(query, batch_size):
            # Confirmed orders only count when the vendor was asked to
            # acknowledge (a per-vendor setting, not stored on the order):
            # looked at for a week after confirmation, then left alone.
            orders = (
                self.env["purchase.order"]
                .browse(ids)
                .filtered(
                    lambda po: (
                        (po.state == "sent" or po.receipt_reminder_email)
                        and self._applies_to(
                            po.company_id, po.picking_type_id.warehouse_id
                        )
                    )
                )
            )
            self._raise_exceptions(
                [
                    self._prepare_exception_values(
                        order,
                        order.company_id,
                        summary=_(
                            "%(vendor)s has not confirmed %(order)s",
                            vendor=order.partner_id.display_name,
                            order=order.name,
                        ),
                        purchase_id=order.id,
                        partner_id=order.partner_id.id,
                        warehouse_id=order.picking_type_id.warehouse_id.id,
                    )
                    for order in orders
                ]
            )
        return False

    def _scan_commitment_at_risk(self, batch_size):
        """Confirmed orders whose commitment date falls within the horizon
        (grace period, in hours ahead; a day back at most) and whose
        deliveries wait for goods forecast after that date, or not at all."""
        self.ensure_one()
        now = fields.Datetime.now()
        slip_rules = self._get_rules("vendor_date_slip")

        def query(last_id, rows):
            return SQL(
                """
                SELECT so.id
                  FROM sale_order so
                 WHERE so.id > %(last_id)s %(companies)s
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
                last_id=last_id,
                companies=self._company_filter(SQL("so.company_id")),
                since=now - timedelta(days=1),
                horizon=now + timedelta(hours=self.threshold_hours or 72.0),
                waiting=WAITING_MOVE_STATES,
                rule=self.id,
                slip_rules=tuple(slip_rules.ids) or (0,),
                rows=rows,
            )

        for ids in self._iter_batches(query, batch_size):
            self._raise_commitments_at_risk(self.env["sale.order"].browse(ids))
        return False

    def _raise_commitments_at_risk(self, orders):
        """Raise the 'at risk' exception of ``orders`` whose goods are not
        forecast in time. Where a late purchase is behind it, the exception is
        a consequence of the vendor's slip, raised as the rescheduling would
        have (when the vendor date slip rule is active)."""
        self.ensure_one()
        moves = orders.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing"
        ).move_ids.filtered(lambda m: m.state in WAITING_MOVE_STATES)
        risks = self._forecast_supply_risks(moves)
        slip_rules = self._get_rules("vendor_date_slip")
        vals_list = []
        # (slip rule, purchase line) -> [vendor date, orders]
        slips = defaultdict(lambda: [None, self.env["sale.order"]])
        cause_of = {}
        moves_of = moves.grouped(lambda m: m.picking_id.sale_id)
        for order in orders:
            if not self._applies_to(order.company_id, order.warehouse_id):
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
                for slip_rule in slip_rules:
                    if slip_rule._applies_to(
                        line.company_id, line.order_id.picking_type_id.warehouse_id
                    ):
                        slips[slip_rule, line][0] = date
                        slips[slip_rule, line][1] |= order
                        cause_of.setdefault(order.id, (slip_rule, line))
            vals_list.append(
                self._prepare_exception_values(
                    order,
                    order.company_id,
                    summary=_(
                        "%(order)s cannot be delivered by %(date)s as promised",
                        order=order.name,
                        date=fields.Datetime.to_string(order.commitment_date),
                    ),
                    description=self._describe_shortfalls(late),
                    sale_id=order.id,
                    partner_id=order.partner_id.id,
                    warehouse_id=order.warehouse_id.id,
                    customer_impact=True,
                    product_id=late[0][0].product_id.id
                    if len({move.product_id for move, _s in late}) == 1
                    else False,
                )
            )
        if slips:
            roots = self._raise_slip_roots(
                [
                    (rule, line, late_orders, date)
                    for (rule, line), (date, late_orders) in slips.items()
                ]
            )
            for vals in vals_list:
                root = roots.get(cause_of.get(vals["sale_id"]))
                if root:
                    vals["parent_id"] = root.id
        self._raise_exceptions(vals_list)

    def _describe_shortfalls(self, late):
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
                "date": fields.Datetime.to_string(date) if date else "",
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
    def _scan_cleared(self):
        res = super()._scan_cleared()
        Exception_ = self.env["logistics.exception"].sudo()
        rules = self._get_rules("po_unacknowledged")
        if rules:
            acknowledged = Exception_.search(
                [
                    ("rule_id", "in", rules.ids),
                    ("is_open", "=", True),
                    ("purchase_id.state", "in", ("purchase", "done", "cancel")),
                ]
            ).filtered(
                lambda e: (
                    e.purchase_id.state == "cancel"
                    or e.purchase_id.mail_reception_confirmed
                    or not e.purchase_id.receipt_reminder_email
                )
            )
            if acknowledged:
                self._clear_exceptions(
                    [("id", "in", acknowledged.ids)],
                    _("The vendor confirmed the order (or it was cancelled)."),
                )
        self._clear_supply_risks()
        return res

    @api.model
    def _clear_supply_risks(self):
        """Resolve the orders at risk (of the scan, and the consequences of
        vendor slips) whose goods are ready, or forecast in time now, and the
        vendor slips that no promise waits for any more. The database keeps
        the orders whose waiting deliveries all have some stock or some
        supply due in time in their warehouse (the forecast decides for
        them): orders nothing can save are not forecast again at every run."""
        at_risk_rules = self._get_rules("commitment_at_risk")
        slip_rules = self._get_rules("vendor_date_slip")
        if not at_risk_rules and not slip_rules:
            return
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT e.id, CASE WHEN EXISTS (
                        SELECT 1 FROM stock_move m
                          JOIN stock_picking p ON p.id = m.picking_id
                          JOIN stock_picking_type pt ON pt.id = p.picking_type_id
                         WHERE p.sale_id = e.sale_id AND pt.code = 'outgoing'
                           AND m.state IN %(waiting)s
                       ) THEN 'forecast' ELSE 'ready' END
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
                 UNION ALL
                SELECT e.id, 'slip'
                  FROM logistics_exception e
                 WHERE e.rule_id IN %(slip_rules)s AND e.is_open
                   AND e.parent_id IS NULL AND e.sale_id IS NULL
                """,
                waiting=WAITING_MOVE_STATES,
                rules=tuple((at_risk_rules | slip_rules).ids),
                slip_rules=tuple(slip_rules.ids) or (0,),
                now=fields.Datetime.now(),
            )
        )
        kinds = defaultdict(list)
        for exception_id, kind in self.env.cr.fetchall():
            kinds[kind].append(exception_id)
        Exception_ = self.env["logistics.exception"].sudo()
        if kinds["ready"]:
            self._clear_exceptions(
                [("id", "in", kinds["ready"])],
                _("The goods are ready for the delivery now."),
            )
        if kinds["forecast"]:
            in_time = self._commitments_in_time(Exception_.browse(kinds["forecast"]))
            if in_time:
                self._clear_exceptions(
                    [("id", "in", in_time.ids)],
                    _("The goods are forecast in time for the promised date now."),
                )
        if kinds["slip"]:
            self._clear_slips_without_risk(Exception_.browse(kinds["slip"]))

    @api.model
    def _clear_slips_without_risk(self, roots):
        """Resolve the vendor slips ``roots`` (and their consequences) whose
        purchase line no longer puts any promise at risk: back in time,
        received, or the orders waiting for it served otherwise."""
        lines = self.env["purchase.order.line"].sudo()
        for root in roots:
            if root.source_ref._name == lines._name:
                lines |= root.source_ref
        if not lines:
            return
        at_risk = self._sales_at_risk_by_purchase_line(lines)
        open_slips = self._open_slips(roots.rule_id, lines)
        cleared = self.env["logistics.exception"].sudo()
        for root in roots:
            line = root.source_ref
            if line._name == lines._name and not at_risk[line]:
                cleared |= root.rule_id._slip_exceptions(open_slips, line)
        if cleared:
            self._clear_exceptions(
                [("id", "in", cleared.ids)],
                _("No promised date waits for these goods any more."),
            )
