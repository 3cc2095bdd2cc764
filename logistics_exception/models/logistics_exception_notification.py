import logging
from contextlib import contextmanager

from markupsafe import Markup

from odoo import SUPERUSER_ID, _, api, models

_logger = logging.getLogger(__name__)

# What a person may be told about an exception. Other parts of the suite call
# ``_notify_logistics_users`` with one of these keys.
NOTIFICATION_EVENTS = [
    ("assigned", "Assigned to you"),
    ("routed", "Routed to your team"),
    ("at_risk", "SLA at risk"),
    ("breached", "SLA breached"),
    ("escalated", "Escalated to you"),
    ("cleared", "Condition cleared"),
    ("playbook", "Playbook step"),
    ("activity", "Activity assigned"),
    ("reopened", "Reopened"),
    ("comment", "Update"),
]
DIGEST_FREQUENCIES = [
    ("immediate", "Each event"),
    ("hourly", "Hourly digest"),
    ("daily", "Daily digest"),
]
# A notification about several exceptions lists at most this many.
SUMMARY_LIMIT = 50
# Context key: the event an activity assignment stands for (default "activity").
EVENT_CONTEXT_KEY = "logistics_exception_notify_event"
# Key of the cursor's cache holding the notices held back while one operation
# runs (_merge_logistics_notices), to be sent merged when it ends.
MERGE_KEY = "logistics_exception_merged_notices"


