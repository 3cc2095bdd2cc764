from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz
from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from .logistics_exception_routing_rule import POOL_STRATEGIES

GROUP_USER = "logistics_exception.logistics_exception_group_user"
GROUP_MANAGER = "logistics_exception.logistics_exception_group_manager"
# A change of these sends the exception through the routing rules again.
ROUTING_TRIGGERS = {"category_id", "reason_id", "severity", "warehouse_id"}
# Kept by routing: nobody writes them by hand, over RPC included.
ROUTING_SYSTEM_FIELDS = {"owner_set_by", "routing_rule_id", "playbook_ids"}
# Context key of the writes routing makes (they do not route again, and the
# owner they set counts as set by routing).
ROUTING_CONTEXT = "logistics_exception_routing"
# Context key: the creation of these exceptions is logged with their routing.
LOG_CREATION_CONTEXT = "logistics_exception_log_creation"
PLAYBOOK_ROLES = ("logistics_owner", "logistics_leader", "logistics_group")
# Playbook steps are due in working days: the coming weeks of a calendar are
# read once per batch (see _get_working_day_deadline).
WORKING_DAYS_WINDOW = timedelta(days=14)


class LogisticsExceptionRoutingMixin(models.AbstractModel):
    """Routing of an exception: the first matching routing rule sends it to a
    team, gives it an owner, adds followers and starts playbooks (activity
    plans), at creation and when its category, reason, severity or warehouse
    change. An owner a person chose is never replaced.

    Written for ``logistics.exception``, which inherits it."""

    _name = "logistics.exception.routing.mixin"
    _description = "Logistics Exception Routing"

    owner_set_by = fields.Selection(
        [("person", "A person"), ("routing", "Routing")],
        string="Owner Chosen By",
        readonly=True,
        copy=False,
        help="Routing never replaces an owner a person chose.",
    )
    routing_rule_id = fields.Many2one(
        "logistics.exception.routing.rule",
        string="Routed By",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        groups=GROUP_MANAGER,
        help="The routing rule that last sent this exception to its team or owner.",
    )
    playbook_ids = fields.Many2many(
        "mail.activity.plan",
        "logistics_exception_playbook_rel",
        "exception_id",
        "plan_id",
        string="Playbooks Started",
        readonly=True,
        copy=False,
        help="Playbooks whose steps were scheduled on this exception. A "
        "playbook is started once per exception.",
    )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                self._check_routing_fields(
                    {name for name in ROUTING_SYSTEM_FIELDS & set(vals) if vals[name]}
                )
        for vals in vals_list:
            if vals.get("user_id"):
                vals.setdefault("owner_set_by", "person")
        records = super().create(vals_list)
        # logistics.exception.create asks mail.thread not to log the creation
        # when it can be said in the routing note: one note per exception.
        created = self.env.context.get(LOG_CREATION_CONTEXT)
        if not self.env.context.get(ROUTING_CONTEXT):
            records._route(created=created)
        elif created:
            records.sudo()._message_log_batch(
                {record.id: record._creation_message() for record in records}
            )
        return records

    def write(self, vals):
        if not self.env.su:
            self._check_routing_fields(ROUTING_SYSTEM_FIELDS & set(vals))
        routing = self.env.context.get(ROUTING_CONTEXT)
        if "user_id" in vals and not routing:
            vals = dict(vals, owner_set_by="person" if vals["user_id"] else False)
        res = super().write(vals)
        if ROUTING_TRIGGERS & set(vals) and not routing:
            self._route()
        return res

    @api.model
    def _check_routing_fields(self, names):
        if names:
            raise UserError(
                _(
                    "%(fields)s are kept by routing and cannot be changed by hand.",
                    fields=", ".join(
                        self._fields[name].get_description(self.env)["string"]
                        for name in sorted(names)
                    ),
                )
            )

    # ------------------------------------------------------------------
    # Routing
    # ------------------------------------------------------------------
    def _route(self, created=False):
        """Send the open exceptions of ``self`` through the routing rules and
        start their playbooks. Done by the system (sudo), in batch: one search
        of the rules, one count of the teams' workload, one write per
        (team, owner, rule), one batch of chatter notes. ``created``: the
        exceptions were just created, and their note says so too."""
        exceptions = (
            self.sudo()
            .with_context(**{ROUTING_CONTEXT: True})
            .filtered(lambda e: e.is_open)
        )
        if not exceptions:
            if created:
                self.sudo()._message_log_batch(
                    {exception.id: exception._creation_message() for exception in self}
                )
            return
        rules = self.env["logistics.exception.routing.rule"]._get_rules(
            exceptions.company_id
        )
        matched = rules._find_rules(exceptions) if rules else {}
        teams = {
            exception: exception._get_routing_team(matched.get(exception))
            for exception in exceptions
        }
        owners = exceptions._pick_owners(matched, teams)
        previous_rules = {e: e.routing_rule_id for e in exceptions}
        # A new owner who also holds playbook steps hears of both at once.
        with exceptions._merge_logistics_notices():
            exceptions._apply_routing(matched, teams, owners)
            started = exceptions._start_default_playbooks(matched)
        notes = {}
        for exception in exceptions:
            rule = matched.get(exception)
            lines = []
            if rule and (rule != previous_rules[exception] or exception in owners):
                lines.append(exception._get_routing_note(rule))
            lines.extend(started.get(exception, []))
            if lines:
                notes[exception.id] = Markup("<br/>").join(lines)
        if created:
            # One note per exception: "created", then how it was routed.
            self.sudo()._message_log_batch(
                {
                    exception.id: Markup("<br/>").join(
                        [exception._creation_message(), notes[exception.id]]
                    )
                    if exception.id in notes
                    else exception._creation_message()
                    for exception in self
                }
            )
        elif notes:
            exceptions.browse(list(notes))._message_log_batch(
                bodies=notes, message_type="comment"
            )

    def _get_routing_team(self, rule):
        """The team ``rule`` sends this exception to: the rule's team when it
        is of the exception's company, else the exception's own team."""
        self.ensure_one()
        team = rule.team_id if rule else self.env["logistics.exception.team"]
        if team and team.company_id == self.company_id:
            return team
        return self.team_id

    def _apply_routing(self, matched, teams, owners):
        """Write the teams, owners and rules found, grouped by value; add the
        rules' followers."""
        groups = defaultdict(list)
        followers = defaultdict(list)
        for exception in self:
            rule = matched.get(exception, self.env["logistics.exception.routing.rule"])
            vals = {}
            if teams[exception] != exception.team_id:
                vals["team_id"] = teams[exception].id
            owner = owners.get(exception)
            if owner and owner != exception.user_id:
                vals["user_id"] = owner.id
                vals["owner_set_by"] = "routing"
            if rule != exception.routing_rule_id:
                vals["routing_rule_id"] = rule.id
            if vals:
                groups[tuple(sorted(vals.items()))].append(exception.id)
            if rule.follower_user_ids or rule.follower_partner_ids:
                followers[rule].append(exception.id)
        # The routing note names the team and the owner: no tracking message
        # per exception on top (a thousand detected at once stay cheap). The
        # owner still follows the exception and is told, as tracking does.
        quiet = self.with_context(tracking_disable=True)
        for vals, ids in groups.items():
            vals = dict(vals)
            records = quiet.browse(ids)
            records.write(vals)
            if vals.get("user_id"):
                owner = self.env["res.users"].browse(vals["user_id"])
                records.message_subscribe(partner_ids=owner.partner_id.ids)
                records.with_context(
                    tracking_disable=False
                )._message_auto_subscribe_notify(
                    owner.partner_id.ids, "mail.message_user_assigned"
                )
        for rule, ids in followers.items():
            self.browse(ids).message_subscribe(
                partner_ids=(
                    rule.follower_user_ids.partner_id | rule.follower_partner_ids
                ).ids
            )

    def _get_routing_note(self, rule):
        """The chatter note saying which rule routed the exception."""
        self.ensure_one()
        details = []
        if self.team_id:
            details.append(_("team %(team)s", team=self.team_id.display_name))
        if self.user_id:
            details.append(_("owner %(owner)s", owner=self.user_id.name))
        rule_name = Markup("<b>%s</b>") % rule.name
        if details:
            return Markup(_("Routed by rule %(rule)s: %(details)s.")) % {
                "rule": rule_name,
                "details": ", ".join(details),
            }
        return Markup(_("Routed by rule %(rule)s.")) % {"rule": rule_name}

    # ------------------------------------------------------------------
    # Owners
    # ------------------------------------------------------------------
    def _pick_owners(self, matched, teams):
        """{exception: new owner} by the owner strategy of each exception's
        rule. An owner a person chose stays; a routed owner who is a member of
        the team stays with the strategies that share the team's work."""
        owners = {}
        pools = defaultdict(lambda: self.browse())
        for exception in self:
            rule = matched.get(exception)
            if not rule or rule.owner_strategy == "none":
                continue
            if exception.user_id and exception.owner_set_by == "person":
                continue
            team = teams[exception]
            strategy = rule.owner_strategy
            if strategy in POOL_STRATEGIES:
                if exception.user_id and exception.user_id in team.member_ids:
                    continue
                if team._get_routing_members():
                    pools[(team, strategy)] |= exception
                    continue
                user = team.leader_id
            elif strategy == "fixed":
                user = rule.user_id
            elif strategy == "leader":
                user = team.leader_id
            else:
                user = exception._get_document_responsible()
            if not exception._is_usable_owner(user):
                user = team.leader_id
            if exception._is_usable_owner(user):
                owners[exception] = user
        if pools:
            owners.update(self._pick_pool_owners(pools))
        return owners

    def _pick_pool_owners(self, pools):
        """Share the exceptions of ``pools`` ({(team, strategy): exceptions})
        between the members of each team. The teams' rows are locked first:
        a concurrent transaction routing to the same team waits, then fails to
        serialize and is retried (as Odoo does for RPC), seeing what this one
        picked. The counts move in memory as members are picked."""
        teams = self.env["logistics.exception.team"].union(*(t for t, _s in pools))
        teams.sudo()._lock_for_routing()
        # One count of the open exceptions of each member in these teams.
        load = defaultdict(int)
        for team, user, count in self._read_group(
            [
                ("team_id", "in", teams.ids),
                ("is_open", "=", True),
                ("user_id", "!=", False),
            ],
            groupby=["team_id", "user_id"],
            aggregates=["__count"],
        ):
            load[(team.id, user.id)] = count
        owners = {}
        pointers = {team: team.routing_last_user_id for team in teams}
        for (team, strategy), exceptions in pools.items():
            members = team._get_routing_members()
            for exception in exceptions:
                if strategy == "least_loaded":
                    user = min(
                        members, key=lambda m, t=team: (load[(t.id, m.id)], m.id)
                    )
                else:
                    following = members.filtered(
                        lambda m, t=team: m.id > pointers[t].id
                    )
                    user = following[:1] or members[:1]
                    pointers[team] = user
                load[(team.id, user.id)] += 1
                owners[exception] = user
        for team, user in pointers.items():
            if user != team.routing_last_user_id:
                team.sudo().routing_last_user_id = user
        return owners

    def _is_usable_owner(self, user):
        """Whether ``user`` may own this exception: an active internal user of
        its company who works logistics exceptions."""
        self.ensure_one()
        return bool(
            user
            and user.active
            and not user.share
            and self.company_id in user.company_ids
            and user.has_group(GROUP_USER)
        )

    def _get_document_responsible(self):
        """The person in charge of the exception's document: the salesperson
        of the sales order, the buyer of the purchase order, the responsible
        of the transfer (else of its order), the salesperson of the invoice.
        The document it was detected on first. Override me."""
        self.ensure_one()
        # sudo: the owner is found whatever the rights of whoever reports.
        exception = self.sudo()
        documents = [
            exception.source_ref,
            exception.sale_id,
            exception.purchase_id,
            exception.picking_id,
            exception.move_id,
        ]
        for document in documents:
            if not document:
                continue
            if document._name == "account.move":
                users = [document.invoice_user_id]
            elif document._name == "stock.picking":
                users = [
                    document.user_id,
                    document.sale_id.user_id,
                    document.purchase_id.user_id,
                ]
            elif "user_id" in document._fields:
                users = [document.user_id]
            else:
                continue
            for user in users:
                if self._is_usable_owner(user):
                    return user
        return self.env["res.users"]

    # ------------------------------------------------------------------
    # Playbooks
    # ------------------------------------------------------------------
    def _get_default_playbook(self):
        """The playbook of the exception's reason code, else of its category
        or the nearest parent category that has one."""
        self.ensure_one()
        if self.reason_id.playbook_id:
            return self.reason_id.playbook_id
        category = self.category_id
        while category and not category.playbook_id:
            category = category.parent_id
        return category.playbook_id

    def _start_default_playbooks(self, matched):
        """Start the playbook of each exception's rule and of its reason or
        category. Returns {exception: chatter lines}."""
        plans = {}
        for exception in self:
            rule = matched.get(exception)
            candidates = (rule.playbook_id if rule else rule) or self.env[
                "mail.activity.plan"
            ]
            candidates |= exception._get_default_playbook()
            plans[exception] = candidates
        return self._start_playbooks(plans)

    def _start_playbooks(self, plans, on_demand_user=None):
        """Schedule the steps of ``plans`` ({exception: plans}) as activities,
        once per exception and playbook. Each step goes to its role and is due
        in working days of the team's (else the company's) calendar. Returns
        {exception: chatter lines}."""
        activities = []
        lines = defaultdict(list)
        started = defaultdict(list)
        model_id = self.env["ir.model"]._get_id("logistics.exception")
        working_days = {}
        to_start = [
            (exception, plan)
            for exception, exception_plans in plans.items()
            for plan in exception_plans
            if plan.active
            and plan not in exception.playbook_ids
            and plan.res_model == "logistics.exception"
            and (not plan.company_id or plan.company_id == exception.company_id)
        ]
        # Whoever must act on each exception, for the steps nobody holds: one
        # look-up for the batch (a search of managers at most).
        responsible = (
            self.browse().union(*(e for e, _p in to_start))._get_responsible_users()
            if to_start
            else {}
        )
        for exception, plan in to_start:
            started[plan].append(exception.id)
            steps = []
            calendar = exception._get_playbook_calendar()
            for step in plan.template_ids:
                user = exception._get_playbook_step_user(
                    step, on_demand_user, responsible=responsible
                )
                deadline = self._get_working_day_deadline(
                    calendar, step.logistics_delay_days, working_days
                )
                activities.append(
                    {
                        "res_model_id": model_id,
                        "res_id": exception.id,
                        "activity_type_id": step.activity_type_id.id,
                        "summary": step.summary,
                        "note": step.note,
                        "user_id": user.id,
                        "date_deadline": deadline,
                        "logistics_plan_id": plan.id,
                        "logistics_required": step.logistics_required,
                    }
                )
                steps.append(
                    Markup("<li>%s</li>")
                    % _(
                        "%(step)s: %(user)s, due %(deadline)s%(required)s",
                        step=step.summary or step.activity_type_id.name,
                        user=user.name or _("nobody"),
                        deadline=format_date(self.env, deadline),
                        required=_(" (required)") if step.logistics_required else "",
                    )
                )
            lines[exception].append(
                Markup(_("Playbook %(playbook)s started:"))
                % {"playbook": Markup("<b>%s</b>") % plan.name}
                + Markup("<ul>%s</ul>") % Markup().join(steps)
            )
        for plan, ids in started.items():
            self.browse(ids).write({"playbook_ids": [(4, plan.id)]})
        # mail.activity subscribes each assignee once per record of a create:
        # a person with two steps on one exception is created in two batches.
        batches = []
        for vals in activities:
            key = (vals["user_id"], vals["res_id"])
            batch = next((b for b in batches if key not in b), None)
            if batch is None:
                batch = {}
                batches.append(batch)
            batch[key] = vals
        # Odoo would email each step to its holder, one by one: the holders
        # get the suite's notice instead (_notify_playbook_steps).
        scheduled = self.env["mail.activity"]
        for batch in batches:
            scheduled |= (
                self.env["mail.activity"]
                .with_context(mail_activity_quick_update=True)
                .create(list(batch.values()))
            )
        self._notify_playbook_steps(scheduled, lines)
        return lines

    def _notify_playbook_steps(self, activities, lines):
        """Tell the holders of the steps just scheduled (``activities``)
        through the suite's rule (never the actor, digest if they chose one).
        Someone with steps on one exception gets its playbook lines (``lines``:
        {exception: chatter lines}), one notice for all of that exception's
        holders; someone with steps on several gets one notice listing them."""
        steps_by_user = defaultdict(lambda: self.env["mail.activity"])
        for activity in activities.filtered("user_id"):
            steps_by_user[activity.user_id] |= activity
        holders = defaultdict(lambda: self.env["res.users"])
        for user, steps in steps_by_user.items():
            exceptions = self.browse(set(steps.mapped("res_id")))
            if len(exceptions) == 1:
                holders[exceptions] |= user
                continue
            exceptions._notify_logistics_users(
                user,
                "playbook",
                steps._get_logistics_assigned_message(),
            )
        for exception, users in holders.items():
            exception._notify_logistics_users(
                users, "playbook", Markup("<br/>").join(lines[exception])
            )

    def _get_playbook_step_user(self, step, on_demand_user=None, responsible=None):
        """Who does ``step`` on this exception: its owner, its team leader or
        the first member of a group who works the exceptions of its company;
        else whoever must act on it (_get_responsible_users: owner, leader,
        escalation contact, a manager; ``responsible`` gives that map when the
        caller computed it for a batch). "Ask at launch" steps go to the user
        chosen at launch, else to the owner."""
        self.ensure_one()
        role = step.responsible_type
        user = self.env["res.users"]
        if role == "other":
            user = step.responsible_id
        elif role == "logistics_leader":
            user = self.team_id.leader_id
        elif role == "logistics_group":
            user = self._get_group_member(step.logistics_group_id)
        elif role == "on_demand":
            user = on_demand_user or self.user_id
        else:
            user = self.user_id
        if not user or not user.active:
            if responsible is None:
                responsible = self._get_responsible_users()
            user = responsible.get(self, user.browse())
        return user

    def _get_group_member(self, group):
        """First member of ``group`` who may work this exception: an active
        internal user of its company in the logistics exception users (by id:
        the longest-standing account). Nobody when no member fits."""
        self.ensure_one()
        # sudo: the members are read whatever the rights of who launches.
        workers = self.env.ref(GROUP_USER).sudo().users
        members = (group.sudo().users & workers).filtered(
            lambda u: u.active and not u.share and self.company_id in u.company_ids
        )
        return members.sorted("id")[:1]

    def _get_playbook_calendar(self):
        self.ensure_one()
        if self.team_id:
            return self.team_id._get_calendar()
        return self.company_id.resource_calendar_id

    @api.model
    def _get_working_day_deadline(self, calendar, days, working_days=None):
        """The date ``days`` working days after today on ``calendar`` (public
        holidays excluded); zero: today, or the next working day. Calendar
        days without a calendar. ``working_days`` ({calendar: [dates]}) keeps
        each calendar's working days of the coming weeks across a batch: one
        read of the calendar for every step."""
        now = fields.Datetime.now()
        if not calendar:
            return now.date() + timedelta(days=days)
        tz = pytz.timezone(calendar.tz or "UTC")
        today = pytz.utc.localize(now).astimezone(tz).date()
        if working_days is None:
            working_days = {}
        if calendar not in working_days:
            start = tz.localize(datetime.combine(today, time.min))
            intervals = calendar._work_intervals_batch(
                start, start + WORKING_DAYS_WINDOW, compute_leaves=True
            )[False]
            working_days[calendar] = sorted(
                {begin.astimezone(tz).date() for begin, _stop, _meta in intervals}
            )
        dates = working_days[calendar]
        # Today counts only for "zero days"; otherwise count from tomorrow.
        ahead = [date for date in dates if date > today or (not days and date == today)]
        if len(ahead) > days:
            return ahead[max(days - 1, 0)] if days else ahead[0]
        # Beyond the window (a calendar with few working days): ask it.
        start = tz.localize(datetime.combine(today, time.min))
        if days:
            start += timedelta(days=1)
        end = calendar.plan_days(max(days, 1), start, compute_leaves=True)
        if not end:
            return today + timedelta(days=days)
        return end.astimezone(tz).date()

    def _check_playbook_steps_done(self):
        """Refuse to resolve while a required playbook step is open, for the
        categories that ask for it; the message lists the open steps."""
        demanding = self.filtered("category_id.requires_playbook_done")
        if not demanding:
            return
        # sudo: the steps may be assigned to others; only their names are shown.
        open_steps = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", demanding.ids),
                    ("logistics_required", "=", True),
                ],
                order="date_deadline, id",
            )
        )
        if not open_steps:
            return
        exception = demanding.browse(open_steps[0].res_id)
        steps = open_steps.filtered(lambda a: a.res_id == exception.id)
        raise UserError(
            _(
                "Exception %(name)s cannot be resolved yet: category %(category)s "
                "asks that the required steps of its playbook be done first. "
                "Still open:\n%(steps)s",
                name=exception.name,
                category=exception.category_id.display_name,
                steps="\n".join(
                    _(
                        "- %(step)s (%(user)s, due %(deadline)s)",
                        step=step.summary or step.activity_type_id.name,
                        user=step.user_id.name or _("nobody"),
                        deadline=format_date(self.env, step.date_deadline),
                    )
                    for step in steps
                ),
            )
        )
