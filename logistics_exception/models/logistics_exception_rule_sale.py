# The detectors are split by application (stock in logistics_exception_rule.py,
# sales and purchase in logistics_exception_rule_sale.py, accounting in
# logistics_exception_rule_account.py) so that each file stays readable.
# pylint: disable=consider-merging-classes-inherited
from datetime import timedelta

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.tools import SQL


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
        open_slips = (
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
        root_of = {
            (slip.rule_id, slip.source_ref): slip
            for slip in open_slips
            if not slip.parent_id and slip.source_ref
        }
        for line in lines:
            waiting = (
                line.move_dest_ids | line.move_ids.move_dest_ids
            ).picking_id.sale_id
            late = waiting.filtered(
                lambda so, pl=line: (
                    so.commitment_date and so.commitment_date < pl.date_planned
                )
            )
            order = line.order_id
            for rule in rules:
                if not rule._applies_to(
                    order.company_id, order.picking_type_id.warehouse_id
                ):
                    continue
                root = root_of.get((rule, line))
                if not late:
                    # The slip and its consequences, even those whose root
                    # was closed by hand in the meantime.
                    line_key = rule._source_key(line)
                    cleared = open_slips.filtered(
                        lambda e, r=rule, k=line_key: (
                            e.rule_id == r
                            and (
                                (e.source_key or "").startswith(f"{k}:")
                                or (e.source_key or "").endswith(f":{k}")
                            )
                        )
                    )
                    if cleared:
                        rule._clear_exceptions(
                            [("id", "in", cleared.ids)],
                            _("The vendor's date is back before the promised dates."),
                        )
                    continue
                rule._raise_date_slip(line, late, root)

    def _raise_date_slip(self, line, late_orders, root):
        """Raise (or log on the open ``root``) the slip of ``line`` and the
        'at risk' consequences on ``late_orders``."""
        self.ensure_one()
        order = line.order_id
        date = fields.Datetime.to_string(line.date_planned)
        message = _(
            "%(vendor)s now expects %(product)s of %(order)s on %(date)s, "
            "after the date promised to %(customers)s",
            vendor=order.partner_id.display_name,
            product=line.product_id.display_name,
            order=order.name,
            date=date,
            customers=", ".join(late_orders.partner_id.mapped("display_name")),
        )
        if root:
            root.message_post(body=message, subtype_xmlid="mail.mt_note")
        else:
            root = self._raise_exceptions(
                [
                    self._prepare_exception_values(
                        line,
                        order.company_id,
                        summary=message,
                        purchase_id=order.id,
                        partner_id=order.partner_id.id,
                        product_id=line.product_id.id,
                        warehouse_id=order.picking_type_id.warehouse_id.id,
                        source_key=self._source_key(line, f"slip:{date}"),
                    )
                ]
            )
        at_risk = self._find_reason("COMMITMENT_AT_RISK", order.company_id, False)
        self._raise_exceptions(
            [
                {
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
                        date=date,
                        commitment=fields.Datetime.to_string(sale.commitment_date),
                    ),
                    "sale_id": sale.id,
                    "purchase_id": order.id,
                    "partner_id": sale.partner_id.id,
                    "warehouse_id": sale.warehouse_id.id,
                    "product_id": line.product_id.id,
                    "customer_impact": True,
                    "parent_id": root[:1].id,
                }
                for sale in late_orders
            ]
        )

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
        deliveries are not ready while the goods are forecast after that
        date, or not at all."""
        self.ensure_one()
        now = fields.Datetime.now()

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
                        SELECT 1 FROM stock_picking p
                          JOIN stock_picking_type pt ON pt.id = p.picking_type_id
                         WHERE p.sale_id = so.id AND pt.code = 'outgoing'
                           AND p.state IN ('confirmed', 'waiting')
                   )
                   AND NOT EXISTS (
                        SELECT 1 FROM logistics_exception e
                         WHERE e.rule_id = %(rule)s AND e.sale_id = so.id
                   )
              ORDER BY so.id
                 LIMIT %(rows)s
                """,
                last_id=last_id,
                companies=self._company_filter(SQL("so.company_id")),
                since=now - timedelta(days=1),
                horizon=now + timedelta(hours=self.threshold_hours or 72.0),
                rule=self.id,
                rows=rows,
            )

        for ids in self._iter_batches(query, batch_size):
            self._raise_commitments_at_risk(self.env["sale.order"].browse(ids))
        return False

    def _raise_commitments_at_risk(self, orders):
        self.ensure_one()
        moves = orders.picking_ids.filtered(
            lambda p: (
                p.picking_type_code == "outgoing"
                and p.state in ("confirmed", "waiting")
            )
        ).move_ids.filtered(lambda m: m.state not in ("done", "cancel", "assigned"))
        vals_list = []
        for order in orders:
            if not self._applies_to(order.company_id, order.warehouse_id):
                continue
            late = []
            for move in moves.filtered(lambda m, o=order: m.picking_id.sale_id == o):
                expected = move.forecast_expected_date
                short = move.forecast_availability < move.product_uom_qty
                if short and (not expected or expected > order.commitment_date):
                    late.append((move, expected))
            if not late:
                continue
            items = Markup("").join(
                Markup("<li>%s</li>")
                % _(
                    "%(product)s: %(when)s",
                    product=move.product_id.display_name,
                    when=fields.Datetime.to_string(expected)
                    if expected
                    else _("no incoming supply"),
                )
                for move, expected in late
            )
            vals_list.append(
                self._prepare_exception_values(
                    order,
                    order.company_id,
                    summary=_(
                        "%(order)s cannot be delivered by %(date)s as promised",
                        order=order.name,
                        date=fields.Datetime.to_string(order.commitment_date),
                    ),
                    description=Markup("<ul>%s</ul>") % items,
                    sale_id=order.id,
                    partner_id=order.partner_id.id,
                    warehouse_id=order.warehouse_id.id,
                    customer_impact=True,
                    product_id=late[0][0].product_id.id if len(late) == 1 else False,
                )
            )
        self._raise_exceptions(vals_list)

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
        rules = self._get_rules("commitment_at_risk")
        if rules:
            delivered = Exception_.search(
                [("rule_id", "in", rules.ids), ("is_open", "=", True)]
            ).filtered(
                lambda e: all(
                    p.state in ("done", "cancel", "assigned")
                    for p in e.sale_id.picking_ids
                    if p.picking_type_code == "outgoing"
                )
            )
            if delivered:
                self._clear_exceptions(
                    [("id", "in", delivered.ids)],
                    _("The goods are ready for the delivery now."),
                )
        return res
