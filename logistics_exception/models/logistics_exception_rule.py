import logging
from datetime import timedelta

from markupsafe import Markup, escape

from odoo import _, api, fields, models, tools
from odoo.tools import SQL, float_compare, float_is_zero

from .logistics_exception_category import SEVERITIES

_logger = logging.getLogger(__name__)

# The inventory detectors. Those with a ``_scan_<detector>`` method watch time
# passing and run from the scheduled scan; the others react to an event inside
# its transaction. Sales, purchase and accounting detectors are added by
# logistics_exception_rule_<app>.py with ``selection_add``.
# Chains of consequences: an open exception on the supply of a product (root)
# causes the shortages and the promises at risk on that product (symptoms).
ROOT_CAUSE_CATEGORIES = ("RECEIPT_DISCREPANCY", "SUPPLIER_DELAY")
SYMPTOM_CATEGORIES = ("STOCK_SHORTAGE", "URGENT_EXPEDITE")
DETECTORS = [
    ("picking_shortage", "Delivery or internal transfer validated short"),
    ("receipt_discrepancy", "Receipt quantity differs from the purchase order"),
    ("scrap", "Goods scrapped from a transfer"),
    ("transfer_mismatch", "Transfer received with another quantity than was sent"),
    ("late_transfer", "Transfer not done past its scheduled date"),
    ("late_receipt", "Receipt late against the vendor's promised date"),
]


