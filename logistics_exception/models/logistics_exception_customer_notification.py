from datetime import timedelta

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.tools import SQL

from .logistics_exception_category import CUSTOMER_TEMPLATE

OPEN_STATES = ("new", "assigned", "in_progress", "waiting")
CUSTOMER_UPDATE_SUBTYPE = "logistics_exception.mt_exception_customer_update"
CUSTOMER_UPDATE_CRON = (
    "logistics_exception.ir_cron_logistics_exception_customer_updates"
)
# What may make an exception visible to its customer (or make it notify).
REVEALING_FIELDS = {
    "customer_impact",
    "category_id",
    "partner_id",
    "sale_id",
    "purchase_id",
    "state",
}
# The held updates sent per run of the scheduled job.
CUSTOMER_UPDATE_BATCH = 500


class LogisticsExceptionCustomerNotificationMixin(models.AbstractModel):
    """Keeps the customer informed of the exceptions that hit them.

    When an exception visible to its customer (``_filter_customer_visible``)
    of a category that notifies customers is reported, gets a new promised
    date, or is resolved, its customer gets an email (the category's
    template), queued in the mail queue and posted in the chatter as a
    "Customer Update". The company's *Customer Update Period* throttles it:
    at most one update per exception per period. An update that comes inside
    the period is held (``customer_notify_pending``), not lost: the scheduled
    job sends the exception as it then is when the period ends, so a
    resolution always reaches the customer, at most one period late.

    Written for ``logistics.exception``, which inherits it first: its create
    and write wrap the whole of the exception's (routing and tracking
    included)."""

    _name = "logistics.exception.customer.notification.mixin"
    _description = "Logistics Exception Customer Notifications"

    customer_notify_partner_id = fields.Many2one(
        "res.partner",
        string="Customer Contact Notified",
        compute="_compute_customer_notify_partner_id",
        compute_sudo=True,
        help="Who receives the customer updates: the partner of the exception "
        "when it is a contact of the customer with an email, else the "
        "customer.",
    )
    customer_notified_at = fields.Datetime(
        string="Customer Last Updated",
        readonly=True,
        copy=False,
        help="When the customer was last sent an update on this exception.",
    )
    customer_notify_pending = fields.Boolean(
        string="Customer Update Held",
        readonly=True,
        copy=False,
        help="An update came inside the customer update period: it is sent "
        "when the period ends.",
    )
    customer_notify_no_email = fields.Boolean(
        readonly=True,
        copy=False,
        help="The last update could not be sent: the customer has no email "
        "address (said once in the chatter).",
    )

    def init(self):
        res = super().init()
        if self._abstract:
            return res
        # The scheduled job looks for the few exceptions with a held update.
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS %s ON %s (customer_notified_at, id) "
                "WHERE customer_notify_pending",
                SQL.identifier("logistics_exception_customer_notify_pending_idx"),
                SQL.identifier(self._table),
            )
        )
        return res

    @api.depends("partner_id.email", "partner_id.commercial_partner_id", "customer_id")
    def _compute_customer_notify_partner_id(self):
        for exception in self:
            exception.customer_notify_partner_id = (
                exception._get_customer_notification_recipient()
            )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        exceptions = super().create(vals_list)
        exceptions._notify_customer()
        return exceptions

    def write(self, vals):
        # An exception the customer could not be told of (not flagged, no
        # customer, cancelled) that becomes visible to them counts as
        # reported then.
        hidden = (
            self - self._filter_customer_notifiable()
            if REVEALING_FIELDS & set(vals)
            else self.browse()
        )
        resolving = self.browse()
        if vals.get("state") in ("resolved", "closed"):
            resolving = self.filtered(lambda e: e.state in OPEN_STATES)
        old_dates = (
            {exception.id: exception.promised_date for exception in self}
            if "promised_date" in vals
            else {}
        )
        res = super().write(vals)
        rescheduled = self.filtered(
            lambda e: (
                e.id in old_dates
                and e.promised_date
                and e.promised_date != old_dates[e.id]
            )
        )
        revealed = hidden._filter_customer_notifiable().filtered(
            lambda e: not e.customer_notified_at
        )
        (resolving | rescheduled | revealed)._notify_customer()
        return res

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _filter_customer_visible(self):
        """The exceptions their customer may see and hear of (the portal's
        ``_is_customer_visible``, as its record rule)."""
        return self.filtered(lambda e: e._is_customer_visible())

    def _filter_customer_notifiable(self):
        """The exceptions whose customer is to be told of what happens to
        them: customer-visible, of a category that notifies customers.
        Override me."""
        return self._filter_customer_visible().filtered(
            lambda e: e.category_id.customer_notify
        )

    def _get_customer_notification_recipient(self):
        """Partner to email the updates of this exception to: its partner when
        it is a contact of the customer and has an email, else the customer.
        Override me."""
        self.ensure_one()
        contact = self.partner_id
        if (
            contact
            and contact.email
            and contact.commercial_partner_id == self.customer_id
        ):
            return contact
        return self.customer_id

    def _get_customer_notification_template(self):
        self.ensure_one()
        return self.category_id.customer_notify_template_id or self.env.ref(
            CUSTOMER_TEMPLATE, raise_if_not_found=False
        )

    def _notify_customer(self):
        """Something the customer should know happened to these exceptions:
        send an update now to those outside the throttle period, hold it for
        the others."""
        exceptions = self._filter_customer_notifiable()
        if not exceptions:
            return
        now = fields.Datetime.now()
        due = exceptions.filtered(lambda e: e._customer_update_due(now))
        held = exceptions - due
        if held:
            # sudo: the throttle's fields are kept by the system.
            held.sudo().filtered(lambda e: not e.customer_notify_pending).write(
                {"customer_notify_pending": True}
            )
            held._schedule_customer_updates()
        due._send_customer_update()

    def _customer_update_due(self, now):
        """Whether the period since the last update of this exception ended."""
        self.ensure_one()
        hours = self.company_id.logistics_exception_customer_notify_hours
        return (
            not self.customer_notified_at
            or hours <= 0
            or self.customer_notified_at + timedelta(hours=hours) <= now
        )

    def _schedule_customer_updates(self):
        """Wake the scheduled job when the first of these held updates is due
        (unless it is woken before): that run sends what is due and wakes it
        again for the rest."""
        cron = self.env.ref(CUSTOMER_UPDATE_CRON, raise_if_not_found=False)
        if not cron or not self:
            return
        first = min(
            exception.customer_notified_at
            + timedelta(
                hours=exception.company_id.logistics_exception_customer_notify_hours
            )
            for exception in self
        )
        # sudo: waking a scheduled job is the system's business.
        woken = (
            self.env["ir.cron.trigger"]
            .sudo()
            .search_count(
                [("cron_id", "=", cron.id), ("call_at", "<=", first)], limit=1
            )
        )
        if not woken:
            cron.sudo()._trigger(first)

    def _send_customer_update(self):
        """Email each exception's customer the category's template, queued
        (never sent in this transaction), and post it in the chatter as a
        customer update. One note, once, when the customer has no email."""
        now = fields.Datetime.now()
        # sudo: the update goes out on behalf of the company, whoever made the
        # change; the user may not read the customer, the order nor the
        # template.
        exceptions = self.sudo()
        unreachable = exceptions.filtered(
            lambda e: not e.customer_notify_partner_id.email
        )
        to_note = unreachable.filtered(lambda e: not e.customer_notify_no_email)
        if to_note:
            to_note._message_log_batch(
                {
                    exception.id: Markup("<p>%s</p>")
                    % _(
                        "The customer %(customer)s was not sent an update: they "
                        "have no email address. Add one to the customer (or to "
                        "the contact of the exception) to keep them informed.",
                        customer=exception.customer_id.display_name,
                    )
                    for exception in to_note
                }
            )
        unreachable.write(
            {"customer_notify_no_email": True, "customer_notify_pending": False}
        )
        templates = {}
        for exception in exceptions - unreachable:
            template = exception._get_customer_notification_template()
            if template:
                templates.setdefault(template, exceptions.browse())
                templates[template] |= exception
        if not templates:
            return
        subtype = self.env.ref(CUSTOMER_UPDATE_SUBTYPE)
        sent = exceptions.browse()
        for template, records in templates.items():
            sent |= records
            posting = records.with_context(
                mail_notify_force_send=False, mail_create_nosubscribe=True
            )
            rendered = template._generate_template(
                records.ids, ("subject", "body_html", "email_from")
            )
            for exception in posting:
                values = rendered[exception.id]
                exception.message_post(
                    # Rendered by the template's QWeb engine: HTML.
                    body=Markup(values.get("body_html") or ""),
                    subject=values.get("subject"),
                    # The layout's header shows the record name: the reference,
                    # not the display name (it holds the internal summary).
                    record_name=exception.name,
                    email_from=values.get("email_from")
                    or exception.company_id.email_formatted,
                    author_id=exception.company_id.partner_id.id,
                    partner_ids=exception.customer_notify_partner_id.ids,
                    message_type="comment",
                    subtype_id=subtype.id,
                    email_layout_xmlid="mail.mail_notification_light",
                    force_send=False,
                )
        sent.write(
            {
                "customer_notified_at": now,
                "customer_notify_pending": False,
                "customer_notify_no_email": False,
            }
        )

    @api.model
    def _cron_customer_updates(self):
        """Send the updates held by the throttle whose period has ended; those
        no longer to be told (cancelled, made internal) are dropped."""
        pending = self.sudo().search(
            [("customer_notify_pending", "=", True)],
            order="customer_notified_at, id",
            limit=CUSTOMER_UPDATE_BATCH,
        )
        notifiable = pending._filter_customer_notifiable()
        (pending - notifiable).write({"customer_notify_pending": False})
        now = fields.Datetime.now()
        due = notifiable.filtered(lambda e: e._customer_update_due(now))
        due._send_customer_update()
        (notifiable - due)._schedule_customer_updates()
        if len(pending) == CUSTOMER_UPDATE_BATCH and due:
            self.env.ref(CUSTOMER_UPDATE_CRON).sudo()._trigger()
