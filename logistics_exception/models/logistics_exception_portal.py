from odoo import _, api, fields, models
from odoo.exceptions import AccessError
from odoo.osv import expression

# What a customer (a portal user) may read of an exception over RPC: the
# reference, what they are told (public summary, next step, promised date),
# the status and the documents of their own. Everything else (the internal
# summary and description, costs, notes, owners, SLA) stays inside; the
# record rule "logistics_exception_rule_portal" decides which exceptions.
PORTAL_READABLE_FIELDS = {
    "id",
    "name",
    "display_name",
    "active",
    "state",
    "is_open",
    "date_detected",
    "company_id",
    "customer_id",
    "customer_impact",
    "category_id",
    "sale_id",
    "public_summary",
    "public_next_step",
    "promised_date",
    "portal_summary",
    "portal_status",
    "portal_order_ref",
    "access_url",
    "access_token",
    "access_warning",
    "message_ids",
    "message_is_follower",
    "website_message_ids",
    "message_attachment_count",
    "has_message",
}


class LogisticsExceptionPortalMixin(models.AbstractModel):
    """The customer's side of an exception: its portal page (portal.mixin),
    what the customer is told, and what a portal user may read of it.

    Written for ``logistics.exception``. It inherits mail.thread to come
    before it (it overrides the recipients' groups of notifications). It
    reads the exception's ``public_summary``, ``category_id``, ``sale_id``,
    ``picking_id``, ``customer_id``, ``customer_impact`` and ``state``."""

    _name = "logistics.exception.portal.mixin"
    _inherit = ["portal.mixin", "mail.thread"]
    _description = "Logistics Exception Customer Portal"

    portal_summary = fields.Text(
        string="What Happened",
        compute="_compute_portal_summary",
        compute_sudo=True,
        help="The customer summary, or a neutral sentence from the category "
        "when nobody wrote one: never the internal summary.",
    )
    portal_status = fields.Char(
        string="Status for the Customer",
        compute="_compute_portal_status",
    )
    portal_order_ref = fields.Char(
        string="Your Order",
        compute="_compute_portal_order_ref",
        compute_sudo=True,
        help="The order the exception is about, as the customer knows it.",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    def _compute_access_url(self):
        result = super()._compute_access_url()
        for exception in self:
            exception.access_url = f"/my/exceptions/{exception.id}"
        return result

    @api.depends("public_summary", "category_id.name")
    def _compute_portal_summary(self):
        for exception in self:
            summary = exception.public_summary
            if not summary and exception.category_id:
                summary = _(
                    "We are handling an issue of the type “%(category)s” that "
                    "affects your order. We will keep you informed here.",
                    category=exception.category_id.name,
                )
            exception.portal_summary = summary

    @api.depends("state")
    def _compute_portal_status(self):
        labels = self._get_portal_status_labels()
        for exception in self:
            exception.portal_status = labels.get(exception.state, "")

    @api.depends(
        "sale_id.name",
        "sale_id.client_order_ref",
        "picking_id.name",
        "picking_id.sale_id",
    )
    def _compute_portal_order_ref(self):
        for exception in self:
            order = exception.sale_id or exception.picking_id.sale_id
            if order:
                reference = order.name
                if order.client_order_ref:
                    reference = f"{reference} ({order.client_order_ref})"
            else:
                # A delivery without an order: its reference is on the
                # customer's delivery note.
                reference = exception.picking_id.name or False
            exception.portal_order_ref = reference

    # ------------------------------------------------------------------
    # Access for portal users
    # ------------------------------------------------------------------
    @api.model
    def _get_portal_readable_fields(self):
        """Override to let customers read more fields of an exception."""
        return PORTAL_READABLE_FIELDS

    def _check_portal_readable(self, field_names):
        """Refuse a portal user the fields of ``field_names`` that are not for
        customers."""
        if self.env.su or not self.env.user.share:
            return
        refused = sorted(
            set(field_names) - self._get_portal_readable_fields() - {"__count"}
        )
        if refused:
            raise AccessError(
                _(
                    "You cannot read these fields of an exception: %(fields)s.",
                    fields=", ".join(refused),
                )
            )

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None, access_rights_uid=None):
        # A filter on a field the customer may not read would tell its
        # content (an oracle): refused like reading it.
        if not self.env.su and self.env.user.share:
            if order == self._order:
                # The default order sorts by the internal priority first.
                order = "date_detected desc, id desc"
            # So would a sort on it.
            self._check_portal_readable(
                [
                    leaf[0].split(".", 1)[0]
                    for leaf in domain or ()
                    if isinstance(leaf, list | tuple) and isinstance(leaf[0], str)
                ]
                + [
                    term.split()[0].split(".", 1)[0]
                    for term in (order or "").split(",")
                    if term.strip()
                ]
                or ["id"]
            )
        return super()._search(
            domain,
            offset=offset,
            limit=limit,
            order=order,
            access_rights_uid=access_rights_uid,
        )

    def _check_portal_backend(self):
        """Refuse a portal user the backend methods that hand out a whole
        record (copy_data, onchange): customers use the portal pages."""
        if self.env.user.share and not self.env.su:
            raise AccessError(
                _("Customers follow their exceptions on the portal (My Account).")
            )

    def copy_data(self, default=None):
        self._check_portal_backend()
        return super().copy_data(default=default)

    def onchange(self, values, field_names, fields_spec):
        self._check_portal_backend()
        return super().onchange(values, field_names, fields_spec)

    @api.model
    def check_field_access_rights(self, operation, field_names):
        # "Every field" (read or search_read without fields) means, for a
        # customer, every field for customers.
        valid = super().check_field_access_rights(operation, field_names)
        if field_names or self.env.su or not self.env.user.share:
            return valid
        readable = self._get_portal_readable_fields()
        return [name for name in valid if name in readable]

    def read(self, fields=None, load="_classic_read"):
        if fields:
            self._check_portal_readable(fields)
        return super().read(fields=fields, load=load)

    @api.model
    def search_fetch(self, domain, field_names, offset=0, limit=None, order=None):
        # search_read and web_search_read fetch their fields here, not
        # through read.
        if field_names:
            self._check_portal_readable(field_names)
        return super().search_fetch(
            domain, field_names, offset=offset, limit=limit, order=order
        )

    def _read_group_check_field_access_rights(self, field_names):
        self._check_portal_readable(list(field_names))
        return super()._read_group_check_field_access_rights(field_names)

    @api.model
    def _name_search(self, name, domain=None, operator="ilike", limit=None, order=None):
        # A customer searches exceptions by their reference only, never by
        # the internal summary or source.
        if name and self.env.user.share and not self.env.su:
            domain = expression.AND([domain or [], [("name", operator, name)]])
            return self._search(domain, limit=limit, order=order)
        return super()._name_search(
            name, domain=domain, operator=operator, limit=limit, order=order
        )

    # What may hide an exception from its customer, or give it to another.
    _PORTAL_VISIBILITY_FIELDS = frozenset(
        {
            "partner_id",
            "sale_id",
            "purchase_id",
            "customer_impact",
            "category_id",
            "state",
            "active",
        }
    )

    def write(self, vals):
        watched = not self._PORTAL_VISIBILITY_FIELDS.isdisjoint(vals)
        before = (
            {e.id: e.customer_id for e in self if e._is_customer_visible()}
            if watched
            else {}
        )
        result = super().write(vals)
        if before:
            lost = self.filtered(
                lambda e: (
                    e.id in before
                    and (not e._is_customer_visible() or e.customer_id != before[e.id])
                )
            )
            for exception in lost:
                # sudo: the links sent to the former customer stop working,
                # and their contacts stop following the discussions.
                exception = exception.sudo()
                exception.access_token = False
                former = exception.message_partner_ids.filtered(
                    lambda p, c=before[exception.id]: p.commercial_partner_id == c
                )
                if former:
                    exception.message_unsubscribe(partner_ids=former.ids)
        return result

    def _message_compute_subject(self):
        # The default subject of the emails of its discussions, which may
        # reach the customer: the reference, never the internal summary the
        # display name holds.
        self.ensure_one()
        return self.name

    def message_post(self, **kwargs):
        # The name a message keeps of its record (shown in the email's header
        # and readable with the message): the reference, as the subject.
        if len(self) == 1 and not kwargs.get("record_name"):
            kwargs["record_name"] = self.name
        return super().message_post(**kwargs)

    def _message_post_after_hook(self, message, msg_vals):
        result = super()._message_post_after_hook(message, msg_vals)
        author = message.author_id
        if (
            self.env.user.share
            and author
            and author == self.env.user.partner_id
            and message.message_type == "comment"
            and author not in self.sudo().message_partner_ids
        ):
            # sudo: a customer who writes on the portal follows the
            # conversation: the team's answers (Send message, never the
            # notes) reach them by email. Only themselves, only discussions.
            self.sudo().message_subscribe(
                partner_ids=author.ids,
                subtype_ids=self.env.ref("mail.mt_comment").ids,
            )
        return result

    def _notify_get_recipients_groups(self, message, model_description, msg_vals=None):
        exception = self
        if self and self.env.user.share and not self.env.su:
            # sudo: a customer replies on the portal. The link of the
            # customer's button carries sign-up parameters that only internal
            # users may compute (auth_signup); the post itself was checked.
            exception = self.sudo()
        groups = super(
            LogisticsExceptionPortalMixin, exception
        )._notify_get_recipients_groups(message, model_description, msg_vals=msg_vals)
        if self and not self._is_customer_visible():
            # Nobody outside gets a link to a page they may not open.
            groups = [group for group in groups if group[0] != "portal_customer"]
            for name, _check, options in groups:
                if name == "portal":
                    options["has_button_access"] = False
        return groups

    @api.model
    def _get_portal_domain(self, partner):
        """The exceptions the customer ``partner`` (or a contact of theirs)
        is told about: customer-impacting, of their commercial entity, of no
        internal-only category, not cancelled. The record rule of portal users
        says the same; this domain filters what internal users preview."""
        # sudo: customers may not read categories; only their ids are used.
        internal = (
            self.env["logistics.exception.category"]
            .sudo()
            .with_context(active_test=False)
            .search([("internal_only", "=", True)])
        )
        return [
            ("customer_id", "=", partner.commercial_partner_id.id),
            ("customer_impact", "=", True),
            ("category_id", "not in", internal.ids),
            ("state", "!=", "cancelled"),
        ]

    def _is_customer_visible(self):
        """Whether the customer of this exception sees it on the portal."""
        self.ensure_one()
        return bool(
            self.customer_id
            and self.customer_impact
            and not self.sudo().category_id.internal_only
            and self.state != "cancelled"
        )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_preview_portal(self):
        """Open the page the customer sees, as sale's "Customer Preview"."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "target": "self",
            "url": self.get_portal_url(),
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _get_portal_status_labels(self):
        """The state of an exception in the customer's words."""
        return {
            "new": _("Received"),
            "assigned": _("Being looked into"),
            "in_progress": _("In progress"),
            "waiting": _("Waiting for an answer"),
            "resolved": _("Solved"),
            "closed": _("Solved"),
            "cancelled": _("Withdrawn"),
        }

    def _get_portal_return_action(self):
        """The action an internal user goes back to from the preview."""
        return self.env.ref("logistics_exception.logistics_exception_action")
