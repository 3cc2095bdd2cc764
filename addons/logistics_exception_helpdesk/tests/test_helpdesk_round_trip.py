# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form

from .common import HelpdeskBridgeCommon


class TestHelpdeskRoundTrip(HelpdeskBridgeCommon):
    """Exception → ticket → back: tickets opened from exceptions, the
    resolution told to the ticket, a closed ticket told to the exception."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team.helpdesk_team_id = cls.helpdesk_team

    def _customer_exception(self, **values):
        vals = {
            "summary": "Carrier lost pallet 3 of 4 (internal: driver error)",
            "description": "<p>Internal: driver skipped the scan at hub B.</p>",
            "category_id": self.category_expedite.id,
            "partner_id": self.contact.id,
            "sale_id": self.order.id,
            "customer_impact": True,
            "public_summary": "Part of your order is delayed in transit.",
            "public_next_step": "We ship the missing desk tomorrow.",
        }
        vals.update(values)
        return self._create_exception(**vals)

    def test_open_ticket_from_exception(self):
        exception = self._customer_exception()
        action = exception.with_user(self.service).action_open_helpdesk_ticket()
        ticket = self.env["helpdesk.ticket"].browse(action["res_id"])
        self.assertEqual(action["res_model"], "helpdesk.ticket")
        self.assertEqual(ticket.team_id, self.helpdesk_team)
        self.assertEqual(ticket.partner_id, self.contact)
        self.assertEqual(ticket.sale_order_id, self.order)
        self.assertEqual(ticket.company_id, exception.company_id)
        # Linked both ways, shown by the smart buttons.
        self.assertEqual(exception.ticket_ids, ticket)
        self.assertEqual(ticket.logistics_exception_ids, exception)
        self.assertEqual(exception.with_user(self.service).ticket_count, 1)
        self.assertEqual(ticket.with_user(self.service).logistics_exception_count, 1)
        # The customer sees tickets on the portal: only customer words in it.
        self.assertEqual(ticket.name, "Part of your order is delayed in transit.")
        self.assertIn("We ship the missing desk tomorrow.", ticket.description)
        self.assertNotIn("driver", ticket.name + ticket.description)
        # The ticket raised no second exception (not a mapped category).
        self.assertEqual(self._ticket_exceptions(ticket), exception)
        self.assertIn(
            ticket.number, exception.message_ids[0].body, "the exception says so"
        )
        view = exception.with_user(self.service).action_view_helpdesk_tickets()
        self.assertEqual(view["res_id"], ticket.id)

    def test_open_ticket_refused_without_customer_impact(self):
        exception = self._customer_exception(
            customer_impact=False, category_id=self.category_delay.id
        )
        with self.assertRaisesRegex(UserError, "no customer impact"):
            exception.with_user(self.service).action_open_helpdesk_ticket()
        self.assertFalse(exception.ticket_ids)

    def test_open_ticket_refused_without_helpdesk_team(self):
        self.team.helpdesk_team_id = False
        exception = self._customer_exception()
        with self.assertRaisesRegex(UserError, "has no helpdesk team"):
            exception.with_user(self.service).action_open_helpdesk_ticket()

    def test_open_ticket_refused_to_exception_users_without_helpdesk_rights(self):
        exception = self._customer_exception()
        with self.assertRaises(AccessError):
            exception.with_user(self.user).action_open_helpdesk_ticket()
        # Nor do they see the tickets of the exception.
        exception.with_user(self.service).action_open_helpdesk_ticket()
        with self.assertRaises(AccessError):
            exception.with_user(self.user).read(["ticket_count"])
        with self.assertRaises(AccessError):
            exception.with_user(self.user).action_view_helpdesk_tickets()

    def test_team_opens_tickets_automatically(self):
        self.team.helpdesk_ticket_auto = True
        exception = self._customer_exception()
        self.assertEqual(len(exception.ticket_ids), 1)
        self.assertEqual(exception.ticket_ids.team_id, self.helpdesk_team)
        internal = self._customer_exception(
            customer_impact=False, category_id=self.category_delay.id
        )
        self.assertFalse(internal.ticket_ids)
        # Flagged later: the ticket comes then.
        internal.customer_impact = True
        self.assertEqual(len(internal.ticket_ids), 1)

    def test_exception_raised_by_a_ticket_opens_no_other_ticket(self):
        self.env.ref("logistics_exception.team_dispatch").write(
            {"helpdesk_team_id": self.helpdesk_team.id, "helpdesk_ticket_auto": True}
        )
        self.category_failed._get_team(self.company).write(
            {"helpdesk_team_id": self.helpdesk_team.id, "helpdesk_ticket_auto": True}
        )
        ticket = self._create_ticket(user=self.agent)
        exception = self._ticket_exceptions(ticket)
        self.assertEqual(exception.ticket_ids, ticket)

    def test_resolution_is_posted_on_the_ticket(self):
        exception = self._customer_exception()
        exception.with_user(self.service).action_open_helpdesk_ticket()
        ticket = exception.ticket_ids
        exception = exception.with_user(self.service)
        exception.action_start()
        exception.write(
            {"resolution_note": "<p>Missing desk shipped by express, POD 4411.</p>"}
        )
        exception.action_resolve()
        note = ticket.message_ids[0]
        self.assertIn(exception.name, note.body)
        self.assertIn("Missing desk shipped by express, POD 4411.", note.body)
        self.assertIn("Part of your order is delayed in transit.", note.body)
        self.assertEqual(note.subtype_id, self.env.ref("mail.mt_note"))

    def test_closing_the_ticket_while_the_exception_is_open_says_so(self):
        ticket = self._create_ticket(user=self.agent)
        exception = self._ticket_exceptions(ticket)
        # The agent closes it without any exception rights.
        ticket.with_user(self.agent).write({"stage_id": self.stage_done.id})
        note = exception.message_ids[0]
        self.assertIn("was closed", note.body)
        self.assertIn(ticket.number, note.body)
        self.assertTrue(exception.is_open, "the exception stays open")

    def test_closing_the_ticket_of_a_resolved_exception_says_nothing(self):
        exception = self._customer_exception()
        exception.with_user(self.service).action_open_helpdesk_ticket()
        ticket = exception.ticket_ids
        exception.with_user(self.service).action_start()
        exception.with_user(self.service).action_resolve()
        messages = exception.message_ids
        ticket.write({"stage_id": self.stage_done.id})
        self.assertEqual(exception.message_ids, messages)

    def test_ticket_shows_only_the_exceptions_the_user_may_read(self):
        ticket = self._create_ticket(user=self.agent)
        exception = self._ticket_exceptions(ticket)
        self.assertNotIn(self.service, exception.team_id.member_ids)
        self.assertEqual(ticket.with_user(self.service).logistics_exception_count, 0)
        exception.team_id = self.team  # the service user's queue
        ticket.invalidate_recordset()
        self.assertEqual(ticket.with_user(self.service).logistics_exception_count, 1)
        with self.assertRaises(AccessError):
            ticket.with_user(self.agent).read(["logistics_exception_count"])

    def test_team_form_sets_the_helpdesk_team(self):
        with Form(self.team.with_user(self.admin)) as form:
            form.helpdesk_team_id = self.helpdesk_team
            form.helpdesk_ticket_auto = True
        self.assertTrue(self.team.helpdesk_ticket_auto)
        exception = self._customer_exception()
        self.assertEqual(exception.ticket_ids.team_id, self.helpdesk_team)

    def test_ticket_form_for_agents_with_and_without_exception_rights(self):
        for user in (self.agent, self.service):
            with Form(self.env["helpdesk.ticket"].with_user(user)) as form:
                form.name = f"Where is my order? ({user.login})"
                form.description = "<p>Nothing came.</p>"
                form.team_id = self.helpdesk_team
                form.partner_id = self.contact
                form.sale_order_id = self.order
                form.category_id = self.hd_delivery
            ticket = form.record
            self.assertEqual(ticket.sale_order_id, self.order)
            self.assertEqual(self._ticket_exceptions(ticket).sale_id, self.order)

    def test_exception_form_without_helpdesk_rights(self):
        exception = self._customer_exception()
        exception.with_user(self.service).action_open_helpdesk_ticket()
        # The form loads without the helpdesk fields for a plain exception user.
        with Form(exception.with_user(self.user)) as form:
            form.summary = "Pallet 3 lost by the carrier"
            self.assertNotIn("ticket_count", form._view["fields"])
        with Form(exception.with_user(self.service)) as form:
            self.assertEqual(form.ticket_count, 1)
