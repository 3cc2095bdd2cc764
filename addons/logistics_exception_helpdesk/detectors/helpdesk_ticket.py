# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import Command, _, api, models

# Fired by helpdesk tickets (see models/helpdesk_ticket.py): a ticket created
# in, or moved to, a helpdesk category.
EVENT_TICKET_CATEGORIZED = "helpdesk_ticket_categorized"
# What the rules of this detector store in their ``detector`` field.
DETECTOR_KEY = "helpdesk_ticket"


class HelpdeskTicketDetector(models.AbstractModel):
    """A customer reports a problem through the helpdesk: a ticket in a
    helpdesk category that a rule of this detector maps to an exception
    category raises one exception, linked to the ticket, its customer and
    the order it names. One exception per ticket, ever: editing the ticket
    or moving it to another mapped category raises nothing more."""

    _name = "logistics.exception.detector.helpdesk_ticket"
    _inherit = "logistics.exception.detector"
    _description = "Helpdesk ticket in a mapped category"
    _area = "sales"
    _events = (EVENT_TICKET_CATEGORIZED,)

    @api.model
    def _source_key(self, ticket):
        """The key of a ticket's exception: the ticket alone, whatever the
        rule, so that two rules never raise two exceptions for one ticket."""
        return f"helpdesk.ticket:{ticket.id}"

    @api.model
    def _detect(self, rules, event):
        tickets = self._tickets_to_report(event.records)
        vals_list = []
        for ticket in tickets:
            rule = next(
                (
                    r
                    for r in rules
                    if ticket.category_id in r.helpdesk_category_ids
                    and r._applies_to(ticket.company_id)
                ),
                None,
            )
            if rule:
                vals_list.append(self._ticket_values(rule, ticket))
        return vals_list

    @api.model
    def _tickets_to_report(self, tickets):
        """The open, categorized tickets that have no exception yet, and never
        had one raised for them (one search for all)."""
        tickets = tickets.sudo().filtered(lambda t: t.category_id and not t.closed)
        if not tickets:
            return tickets
        raised = (
            self.env["logistics.exception"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    "|",
                    ("source_key", "in", [self._source_key(t) for t in tickets]),
                    ("ticket_ids", "in", tickets.ids),
                ]
            )
        )
        done_keys = set(raised.mapped("source_key"))
        linked = raised.ticket_ids
        return tickets.filtered(
            lambda t: t not in linked and self._source_key(t) not in done_keys
        )

    @api.model
    def _ticket_values(self, rule, ticket):
        description = Markup("<p>%s</p>") % _(
            "Reported by %(partner)s in helpdesk ticket %(ticket)s (%(category)s).",
            partner=ticket.partner_id.display_name or ticket.partner_name or _("?"),
            ticket=ticket.display_name,
            category=ticket.category_id.display_name,
        )
        if ticket.description:
            description += ticket.description
        return rule._prepare_exception_values(
            ticket,
            ticket.company_id,
            source_key=self._source_key(ticket),
            summary=_(
                "%(category)s: %(title)s (ticket %(number)s)",
                category=ticket.category_id.name,
                title=ticket.name,
                number=ticket.number,
            ),
            description=description,
            partner_id=ticket.partner_id.id,
            sale_id=ticket.sale_order_id.id,
            customer_impact=True,
            ticket_ids=[Command.set(ticket.ids)],
        )
