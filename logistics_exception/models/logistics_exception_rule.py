from datetime import timedelta

from odoo import _, api, fields, models, tools
from odoo.tools import SQL, float_compare, float_is_zero

from ..detectors.engine import SCAN
from .logistics_exception_category import SEVERITIES

# A detector is the abstract model ``logistics.exception.detector.<key>``; a
# rule stores the key (see ``detectors/detector.py``).
DETECTOR_PREFIX = "logistics.exception.detector."


class LogisticsExceptionRule(models.Model):
    """A configured detector: what it watches, its thresholds, and what the
    exceptions it raises look like. The detectors themselves live in
    ``detectors/<area>/<detector>.py``; another module adds one with a file
    of its own and a rule record."""

    _name = "logistics.exception.rule"
    _inherit = ["logistics.exception.detection.cache.mixin"]
    _description = "Logistics Exception Detection Rule"
    _order = "sequence, id"
    # The engine caches the active rules of each detector.
    _detection_cache_fields = ("active", "detector")

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    detector = fields.Selection(
        selection="_selection_detector",
        required=True,
        help="What the rule watches: each detector listens to events of the "
        "documents (a transfer validated, an order confirmed, an invoice "
        "posted) or scans them as time passes.",
    )
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

    @api.model
    def _selection_detector(self):
        """The detectors installed: every ``logistics.exception.detector.*``
        model, by area then label (the model's description, translated).
        Rules of a detector whose module was uninstalled show it as such."""
        detectors = [
            self.env[name]
            for name in self.env.registry
            if name.startswith(DETECTOR_PREFIX)
        ]
        labels = {
            model["model"]: model["name"]
            for model in self.env["ir.model"]
            .sudo()
            .search_read([("model", "=like", f"{DETECTOR_PREFIX}%")], ["model", "name"])
        }
        selection = [
            (detector._name[len(DETECTOR_PREFIX) :], label)
            for label, detector in sorted(
                (
                    (labels.get(detector._name) or detector._description, detector)
                    for detector in detectors
                ),
                key=lambda item: (item[1]._area_sequence, item[0]),
            )
        ]
        installed = {key for key, _label in selection}
        self.env.cr.execute(
            SQL("SELECT DISTINCT detector FROM %s", SQL.identifier(self._table))
        )
        selection += [
            (key, _("%(detector)s (not installed)", detector=key))
            for (key,) in self.env.cr.fetchall()
            if key and key not in installed
        ]
        return selection

    def _detector(self):
        """The detector of these rules (all of one detector)."""
        detectors = set(self.mapped("detector"))
        if len(detectors) != 1:
            raise ValueError(f"Expected rules of one detector, got {detectors}")
        return self.env[DETECTOR_PREFIX + detectors.pop()]

    # ------------------------------------------------------------------
    # Cache of active rules: detectors run on hot paths (validating a
    # transfer) and must not query their configuration each time.
    # ------------------------------------------------------------------
    @api.model
    @tools.ormcache()
    def _get_active_rule_ids(self):
        """{detector key: rule ids} of the active rules whose detector is
        installed, in rule order."""
        rule_ids = {}
        for rule in self.sudo().search([("active", "=", True)]):
            if DETECTOR_PREFIX + rule.detector in self.env.registry:
                rule_ids.setdefault(rule.detector, []).append(rule.id)
        return {key: tuple(ids) for key, ids in rule_ids.items()}

    @api.model
    def _get_rule_ids(self, detector):
        return self._get_active_rule_ids().get(detector, ())

    @api.model
    def _get_rules(self, detector):
        return self.sudo().browse(self._get_rule_ids(detector))

    @api.model
    @tools.ormcache("event")
    def _get_event_rule_ids(self, event):
        """Ids of the active rules whose detector listens to ``event`` (every
        detector clears at the scheduled scan)."""
        return tuple(
            rule_id
            for detector, ids in self._get_active_rule_ids().items()
            if event == SCAN or event in self.env[DETECTOR_PREFIX + detector]._events
            for rule_id in ids
        )

    @api.model
    def _get_detector_rules(self, event=None):
        """[(detector, its active rules)] of the detectors that listen to
        ``event`` (every detector clears at the scheduled scan), or of the
        detectors that scan (``event`` None). No query once cached."""
        found = []
        for key, ids in self._get_active_rule_ids().items():
            detector = self.env[DETECTOR_PREFIX + key]
            if event is None:
                listens = detector._scheduled
            else:
                listens = event == SCAN or event in detector._events
            if listens:
                found.append((detector, self.sudo().browse(ids)))
        return found

    @api.model
    def _cron_scan(self, batch_size=500, commit=False):
        """The scheduled job's entry point: see the engine."""
        return self.env["logistics.exception.engine"]._cron_scan(
            batch_size=batch_size, commit=commit
        )

    def action_view_exceptions(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "logistics_exception.logistics_exception_action"
        )
        action["domain"] = [("rule_id", "=", self.id)]
        action["context"] = {"active_test": False}
        return action

    # ------------------------------------------------------------------
    # What the detectors ask of their rule
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

    def _grace_limit(self):
        """Documents due before this moment are late, grace period included."""
        self.ensure_one()
        return fields.Datetime.now() - timedelta(hours=self.threshold_hours or 0.0)

    def _company_filter(self, column):
        """SQL condition on ``column`` for the companies of this rule."""
        self.ensure_one()
        if not self.company_ids:
            return SQL()
        return SQL("AND %s IN %s", column, tuple(self.company_ids.ids))
