import logging
import re

from odoo import _, api, fields, models, tools

_logger = logging.getLogger(__name__)

# A reference in a subject: "LEX/2026/00012", whatever the sequence's prefix,
# as long as it holds a slash ("Re: [LEX/2026/00012] Pallet crushed").
REFERENCE_TOKEN = re.compile(r"[A-Za-z0-9][\w-]*(?:/[\w-]+)+")
# RFC 3834 and the usual vendor headers of out-of-office replies and robots.
AUTO_REPLY_HEADERS = ("X-Autoreply", "X-Autorespond")


class LogisticsExceptionMailMixin(models.AbstractModel):
    """Email intake of the exceptions: an email to a team's alias reports
    one, a reply is posted on it (see ``logistics.exception.team``)."""

    _name = "logistics.exception.mail.mixin"
    _description = "Logistics Exception Email Intake"
    # Before mail.thread in the exception's parents: it overrides message_new.
    _inherit = "mail.thread"

    email_from = fields.Char(
        string="Reported By Email",
        readonly=True,
        copy=False,
        help="Address of the email that reported this exception.",
    )

    # ------------------------------------------------------------------
    # Mail gateway
    # ------------------------------------------------------------------
    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """Report an exception from an email sent to a team's alias: the
        subject is the summary, the body the description and the sender the
        partner (created as a contact only when the team accepts unknown
        senders; otherwise the alias refused the email before). The
        attachments stay on the email posted in the chatter."""
        values = dict(custom_values or {})
        team = (
            self.env["logistics.exception.team"].browse(values.get("team_id")).exists()
        )
        email_from = msg_dict.get("email_from") or ""
        partner = self.env["res.partner"].browse(msg_dict.get("author_id"))
        if not partner and team.alias_allow_unknown_senders and email_from:
            found = self._mail_find_partner_from_emails(
                [email_from], records=self, force_create=True
            )
            partner = found[0] if found and found[0] else partner
            # The email posted on the new exception is authored by the contact.
            msg_dict["author_id"] = partner.id
        if team:
            values.setdefault("company_id", team.company_id.id)
            if not values.get("category_id"):
                values["category_id"] = team._get_email_category().id
        values.update(
            {
                # mail.thread puts the subject in the record name: here the
                # name is the reference the sequence gives.
                "name": _("New"),
                "summary": msg_dict.get("subject") or _("Email from %s", email_from),
                "description": msg_dict.get("body"),
                "partner_id": partner.commercial_partner_id.id or False,
                "detected_by": "email",
                "email_from": email_from,
            }
        )
        return super().message_new(msg_dict, custom_values=values)

    @api.model
    def _detect_loop_sender_domain(self, email_from_normalized):
        """Exceptions a sender reported lately: past the gateway's threshold
        the sender is considered a loop (an auto-replier) and refused."""
        return [
            ("detected_by", "=", "email"),
            ("email_from", "ilike", email_from_normalized),
        ]

    @api.model
    def _is_auto_reply(self, message):
        """Whether the email was sent by a robot (an out-of-office reply, a
        delivery report): such emails never report an exception."""
        auto_submitted = (message.get("Auto-Submitted") or "").strip().lower()
        if auto_submitted and auto_submitted != "no":
            return True
        precedence = (message.get("Precedence") or "").strip().lower()
        if precedence in ("auto_reply", "junk"):
            return True
        return any(message.get(header) for header in AUTO_REPLY_HEADERS)

    @api.model
    def _find_referenced_exception(self, subject, company):
        """The exception whose reference the subject quotes, in ``company``."""
        tokens = REFERENCE_TOKEN.findall(subject or "")
        if not tokens:
            return self.browse()
        return (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [("name", "in", tokens), ("company_id", "=", company.id)],
                order="id desc",
                limit=1,
            )
        )

    def _is_email_correspondent(self, message_dict):
        """Whether the sender of the email already takes part in this
        exception: it reported it, it is its partner (or one of the partner's
        contacts) or it follows it. A reference is easy to guess: anyone else
        quoting it reports a new exception rather than writing in this one."""
        self.ensure_one()
        exception = self.sudo()
        sender_email = tools.email_normalize(message_dict.get("email_from") or "")
        if sender_email and sender_email == tools.email_normalize(
            exception.email_from or ""
        ):
            return True
        author = self.env["res.partner"].sudo().browse(message_dict.get("author_id"))
        if not author:
            return False
        return bool(
            author in exception.message_partner_ids
            or (
                exception.partner_id
                and author.commercial_partner_id
                == exception.partner_id.commercial_partner_id
            )
        )

    @api.model
    def _mail_route_new_email(self, message, message_dict, route):
        """Adjust a route that would create an exception from an email.

        Odoo decides whether an email is a reply in ``message_route`` (from
        its threading headers); this is the one place where the decision can
        be completed without touching the creation itself. So the gateway
        (see ``mail.thread.message_route`` in this module) hands us each route
        that would create an exception, and:

        - an auto-reply (``Auto-Submitted`` other than ``no``, RFC 3834, or
          the vendors' headers) gets no route: nothing is created;
        - an email whose subject quotes the reference of an exception of the
          alias's company (a mail client that dropped ``In-Reply-To`` and
          ``References``) is routed to that exception, as a reply, when its
          sender takes part in the exception (see ``_is_email_correspondent``):
          it goes through ``message_update`` and is posted as a comment.

        Doing it in ``message_new`` instead would post the reply with the
        creation subtype and skip the gateway's checks on the existing record.
        Return the route, changed, or None to drop it.
        """
        model, _thread_id, custom_values, user_id, alias = route
        if self._is_auto_reply(message):
            _logger.info(
                "Ignored auto-reply from %s (Message-Id %s): no exception created",
                message_dict.get("email_from"),
                message_dict.get("message_id"),
            )
            return None
        team = self.env["logistics.exception.team"].browse(
            (custom_values or {}).get("team_id")
        )
        company = team.sudo().company_id or self.env.company
        exception = self._find_referenced_exception(
            message_dict.get("subject"), company
        )
        if exception and exception._is_email_correspondent(message_dict):
            _logger.info(
                "Routing mail from %s with Message-Id %s to exception %s quoted "
                "in its subject",
                message_dict.get("email_from"),
                message_dict.get("message_id"),
                exception.name,
            )
            return (model, exception.id, custom_values, user_id, alias)
        return route