class LogisticsExceptionNotificationMixin(models.AbstractModel):
    """Tells people about what happens to exceptions, through Odoo's
    notifications: at once (in their Odoo inbox or by email, as each user
    chose in Odoo), or in an hourly or daily digest (the user's
    ``logistics_exception_digest`` preference).

    Written for ``logistics.exception``, which inherits it before
    ``mail.thread`` (this mixin overrides mail.thread's assignment notice): it
    reads the exception's ``name``, ``summary`` and ``company_id``. Nobody is
    told about their own action."""

    _name = "logistics.exception.notification.mixin"
    _inherit = ["mail.thread"]
    _description = "Logistics Exception Notifications"

    # ------------------------------------------------------------------
    # The contract
    # ------------------------------------------------------------------
    def _notify_logistics_users(self, users, event, message):
        """Tell each of ``users`` (res.users) about ``event`` (a key of
        NOTIFICATION_EVENTS) on each exception of ``self``, with ``message``
        (a translated string; plain text is escaped, Markup is kept).

        Left out: the acting user (unless the superuser acts), archived and
        portal users, and users who may not read the exception. Users with a
        digest preference get it in their next digest; the others get a
        notification now, in their inbox or by email. Returns the digest
        items created (sudo)."""
        if event not in dict(NOTIFICATION_EVENTS):
            raise ValueError(f"Unknown logistics exception event: {event}")
        held = self.env.cr.cache.get(MERGE_KEY)
        if held is not None and len(self) == 1:
            held.append((self, users, event, message))
            return self.env["logistics.exception.digest.item"].sudo()
        recipients = self._get_notification_recipients(users)
        if not recipients:
            return self.env["logistics.exception.digest.item"].sudo()
        digest_vals = []
        immediate = {}
        for exception, exception_users in recipients.items():
            for user in exception_users:
                if user.logistics_exception_digest in ("hourly", "daily"):
                    digest_vals.append(
                        exception._prepare_digest_item_vals(user, event, message)
                    )
                else:
                    immediate.setdefault(exception, self.env["res.users"])
                    immediate[exception] |= user
        # Someone told about several exceptions at once (an escalation run, a
        # routing batch) gets one notification listing them, not one each.
        exceptions_by_user = {}
        for exception, exception_users in immediate.items():
            for user in exception_users:
                exceptions_by_user.setdefault(user, self.browse())
                exceptions_by_user[user] |= exception
        for user, exceptions in exceptions_by_user.items():
            if len(exceptions) > 1:
                exceptions._notify_logistics_summary(user, event, message)
                for exception in exceptions:
                    immediate[exception] -= user
        for exception, exception_users in immediate.items():
            if exception_users:
                exception._notify_logistics_now(exception_users, event, message)
        # sudo: digest items are written by the system only (see the access
        # rights): the caller may notify, not edit anyone's digest.
        return self.env["logistics.exception.digest.item"].sudo().create(digest_vals)

    @contextmanager
    def _merge_logistics_notices(self):
        """Within this block, what ``_notify_logistics_users`` says to one
        person about one exception is held back, then sent as one notice:
        routing makes someone the owner and gives them playbook steps in one
        go, and they hear of it once. Nested blocks send with the outermost."""
        cache = self.env.cr.cache
        if MERGE_KEY in cache:
            yield
            return
        held = cache[MERGE_KEY] = []
        try:
            yield
        finally:
            del cache[MERGE_KEY]
        # {exception: {user: [(event, message)]}}, in the order they were said.
        said = {}
        for exception, users, event, message in held:
            by_user = said.setdefault(exception, {})
            for user in users:
                by_user.setdefault(user, []).append((event, message))
        for exception, by_user in said.items():
            # Those told the same things get one notice together.
            groups = {}
            for user, items in by_user.items():
                key = tuple(items)
                groups.setdefault(key, exception.env["res.users"])
                groups[key] |= user
            for items, users in groups.items():
                exception._notify_logistics_users(
                    users,
                    items[0][0],
                    Markup("<br/>").join(
                        Markup("{}").format(message or "") for _event, message in items
                    ),
                )

    # ------------------------------------------------------------------
    # Hooks
    # ------------------------------------------------------------------
    def _get_notification_actor(self):
        """The user whose action this is: nobody when the system acts."""
        if self.env.uid == SUPERUSER_ID:
            return self.env["res.users"]
        return self.env.user

    def _get_notification_recipients(self, users):
        """{exception: users} of who may be told about each exception of
        self: active internal users other than the actor who may read it.
        One access query per user, whatever the number of exceptions."""
        users = (users - self._get_notification_actor()).filtered(
            lambda u: u.active and not u.share
        )
        recipients = {}
        for user in users:
            # The user's own companies: a notification is about records they
            # may open, whichever company the caller works in.
            readable = (
                self.with_user(user)
                .with_context(allowed_company_ids=user.company_ids.ids)
                ._filter_notification_readable()
            )
            if len(readable) < len(self):
                _logger.info(
                    "Not notifying %s about %s: they cannot read it.",
                    user.login,
                    ", ".join((self - readable.with_env(self.env)).mapped("name")),
                )
            for exception in readable.with_env(self.env):
                recipients.setdefault(exception, self.env["res.users"])
                recipients[exception] |= user
        return recipients

    def _filter_notification_readable(self):
        """The exceptions of self that the current (non-super) user may read."""
        if not self.check_access_rights("read", raise_exception=False):
            return self.browse()
        return self._filter_access_rules("read")

    def _prepare_digest_item_vals(self, user, event, message):
        self.ensure_one()
        return {
            "user_id": user.id,
            "exception_id": self.id,
            "company_id": self.company_id.id,
            "event": event,
            "message": Markup("{}").format(message or ""),
        }

    @api.model
    def _get_event_label(self, event):
        """The event's label in the language of the environment."""
        field = self.env["logistics.exception.digest.item"]._fields["event"]
        return dict(field._description_selection(self.env)).get(event, event)

    def _notify_logistics_now(self, users, event, message):
        """One notification per exception and language: inbox or email per
        each user's Odoo preference; never posted to the chatter nor sent to
        the followers (``message_notify`` reaches only ``partner_ids``)."""
        self.ensure_one()
        by_lang = {}
        for user in users:
            by_lang.setdefault(user.lang or False, []).append(user.partner_id.id)
        for lang, partner_ids in by_lang.items():
            exception = self.with_context(lang=lang) if lang else self
            exception._send_logistics_notice(
                partner_ids,
                exception._get_notification_subject(event),
                exception._get_notification_body(message),
            )

    def _send_logistics_notice(self, partner_ids, subject, body):
        """The notice itself, on this exception: to ``partner_ids`` only, in
        their inbox or by email, never in the chatter."""
        self.ensure_one()
        # sudo: the author stays the acting user; the caller may notify
        # people about an exception they may only read.
        self.sudo().message_notify(
            partner_ids=partner_ids,
            subject=subject,
            body=body,
            subtype_xmlid="mail.mt_note",
            email_layout_xmlid="mail.mail_notification_layout",
            record_name=self.display_name,
            model_description=self.env["ir.model"]._get(self._name).display_name,
        )

    def _notify_logistics_summary(self, user, event, message):
        """One notification to ``user`` about ``event`` on all the exceptions
        of self, listed with their links (the first SUMMARY_LIMIT)."""
        exceptions = self.with_context(lang=user.lang) if user.lang else self
        items = Markup("").join(
            Markup('<li><a href="{link}">{reference}</a> {summary}</li>').format(
                link=exception._notify_get_action_link("view"),
                reference=exception.name,
                summary=exception.summary or "",
            )
            for exception in exceptions[:SUMMARY_LIMIT]
        )
        more = len(exceptions) - SUMMARY_LIMIT
        body = Markup("<p>{message}</p><ul>{items}</ul>{more}").format(
            message=message or "",
            items=items,
            more=Markup("<p>{}</p>").format(
                _("And %(count)s more: see them in Logistics Exceptions.", count=more)
            )
            if more > 0
            else "",
        )
        exceptions[0]._send_logistics_notice(
            user.partner_id.ids,
            _(
                "%(count)s exceptions: %(event)s",
                count=len(exceptions),
                event=exceptions._get_event_label(event),
            ),
            body,
        )

    def _get_notification_subject(self, event):
        self.ensure_one()
        return _(
            "%(reference)s: %(event)s",
            reference=self.name,
            event=self._get_event_label(event),
        )

    def _get_notification_body(self, message):
        self.ensure_one()
        return Markup(
            '<p>{message}</p><p><a href="{link}">{reference}</a> {summary}</p>'
        ).format(
            message=message or "",
            link=self._notify_get_action_link("view"),
            reference=self.name,
            summary=self.summary or "",
        )

    # ------------------------------------------------------------------
    # Odoo's own notifications, through the same rule
    # ------------------------------------------------------------------
    def _message_auto_subscribe_notify(self, partner_ids, template):
        """The owner of an exception is told through the suite's rule: in
        their digest if they chose one, else at once with the exception's
        reference as subject. Odoo already leaves out whoever assigns
        themselves; ``_notify_logistics_users`` does too."""
        if template != "mail.message_user_assigned":
            return super()._message_auto_subscribe_notify(partner_ids, template)
        if not self or self.env.context.get("mail_auto_subscribe_no_notify"):
            return
        if not self.env.registry.ready:  # no notification during install
            return
        users = (
            self.env["res.users"]
            .sudo()
            .search([("partner_id", "in", partner_ids), ("share", "=", False)])
        )
        actor = self._get_notification_actor()
        # The body names each exception with its summary and link.
        self._notify_logistics_users(
            users.with_env(self.env),
            "assigned",
            _(
                "%(actor)s made you the owner of this exception.",
                actor=actor.name or _("The system"),
            ),
        )
