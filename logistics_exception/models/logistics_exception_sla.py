import time
from bisect import bisect_right
from datetime import timedelta

import psycopg2
import pytz

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

RESPONSE_STATUSES = [
    ("on_track", "On Track"),
    ("breached", "Breached"),
    ("met", "Met"),
    ("missed", "Missed"),
]
SLA_STATUSES = [
    ("on_track", "On Track"),
    ("at_risk", "At Risk"),
    ("paused", "Paused"),
    ("breached", "Breached"),
    ("met", "Met"),
    ("missed", "Missed"),
]
# The states in which the clocks no longer run: their verdicts are kept.
FINISHED_STATES = ("resolved", "closed", "cancelled")
# How far a working-time look-up reads the calendar at once.
CALENDAR_WINDOW = timedelta(days=10)
# A clock that finds no working time within this horizon has no deadline.
CALENDAR_HORIZON = timedelta(days=3 * 366)
# The fields _compute_sla writes, and all the fields a new policy may change.
SLA_DEADLINE_FIELDS = (
    "sla_policy_id",
    "sla_response_deadline",
    "sla_warning_date",
    "sla_deadline",
)
SLA_COMPUTED_FIELDS = (
    *SLA_DEADLINE_FIELDS,
    "sla_response_status",
    "sla_status",
    "sla_next_check",
)


def _to_utc(value):
    return pytz.utc.localize(value) if value.tzinfo is None else value


class WorkingTime:
    """Working intervals of one calendar (attendances minus leaves and public
    holidays), read once for a window and shared by every exception of a
    batch. Datetimes in and out are naive UTC, as Odoo stores them. Without a
    calendar, every hour counts."""

    def __init__(self, calendar):
        self.calendar = calendar
        self.start = self.end = None
        self.starts = []
        self.stops = []

    def _cover(self, start, end):
        if self.start is not None and self.start <= start and end <= self.end:
            return
        if self.start is not None:
            start, end = min(start, self.start), max(end, self.end)
        intervals = self.calendar._work_intervals_batch(
            _to_utc(start), _to_utc(end), compute_leaves=True
        )[False]
        self.starts, self.stops = [], []
        for begin, stop, _meta in intervals:
            self.starts.append(begin.astimezone(pytz.utc).replace(tzinfo=None))
            self.stops.append(stop.astimezone(pytz.utc).replace(tzinfo=None))
        self.start, self.end = start, end

    def plan(self, start, hours):
        """The moment ``hours`` working hours after ``start``; False when the
        calendar has no working time left."""
        if not self.calendar:
            return start + timedelta(hours=hours)
        if hours <= 0:
            return start
        remaining = timedelta(hours=hours)
        cursor, end = start, start + CALENDAR_WINDOW
        while cursor < start + CALENDAR_HORIZON:
            self._cover(start, end)
            index = bisect_right(self.stops, cursor)
            for begin, stop in zip(
                self.starts[index:], self.stops[index:], strict=True
            ):
                begin = max(begin, cursor)
                if begin + remaining <= stop:
                    return begin + remaining
                remaining -= stop - begin
                cursor = stop
            cursor, end = end, end + 2 * (end - start)
        return False

    def hours_between(self, start, end):
        """Working hours from ``start`` to ``end``."""
        if not start or not end or end <= start:
            return 0.0
        if not self.calendar:
            return (end - start).total_seconds() / 3600
        self._cover(start, end)
        total = timedelta()
        index = bisect_right(self.stops, start)
        for begin, stop in zip(self.starts[index:], self.stops[index:], strict=True):
            if begin >= end:
                break
            total += min(stop, end) - max(begin, start)
        return total.total_seconds() / 3600


