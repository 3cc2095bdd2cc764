# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError, UserError

HELPDESK_USER = "helpdesk_mgmt.group_helpdesk_user_own"
# Set by the merge only: nobody links a duplicate by hand.
MERGE_CONTEXT = "logistics_exception_helpdesk_merging"


class LogisticsException(models.Model):
    _inherit = "logistics.exception"

    ticket_ids = fields.Many2many(
        "helpdesk.ticket",
        "logistics_exception_helpdesk_ticket_rel",
        "exception_id",
        "ticket_id",
        string="Helpdesk Tickets",
        copy=False,
        check_company=True,
        groups=HELPDESK_USER,
        help="The helpdesk tickets about this exception: the ticket that "
        "raised it, and the tickets it opened.",
    )
    ticket_count = fields.Integer(
        string="Tickets", compute="_compute_ticket_count", groups=HELPDESK_USER
    )
    merged_into_id = fields.Many2one(
        "logistics.exception",
        string="Merged Into",
        readonly=True,
        copy=False,
        tracking=True,
        check_company=True,
        index="btree_not_null",
        help="This exception was a duplicate: its messages and attachments "
        "were moved to that one, and it was cancelled.",
    )

    @api.depends("ticket_ids")
    def _compute_ticket_count(self):
        # Only the tickets the user may read are counted (and opened).
        readable = self._filter_readable(self.ticket_ids)
        for exception in self:
            exception.ticket_count = len(exception.ticket_ids & readable)

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("merged_into_id") for vals in vals_list):
            self._check_merge_context()
        exceptions = super().create(vals_list)
        exceptions._link_source_tickets()
        exceptions._open_helpdesk_tickets_automatically()
        return exceptions

    def write(self, vals):
        if "merged_into_id" in vals:
            self._check_merge_context()
        resolving = (
            self.filtered("is_open")
            if vals.get("state") in ("resolved", "closed")
            else self.browse()
        )
        res = super().write(vals)
        if resolving:
            resolving._post_resolution_on_tickets()
        if {"team_id", "customer_impact"} & set(vals):
            self._open_helpdesk_tickets_automatically()
        return res

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_view_helpdesk_tickets(self):
        self.ensure_one()
        self._check_helpdesk_user()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "helpdesk_mgmt.helpdesk_ticket_action"
        )
        tickets = self._filter_readable(self.sudo().ticket_ids)
        action["domain"] = [("id", "in", tickets.ids)]
        action["context"] = {"create": False}
        if len(tickets) == 1:
            action.update(views=[(False, "form")], view_mode="form", res_id=tickets.id)
        return action

    def action_open_helpdesk_ticket(self):
        """Open a ticket about this customer-impacting exception in the
        helpdesk team of its queue, and show it."""
        self.ensure_one()
        self._check_helpdesk_user()
        self.check_access_rights("write")
        self.check_access_rule("write")
        ticket = self._open_helpdesk_tickets()
        return {
            "type": "ir.actions.act_window",
            "res_model": "helpdesk.ticket",
            "res_id": ticket.id,
            "views": [(False, "form")],
            "target": "current",
        }

    def action_merge_into(self):
        """Open the wizard that merges this duplicate into another exception."""
        self.ensure_one()
        self.check_access_rights("write")
        self.check_access_rule("write")
        return {
            "type": "ir.actions.act_window",
            "name": _("Merge Duplicate Exception"),
            "res_model": "logistics.exception.merge",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_exception_id": self.id},
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _check_merge_context(self):
        if not self.env.context.get(MERGE_CONTEXT):
            raise UserError(
                _(
                    "An exception is marked as merged only by merging it: use "
                    "the Merge button of the duplicate."
                )
            )

    def _check_helpdesk_user(self):
        if not self.env.user.has_group(HELPDESK_USER):
            raise AccessError(
                _(
                    "Only helpdesk users work with tickets: ask a helpdesk "
                    "manager for access to the Helpdesk app."
                )
            )

    def _link_source_tickets(self):
        """Exceptions reported from a ticket (their source document) are
        linked to it, when their author may read that ticket."""
        sources = self.sudo().filtered(
            lambda e: e.source_ref and e.source_ref._name == "helpdesk.ticket"
        )
        if not sources:
            return
        readable = self._filter_readable(
            self.env["helpdesk.ticket"].browse([e.source_ref.id for e in sources])
        )
        for exception in sources:
            ticket = exception.source_ref
            if ticket.id in readable.ids and ticket not in exception.ticket_ids:
                exception.ticket_ids = [Command.link(ticket.id)]

    def _get_helpdesk_team(self):
        """The helpdesk team where this exception opens its ticket: the one
        of its queue. Override me to choose by category, warehouse..."""
        self.ensure_one()
        return self.team_id.helpdesk_team_id

    def _open_helpdesk_tickets_automatically(self):
        """Customer-impacting exceptions routed to a queue that opens tickets
        by itself, and that have none yet, open theirs."""
        exceptions = self.sudo().filtered(
            lambda e: (
                e.is_open
                and e.customer_impact
                and e.team_id.helpdesk_ticket_auto
                and not e.ticket_ids
                and not e.merged_into_id
            )
        )
        # A helpdesk team of another company is left alone here (the button
        # says why): an exception is never refused because of its ticket.
        exceptions = exceptions.filtered(
            lambda e: (
                e._get_helpdesk_team()
                and e._get_helpdesk_team().company_id
                in (e.company_id, e.company_id.browse())
            )
        )
        if exceptions:
            exceptions._open_helpdesk_tickets()

    def _open_helpdesk_tickets(self):
        """Open one ticket per exception of ``self`` in its helpdesk team.
        The caller checked that the user may act on the exceptions: tickets
        are opened as the system, in a team the user may not belong to."""
        for exception in self:
            if not exception.is_open:
                raise UserError(
                    _(
                        "Exception %(name)s is %(state)s: open a ticket only "
                        "for an exception still being worked.",
                        name=exception.name,
                        state=exception._state_label(),
                    )
                )
            if not exception.customer_impact:
                raise UserError(
                    _(
                        "Exception %(name)s has no customer impact: tickets are "
                        "for the exceptions a customer feels. Tick Customer "
                        "Impact first if the customer is affected.",
                        name=exception.name,
                    )
                )
            team = exception._get_helpdesk_team()
            if not team:
                raise UserError(
                    _(
                        "Exception team %(team)s has no helpdesk team: set one on "
                        "the team (Logistics Exceptions > Configuration > Teams).",
                        team=exception.team_id.display_name or _("(none)"),
                    )
                )
            if team.company_id and team.company_id != exception.company_id:
                raise UserError(
                    _(
                        "Helpdesk team %(team)s belongs to %(company)s, not to "
                        "the exception's company %(exception_company)s.",
                        team=team.display_name,
                        company=team.company_id.name,
                        exception_company=exception.company_id.name,
                    )
                )
        vals_list = [exception._prepare_helpdesk_ticket_values() for exception in self]
        tickets = self.env["helpdesk.ticket"].sudo().create(vals_list)
        for exception, ticket in zip(self, tickets, strict=True):
            exception.sudo().ticket_ids = [Command.link(ticket.id)]
            exception.message_post(
                body=Markup("<p>%s</p>")
                % Markup(_("Helpdesk ticket %(ticket)s opened in team %(team)s."))
                % {
                    "ticket": ticket._get_html_link(title=ticket.display_name),
                    "team": ticket.team_id.display_name,
                },
                subtype_xmlid="mail.mt_note",
            )
        return tickets

    def _prepare_helpdesk_ticket_values(self):
        """Values of the ticket this exception opens. Tickets are seen by the
        customer on the portal: only what is meant for them goes in (the
        customer summary and next step, never the internal description)."""
        self.ensure_one()
        exception = self.sudo()
        title = exception.public_summary or _(
            "About your order %(order)s",
            order=exception.sale_id.name or exception.name,
        )
        description = Markup("<p>%s</p>") % exception.portal_summary
        if exception.public_next_step:
            description += Markup("<p>%s</p>") % exception.public_next_step
        # The customer's contact, else the customer: never a third party
        # (a carrier who reported it) on a customer-facing ticket.
        partner = exception.customer_notify_partner_id or exception.customer_id
        return {
            "name": title.splitlines()[0][:200],
            "description": description,
            "team_id": exception._get_helpdesk_team().id,
            "company_id": exception.company_id.id,
            "partner_id": partner.id,
            "partner_name": partner.name,
            "partner_email": partner.email,
            "sale_order_id": exception.sale_id.id,
        }

    def _post_resolution_on_tickets(self):
        """Tell the tickets of the exceptions that just resolved how they were
        resolved (an internal note: the agent answers the customer)."""
        for exception in self.sudo().filtered("ticket_ids"):
            body = Markup("<p>%s</p>") % _(
                "Logistics exception %(exception)s is resolved.",
                exception=exception.name,
            )
            if exception.public_summary:
                body += Markup("<p><strong>%s</strong> %s</p>") % (
                    _("For the customer:"),
                    exception.public_summary,
                )
            if exception.public_next_step:
                body += Markup("<p><strong>%s</strong> %s</p>") % (
                    _("Next step:"),
                    exception.public_next_step,
                )
            if exception.resolution_note:
                body += Markup("<p><strong>%s</strong></p>%s") % (
                    _("Resolution:"),
                    exception.resolution_note,
                )
            for ticket in exception.ticket_ids:
                ticket.message_post(body=body, subtype_xmlid="mail.mt_note")

    def _merge_into(self, target):
        """Merge this duplicate into ``target``: its messages, attachments,
        followers and tickets move there, and it is cancelled with a note
        naming ``target``. Never deleted."""
        self.ensure_one()
        if target == self:
            raise UserError(_("An exception cannot be merged into itself."))
        if not self.is_open:
            raise UserError(
                _(
                    "Exception %(name)s is %(state)s: only an open duplicate can "
                    "be merged.",
                    name=self.name,
                    state=self._state_label(),
                )
            )
        if target.state == "cancelled" or target.merged_into_id:
            raise UserError(
                _(
                    "Exception %(name)s is cancelled: merge into the exception "
                    "that is being worked.",
                    name=target.name,
                )
            )
        if target.company_id != self.company_id:
            raise UserError(
                _(
                    "Exceptions %(duplicate)s and %(target)s belong to different "
                    "companies and cannot be merged.",
                    duplicate=self.name,
                    target=target.name,
                )
            )
        if self.customer_id and target.customer_id != self.customer_id:
            # Its conversation (the customer's replies, their updates) would
            # reach another customer's portal and followers.
            raise UserError(
                _(
                    "Exception %(duplicate)s is about %(customer)s, exception "
                    "%(target)s is not: only exceptions of the same customer "
                    "can be merged.",
                    duplicate=self.name,
                    customer=self.customer_id.display_name,
                    target=target.name,
                )
            )
        (self | target).check_access_rights("write")
        (self | target).check_access_rule("write")
        # sudo: messages and attachments belong to their authors; the user
        # may write both exceptions (checked above), the move keeps them whole.
        messages = (
            self.env["mail.message"]
            .sudo()
            .search([("model", "=", self._name), ("res_id", "=", self.id)])
        )
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .search([("res_model", "=", self._name), ("res_id", "=", self.id)])
        )
        messages.write({"res_id": target.id})
        attachments.write({"res_id": target.id})
        target.message_subscribe(partner_ids=self.message_partner_ids.ids)
        tickets = self.sudo().ticket_ids
        if tickets:
            target.sudo().ticket_ids = [Command.link(t.id) for t in tickets]
        self.with_context(**{MERGE_CONTEXT: True}).write(
            {"merged_into_id": target.id, "state": "cancelled"}
        )
        self.message_post(
            body=Markup("<p>%s</p>")
            % Markup(
                _(
                    "Duplicate of %(target)s: merged into it and cancelled. Its "
                    "messages and attachments are there now."
                )
            )
            % {"target": target._get_html_link(title=target.display_name)},
            subtype_xmlid="mail.mt_note",
        )
        target.message_post(
            body=Markup("<p>%s</p>")
            % Markup(
                _(
                    "Duplicate %(duplicate)s merged into this exception: "
                    "%(messages)s message(s) and %(attachments)s attachment(s) "
                    "moved here."
                )
            )
            % {
                "duplicate": self._get_html_link(title=self.display_name),
                "messages": len(messages),
                "attachments": len(attachments),
            },
            subtype_xmlid="mail.mt_note",
        )
        return target
