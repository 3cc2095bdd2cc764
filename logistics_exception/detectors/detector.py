"""The detector protocol.

A detector is an abstract model named ``logistics.exception.detector.<key>``
that inherits ``logistics.exception.detector``: ``<key>`` is what a rule
stores in its ``detector`` field, the model's ``_description`` is the label
admins choose from. It declares the events it listens to (``_events``) and
whether it scans documents as time passes (``_scheduled``), and implements
up to three hooks:

``_detect(rules, event)``
    Records in, exception values out: one dict per exception, made with
    ``rule._prepare_exception_values``. Called for the events it listens to.
``_scan(rule, batch_size, cursor)``
    One batch of the documents that are due, from ``cursor`` on: returns the
    values of their exceptions and the cursor of the next batch, or ``None``
    when nothing is left. Called by the scheduled job when ``_scheduled``.
``_clear(rules, event)``
    Which of its open exceptions no longer hold: a list of (exceptions,
    message) pairs. Called for the events it listens to and at each
    scheduled scan (event ``scan``).

The engine (``detectors/engine.py``) does the rest: it finds the active rules,
creates the exceptions once per source event, links root causes and resolves
what cleared. A detector changes no document: the flow that fires an event
owns its side effects. Adding a detector is one file plus one rule record.
"""

from babel.dates import format_datetime as babel_format_datetime
from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.tools import SQL
from odoo.tools.misc import babel_locale_parse, get_lang, posix_to_ldml

from .engine import SCAN

# Areas, in the order the detectors are listed to admins.
AREAS = ("inventory", "purchase", "sales", "accounting")