class LogisticsExceptionSlaMixin(models.AbstractModel):
    """The two SLA clocks of an exception and the escalation ladder they drive.

    Response clock: from detection to the first response (the first move to
    in progress, waiting or resolved, or the owner's first message to a
    follower outside the team). Resolution clock: from detection to
    resolution, paused while the exception waits; the working hours spent
    waiting are added back to its deadlines on resume.

    Deadlines are stored and only recomputed when their inputs change: the
    exception's own fields through the ORM; a policy, a calendar, a team's
    calendar or a customer's tier by marking the open exceptions concerned as
    outdated (one query), recomputing a first batch at once and leaving the
    rest to the SLA job. A resolved, closed or cancelled exception keeps its
    deadlines and its verdict.

    ``sla_next_check`` is the next moment a status changes or an escalation
    level falls due: the SLA job reads only the exceptions whose moment has
    come (see ``_cron_sla``).

    Written for ``logistics.exception``, which inherits it."""

    _name = "logistics.exception.sla.mixin"
    _description = "Logistics Exception SLA Clock"

    sla_policy_id = fields.Many2one(
        "logistics.exception.sla.policy",
        string="SLA Policy",
        compute="_compute_sla",
        store=True,
        index="btree_not_null",
        ondelete="restrict",
    )
    sla_response_deadline = fields.Datetime(
        string="Respond Before", compute="_compute_sla", store=True, index=True
    )
    sla_warning_date = fields.Datetime(
        string="At Risk From", compute="_compute_sla", store=True
    )
    sla_deadline = fields.Datetime(
        string="Resolve Before", compute="_compute_sla", store=True, index=True
    )
    sla_response_status = fields.Selection(
        RESPONSE_STATUSES,
        string="Response SLA",
        compute="_compute_sla_status",
        store=True,
        index=True,
    )
    sla_status = fields.Selection(
        SLA_STATUSES,
        string="Resolution SLA",
        compute="_compute_sla_status",
        store=True,
        index=True,
    )
    sla_paused_since = fields.Datetime(
        string="Waiting Since",
        readonly=True,
        copy=False,
        help="The resolution clock stopped when the exception started waiting.",
    )
    sla_paused_hours = fields.Float(
        string="Time Waiting",
        readonly=True,
        copy=False,
        help="Working hours spent waiting, added back to the resolution deadline.",
    )
    # Indexed by a partial index on the few outdated rows (see
    # logistics.exception's init).
    sla_outdated = fields.Boolean(
        readonly=True,
        copy=False,
        help="A policy, calendar or customer tier changed: the deadlines are "
        "being recomputed by the SLA job.",
    )
    sla_next_check = fields.Datetime(
        string="Next SLA Check",
        compute="_compute_sla_next_check",
        store=True,
        copy=False,
        index="btree_not_null",
        help="When the SLA job looks at this exception again: its next status "
        "change or escalation.",
    )
    sla_escalation_done_ids = fields.Many2many(
        "logistics.exception.sla.escalation",
        "logistics_exception_escalation_done_rel",
        "exception_id",
        "level_id",
        string="Escalation Levels Passed",
        readonly=True,
        copy=False,
        help="The levels of the escalation ladder this exception went through. "
        "The database refuses the same level twice.",
    )
    sla_escalation_stage = fields.Float(
        default=-1.0,
        readonly=True,
        copy=False,
        help="How far up the ladder the exception went (the stage of the last "
        "level passed, see logistics.exception.sla.escalation._get_stage): "
        "levels below it are never applied afterwards, whatever the edits of "
        "the ladder or a change of policy.",
    )
    escalation_level = fields.Integer(
        default=0,
        copy=False,
        readonly=True,
        help="How many levels of escalation this exception went through.",
    )
    is_overdue = fields.Boolean(
        compute="_compute_is_overdue", search="_search_is_overdue", string="Overdue"
    )

    # ------------------------------------------------------------------
    # Deadlines
    # ------------------------------------------------------------------
    @api.depends(
        "company_id",
        "category_id",
        "severity",
        "customer_id",
        "team_id",
        "warehouse_id",
        "date_detected",
        "sla_paused_hours",
    )
    def _compute_sla(self):
        Policy = self.env["logistics.exception.sla.policy"].with_context(
            active_test=True
        )
        table = Policy.search(
            [("company_id", "in", self.company_id.ids)]
        )._get_match_table()
        clocks = {}
        for exception in self:
            if exception._sla_is_frozen():
                # Keep the verdict: read the stored values, write them back.
                for name in SLA_DEADLINE_FIELDS:
                    exception[name] = exception[name]
                continue
            policy = Policy._find_policy(exception, table=table)
            exception.sla_policy_id = policy
            exception.update(exception._get_sla_deadlines(policy, clocks))

    def _get_category_path(self):
        """Ids of the exception's category and of its parents."""
        self.ensure_one()
        return frozenset(
            int(category_id)
            for category_id in (self.category_id.parent_path or "").split("/")
            if category_id
        )

    def _sla_is_frozen(self):
        """A finished exception keeps the deadlines it was judged on."""
        self.ensure_one()
        return self.state in FINISHED_STATES and bool(
            self.sla_policy_id or self.sla_deadline
        )

    def _get_sla_calendar(self):
        self.ensure_one()
        if self.team_id:
            return self.team_id._get_calendar()
        return self.company_id.resource_calendar_id

    def _get_working_time(self, clocks=None):
        """The WorkingTime of this exception's calendar, shared through
        ``clocks`` ({calendar id: WorkingTime}) across a batch."""
        calendar = self._get_sla_calendar()
        if clocks is None:
            return WorkingTime(calendar)
        if calendar.id not in clocks:
            clocks[calendar.id] = WorkingTime(calendar)
        return clocks[calendar.id]

    def _get_sla_deadlines(self, policy, clocks=None):
        """Deadlines of ``policy`` counted in working hours from detection;
        the resolution clock also counts the working hours spent waiting."""
        self.ensure_one()
        if not policy or not self.date_detected:
            return dict.fromkeys(SLA_DEADLINE_FIELDS[1:], False)
        clock = self._get_working_time(clocks)
        start = self.date_detected
        paused = self.sla_paused_hours or 0.0
        resolution = policy.resolution_hours
        return {
            "sla_response_deadline": policy.response_hours
            and clock.plan(start, policy.response_hours),
            "sla_warning_date": clock.plan(
                start, resolution * policy.warning_percent / 100.0 + paused
            ),
            "sla_deadline": clock.plan(start, resolution + paused),
        }

    # ------------------------------------------------------------------
    # Statuses
    # ------------------------------------------------------------------
    @api.depends(
        "state",
        "sla_deadline",
        "sla_warning_date",
        "sla_response_deadline",
        "sla_paused_since",
        "date_resolved",
        "date_first_response",
    )
    def _compute_sla_status(self):
        now = fields.Datetime.now()
        for exception in self:
            exception.update(exception._get_sla_statuses(now))

    def _get_sla_statuses(self, now):
        """{sla_response_status, sla_status} of both clocks at ``now``."""
        self.ensure_one()
        cancelled = self.state == "cancelled"
        response = False
        deadline = self.sla_response_deadline
        if deadline and not cancelled:
            answered = self.date_first_response
            if answered:
                response = "met" if answered < deadline else "missed"
            else:
                response = "breached" if now >= deadline else "on_track"
        resolution = False
        deadline = self.sla_deadline
        if deadline and not cancelled:
            if self.state in ("resolved", "closed"):
                done = self.date_resolved or now
                resolution = "met" if done < deadline else "missed"
            elif self.state == "waiting" and self.sla_paused_since:
                # A clock that ran out before the pause stays breached.
                resolution = (
                    "breached" if self.sla_paused_since >= deadline else "paused"
                )
            elif now >= deadline:
                resolution = "breached"
            elif self.sla_warning_date and now >= self.sla_warning_date:
                resolution = "at_risk"
            else:
                resolution = "on_track"
        return {"sla_response_status": response, "sla_status": resolution}

    # ------------------------------------------------------------------
    # Pauses and first response
    # ------------------------------------------------------------------
    def _sla_track_pause(self, vals):
        """Stop the resolution clock when the exception starts waiting (or is
        resolved, closed or cancelled); give its working hours back to the
        deadlines when it goes on (or is reopened). Called by write, before
        it: a waiting exception being resolved is judged on deadlines that
        count its pause."""
        if "state" not in vals:
            return
        target = vals["state"]
        now = fields.Datetime.now()
        clocks = {}
        paused_states = ("waiting", *FINISHED_STATES)
        entering = self.filtered(
            lambda e: target in paused_states and e.state not in paused_states
        )
        # Waiting, then resolved: the pause counts, and another starts.
        settling = self.filtered(
            lambda e: e.state == "waiting" and target in FINISHED_STATES
        )
        leaving = self.filtered(
            lambda e: target not in paused_states and e.state in paused_states
        )
        # sudo: the pause fields are kept by the system (SYSTEM_FIELDS).
        entering.sudo().write({"sla_paused_since": now})
        for exception in settling | leaving:
            paused = exception._get_working_time(clocks).hours_between(
                exception.sla_paused_since, now
            )
            exception.sudo().write(
                {
                    "sla_paused_since": now if exception in settling else False,
                    "sla_paused_hours": exception.sla_paused_hours + paused,
                }
            )
        # Computed while still waiting: a finished exception keeps the
        # deadlines it is judged on. Reopened ones are recomputed once open.
        settling.flush_recordset(list(SLA_DEADLINE_FIELDS))

    def _sla_note_first_response(self, message):
        """The owner's first message to a follower outside the team is a
        response: it stops the response clock (called for each message
        posted on the exception)."""
        self.ensure_one()
        if self.date_first_response or not self.user_id or not self.is_open:
            return
        if message.message_type != "comment" or message.subtype_id.internal:
            return
        if message.author_id != self.user_id.partner_id:
            return
        team_partners = (
            self.team_id.member_ids | self.team_id.leader_id | self.user_id
        ).partner_id
        if (self.message_partner_ids | message.partner_ids) - team_partners:
            # sudo: the time stamp is a system field (see SYSTEM_FIELDS).
            self.sudo().date_first_response = message.date or fields.Datetime.now()

    # ------------------------------------------------------------------
    # Next check
    # ------------------------------------------------------------------
    @api.depends(
        "state",
        "sla_policy_id",
        "sla_response_deadline",
        "sla_warning_date",
        "sla_deadline",
        "sla_status",
        "sla_response_status",
        "sla_escalation_done_ids",
        "sla_escalation_stage",
    )
    def _compute_sla_next_check(self):
        clocks, ladders = {}, {}
        for exception in self:
            exception.sla_next_check = exception._get_sla_next_check(clocks, ladders)

    def _get_sla_ladder(self, ladders=None):
        """The escalation levels of the exception's policy, in order, with
        their stages: [(level, stage)], shared through ``ladders`` ({policy
        id: ladder}) across a batch."""
        self.ensure_one()
        policy = self.sla_policy_id
        if ladders is not None and policy.id in ladders:
            return ladders[policy.id]
        ladder = [
            (level, level._get_stage()) for level in policy.escalation_ids.sorted()
        ]
        if ladders is not None:
            ladders[policy.id] = ladder
        return ladder

    def _get_sla_next_check(self, clocks=None, ladders=None):
        """The earliest moment the status of a clock changes or the next
        escalation level falls due. False for a finished exception."""
        self.ensure_one()
        if self.state in FINISHED_STATES or not self.sla_policy_id:
            return False
        moments = []
        if self.sla_response_status == "on_track":
            moments.append(self.sla_response_deadline)
        if self.sla_status == "on_track":
            moments.append(self.sla_warning_date or self.sla_deadline)
        elif self.sla_status == "at_risk":
            moments.append(self.sla_deadline)
        level = self._get_next_escalation_level(ladders)
        if level:
            moments.append(level._get_threshold(self, clocks))
        moments = [moment for moment in moments if moment]
        return min(moments) if moments else False

    def _get_next_escalation_level(self, ladders=None, done=None):
        """The next level of the ladder this exception has to go through: the
        first one beyond the stage it reached, leaving out those that can no
        longer apply (a level about the response, once answered). Levels
        added or deleted below that stage change nothing. ``done``: the
        levels passed, if not the stored ones."""
        self.ensure_one()
        ladder = self._get_sla_ladder(ladders)
        if done is None:
            done = self.sla_escalation_done_ids
        stage = self.sla_escalation_stage
        if done:
            stage = max(stage, *(level._get_stage() for level in done))
        for level, level_stage in ladder:
            if level_stage > stage and not level._never_applies(self):
                return level
        return self.env["logistics.exception.sla.escalation"]

    # ------------------------------------------------------------------
    # Recomputation after a configuration change
    # ------------------------------------------------------------------
    @api.model
    def _sla_mark_outdated(self, domain, batch_size=1000):
        """The deadlines of the open exceptions matching ``domain`` must be
        recomputed (a policy, calendar or tier changed): mark them in one
        query, recompute a first batch now and leave the rest to the SLA job.
        Finished exceptions are never touched: their verdict stays."""
        # sudo: whoever changes a calendar, a tier or a policy moves the
        # clocks of exceptions they may not see; nothing is disclosed.
        self = self.sudo()  # noqa: PLW0642
        query = self.with_context(active_test=False)._where_calc(
            [*domain, ("state", "not in", FINISHED_STATES)]
        )
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE %s SET sla_outdated = TRUE WHERE id IN %s",
                SQL.identifier(self._table),
                query.subselect(),
            )
        )
        if not self.env.cr.rowcount:
            return
        self.invalidate_model(["sla_outdated"])
        if self._sla_recompute_outdated(batch_size):
            self._sla_retrigger()

    @api.model
    def _sla_recompute_outdated(self, batch_size=1000):
        """Recompute one batch of outdated exceptions. True if more remain."""
        outdated = (
            self.sudo()
            .with_context(active_test=False)
            .search([("sla_outdated", "=", True)], limit=batch_size + 1, order="id")
        )
        more = len(outdated) > batch_size
        batch = outdated[:batch_size]
        if not batch:
            return False
        for name in SLA_COMPUTED_FIELDS:
            self.env.add_to_compute(self._fields[name], batch)
        batch.with_context(tracking_disable=True).write({"sla_outdated": False})
        batch.flush_recordset()
        return more

    # ------------------------------------------------------------------
    # Scheduled job
    # ------------------------------------------------------------------
    @api.model
    def _cron_sla(self, batch_size=500, commit=False, time_budget=60):
        """Recompute outdated deadlines, then move the clocks whose moment has
        come and apply the escalation levels that fell due, batch by batch.
        With ``commit`` (the scheduled job) each batch is committed and the
        job triggers itself again when ``time_budget`` seconds were not
        enough. An idle run is two indexed queries, whatever the volume."""
        budget_end = time.monotonic() + time_budget

        def out_of_time():
            return commit and time.monotonic() >= budget_end

        def end_batch():
            if commit:
                # Batch job designed for it: keep each batch's escalations.
                self.env.cr.commit()  # pylint: disable=invalid-commit
                # Thousands of records per run: keep the cache small.
                self.env.invalidate_all()

        more = True
        while more:
            more = self._sla_recompute_outdated(batch_size)
            end_batch()
            if more and out_of_time():
                return self._sla_retrigger()
        while True:
            try:
                locked = self._sla_process_due(batch_size)
            except psycopg2.errors.SerializationFailure:
                if not commit:
                    raise
                self.env.cr.rollback()
                return None
            end_batch()
            if locked < batch_size:
                return None
            if out_of_time():
                return self._sla_retrigger()

    @api.model
    def _sla_retrigger(self):
        cron = self.env.ref(
            "logistics_exception.ir_cron_logistics_exception_sla_status",
            raise_if_not_found=False,
        )
        if cron:
            cron._trigger()

    @api.model
    def _sla_lock_due(self, batch_size, now):
        """Ids of up to ``batch_size`` exceptions whose next check has come,
        locked for this transaction. Rows another worker holds are skipped,
        so that two workers never escalate the same exception. Rows another
        worker changed since this transaction began (repeatable read) make
        the query fail: the scheduled job then rolls back and stops, and the
        other worker has done the work."""
        self.env.cr.execute(
            SQL(
                "SELECT id FROM %s WHERE sla_next_check <= %s "
                "ORDER BY sla_next_check, id LIMIT %s "
                "FOR UPDATE SKIP LOCKED",
                SQL.identifier(self._table),
                now,
                batch_size,
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _sla_process_due(self, batch_size=500):
        """One batch of the SLA job: statuses moved, escalation levels
        applied in order, each at most once. Returns how many exceptions it
        locked."""
        now = fields.Datetime.now()
        self.env.flush_all()
        ids = self._sla_lock_due(batch_size, now)
        if not ids:
            return 0
        exceptions = self.sudo().with_context(active_test=False).browse(ids)
        by_status = {}
        for exception in exceptions:
            statuses = exception._get_sla_statuses(now)
            changed = {
                name: value
                for name, value in statuses.items()
                if exception[name] != value
            }
            if changed:
                key = tuple(sorted(changed.items()))
                by_status.setdefault(key, exceptions.browse())
                by_status[key] |= exception
        # Not tracked: a tracked write would make every tracked field changed
        # later in the transaction (the priority an escalation raises) log a
        # message per exception; the chatter note of the escalation says it.
        for key, records in by_status.items():
            records.with_context(tracking_disable=True).write(dict(key))
        self.env["logistics.exception.sla.escalation"]._escalate(exceptions, now)
        # Whatever is still due now was already handled: look again later.
        exceptions.flush_recordset()
        stuck = exceptions.filtered(
            lambda e: e.sla_next_check and e.sla_next_check <= now
        )
        if stuck:
            stuck.write({"sla_next_check": now + timedelta(hours=1)})
        return len(ids)

    # ------------------------------------------------------------------
    # Overdue
    # ------------------------------------------------------------------
    @api.depends("sla_deadline", "is_open")
    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for exception in self:
            exception.is_overdue = bool(
                exception.is_open
                and exception.state != "waiting"
                and exception.sla_deadline
                and exception.sla_deadline < now
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Overdue can only be searched as true or false."))
        overdue = [
            ("is_open", "=", True),
            ("state", "!=", "waiting"),
            ("sla_deadline", "!=", False),
            ("sla_deadline", "<", fields.Datetime.now()),
        ]
        if (operator == "=") == value:
            return overdue
        return ["!", *overdue]
