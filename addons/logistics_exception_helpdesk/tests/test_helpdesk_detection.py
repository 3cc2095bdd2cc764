# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import ast

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user

from .common import HelpdeskBridgeCommon


class TestHelpdeskDetection(HelpdeskBridgeCommon):
    """Tickets in mapped helpdesk categories raise exceptions through the
    detection engine: one per ticket, whatever happens to the ticket."""

    def test_delivery_complaint_raises_one_failed_delivery(self):
        # The agent has no exception rights: the engine raises it anyway.
        ticket = self._create_ticket(user=self.agent)
        exception = self._ticket_exceptions(ticket)
        self.assertEqual(len(exception), 1)
        self.assertEqual(exception.category_id, self.category_failed)
        self.assertEqual(exception.rule_id, self.rule_delivery)
        self.assertEqual(exception.detected_by, "rule")
        self.assertEqual(exception.partner_id, self.contact)
        self.assertEqual(exception.customer_id, self.customer)
        self.assertEqual(exception.sale_id, self.order)
        self.assertTrue(exception.customer_impact)
        self.assertEqual(exception.source_ref, ticket)
        self.assertEqual(exception.source_key, f"helpdesk.ticket:{ticket.id}")
        self.assertEqual(exception.company_id, ticket.company_id)
        self.assertIn(ticket.number, exception.summary)
        self.assertIn("nothing came", exception.description)

    def test_damaged_on_arrival_raises_one_damaged_goods(self):
        ticket = self._create_ticket(
            user=self.agent,
            name="Two cartons crushed",
            category_id=self.hd_damaged.id,
        )
        exception = self._ticket_exceptions(ticket)
        self.assertEqual(len(exception), 1)
        self.assertEqual(exception.category_id, self.category_damage)
        self.assertEqual(exception.rule_id, self.rule_damaged)
        self.assertEqual(exception.sale_id, self.order)
        self.assertEqual(exception.customer_id, self.customer)

    def test_batch_of_tickets_raises_one_exception_each(self):
        tickets = self.env["helpdesk.ticket"].create(
            [
                self._ticket_values(name="Late"),
                self._ticket_values(name="Crushed", category_id=self.hd_damaged.id),
                self._ticket_values(name="Invoice", category_id=self.hd_other.id),
            ]
        )
        exceptions = self.Exception.search([("ticket_ids", "in", tickets.ids)])
        self.assertEqual(len(exceptions), 2)
        self.assertEqual(
            set(exceptions.mapped("category_id")),
            {self.category_failed, self.category_damage},
        )
        self.assertFalse(self._ticket_exceptions(tickets[2]))

    def test_unmapped_category_raises_nothing(self):
        ticket = self._create_ticket(category_id=self.hd_other.id)
        self.assertFalse(self._ticket_exceptions(ticket))
        ticket = self._create_ticket(category_id=False)
        self.assertFalse(self._ticket_exceptions(ticket))

    def test_ticket_moved_to_a_mapped_category_raises_one(self):
        ticket = self._create_ticket(user=self.agent, category_id=self.hd_other.id)
        self.assertFalse(self._ticket_exceptions(ticket))
        ticket.write({"category_id": self.hd_delivery.id})
        self.assertEqual(len(self._ticket_exceptions(ticket)), 1)

    def test_editing_the_ticket_never_raises_a_duplicate(self):
        ticket = self._create_ticket(user=self.agent)
        exception = self._ticket_exceptions(ticket)
        self.assertEqual(len(exception), 1)
        ticket.write({"name": "Still nothing", "priority": "3"})
        ticket.write({"category_id": self.hd_damaged.id})
        ticket.write({"category_id": self.hd_delivery.id})
        self.assertEqual(self._ticket_exceptions(ticket), exception)
        # Not even once the exception is over: one event, one exception.
        exception.with_user(self.manager).action_cancel()
        ticket.write({"category_id": self.hd_damaged.id})
        self.assertEqual(self._ticket_exceptions(ticket), exception)
        self.assertEqual(
            self.Exception.search_count(
                [("source_key", "=", f"helpdesk.ticket:{ticket.id}")]
            ),
            1,
        )

    def test_closed_ticket_raises_nothing(self):
        ticket = self._create_ticket(
            category_id=self.hd_other.id, stage_id=self.stage_done.id
        )
        ticket.write({"category_id": self.hd_delivery.id})
        self.assertFalse(self._ticket_exceptions(ticket))

    def test_archived_mapping_raises_nothing(self):
        self.rule_delivery.active = False
        ticket = self._create_ticket()
        self.assertFalse(self._ticket_exceptions(ticket))

    def test_mapping_of_another_company_does_not_apply(self):
        self.rule_delivery.company_ids = [Command.set(self.other_company.ids)]
        ticket = self._create_ticket()
        self.assertFalse(self._ticket_exceptions(ticket))

    def test_only_exception_admins_edit_the_mapping(self):
        with self.assertRaises(AccessError):
            self.rule_delivery.with_user(self.manager).write(
                {"helpdesk_category_ids": [Command.link(self.hd_other.id)]}
            )
        # An admin maps "Invoice question" to urgent expedites.
        self.env["logistics.exception.rule"].with_user(self.admin).create(
            {
                "name": "Questions from the helpdesk",
                "detector": "helpdesk_ticket",
                "category_id": self.category_expedite.id,
                "helpdesk_category_ids": [Command.set(self.hd_other.ids)],
            }
        )
        ticket = self._create_ticket(category_id=self.hd_other.id)
        exception = self._ticket_exceptions(ticket)
        self.assertEqual(exception.category_id, self.category_expedite)

    def test_mapping_screen_lists_the_helpdesk_rules(self):
        action = self.env["ir.actions.actions"]._for_xml_id(
            "logistics_exception_helpdesk.logistics_exception_helpdesk_mapping_action"
        )
        rules = (
            self.env["logistics.exception.rule"]
            .with_user(self.admin)
            .search(ast.literal_eval(action["domain"]))
        )
        self.assertIn(self.rule_delivery, rules)
        self.assertIn(self.rule_damaged, rules)
        self.assertEqual(set(rules.mapped("detector")), {"helpdesk_ticket"})
        menu = self.env.ref(
            "logistics_exception_helpdesk.logistics_exception_helpdesk_menu_mapping"
        )
        self.assertEqual(
            menu.groups_id,
            self.env.ref("logistics_exception.logistics_exception_group_admin"),
        )

    def test_ticket_of_another_company_raises_in_that_company(self):
        team = self.env["helpdesk.ticket.team"].create(
            {"name": "Northern Care", "company_id": self.other_company.id}
        )
        order = self.env["sale.order"].create(
            {"partner_id": self.customer.id, "company_id": self.other_company.id}
        )
        ticket = self._create_ticket(team_id=team.id, sale_order_id=order.id)
        exception = self._ticket_exceptions(ticket)
        self.assertEqual(ticket.company_id, self.other_company)
        self.assertEqual(exception.company_id, self.other_company)
        self.assertEqual(exception.sale_id, order)

    def test_order_of_another_customer_or_company_is_refused(self):
        stranger = self.env["res.partner"].create(
            {"name": "Globex", "is_company": True}
        )
        their_order = self.env["sale.order"].create({"partner_id": stranger.id})
        with self.assertRaisesRegex(ValidationError, "not of Acme Retail"):
            self._create_ticket(sale_order_id=their_order.id)
        northern_order = self.env["sale.order"].create(
            {"partner_id": self.customer.id, "company_id": self.other_company.id}
        )
        ticket = self._create_ticket(sale_order_id=False)
        with self.assertRaisesRegex(ValidationError, "belongs to Northern 3PL"):
            ticket.sale_order_id = northern_order
        self.assertFalse(self._ticket_exceptions(ticket).sale_id)

    def test_order_named_later_reaches_the_open_exception(self):
        ticket = self._create_ticket(user=self.agent, sale_order_id=False)
        exception = self._ticket_exceptions(ticket)
        self.assertFalse(exception.sale_id)
        ticket.write({"sale_order_id": self.order.id})
        self.assertEqual(exception.sale_id, self.order)
        self.assertIn(self.order.name, exception.message_ids[0].body)

    def test_ticket_created_by_email_raises_its_exception(self):
        raw = (
            "From: Alice Buyer <alice@acme.example.com>\r\n"
            "To: care@example.com\r\n"
            "Subject: Desks never delivered\r\n"
            "Message-ID: <lexh-mail-1@acme.example.com>\r\n"
            "Date: Mon, 23 Nov 2026 08:00:00 +0000\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "\r\n"
            "Our desks did not arrive yesterday.\r\n"
        )
        ticket_id = self.env["mail.thread"].message_process(
            "helpdesk.ticket",
            raw,
            custom_values={
                "team_id": self.helpdesk_team.id,
                "category_id": self.hd_delivery.id,
            },
        )
        ticket = self.env["helpdesk.ticket"].browse(ticket_id)
        self.assertEqual(ticket.partner_id, self.contact)
        exception = self._ticket_exceptions(ticket)
        self.assertEqual(len(exception), 1)
        self.assertEqual(exception.customer_id, self.customer)
        self.assertIn("Desks never delivered", exception.summary)

    def test_ticket_of_a_portal_customer_does_not_make_them_follow(self):
        """helpdesk_mgmt's portal form creates the ticket as the system for
        the customer: the exception raised is an internal record they do not
        follow (its discussions would reach them)."""
        portal = new_test_user(
            self.env,
            login="lexh_portal_customer",
            groups="base.group_portal",
            partner_id=self.contact.id,
        )
        ticket = (
            self.env["helpdesk.ticket"]
            .with_user(portal)
            .with_context(tracking_disable=False, mail_create_nosubscribe=False)
            .sudo()
            .create(self._ticket_values())
        )
        exception = self._ticket_exceptions(ticket)
        self.assertEqual(len(exception), 1)
        self.assertEqual(portal.partner_id, self.contact)
        self.assertEqual(ticket.create_uid, portal)
        self.assertNotIn(self.contact, exception.message_partner_ids)
