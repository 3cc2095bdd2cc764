# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from markupsafe import Markup, escape

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from .tier_review import REVIEWING

# Marks the controls asking for approval (a Python object: a JSON context
# sent by a client cannot carry it).
ASKING = object()

# Fields of a request that only its own methods change.
PROTECTED_FIELDS = {
    "name",
    "state",
    "requested_by_id",
    "company_id",
    "exception_id",
    "applied_date",
    "reject_reason",
    "approval_deadline",
    "escalated_date",
    "validation_status",
    "review_ids",
}


class LogisticsApprovalMixin(models.AbstractModel):
    """What every approval request of the suite shares, on OCA's
    ``tier.validation``: the requester never reviews, one person gives one
    approval, activities for the next reviewers, every step in the chatter of
    the request, of its document and of its exception, a deadline after which
    the request escalates, and companies respected.

    A model inheriting it implements ``_logistics_apply`` (what approval does)
    and may extend ``_logistics_documents`` (the records whose chatter hears
    of the request) and ``_logistics_activity_summary``."""

    _name = "logistics.approval.mixin"
    _description = "Logistics Approval Request (mixin)"
    _inherit = ["mail.thread", "mail.activity.mixin", "tier.validation"]
    _check_company_auto = True

    # tier.validation: the request is reviewed while "to_approve"; full
    # approval moves it to "approved" (then "applied" once carried out).
    _state_from = ["to_approve"]
    _state_to = ["approved"]
    _tier_validation_manual_config = False
    _tier_validation_buttons_xpath = "/form/header/field[@name='state']"

    name = fields.Char(
        required=True, readonly=True, copy=False, default=lambda self: _("New")
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("to_approve", "To Approve"),
            ("approved", "Approved"),
            ("applied", "Applied"),
            ("rejected", "Rejected"),
            ("withdrawn", "Withdrawn"),
        ],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
        index=True,
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    requested_by_id = fields.Many2one(
        "res.users",
        string="Requested By",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.user,
    )
    exception_id = fields.Many2one(
        "logistics.exception",
        string="Exception",
        readonly=True,
        check_company=True,
        copy=False,
        index="btree_not_null",
    )
    applied_date = fields.Datetime(readonly=True, copy=False)
    reject_reason = fields.Char(readonly=True, copy=False, tracking=True)
    approval_deadline = fields.Datetime(
        string="Approve Before",
        readonly=True,
        copy=False,
        help="When the request was submitted plus the company's approval SLA. "
        "A request still waiting then escalates.",
    )
    escalated_date = fields.Datetime(
        string="Escalated On", readonly=True, copy=False, tracking=True
    )
    is_overdue = fields.Boolean(
        string="Overdue",
        compute="_compute_is_overdue",
        search="_search_is_overdue",
    )

    @api.depends("state", "approval_deadline")
    @api.depends_context("logistics_now")
    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for request in self:
            request.is_overdue = bool(
                request.state == "to_approve"
                and request.approval_deadline
                and request.approval_deadline < now
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Search overdue requests with = or != a boolean."))
        domain = [
            ("state", "=", "to_approve"),
            ("approval_deadline", "<", fields.Datetime.now()),
        ]
        if (operator == "=") == value:
            return domain
        return ["!", "&", *domain]

    @api.model
    def _logistics_sequence_code(self):
        return self._name

    @api.model_create_multi
    def create(self, vals_list):
        # Requests are made by the controls (stock counts, wizards, order
        # confirmations), never from a client: what a request asks (its
        # document, its change, who approves) cannot be forged.
        if not (
            self.env.su or self.env.context.get("logistics_approval_asking") is ASKING
        ):
            raise AccessError(
                _(
                    "Approval requests are made by the action that needs them "
                    "(apply a count, change a promise date, confirm a rush "
                    "purchase, return goods, override a billing hold, release "
                    "a credit hold), not by hand."
                )
            )
        for vals in vals_list:
            # The requester is who asks, never someone named by them.
            vals["requested_by_id"] = self.env.uid
            if vals.get("name", _("New")) == _("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    self._logistics_sequence_code()
                ) or _("New")
        return super().create(vals_list)

    def write(self, vals):
        if "requested_by_id" in vals:
            raise UserError(_("The requester of an approval request cannot change."))
        if not self.env.su and (PROTECTED_FIELDS | self._logistics_frozen_fields()) & (
            vals.keys()
        ):
            raise UserError(
                _(
                    "An approval request changes only through its buttons "
                    "(Validate, Reject)."
                )
            )
        return super().write(vals)

    @api.model
    def _logistics_frozen_fields(self):
        """Fields describing what is asked: set on creation, never changed
        (what is approved is what was asked)."""
        return set()

    # tier.validation hooks ------------------------------------------------

    def _get_sequences_to_approve(self, user):
        """The requester never reviews; a second tier needs a second person."""
        if user == self.requested_by_id:
            return []
        if user in self.review_ids.filtered(lambda r: r.status == "approved").done_by:
            return []
        return super()._get_sequences_to_approve(user)

    def validate_tier(self):
        self.ensure_one()
        self._check_can_approve()
        return super().validate_tier()

    def _logistics_reviews_of_user(self):
        """The reviews the current user decides now: open reviews of this
        request, of the next sequence they may review, where they are a
        reviewer. Whatever review ids a client sends (the comment wizard
        takes them from the client), nobody decides more than these: one
        person never approves two tiers of one request."""
        self.ensure_one()
        user = self.env.user
        sequences = self._get_sequences_to_approve(user)
        reviews = self.with_context(
            logistics_tier_reviewing=REVIEWING
        ).review_ids.filtered(
            lambda r: (
                r.status in ("waiting", "pending")
                and r.sequence in sequences
                and user in r.reviewer_ids
            )
        )
        # One tier per person and decision: the first of the next sequence.
        return reviews.sorted("sequence")[:1]

    def _validate_tier(self, tiers=False):
        self.ensure_one()
        self._check_can_approve()
        reviews = self._logistics_reviews_of_user()
        if not reviews:
            raise UserError(
                _("%(request)s has nothing for you to approve.", request=self.name)
            )
        res = super(
            LogisticsApprovalMixin,
            self.with_context(logistics_tier_reviewing=REVIEWING),
        )._validate_tier(tiers=reviews)
        self._logistics_after_review()
        return res

    @api.model
    def _update_counter(self, review_counter):
        # It moves the next reviews from "waiting" to "pending".
        return super(
            LogisticsApprovalMixin,
            self.with_context(logistics_tier_reviewing=REVIEWING),
        )._update_counter(review_counter)

    def request_validation(self):
        if not (
            self.env.su or self.env.context.get("logistics_approval_asking") is ASKING
        ):
            raise AccessError(
                _("The reviews of an approval request are asked when it is made.")
            )
        return super(
            LogisticsApprovalMixin,
            self.with_context(logistics_tier_reviewing=REVIEWING),
        ).request_validation()

    def _add_tier_validation_buttons(self, node, params):
        """No "Restart Validation": a decided request stays as it was decided."""
        new_node = super()._add_tier_validation_buttons(node, params)
        for button in new_node.xpath("//button[@name='restart_validation']"):
            button.getparent().remove(button)
        return new_node

    def restart_validation(self):
        raise UserError(
            _(
                "An approval request cannot be restarted: once rejected, ask "
                "again with a new request."
            )
        )

    def reject_tier(self):
        self.ensure_one()
        if not self.can_review:
            raise UserError(
                _(
                    "You cannot reject %(request)s: only its next approver can.",
                    request=self.name,
                )
            )
        return super().reject_tier()

    def _rejected_tier(self, tiers=False):
        if not self.can_review:
            raise UserError(
                _(
                    "You cannot reject %(request)s: only its next approver can.",
                    request=self.name,
                )
            )
        reviews = self._logistics_reviews_of_user()
        if not reviews:
            raise UserError(
                _("%(request)s has nothing for you to reject.", request=self.name)
            )
        res = super(
            LogisticsApprovalMixin,
            self.with_context(logistics_tier_reviewing=REVIEWING),
        )._rejected_tier(tiers=reviews)
        self._logistics_after_review()
        return res

    def _check_can_approve(self):
        for request in self:
            if self.env.user == request.requested_by_id:
                raise UserError(
                    _(
                        "You requested %(request)s: someone else must approve it.",
                        request=request.name,
                    )
                )
            if request.state != "to_approve":
                raise UserError(
                    _("%(request)s is not waiting for approval.", request=request.name)
                )
            if not request.can_review:
                raise UserError(
                    _(
                        "You cannot approve %(request)s: it waits for another "
                        "approver than you.",
                        request=request.name,
                    )
                )

    def _logistics_after_review(self):
        """Move the request on once its reviews are all done."""
        for request in self:
            if request.state != "to_approve":
                continue
            if request.validation_status == "validated":
                request.activity_unlink(["mail.mail_activity_data_todo"])
                request.with_context(skip_validation_check=True).sudo().write(
                    {"state": "approved"}
                )
                request._logistics_apply()
            elif request.validation_status == "rejected":
                comment = ", ".join(
                    c
                    for c in request.review_ids.filtered(
                        lambda r: r.status == "rejected"
                    ).mapped("comment")
                    if c
                )
                request.activity_unlink(["mail.mail_activity_data_todo"])
                request.with_context(skip_validation_check=True).sudo().write(
                    {"state": "rejected", "reject_reason": comment or False}
                )
                request._logistics_post(
                    _(
                        "%(request)s rejected by %(user)s: %(reason)s. "
                        "Nothing was changed.",
                        request=request.name,
                        user=self.env.user.name,
                        reason=comment or _("no reason given"),
                    )
                )
                request._logistics_rejected()
            else:
                request._schedule_review_activities()

    def action_withdraw(self):
        """The requester (or an exceptions manager) withdraws a request still
        waiting: nothing changes, its open reviews are closed (so they leave
        the approvers' lists and counts) and the step is noted everywhere. A
        new request of the same change may then be made."""
        is_manager = self.env.user.has_group(
            "logistics_exception.logistics_exception_group_manager"
        )
        for request in self:
            if request.state != "to_approve":
                raise UserError(
                    _(
                        "%(request)s is not waiting for approval: there is "
                        "nothing to withdraw.",
                        request=request.name,
                    )
                )
            if self.env.user != request.requested_by_id and not is_manager:
                raise AccessError(
                    _(
                        "Only who asked for %(request)s (or an exceptions "
                        "manager) withdraws it.",
                        request=request.name,
                    )
                )
        for request in self:
            reviewing = request.sudo().with_context(
                logistics_tier_reviewing=REVIEWING, skip_validation_check=True
            )
            reviewing.review_ids.filtered(
                lambda r: r.status in ("waiting", "pending")
            ).write({"status": "rejected", "comment": _("Withdrawn")})
            reviewing.activity_unlink(["mail.mail_activity_data_todo"])
            reviewing.write({"state": "withdrawn"})
            request._logistics_post(
                _(
                    "%(request)s withdrawn by %(user)s. Nothing was changed.",
                    request=request.name,
                    user=self.env.user.name,
                )
            )
        return True

    @api.model
    def _logistics_waiting_notification(
        self, message, title=None, sticky=False, next_action=None
    ):
        """What an action returns when its change waits for approval instead
        of happening: a warning that names the request, then ``next_action``
        (by default, close the dialog)."""
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning",
                "title": title or _("Waiting for approval"),
                "message": message,
                "sticky": sticky,
                "next": next_action or {"type": "ir.actions.act_window_close"},
            },
        }

    # what a request does (implemented by each kind of request) ------------

    def _logistics_apply(self):
        """Carry out approved requests, exactly once (state "applied")."""
        raise NotImplementedError()

    def _logistics_rejected(self):
        """Hook: what a rejection does besides recording it (nothing)."""
        return

    def _logistics_documents(self):
        """The records whose chatter hears of this request (its document)."""
        self.ensure_one()
        return []

    def _logistics_activity_summary(self):
        self.ensure_one()
        return _("Approve %s", self.name)

    # business methods -------------------------------------------------------

    def _submit(self):
        """Ask for the reviews of the shipped (or configured) tiers."""
        now = fields.Datetime.now()
        for request in self:
            hours = request.company_id.logistics_approval_sla_hours
            request.sudo().write(
                {
                    "state": "to_approve",
                    "approval_deadline": now + timedelta(hours=hours)
                    if hours
                    else False,
                }
            )
        self.with_context(logistics_approval_asking=ASKING).request_validation()
        self.invalidate_recordset(["review_ids"])
        self._logistics_check_reviewers()
        self._schedule_review_activities()
        for request in self:
            request._logistics_post(request._logistics_requested_message())

    def _logistics_check_reviewers(self):
        """Refuse (changing nothing) a request nobody could decide: no tier
        applies, or a tier has nobody but the requester to review it, or too
        few different people for its tiers."""
        for request in self:
            reviews = request.review_ids
            if not reviews:
                raise UserError(
                    _(
                        "%(request)s needs an approval, but no tier definition "
                        "applies to it. Ask an administrator to check the tier "
                        "definitions.",
                        request=request.name,
                    )
                )
            people = reviews.sudo().reviewer_ids - request.requested_by_id
            empty = reviews.filtered(
                lambda r, req=request: not (r.sudo().reviewer_ids - req.requested_by_id)
            )
            if empty or len(people) < len(reviews):
                raise UserError(
                    _(
                        "Too few people besides you can approve this "
                        "(%(tiers)s): %(count)s different approvers are needed. "
                        "Nothing was changed: ask an administrator to name "
                        "approvers.",
                        tiers=", ".join(reviews.definition_id.mapped("name")),
                        count=len(reviews),
                    )
                )

    def _logistics_requested_message(self):
        self.ensure_one()
        return _(
            "%(request)s requested by %(user)s.",
            request=self.name,
            user=self.requested_by_id.name,
        )

    def _schedule_review_activities(self):
        """A to-do for each person who may review the next tier."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        for request in self:
            done_by = request.review_ids.filtered(
                lambda r: r.status == "approved"
            ).done_by
            if done_by:
                request.activity_feedback(
                    ["mail.mail_activity_data_todo"],
                    user_id=self.env.user.id,
                    feedback=_("Approved"),
                )
            open_reviews = request.review_ids.filtered(
                lambda r: r.status in ("waiting", "pending")
            )
            if not open_reviews:
                continue
            next_sequence = min(open_reviews.mapped("sequence"))
            reviewers = open_reviews.filtered(
                lambda r, s=next_sequence: r.sequence == s
            ).reviewer_ids
            reviewers -= request.requested_by_id | done_by
            existing = request.activity_ids.filtered(
                lambda a, t=todo: a.activity_type_id == t
            ).user_id
            for user in reviewers - existing:
                request.sudo().activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=user.id,
                    date_deadline=request.approval_deadline
                    and request.approval_deadline.date(),
                    summary=request._logistics_activity_summary(),
                )

    def _logistics_post(self, body):
        """Record a step in the chatter of the request, of its documents and
        of its exception. The documents' and exception's notes are written as
        superuser: the approver may not read the exception's queue, and the
        note records a decision they were entitled to make."""
        for request in self:
            request.message_post(body=body)
            note = Markup("<p>%s</p>") % escape(body)
            threads = list(request._logistics_documents())
            if request.exception_id:
                threads.append(request.exception_id)
            for thread in threads:
                thread.sudo().message_post(
                    body=note,
                    subtype_xmlid="mail.mt_note",
                    author_id=self.env.user.partner_id.id,
                )

    # escalation ----------------------------------------------------------

    @api.model
    def _cron_escalate_overdue(self):
        """Requests waiting past their deadline escalate once: the note on
        the request, its document and its exception, and the exception's team
        escalation contact (else its leader) gets an activity on the exception."""
        for model in self._logistics_approval_models():
            overdue = (
                self.env[model]
                .sudo()
                .search(
                    [
                        ("state", "=", "to_approve"),
                        ("approval_deadline", "<", fields.Datetime.now()),
                        ("escalated_date", "=", False),
                    ]
                )
            )
            overdue._logistics_escalate()

    @api.model
    def _logistics_approval_models(self):
        """The models of approval requests (those inheriting this mixin)."""
        children = self.env.registry["logistics.approval.mixin"]._inherit_children
        return [name for name in children if not self.env[name]._abstract]

    def _logistics_escalate(self):
        todo = self.env.ref("mail.mail_activity_data_todo")
        for request in self:
            request.sudo().with_context(skip_validation_check=True).write(
                {"escalated_date": fields.Datetime.now()}
            )
            waiting = request.review_ids.filtered(
                lambda r: r.status in ("waiting", "pending")
            ).reviewer_ids
            request._logistics_post(
                _(
                    "%(request)s has waited for approval past its deadline "
                    "(%(deadline)s). Waiting for: %(reviewers)s.",
                    request=request.name,
                    deadline=fields.Datetime.to_string(request.approval_deadline),
                    reviewers=", ".join(waiting.mapped("name")) or _("nobody"),
                )
            )
            exception = request.exception_id
            if not exception:
                continue
            team = exception.team_id
            contact = team.escalation_user_id or team.leader_id
            if contact:
                # On the exception, which the team's contact can open (the
                # request may be readable only by its reviewers).
                exception.sudo().activity_schedule(
                    activity_type_id=todo.id,
                    user_id=contact.id,
                    summary=_("Overdue approval: %s", request.name),
                    note=_(
                        "%(request)s waits for %(reviewers)s past its deadline.",
                        request=request.name,
                        reviewers=", ".join(waiting.mapped("name")) or _("nobody"),
                    ),
                )
