# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class LogisticsExceptionTeam(models.Model):
    _inherit = "logistics.exception.team"

    helpdesk_team_id = fields.Many2one(
        "helpdesk.ticket.team",
        string="Helpdesk Team",
        check_company=True,
        # A copy (the queues a new company gets) is of another company.
        copy=False,
        tracking=True,
        help="The helpdesk team in which the customer-impacting exceptions of "
        "this queue open their tickets.",
    )
    helpdesk_ticket_auto = fields.Boolean(
        string="Open Tickets Automatically",
        copy=False,
        tracking=True,
        help="A customer-impacting exception routed to this queue opens a "
        "ticket in the helpdesk team by itself (unless it comes from a "
        "ticket). Off: the exception's Open Ticket button does it on demand.",
    )
