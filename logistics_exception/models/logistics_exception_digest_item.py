import logging
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.tools.misc import format_datetime

from .logistics_exception_notification import NOTIFICATION_EVENTS

_logger = logging.getLogger(__name__)

# Sent items are kept this long, as the record of what each digest told whom.
SENT_ITEM_RETENTION_DAYS = 90


class LogisticsExceptionDigestItem(models.Model):
    """One thing that happened to an exception, kept for the digest of a user
    who chose one (hourly or daily) instead of a notification per event.

    The system writes them (``_notify_logistics_users``, the digest crons);
    each user reads only their own. An item is deleted before it was sent only
    when its recipient was archived (each digest run drops those, in the
    log); sent items are kept SENT_ITEM_RETENTION_DAYS days, then the daily
    garbage collection removes them."""

    _name = "logistics.exception.digest.item"
    _description = "Logistics Exception Digest Item"
    _order = "user_id, exception_id, date, id"
    _check_company_auto = True

    user_id = fields.Many2one(
        "res.users",
        string="Recipient",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    exception_id = fields.Many2one(
        "logistics.exception",
        string="Exception",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True
    )
    event = fields.Selection(NOTIFICATION_EVENTS, required=True, readonly=True)
    message = fields.Html(readonly=True)
    date = fields.Datetime(
        required=True, default=fields.Datetime.now, readonly=True, index=True
    )
    date_sent = fields.Datetime(
        string="Sent On",
        readonly=True,
        copy=False,
        index=True,
        help="When the digest listing this item was queued for sending. Empty: "
        "it waits for the next digest.",
    )

    # ------------------------------------------------------------------
    # Digest
    # ------------------------------------------------------------------
    @api.model
    def _cron_send_digest(self, frequency):
        """Queue ONE email per user of ``frequency`` ("hourly" or "daily")
        listing their pending items, and mark the items sent in the same
        transaction as the emails: a retried run sends nothing twice. The
        hourly run also flushes what is pending for users who went back to
        a notification per event. Every run drops what was pending for
        users who were archived since."""
        self._drop_items_of_archived_users()
        frequencies = [frequency]
        if frequency == "hourly":
            frequencies.append("immediate")
        items = self.sudo().search(
            [
                ("date_sent", "=", False),
                ("user_id.logistics_exception_digest", "in", frequencies),
            ]
        )
        return items._send_digest(frequency)

    @api.model
    def _drop_items_of_archived_users(self):
        """Delete the pending items of archived users: no digest goes to them
        any more, and each item only repeats what the exception's chatter
        keeps. Logged with the count per user; sent items stay for the
        retention period like everyone's."""
        items = (
            self.sudo()
            .with_context(active_test=False)
            .search([("date_sent", "=", False), ("user_id.active", "=", False)])
        )
        for user in items.user_id:
            _logger.info(
                "Logistics exception digest: %d pending items of archived user "
                "%s dropped.",
                len(items.filtered(lambda i, u=user: i.user_id == u)),
                user.login,
            )
        items.unlink()

    def _send_digest(self, frequency):
        """One email per user of the items of self; returns the mails."""
        by_user = {}
        for item in self:
            by_user.setdefault(item.user_id, self.browse())
            by_user[item.user_id] |= item
        mail_vals = []
        sent = self.browse()
        for user, items in by_user.items():
            if not user.email:
                _logger.warning(
                    "Logistics exception digest of %s not sent: no email address "
                    "(%d items wait).",
                    user.login,
                    len(items),
                )
                continue
            mail_vals.append(items._prepare_digest_mail_vals(user, frequency))
            sent |= items
        mails = self.env["mail.mail"].sudo().create(mail_vals)
        sent.write({"date_sent": fields.Datetime.now()})
        return mails

    def _prepare_digest_mail_vals(self, user, frequency):
        """The email of one user's digest, in their language and time zone."""
        items = self.with_context(lang=user.lang or self.env.lang, tz=user.tz)
        env = items.env
        labels = dict(self._fields["event"]._description_selection(env))
        groups = []
        for exception in items.exception_id:
            lines = [
                {
                    "date": format_datetime(env, item.date, tz=user.tz or "UTC"),
                    "event": labels.get(item.event, item.event),
                    "message": item.message,
                }
                for item in items
                if item.exception_id == exception
            ]
            groups.append(
                {
                    "exception": exception,
                    "link": exception._notify_get_action_link("view"),
                    "lines": lines,
                }
            )
        company = user.company_id
        # _() reads the language of the environment: call it in the user's.
        title = items._digest_title(frequency)
        body = env["ir.qweb"]._render(
            "logistics_exception.logistics_exception_digest_email",
            {
                "user": user,
                "company": company,
                "title": title,
                "groups": groups,
                "count": len(items),
            },
            minimal_qcontext=True,
        )
        return {
            "subject": items._digest_subject(len(items), len(groups)),
            "body_html": body,
            "email_from": company.email_formatted or env.user.email_formatted,
            "author_id": company.partner_id.id,
            "recipient_ids": [fields.Command.link(user.partner_id.id)],
            "auto_delete": True,
            "is_notification": True,
        }

    def _digest_title(self, frequency):
        if frequency == "daily":
            return _("Your daily logistics exceptions digest")
        return _("Your hourly logistics exceptions digest")

    def _digest_subject(self, count, exception_count):
        return _(
            "Logistics exceptions: %(count)s updates on %(exceptions)s exception(s)",
            count=count,
            exceptions=exception_count,
        )

    @api.autovacuum
    def _gc_sent_items(self):
        """Sent items older than the retention period go; pending ones stay."""
        limit = fields.Datetime.now() - timedelta(days=SENT_ITEM_RETENTION_DAYS)
        self.sudo().search([("date_sent", "<", limit)]).unlink()