class LogisticsExceptionRule(models.Model):
    """A configured detector: what it watches, its thresholds, and what the
    exceptions it raises look like. Each detector is a small method
    ``_detect_<detector>`` (events) or ``_scan_<detector>`` (time), so that
    another module adds one with a ``selection_add`` and a method."""

    _name = "logistics.exception.rule"
    _description = "Logistics Exception Detection Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    detector = fields.Selection(DETECTORS, required=True)
    description = fields.Text(
        translate=True, help="What this rule watches, in the users' words."
    )
    category_id = fields.Many2one(
        "logistics.exception.category", required=True, ondelete="restrict"
    )
    reason_id = fields.Many2one(
        "logistics.exception.reason",
        ondelete="restrict",
        domain="[('category_id', '=', category_id)]",
    )
    severity = fields.Selection(
        SEVERITIES, help="Overrides the severity of the reason and category."
    )
    threshold_percent = fields.Float(
        string="Tolerance (%)",
        help="Differences up to this share of the expected quantity are ignored.",
    )
    threshold_quantity = fields.Float(
        string="Tolerance (quantity)",
        help="Differences up to this quantity (in the product's unit) are ignored.",
    )
    threshold_hours = fields.Float(
        string="Grace Period (hours)",
        help="How long past the due date before the rule raises an exception.",
    )
    threshold_amount = fields.Float(
        string="Tolerance (amount)",
        help="Differences up to this amount are ignored.",
    )
    warehouse_ids = fields.Many2many(
        "stock.warehouse",
        string="Warehouses",
        help="Only events of these warehouses. Empty: every warehouse.",
    )
    company_ids = fields.Many2many(
        "res.company",
        string="Companies",
        help="Only events of these companies. Empty: every company.",
    )
    exception_ids = fields.One2many("logistics.exception", "rule_id")
    exception_count = fields.Integer(compute="_compute_exception_count")

    def _compute_exception_count(self):
        counts = dict(
            self.env["logistics.exception"]
            .with_context(active_test=False)
            ._read_group(
                [("rule_id", "in", self.ids)],
                groupby=["rule_id"],
                aggregates=["__count"],
            )
        )
        for rule in self:
            rule.exception_count = counts.get(rule, 0)

    # ------------------------------------------------------------------
    # Cache of active rules: detectors run on hot paths (validating a
    # transfer) and must not query their configuration each time.
    # ------------------------------------------------------------------
    @api.model
    @tools.ormcache("detector")
    def _get_rule_ids(self, detector):
        return tuple(
            self.sudo().search([("detector", "=", detector), ("active", "=", True)]).ids
        )

    @api.model
    def _get_rules(self, detector):
        return self.sudo().browse(self._get_rule_ids(detector))

    @api.model_create_multi
    def create(self, vals_list):
        rules = super().create(vals_list)
        self.env.registry.clear_cache()
        return rules

    def write(self, vals):
        res = super().write(vals)
        self.env.registry.clear_cache()
        return res

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()
        return res

    def action_view_exceptions(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "logistics_exception.logistics_exception_action"
        )
        action["domain"] = [("rule_id", "=", self.id)]
        action["context"] = {"active_test": False}
        return action

    # ------------------------------------------------------------------
    # Helpers shared by the detectors
    # ------------------------------------------------------------------
    def _applies_to(self, company, warehouse=None):
        self.ensure_one()
        if self.company_ids and company not in self.company_ids:
            return False
        return not self.warehouse_ids or warehouse in self.warehouse_ids

    def _source_key(self, record, suffix=""):
        """Key of a source event: the rule and the document (and what of it)."""
        self.ensure_one()
        key = f"rule:{self.id}:{record._name}:{record.id}"
        return f"{key}:{suffix}" if suffix else key

    def _exceeds_tolerance(self, expected, actual, rounding):
        """Whether ``actual`` differs from ``expected`` beyond the tolerances."""
        self.ensure_one()
        difference = abs(actual - expected)
        if float_is_zero(difference, precision_rounding=rounding):
            return False
        tolerance = max(
            self.threshold_quantity or 0.0,
            abs(expected) * (self.threshold_percent or 0.0) / 100.0,
        )
        return float_compare(difference, tolerance, precision_rounding=rounding) > 0

    def _prepare_exception_values(self, record, company, **values):
        """Values of an exception this rule raises on ``record``."""
        self.ensure_one()
        vals = {
            "rule_id": self.id,
            "detected_by": "rule",
            "category_id": self.category_id.id,
            "company_id": company.id,
            "source_ref": f"{record._name},{record.id}",
            "source_key": self._source_key(record),
        }
        if self.reason_id:
            vals["reason_id"] = self.reason_id.id
        if self.severity:
            vals["severity"] = self.severity
        vals.update(values)
        return vals

    @api.model
    def _raise_exceptions(self, vals_list, once=False):
        """Create the exceptions of ``vals_list`` whose source event has no
        open exception (with ``once``: no exception at all, ever). Returns the
        new exceptions. Running a detector twice is harmless."""
        vals_list = [vals for vals in vals_list if vals]
        if not vals_list:
            return self.env["logistics.exception"]
        Exception_ = self.env["logistics.exception"].sudo()
        domain = [("source_key", "in", [vals["source_key"] for vals in vals_list])]
        if not once:
            domain.append(("is_open", "=", True))
        existing = {
            (exc.company_id.id, exc.source_key)
            for exc in Exception_.with_context(active_test=False).search(domain)
        }
        new_vals = []
        for vals in vals_list:
            key = (vals["company_id"], vals["source_key"])
            if key not in existing:
                existing.add(key)
                new_vals.append(vals)
        if not new_vals:
            return Exception_
        self._link_root_causes(new_vals)
        exceptions = Exception_.create(new_vals)
        _logger.info(
            "Detection raised %d logistics exception(s): %s",
            len(exceptions),
            ", ".join(exceptions.mapped("name")),
        )
        return exceptions

    @api.model
    def _link_root_causes(self, vals_list):
        """A shortage or an order at risk on a product whose supply already
        has an open exception (a short or late receipt, a vendor delay) is a
        consequence of it: link it as such. Override me for other chains."""
        Category = self.env["logistics.exception.category"].sudo()
        symptoms = Category.search([("code", "in", SYMPTOM_CATEGORIES)])
        candidates = [
            vals
            for vals in vals_list
            if vals.get("product_id")
            and not vals.get("parent_id")
            and vals.get("category_id") in symptoms.ids
        ]
        if not candidates:
            return
        roots = (
            self.env["logistics.exception"]
            .sudo()
            .search(
                [
                    ("is_open", "=", True),
                    ("category_id.code", "in", ROOT_CAUSE_CATEGORIES),
                    ("product_id", "in", [vals["product_id"] for vals in candidates]),
                ],
                order="date_detected desc, id desc",
            )
        )
        latest = {}
        for root in roots:
            latest.setdefault((root.company_id.id, root.product_id.id), root)
        for vals in candidates:
            root = latest.get((vals["company_id"], vals["product_id"]))
            if root:
                vals["parent_id"] = root.id

    @api.model
    def _clear_exceptions(self, domain, message):
        """The condition behind the open exceptions of ``domain`` has cleared:
        resolve them, saying why and telling their owner; where the category
        requires a root cause, ask the owner to confirm instead."""
        exceptions = (
            self.env["logistics.exception"]
            .sudo()
            .with_context(active_test=False)
            .search([*domain, ("is_open", "=", True), ("detected_by", "=", "rule")])
        )
        if not exceptions:
            return exceptions
        needs_cause = exceptions.filtered(
            lambda e: e.category_id.requires_root_cause and not e.root_cause_id
        ) | exceptions.filtered(lambda e: e.category_id.requires_evidence)
        resolvable = exceptions - needs_cause
        body = Markup("<p>%s</p>") % escape(message)
        for exception in resolvable:
            partner_ids = exception.user_id.partner_id.ids
            exception.message_post(
                body=body,
                partner_ids=partner_ids,
                subtype_xmlid="mail.mt_comment" if partner_ids else "mail.mt_note",
            )
        resolvable.with_context(logistics_exception_auto=True).write(
            {"state": "resolved"}
        )
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        for exception in needs_cause:
            exception.message_post(body=body, subtype_xmlid="mail.mt_note")
            user = exception.user_id or exception.team_id.leader_id
            if not user:
                continue
            already = exception.activity_ids.filtered(
                lambda a, u=user: a.activity_type_id == activity_type and a.user_id == u
            )
            if not already:
                exception.activity_schedule(
                    activity_type_id=activity_type.id,
                    user_id=user.id,
                    summary=_("Confirm the resolution"),
                    note=_(
                        "%(message)s Set the root cause and resolve the exception.",
                        message=message,
                    ),
                )
        return exceptions

    # ------------------------------------------------------------------
    # Event detectors: inventory
    # ------------------------------------------------------------------
    @api.model
    def _detect_picking_events(self, pickings, snapshot):
        """Run the detectors of validated ``pickings``. ``snapshot`` maps each
        move to (demand, done quantity) as they were before validation, since
        validating splits the backorder off and forgets the demand."""
        vals_list = []
        for detector in self._get_picking_detectors():
            for rule in self._get_rules(detector):
                vals_list += getattr(rule, f"_detect_{detector}")(pickings, snapshot)
        self._raise_exceptions(vals_list)
        self._clear_backorder_shortages(pickings, snapshot)

    @api.model
    def _get_picking_detectors(self):
        """Detectors run when transfers are validated. Extend me."""
        return ["picking_shortage", "receipt_discrepancy", "transfer_mismatch"]

    def _find_reason(self, code, company, category=None):
        """Reason code ``code`` of ``company`` (its own, else a shared one), in
        ``category`` (default: the rule's; False: any)."""
        reasons = (
            self.env["logistics.exception.reason"]
            .sudo()
            .search(
                [
                    ("code", "=", code),
                    ("company_id", "in", (False, company.id)),
                ]
                + (
                    []
                    if category is False
                    else [("category_id", "=", (category or self.category_id).id)]
                )
            )
        )
        return reasons.filtered("company_id")[:1] or reasons[:1]

    def _in_product_uom(self, move, quantity):
        return move.product_uom._compute_quantity(
            quantity, move.product_id.uom_id, rounding_method="HALF-UP"
        )

    def _short_lines(self, moves, snapshot):
        """(move, demand, done) of ``moves`` that differ beyond tolerance,
        quantities in the product's unit (the unit of the tolerances)."""
        lines = []
        for move in moves:
            demand, done = snapshot.get(move.id, (move.product_uom_qty, move.quantity))
            demand = self._in_product_uom(move, demand)
            done = self._in_product_uom(move, done)
            if self._exceeds_tolerance(demand, done, move.product_id.uom_id.rounding):
                lines.append((move, demand, done))
        return lines

    def _purchase_line_gaps(self, moves):
        """(move, ordered, received) per purchase line of ``moves`` whose
        receipts are all over, where what was received in all differs from
        what was ordered beyond tolerance; in the product's unit."""
        lines = []
        for line in moves.purchase_line_id:
            if line.move_ids.filtered(lambda m: m.state not in ("done", "cancel")):
                continue  # more is still expected on another receipt
            uom = line.product_id.uom_id
            ordered = line.product_uom._compute_quantity(line.product_qty, uom)
            received = line.product_uom._compute_quantity(line.qty_received, uom)
            if self._exceeds_tolerance(ordered, received, uom.rounding):
                move = moves.filtered(lambda m, pl=line: m.purchase_line_id == pl)[:1]
                lines.append((move, ordered, received))
        return lines

    def _describe_lines(self, lines):
        items = Markup("").join(
            Markup("<li>%s: %s %s, %s</li>")
            % (
                move.product_id.display_name,
                _("expected %s", f"{demand:g}"),
                move.product_id.uom_id.name,
                _("done %s", f"{done:g}"),
            )
            for move, demand, done in lines
        )
        return Markup("<ul>%s</ul>") % items

    def _goods_values(self, lines):
        """Product and quantities when the exception is about one product."""
        products = {move.product_id for move, _demand, _done in lines}
        if len(products) != 1:
            return {}
        return {
            "product_id": lines[0][0].product_id.id,
            "quantity_expected": sum(demand for _m, demand, _d in lines),
            "quantity_actual": sum(done for _m, _demand, done in lines),
        }

    def _detect_picking_shortage(self, pickings, snapshot):
        self.ensure_one()
        vals_list = []
        for picking in pickings:
            if picking.picking_type_code not in ("outgoing", "internal"):
                continue
            warehouse = picking.picking_type_id.warehouse_id
            if not self._applies_to(picking.company_id, warehouse):
                continue
            moves = picking.move_ids
            if picking.picking_type_code == "internal" and self._get_rules(
                "transfer_mismatch"
            ):
                # The next leg of a route: the mismatch detector reports it.
                moves = moves.filtered(lambda m: not m.move_orig_ids)
            lines = [
                line for line in self._short_lines(moves, snapshot) if line[2] < line[1]
            ]
            if not lines:
                continue
            backorder = picking.backorder_ids[:1]
            vals_list.append(
                self._prepare_exception_values(
                    picking,
                    picking.company_id,
                    summary=_(
                        "%(picking)s validated short on %(count)s line(s)",
                        picking=picking.name,
                        count=len(lines),
                    ),
                    description=self._describe_lines(lines)
                    + (
                        Markup("<p>%s</p>")
                        % _("Backorder %s holds the rest.", backorder.name)
                        if backorder
                        else Markup("<p>%s</p>") % _("No backorder was created.")
                    ),
                    picking_id=picking.id,
                    sale_id=picking.sale_id.id,
                    warehouse_id=warehouse.id,
                    location_id=picking.location_id.id,
                    partner_id=picking.partner_id.id,
                    customer_impact=picking.picking_type_code == "outgoing",
                    **self._goods_values(lines),
                )
            )
        return vals_list

    def _detect_receipt_discrepancy(self, pickings, snapshot):
        self.ensure_one()
        vals_list = []
        for picking in pickings:
            if picking.picking_type_code != "incoming" or not picking.purchase_id:
                continue
            warehouse = picking.picking_type_id.warehouse_id
            if not self._applies_to(picking.company_id, warehouse):
                continue
            moves = picking.move_ids.filtered("purchase_line_id")
            if picking.backorder_ids:
                # A partial receipt: the backorder waits for the rest (the late
                # receipt rule watches it). Only what came in over counts now.
                lines = [
                    line
                    for line in self._short_lines(moves, snapshot)
                    if line[2] > line[1]
                ]
            else:
                # The last receipt of these lines: all that came against all
                # that was ordered, whatever the number of deliveries.
                lines = self._purchase_line_gaps(moves)
            if not lines:
                continue
            over = any(done > demand for _move, demand, done in lines)
            short = any(done < demand for _move, demand, done in lines)
            kind = (
                _("over and short")
                if over and short
                else (_("over") if over else _("short"))
            )
            values = {}
            if not self.reason_id:
                code = "OVER_RECEIPT" if over and not short else "SHORT_RECEIPT"
                reason = self._find_reason(code, picking.company_id)
                if reason:
                    values["reason_id"] = reason.id
            vals_list.append(
                self._prepare_exception_values(
                    picking,
                    picking.company_id,
                    summary=_(
                        "Receipt %(picking)s from %(vendor)s is %(kind)s against "
                        "%(order)s",
                        picking=picking.name,
                        vendor=picking.partner_id.display_name,
                        kind=kind,
                        order=picking.purchase_id.name,
                    ),
                    description=self._describe_lines(lines),
                    picking_id=picking.id,
                    purchase_id=picking.purchase_id.id,
                    warehouse_id=warehouse.id,
                    location_id=picking.location_dest_id.id,
                    partner_id=picking.partner_id.id,
                    **self._goods_values(lines),
                    **values,
                )
            )
        return vals_list

    def _detect_transfer_mismatch(self, pickings, snapshot):
        """The second leg of a transfer (the other warehouse receiving from
        transit, the next step of a multi-step route) handled another
        quantity than the first leg sent."""
        self.ensure_one()
        vals_list = []
        for picking in pickings:
            if picking.picking_type_code == "outgoing":
                continue
            warehouse = picking.picking_type_id.warehouse_id
            if not self._applies_to(picking.company_id, warehouse):
                continue
            if picking.backorder_ids.filtered(lambda b: b.state != "cancel"):
                continue  # the rest is still to come: judged when it has come
            lines = []
            for move in picking.move_ids.filtered("move_orig_ids"):
                origins = move.move_orig_ids.filtered(lambda m: m.state == "done")
                sent = sum(
                    origin.product_uom._compute_quantity(
                        origin.quantity, move.product_uom
                    )
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
                if self._exceeds_tolerance(
                    sent, received, move.product_id.uom_id.rounding
                ):
                    lines.append((move, sent, received))
            if not lines:
                continue
            sources = picking.move_ids.move_orig_ids.picking_id
            vals_list.append(
                self._prepare_exception_values(
                    picking,
                    picking.company_id,
                    summary=_(
                        "%(picking)s received another quantity than %(sources)s sent",
                        picking=picking.name,
                        sources=", ".join(sources.mapped("name")),
                    ),
                    description=self._describe_lines(lines),
                    picking_id=picking.id,
                    warehouse_id=warehouse.id,
                    location_id=picking.location_dest_id.id,
                    **self._goods_values(lines),
                )
            )
        return vals_list

    @api.model
    def _detect_backorder_closure(self, pickings):
        """Backorders cancelled: the rest will not come, so receipts (against
        the order) and next legs (against what was sent) are final now."""
        cancelled = pickings.filtered(lambda p: p.state == "cancel")
        receipts = cancelled.filtered(
            lambda p: p.picking_type_code == "incoming" and p.purchase_id
        )
        vals_list = []
        for rule in self._get_rules("receipt_discrepancy"):
            vals_list += rule._detect_receipt_discrepancy(receipts, {})
        # Cancelled moves forget their origins: judge the legs they split from.
        legs = (cancelled - receipts).backorder_id
        for rule in self._get_rules("transfer_mismatch"):
            vals_list += rule._detect_transfer_mismatch(legs, {})
        self._raise_exceptions(vals_list)

    @api.model
    def _clear_backorder_shortages(self, pickings, snapshot):
        """A backorder shipped in full (no further backorder, nothing short)
        clears the shortages of the transfers it came from."""
        rules = self._get_rules("picking_shortage")
        if not rules:
            return
        full = self.env["stock.picking"]
        for picking in pickings.filtered(
            lambda p: p.backorder_id and p.state == "done" and not p.backorder_ids
        ):
            if not any(
                done < demand
                for _m, demand, done in self._short_lines_any(picking, snapshot)
            ):
                full |= picking
        origins = self.env["stock.picking"]
        ancestors = full.backorder_id
        while ancestors:
            origins |= ancestors
            ancestors = ancestors.backorder_id - origins
        if origins:
            self._clear_exceptions(
                [("rule_id", "in", rules.ids), ("picking_id", "in", origins.ids)],
                _("The backorder was delivered in full: the shortage is made good."),
            )

    @api.model
    def _short_lines_any(self, picking, snapshot):
        """(move, demand, done) of ``picking`` that differ at all."""
        lines = []
        for move in picking.move_ids:
            demand, done = snapshot.get(move.id, (move.product_uom_qty, move.quantity))
            if float_compare(
                demand, done, precision_rounding=move.product_uom.rounding
            ):
                lines.append((move, demand, done))
        return lines

    @api.model
    def _detect_scraps(self, scraps):
        rules = self._get_rules("scrap")
        vals_list = []
        for rule in rules:
            for scrap in scraps:
                warehouse = scrap.location_id.warehouse_id
                if not rule._applies_to(scrap.company_id, warehouse):
                    continue
                picking = scrap.picking_id
                vals_list.append(
                    rule._prepare_exception_values(
                        scrap,
                        scrap.company_id,
                        summary=_(
                            "%(qty)s %(uom)s of %(product)s scrapped%(origin)s",
                            qty=f"{scrap.scrap_qty:g}",
                            uom=scrap.product_uom_id.name,
                            product=scrap.product_id.display_name,
                            origin=_(" from %s", picking.name) if picking else "",
                        ),
                        picking_id=picking.id,
                        sale_id=picking.sale_id.id,
                        purchase_id=picking.purchase_id.id,
                        partner_id=picking.partner_id.id,
                        warehouse_id=warehouse.id,
                        location_id=scrap.location_id.id,
                        product_id=scrap.product_id.id,
                        lot_id=scrap.lot_id.id,
                        quantity_expected=scrap.product_uom_id._compute_quantity(
                            scrap.scrap_qty, scrap.product_id.uom_id
                        ),
                        quantity_actual=0.0,
                    )
                )
        self._raise_exceptions(vals_list)

    # ------------------------------------------------------------------
    # Scheduled scan: detectors that watch time passing
    # ------------------------------------------------------------------
    @api.model
    def _cron_scan(self, batch_size=500, commit=False):
        """Run every time-based detector over the documents that are due, in
        batches, and re-trigger the job while work remains. Documents that
        already have an exception of the rule are skipped by the database, so
        a run where nothing changed reads nothing but the candidates queries.
        The scheduled job passes ``commit=True`` to commit after each batch."""
        remaining = False
        for detector in self._get_scan_detectors():
            for rule in self._get_rules(detector):
                remaining |= getattr(rule, f"_scan_{detector}")(batch_size)
                if commit:
                    # Batch job designed for it: keep each batch's exceptions.
                    self.env.cr.commit()  # pylint: disable=invalid-commit
        self._scan_cleared()
        if remaining:
            self.env.ref(
                "logistics_exception.ir_cron_logistics_exception_scan"
            )._trigger()
        return remaining

    def _company_filter(self, column):
        """SQL condition on ``column`` for the companies of this rule."""
        self.ensure_one()
        if not self.company_ids:
            return SQL()
        return SQL("AND %s IN %s", column, tuple(self.company_ids.ids))

    @api.model
    def _get_scan_detectors(self):
        """Detectors run by the scheduled scan: those with a ``_scan_`` method."""
        return [
            detector
            for detector, _label in self._fields["detector"].selection
            if hasattr(self, f"_scan_{detector}")
        ]

    def _due_pickings(self, picking_type_code, date_expr, batch_size, extra=None):
        """Ids of pickings of ``picking_type_code`` due before now minus the
        grace period, without an exception of this rule, oldest first."""
        self.ensure_one()
        limit = fields.Datetime.now() - timedelta(hours=self.threshold_hours or 0.0)
        warehouse_filter = (
            SQL("AND pt.warehouse_id IN %s", tuple(self.warehouse_ids.ids))
            if self.warehouse_ids
            else SQL()
        )
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT p.id
                  FROM stock_picking p
                  JOIN stock_picking_type pt ON pt.id = p.picking_type_id
                 WHERE p.state IN ('confirmed', 'waiting', 'assigned')
                   AND pt.code = %(code)s
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
                 LIMIT %(limit_rows)s
                """,
                code=picking_type_code,
                date_expr=date_expr,
                limit=limit,
                companies=self._company_filter(SQL("p.company_id")),
                warehouse_filter=warehouse_filter,
                extra=extra or SQL(),
                rule=self.id,
                limit_rows=batch_size,
            )
        )
        return self.env["stock.picking"].browse(
            [row[0] for row in self.env.cr.fetchall()]
        )

    def _scan_late_transfer(self, batch_size):
        """Outgoing and internal transfers still not done past their
        scheduled date plus the grace period."""
        self.ensure_one()
        pickings = self.env["stock.picking"]
        for code in ("outgoing", "internal"):
            pickings |= self._due_pickings(code, SQL("p.scheduled_date"), batch_size)
        vals_list = [
            self._prepare_exception_values(
                picking,
                picking.company_id,
                summary=_(
                    "%(picking)s is not done: it was scheduled for %(date)s",
                    picking=picking.name,
                    date=fields.Datetime.to_string(picking.scheduled_date),
                ),
                picking_id=picking.id,
                sale_id=picking.sale_id.id,
                partner_id=picking.partner_id.id,
                warehouse_id=picking.picking_type_id.warehouse_id.id,
                location_id=picking.location_id.id,
                customer_impact=picking.picking_type_code == "outgoing",
            )
            for picking in pickings
        ]
        self._raise_exceptions(vals_list)
        return len(pickings) >= batch_size

    def _scan_late_receipt(self, batch_size):
        """Receipts of purchase orders not received past the date the vendor
        promised (the expected date of the receipt) plus the grace period."""
        self.ensure_one()
        pickings = self._due_pickings(
            "incoming",
            SQL("COALESCE(p.date_deadline, p.scheduled_date)"),
            batch_size,
            extra=SQL(
                "AND EXISTS (SELECT 1 FROM stock_move m WHERE m.picking_id = p.id"
                " AND m.purchase_line_id IS NOT NULL)"
            ),
        )
        vals_list = [
            self._prepare_exception_values(
                picking,
                picking.company_id,
                summary=_(
                    "%(vendor)s is late: %(picking)s was due %(date)s",
                    vendor=picking.partner_id.display_name,
                    picking=picking.name,
                    date=fields.Datetime.to_string(
                        picking.date_deadline or picking.scheduled_date
                    ),
                ),
                picking_id=picking.id,
                purchase_id=picking.purchase_id.id,
                partner_id=picking.partner_id.id,
                warehouse_id=picking.picking_type_id.warehouse_id.id,
                location_id=picking.location_dest_id.id,
                product_id=picking.move_ids.product_id.id
                if len(picking.move_ids.product_id) == 1
                else False,
            )
            for picking in pickings
        ]
        self._raise_exceptions(vals_list)
        return len(pickings) >= batch_size

    @api.model
    def _scan_cleared(self):
        """Resolve the exceptions whose condition has cleared by itself.
        Extend me (call super) for the conditions of another detector."""
        return self._clear_done_transfers()

    @api.model
    def _clear_done_transfers(self):
        """Resolve the time-based exceptions whose transfer got done."""
        rules = self.browse()
        for detector in ("late_transfer", "late_receipt"):
            rules |= self._get_rules(detector)
        if not rules:
            return
        exceptions = (
            self.env["logistics.exception"]
            .sudo()
            .search(
                [
                    ("rule_id", "in", rules.ids),
                    ("is_open", "=", True),
                    ("picking_id.state", "in", ("done", "cancel")),
                ]
            )
        )
        if exceptions:
            self._clear_exceptions(
                [("id", "in", exceptions.ids)],
                _("The transfer is done now."),
            )