class LogisticsExceptionDetector(models.AbstractModel):
    _name = "logistics.exception.detector"
    _description = "Logistics Exception Detector"

    # The events the detector listens to (see the engine for their names).
    _events = ()
    # Whether the scheduled job runs its ``_scan``.
    _scheduled = False
    # Where it belongs: inventory, purchase, sales, accounting (or another).
    _area = None

    @property
    def _area_sequence(self):
        return AREAS.index(self._area) if self._area in AREAS else len(AREAS)

    # ------------------------------------------------------------------
    # Hooks
    # ------------------------------------------------------------------
    @api.model
    def _detect(self, rules, event):
        """Values of the exceptions ``rules`` (of this detector) find on
        ``event.records``."""
        return []

    @api.model
    def _scan(self, rule, batch_size, cursor):
        """(values, next cursor or None) of one batch of due documents."""
        return [], None

    @api.model
    def _clear(self, rules, event):
        """(exceptions, message) pairs of the open exceptions of ``rules``
        whose condition no longer holds."""
        return []

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    @api.model
    def _detect_each(self, rules, records, detect_one):
        """The values ``detect_one(rule, record)`` returns (a dict, or None
        when the record is fine) for each of ``rules`` and ``records``."""
        vals_list = []
        for rule in rules:
            for record in records:
                vals = detect_one(rule, record)
                if vals:
                    vals_list.append(vals)
        return vals_list

    @api.model
    def _detect_with_first_rule(self, rules, records, detect_one):
        """The values ``detect_one(rule, record)`` returns for each of
        ``records`` with the first of ``rules`` that applies to the record's
        company: one exception per record, whatever the number of rules."""
        vals_list = []
        for record in records:
            rule = next((r for r in rules if r._applies_to(record.company_id)), None)
            vals = rule and detect_one(rule, record)
            if vals:
                vals_list.append(vals)
        return vals_list

    @api.model
    def _open_exceptions(self, rules, domain):
        """The open exceptions ``rules`` raised that match ``domain``."""
        if not rules:
            return self.env["logistics.exception"].sudo()
        return (
            self.env["logistics.exception"]
            .sudo()
            .with_context(active_test=False)
            .search([("rule_id", "in", rules.ids), ("is_open", "=", True), *domain])
        )

    @api.model
    def _local_datetime(self, value, warehouse=None):
        """``value`` (UTC) as people read it: in the time zone of the
        warehouse's address, else the user's, else the company's, with the
        zone named and the date in the language's format."""
        if not value:
            return ""
        tz = (
            (warehouse and warehouse.partner_id.tz)
            or self.env.context.get("tz")
            or self.env.user.tz
            or self.env.company.partner_id.tz
            or "UTC"
        )
        lang = get_lang(self.env)
        locale = babel_locale_parse(lang.code)
        pattern = f"{posix_to_ldml(lang.date_format, locale=locale)} HH:mm"
        local = babel_format_datetime(
            fields.Datetime.context_timestamp(self.with_context(tz=tz), value),
            pattern,
            locale=locale,
        )
        return f"{local} ({tz})"

    @api.model
    def _reason_finder(self, codes, companies):
        """A function ``find(code, company, category=None)`` returning the
        reason of that code (the company's own, else a shared one; in
        ``category`` unless None), read with one query for all."""
        reasons = (
            self.env["logistics.exception.reason"]
            .sudo()
            .search(
                [
                    ("code", "in", list(codes)),
                    ("company_id", "in", [False, *companies.ids]),
                ]
            )
        )

        def find(code, company, category=None):
            matching = reasons.filtered(
                lambda r: (
                    r.code == code
                    and r.company_id in (company, company.browse())
                    and (category is None or r.category_id == category)
                )
            )
            return matching.filtered("company_id")[:1] or matching[:1]

        return find

    # Goods -------------------------------------------------------------
    @api.model
    def _in_product_uom(self, move, quantity):
        return move.product_uom._compute_quantity(
            quantity, move.product_id.uom_id, rounding_method="HALF-UP"
        )

    @api.model
    def _short_lines(self, rule, moves, snapshot):
        """(move, demand, done) of ``moves`` that differ beyond the tolerance
        of ``rule``, in the product's unit (the unit of the tolerances).
        ``snapshot``: {move id: (demand, done)} before validation."""
        lines = []
        for move in moves:
            demand, done = snapshot.get(move.id, (move.product_uom_qty, move.quantity))
            demand = self._in_product_uom(move, demand)
            done = self._in_product_uom(move, done)
            if rule._exceeds_tolerance(demand, done, move.product_id.uom_id.rounding):
                lines.append((move, demand, done))
        return lines

    @api.model
    def _describe_lines(self, lines):
        """A list of the goods of ``lines`` (move, expected, done)."""
        items = Markup("").join(
            Markup("<li>%s</li>")
            % _(
                "%(product)s: expected %(expected)s %(uom)s, done %(done)s",
                product=move.product_id.display_name,
                expected=f"{expected:g}",
                uom=move.product_id.uom_id.name,
                done=f"{done:g}",
            )
            for move, expected, done in lines
        )
        return Markup("<ul>%s</ul>") % items

    @api.model
    def _goods_values(self, lines):
        """Product and quantities when the exception is about one product."""
        products = {move.product_id for move, _expected, _done in lines}
        if len(products) != 1:
            return {}
        return {
            "product_id": lines[0][0].product_id.id,
            "quantity_expected": sum(expected for _m, expected, _d in lines),
            "quantity_actual": sum(done for _m, _expected, done in lines),
        }

    # Scans -------------------------------------------------------------
    @api.model
    def _next_cursor(self, ids, batch_size):
        """The cursor after a batch of ``ids``: None when it was the last."""
        return ids[-1] if len(ids) >= batch_size else None

    @api.model
    def _due_pickings(self, rule, codes, date_expr, batch_size, cursor, extra=None):
        """(pickings, next cursor) of one batch of transfers of types
        ``codes`` due before now minus the grace period of ``rule``, without
        an exception of the rule, by id from ``cursor`` on."""
        limit = rule._grace_limit()
        warehouse_filter = (
            SQL("AND pt.warehouse_id IN %s", tuple(rule.warehouse_ids.ids))
            if rule.warehouse_ids
            else SQL()
        )
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT p.id
                  FROM stock_picking p
                  JOIN stock_picking_type pt ON pt.id = p.picking_type_id
                 WHERE p.id > %(cursor)s
                   AND p.state IN ('confirmed', 'waiting', 'assigned')
                   AND pt.code IN %(codes)s
                   AND %(date_expr)s < %(limit)s
                   %(companies)s
                   %(warehouse_filter)s
                   %(extra)s
                   AND NOT EXISTS (
                        SELECT 1 FROM logistics_exception e
                         WHERE e.rule_id = %(rule)s
                           AND e.picking_id = p.id
                   )
              ORDER BY p.id
                 LIMIT %(rows)s
                """,
                cursor=cursor or 0,
                codes=tuple(codes),
                date_expr=date_expr,
                limit=limit,
                companies=rule._company_filter(SQL("p.company_id")),
                warehouse_filter=warehouse_filter,
                extra=extra or SQL(),
                rule=rule.id,
                rows=batch_size,
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        return self.env["stock.picking"].browse(ids), self._next_cursor(ids, batch_size)

    @api.model
    def _cleared_when_done(self, rules, event):
        """At the scan: the exceptions of ``rules`` whose transfer got done."""
        if event.name != SCAN:
            return []
        exceptions = self._open_exceptions(
            rules, [("picking_id.state", "in", ("done", "cancel"))]
        )
        return [(exceptions, _("The transfer is done now."))]
