from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

SLA_STATUSES = [
    ("on_track", "On Track"),
    ("at_risk", "At Risk"),
    ("breached", "Breached"),
    ("met", "Met"),
    ("missed", "Missed"),
]


class LogisticsExceptionSlaMixin(models.AbstractModel):
    """The SLA clock of an exception: the policy that applies, its deadlines
    counted in working hours from detection, and the status they give.

    Written for ``logistics.exception``, which inherits it: it reads that
    model's company, category, severity, customer, team, detection and
    resolution dates, state and ``is_open``. The escalation engine builds on
    these fields."""

    _name = "logistics.exception.sla.mixin"
    _description = "Logistics Exception SLA Clock"

    sla_policy_id = fields.Many2one(
        "logistics.exception.sla.policy",
        string="SLA Policy",
        compute="_compute_sla",
        store=True,
        index="btree_not_null",
    )
    sla_response_deadline = fields.Datetime(
        string="Respond Before", compute="_compute_sla", store=True
    )
    sla_warning_date = fields.Datetime(
        string="At Risk From", compute="_compute_sla", store=True
    )
    sla_deadline = fields.Datetime(
        string="Resolve Before", compute="_compute_sla", store=True, index=True
    )
    sla_status = fields.Selection(
        SLA_STATUSES,
        string="SLA Status",
        compute="_compute_sla_status",
        store=True,
        index=True,
    )
    escalation_level = fields.Integer(
        default=0, copy=False, tracking=True, readonly=True
    )
    is_overdue = fields.Boolean(
        compute="_compute_is_overdue", search="_search_is_overdue", string="Overdue"
    )

    @api.depends(
        "company_id",
        "category_id",
        "severity",
        "customer_id.logistics_service_tier",
        "team_id.resource_calendar_id",
        "date_detected",
    )
    def _compute_sla(self):
        policies = self.env["logistics.exception.sla.policy"].search(
            [("company_id", "in", self.company_id.ids)]
        )
        for exception in self:
            policy = policies._find_policy(
                exception,
                policies.filtered(lambda p, e=exception: p.company_id == e.company_id),
            )
            exception.sla_policy_id = policy
            exception.update(exception._get_sla_deadlines(policy))

    def _get_sla_calendar(self):
        self.ensure_one()
        if self.team_id:
            return self.team_id._get_calendar()
        return self.company_id.resource_calendar_id

    def _get_sla_deadlines(self, policy):
        """Deadlines of ``policy`` counted in working hours from detection."""
        self.ensure_one()
        empty = {
            "sla_response_deadline": False,
            "sla_warning_date": False,
            "sla_deadline": False,
        }
        if not policy or not self.date_detected:
            return empty
        calendar = self._get_sla_calendar()
        start = self.date_detected

        def plan(hours):
            if not hours:
                return False
            if calendar:
                return calendar.plan_hours(hours, start, compute_leaves=True)
            return start + timedelta(hours=hours)

        return {
            "sla_response_deadline": plan(policy.response_hours),
            "sla_warning_date": plan(
                policy.resolution_hours * policy.warning_percent / 100.0
            ),
            "sla_deadline": plan(policy.resolution_hours),
        }

    @api.depends(
        "state",
        "sla_deadline",
        "sla_warning_date",
        "sla_response_deadline",
        "date_resolved",
        "date_first_response",
    )
    def _compute_sla_status(self):
        now = fields.Datetime.now()
        for exception in self:
            exception.sla_status = exception._get_sla_status(now)

    def _get_sla_status(self, now):
        self.ensure_one()
        if not self.sla_deadline or self.state == "cancelled":
            return False
        if self.state in ("resolved", "closed"):
            done = self.date_resolved or now
            return "met" if done <= self.sla_deadline else "missed"
        response_late = (
            self.sla_response_deadline
            and not self.date_first_response
            and now > self.sla_response_deadline
        )
        if now > self.sla_deadline or response_late:
            return "breached"
        if self.sla_warning_date and now >= self.sla_warning_date:
            return "at_risk"
        return "on_track"

    @api.model
    def _cron_refresh_sla_status(self, batch_size=1000):
        """Move open exceptions to at risk / breached as their clock runs.
        Only the exceptions whose status is due to change are read."""
        now = fields.Datetime.now()
        running = ("sla_status", "in", ("on_track", "at_risk"))
        exceptions = self.search(
            [
                ("is_open", "=", True),
                "|",
                "|",
                "&",
                ("sla_status", "=", "on_track"),
                ("sla_warning_date", "<=", now),
                "&",
                running,
                ("sla_deadline", "<", now),
                "&",
                "&",
                running,
                ("date_first_response", "=", False),
                ("sla_response_deadline", "<", now),
            ],
            limit=batch_size,
            order="sla_deadline, id",
        )
        by_status = {}
        for exception in exceptions:
            status = exception._get_sla_status(now)
            if status != exception.sla_status:
                by_status.setdefault(status, self.browse())
                by_status[status] |= exception
        for status, records in by_status.items():
            records.write({"sla_status": status})
        if len(exceptions) == batch_size:
            self.env.ref(
                "logistics_exception.ir_cron_logistics_exception_sla_status"
            )._trigger()

    @api.depends("sla_deadline", "is_open")
    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for exception in self:
            exception.is_overdue = bool(
                exception.is_open
                and exception.sla_deadline
                and exception.sla_deadline < now
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Overdue can only be searched as true or false."))
        overdue = [
            ("is_open", "=", True),
            ("sla_deadline", "!=", False),
            ("sla_deadline", "<", fields.Datetime.now()),
        ]
        if (operator == "=") == value:
            return overdue
        return [
            "|",
            "|",
            ("is_open", "=", False),
            ("sla_deadline", "=", False),
            ("sla_deadline", ">=", fields.Datetime.now()),
        ]
