# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from ..detectors.helpdesk_ticket import DETECTOR_KEY


class LogisticsExceptionRule(models.Model):
    """A rule of the helpdesk detector maps helpdesk ticket categories to the
    exception category (reason, severity) it raises: the mapping screen lists
    these rules."""

    _inherit = "logistics.exception.rule"

    helpdesk_category_ids = fields.Many2many(
        "helpdesk.ticket.category",
        "logistics_exception_rule_helpdesk_category_rel",
        "rule_id",
        "category_id",
        string="Helpdesk Categories",
        help="Helpdesk tickets in these categories raise an exception of this "
        "rule's category (helpdesk rules only).",
    )

    @api.model
    def _get_helpdesk_rule(self, ticket):
        """The first active helpdesk rule mapping the category of ``ticket``
        for its company (empty if none)."""
        rules = self._get_rules(DETECTOR_KEY)
        return next(
            (
                rule
                for rule in rules
                if ticket.category_id in rule.helpdesk_category_ids
                and rule._applies_to(ticket.company_id)
            ),
            rules.browse(),
        )
