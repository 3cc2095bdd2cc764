from collections import defaultdict

from markupsafe import Markup

from odoo import Command, _, api, fields, models
from odoo.exceptions import ValidationError

from .logistics_exception_sla import FINISHED_STATES

ESCALATION_TRIGGERS = [
    ("response_breached", "Response Time Passed"),
    ("at_risk", "At Risk"),
    ("breached", "Resolution Time Passed"),
    ("overdue", "Resolution Time Passed by More Hours"),
]
# The ladder is climbed in this order, then by the hours after the deadline.
TRIGGER_RANK = {key: rank for rank, (key, _label) in enumerate(ESCALATION_TRIGGERS)}
# The triggers of the resolution clock do not fall due while it is paused.
RESOLUTION_TRIGGERS = ("at_risk", "breached", "overdue")
ACTIONS = ("notify_owner", "notify_leader", "reassign", "raise_priority")


class LogisticsExceptionSlaEscalation(models.Model):
    """One level of the escalation ladder of an SLA policy: when it falls due
    (the response time passed, at risk, the resolution time passed, or passed
    by N more working hours) and what it does. Each level happens once per
    exception, in the order of the ladder, as the SLA job finds it due."""

    _name = "logistics.exception.sla.escalation"
    _description = "SLA Escalation Level"
    _order = "policy_id, trigger_rank, delay_hours, id"

    name = fields.Char(required=True, translate=True)
    policy_id = fields.Many2one(
        "logistics.exception.sla.policy",
        string="SLA Policy",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="policy_id.company_id", store=True)
    trigger = fields.Selection(
        ESCALATION_TRIGGERS,
        string="When",
        required=True,
        default="breached",
    )
    trigger_rank = fields.Integer(compute="_compute_trigger_rank", store=True)
    delay_hours = fields.Float(
        string="Working Hours Late",
        default=0.0,
        required=True,
        help="For a level after the resolution time: how many working hours "
        "after the deadline it falls due.",
    )
    notify_owner = fields.Boolean(
        help="Schedule an activity for the owner (else the team leader, the "
        "escalation contact or a manager) and tell them.",
    )
    notify_leader = fields.Boolean(
        string="Notify the Team Leader",
        help="Tell the team leader (else the escalation contact or a manager) "
        "and make them follow the exception.",
    )
    reassign = fields.Boolean(
        string="Hand Over to the Escalation Contact",
        help="The team's escalation contact (else its leader, else a manager) "
        "becomes the owner.",
    )
    raise_priority = fields.Boolean(
        help="One more priority star, kept until a manager changes it.",
    )

    _sql_constraints = [
        (
            "level_unique",
            "UNIQUE (policy_id, trigger, delay_hours)",
            "A policy cannot have two escalation levels at the same moment.",
        ),
        (
            "delay_positive",
            "CHECK (delay_hours >= 0)",
            "The working hours after the deadline cannot be negative.",
        ),
    ]

    @api.depends("trigger")
    def _compute_trigger_rank(self):
        for level in self:
            level.trigger_rank = TRIGGER_RANK.get(level.trigger, 0)

    @api.constrains("trigger", "delay_hours", *ACTIONS)
    def _check_level(self):
        for level in self:
            if not any(level[action] for action in ACTIONS):
                raise ValidationError(
                    _(
                        "Escalation level %(level)s does nothing: choose at least "
                        "one action.",
                        level=level.name,
                    )
                )
            if level.trigger == "overdue" and level.delay_hours <= 0:
                raise ValidationError(
                    _(
                        "Escalation level %(level)s falls due after the "
                        "resolution time: say by how many working hours.",
                        level=level.name,
                    )
                )

    # Editing the ladder moves the next check of the open exceptions.
    @api.model_create_multi
    def create(self, vals_list):
        levels = super().create(vals_list)
        levels.policy_id._logistics_sla_policy_outdated()
        return levels

    def write(self, vals):
        policies = self.policy_id
        res = super().write(vals)
        (policies | self.policy_id)._logistics_sla_policy_outdated()
        return res

    def unlink(self):
        policies = self.policy_id
        res = super().unlink()
        policies._logistics_sla_policy_outdated()
        return res

    # ------------------------------------------------------------------
    # When a level falls due
    # ------------------------------------------------------------------
    def _get_stage(self):
        """Where this level sits on the way up, whatever the policy: the
        order of its trigger, then its hours after the deadline."""
        self.ensure_one()
        return TRIGGER_RANK.get(self.trigger, 0) * 1_000_000 + self.delay_hours

    def _never_applies(self, exception):
        """A level about the response is passed over once the exception has
        been answered, or when its policy sets no response time."""
        self.ensure_one()
        return self.trigger == "response_breached" and bool(
            exception.date_first_response or not exception.sla_response_deadline
        )

    def _get_threshold(self, exception, clocks=None):
        """When this level falls due for ``exception``; False while the
        resolution clock is paused."""
        self.ensure_one()
        if self.trigger == "response_breached":
            return exception.sla_response_deadline
        if exception.state == "waiting":
            return False
        if self.trigger == "at_risk":
            return exception.sla_warning_date or exception.sla_deadline
        if self.trigger == "breached" or not exception.sla_deadline:
            return exception.sla_deadline
        return exception._get_working_time(clocks).plan(
            exception.sla_deadline, self.delay_hours
        )

    # ------------------------------------------------------------------
    # Escalating
    # ------------------------------------------------------------------
    @api.model
    def _escalate(self, exceptions, now):
        """Apply to ``exceptions`` (locked by the SLA job) every level that
        fell due, in the order of their ladders, each once: the level reached
        is stored with the actions, in the same transaction."""
        clocks, ladders = {}, {}
        due = defaultdict(lambda: exceptions.browse())
        passed = defaultdict(lambda: exceptions.browse())
        for exception in exceptions:
            if exception.state in FINISHED_STATES or not exception.sla_policy_id:
                continue
            done = exception.sla_escalation_done_ids
            levels = done.browse()
            while True:
                level = exception._get_next_escalation_level(ladders, done | levels)
                threshold = level and level._get_threshold(exception, clocks)
                if not threshold or threshold > now:
                    break
                due[level] |= exception
                levels |= level
            if levels:
                stage = max(level._get_stage() for level in levels)
                key = (tuple(levels.ids), len(done | levels), stage)
                passed[key] |= exception
        # One note per exception, listing the levels it passed in this run.
        notes = defaultdict(list)
        for level in sorted(due, key=lambda lvl: (lvl.trigger_rank, lvl.delay_hours)):
            for exception_id, note in level._apply(due[level]).items():
                notes[exception_id].append(note)
        for (level_ids, count, stage), records in passed.items():
            # The note says it all: no tracking message on top.
            records.with_context(tracking_disable=True).write(
                {
                    "sla_escalation_done_ids": [
                        Command.link(level_id) for level_id in level_ids
                    ],
                    "escalation_level": count,
                    "sla_escalation_stage": stage,
                }
            )
        if notes:
            exceptions.browse(list(notes))._message_log_batch(
                {
                    exception_id: Markup("<br/>").join(lines)
                    for exception_id, lines in notes.items()
                }
            )

    def _apply(self, exceptions):
        """Do what this level says on ``exceptions``, in batch. Returns
        {exception id: what was done, in words} for their chatter."""
        self.ensure_one()
        exceptions = exceptions.with_context(
            tracking_disable=True, mail_activity_quick_update=True
        )
        done = defaultdict(list)  # exception id: what was done, in words
        responsible = exceptions._get_responsible_users()
        if self.notify_owner:
            self._schedule_owner_activities(exceptions, responsible)
            for exception, user in responsible.items():
                done[exception.id].append(
                    _("%(user)s was asked to act", user=user.name)
                )
            event = "at_risk" if self.trigger == "at_risk" else "breached"
            self._notify(exceptions, responsible, event)
        if self.notify_leader:
            leaders = exceptions._get_escalation_users(prefer="leader")
            by_leader = defaultdict(lambda: exceptions.browse())
            for exception, leader in leaders.items():
                by_leader[leader] |= exception
                done[exception.id].append(
                    _("%(user)s was told and follows it", user=leader.name)
                )
            for leader, records in by_leader.items():
                records.message_subscribe(partner_ids=leader.partner_id.ids)
            self._notify(exceptions, leaders, "escalated")
        if self.reassign:
            contacts = exceptions._get_escalation_users(prefer="contact")
            by_contact = defaultdict(lambda: exceptions.browse())
            for exception, contact in contacts.items():
                if exception.user_id != contact:
                    by_contact[contact] |= exception
                    done[exception.id].append(
                        _("handed over to %(user)s", user=contact.name)
                    )
            for contact, records in by_contact.items():
                records.write({"user_id": contact.id})
                # Without tracking, the new owner is not subscribed by it.
                records.message_subscribe(partner_ids=contact.partner_id.ids)
            self._notify(
                exceptions,
                {e: c for c, recs in by_contact.items() for e in recs},
                "escalated",
            )
        if self.raise_priority:
            by_priority = defaultdict(lambda: exceptions.browse())
            for exception in exceptions:
                priority = str(min(3, int(exception.priority or 0) + 1))
                if priority != exception.priority:
                    by_priority[priority] |= exception
            labels = dict(
                exceptions._fields["priority"]._description_selection(self.env)
            )
            for priority, records in by_priority.items():
                records.write({"priority": priority, "priority_locked": True})
                for exception in records:
                    done[exception.id].append(
                        _("priority raised to %(priority)s", priority=labels[priority])
                    )
        title = _(
            "SLA escalation: %(level)s (policy %(policy)s).",
            level=self.name,
            policy=self.policy_id.name,
        )
        return {
            exception.id: Markup("{} {}").format(
                title, "; ".join(done[exception.id]) or _("Nothing left to do.")
            )
            for exception in exceptions
        }

    def _schedule_owner_activities(self, exceptions, responsible):
        activity_type = self.env.ref(
            "logistics_exception.mail_activity_type_sla_escalation",
            raise_if_not_found=False,
        ) or self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(exceptions._name)
        today = fields.Date.context_today(self)
        self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": exception.id,
                    "activity_type_id": activity_type.id,
                    "summary": _("%(level)s: act now", level=self.name),
                    "user_id": user.id,
                    "date_deadline": today,
                    # Given, not computed after the insert: one update less
                    # per activity when thousands escalate at once.
                    "res_name": exception.display_name,
                }
                for exception, user in responsible.items()
            ]
        )

    def _notify(self, exceptions, users_by_exception, event):
        """Tell each user about the exceptions this level escalated to them:
        one call per user."""
        by_user = defaultdict(lambda: exceptions.browse())
        for exception, user in users_by_exception.items():
            by_user[user] |= exception
        message = _("Escalation: %(level)s", level=self.name)
        for user, records in by_user.items():
            records._notify_logistics_users(user, event, message)
