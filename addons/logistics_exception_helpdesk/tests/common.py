# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.logistics_exception.tests.common import (
    GROUP_USER,
    LogisticsExceptionCommon,
)

HELPDESK_USER = "helpdesk_mgmt.group_helpdesk_user"


class HelpdeskBridgeCommon(LogisticsExceptionCommon):
    """A helpdesk team, agents with and without exception rights, a customer
    with a contact and an order, and the shipped mapping."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A helpdesk agent who knows nothing of logistics exceptions.
        cls.agent = new_test_user(
            cls.env,
            login="lexh_agent",
            name="Hilda Helpdesk",
            groups=f"base.group_user,{HELPDESK_USER}",
            company_id=cls.company.id,
        )
        # Customer service: helpdesk and exceptions.
        cls.service = new_test_user(
            cls.env,
            login="lexh_service",
            name="Sam Service",
            groups=f"base.group_user,{HELPDESK_USER},{GROUP_USER}",
            company_id=cls.company.id,
        )
        cls.team.member_ids = [Command.link(cls.service.id)]
        cls.helpdesk_team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Customer Care",
                "company_id": cls.company.id,
                "user_ids": [Command.set((cls.agent | cls.service).ids)],
            }
        )
        cls.stage_done = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.stage_in_progress = cls.env.ref(
            "helpdesk_mgmt.helpdesk_ticket_stage_in_progress"
        )
        cls.hd_delivery = cls.env.ref(
            "logistics_exception_helpdesk.helpdesk_category_delivery_complaint"
        )
        cls.hd_damaged = cls.env.ref(
            "logistics_exception_helpdesk.helpdesk_category_damaged_on_arrival"
        )
        cls.hd_other = cls.env["helpdesk.ticket.category"].create(
            {"name": "Invoice question", "company_id": False}
        )
        cls.rule_delivery = cls.env.ref(
            "logistics_exception_helpdesk.rule_helpdesk_delivery_complaint"
        )
        cls.rule_damaged = cls.env.ref(
            "logistics_exception_helpdesk.rule_helpdesk_damaged_on_arrival"
        )
        cls.category_failed = cls.env.ref(
            "logistics_exception.category_failed_delivery"
        )
        cls.category_expedite = cls.env.ref(
            "logistics_exception.category_urgent_expedite"
        )
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Alice Buyer",
                "parent_id": cls.customer.id,
                "email": "alice@acme.example.com",
            }
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Oak desk", "type": "consu", "list_price": 250.0}
        )
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "company_id": cls.company.id,
                "order_line": [
                    Command.create({"product_id": cls.product.id, "product_uom_qty": 2})
                ],
            }
        )
        cls.Exception = cls.env["logistics.exception"].with_context(active_test=False)

    @classmethod
    def _ticket_values(cls, **values):
        vals = {
            "name": "My desks never arrived",
            "description": "<p>Order promised for Monday, nothing came.</p>",
            "team_id": cls.helpdesk_team.id,
            "partner_id": cls.contact.id,
            "sale_order_id": cls.order.id,
            "category_id": cls.hd_delivery.id,
        }
        vals.update(values)
        return {key: value for key, value in vals.items() if value is not None}

    def _create_ticket(self, user=None, **values):
        Ticket = self.env["helpdesk.ticket"]
        if user:
            Ticket = Ticket.with_user(user)
        return Ticket.create(self._ticket_values(**values))

    def _ticket_exceptions(self, ticket):
        return self.Exception.search([("ticket_ids", "in", ticket.ids)])
