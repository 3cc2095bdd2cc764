# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form

from .common import HelpdeskBridgeCommon


class TestHelpdeskManualAndMerge(HelpdeskBridgeCommon):
    """A ticket turned into an exception by hand; a duplicate exception
    merged into the ticket's without losing anything."""

    def test_report_exception_from_ticket_is_prefilled(self):
        ticket = self._create_ticket(category_id=self.hd_other.id)
        # Map the category afterwards: the form proposes the mapped category.
        self.rule_damaged.helpdesk_category_ids |= self.hd_other
        action = ticket.with_user(self.service).action_report_logistics_exception()
        self.assertEqual(action["res_model"], "logistics.exception")
        Exception_ = (
            self.env["logistics.exception"]
            .with_user(self.service)
            .with_context(**action["context"])
        )
        form = Form(Exception_)
        self.assertIn("My desks never arrived", form.summary)
        self.assertIn(ticket.number, form.summary)
        self.assertEqual(form.partner_id, self.contact)
        self.assertEqual(form.sale_id, self.order)
        self.assertEqual(form.category_id, self.category_damage)
        self.assertTrue(form.customer_impact)
        self.assertIn("nothing came", str(form.description))
        form.team_id = self.team
        exception = form.save()
        self.assertEqual(exception.detected_by, "manual")
        self.assertEqual(exception.ticket_ids, ticket)
        self.assertEqual(exception.source_ref, ticket)
        self.assertEqual(ticket.with_user(self.service).logistics_exception_count, 1)

    def test_report_exception_from_ticket_needs_exception_rights(self):
        ticket = self._create_ticket(category_id=self.hd_other.id)
        with self.assertRaises(AccessError):
            ticket.with_user(self.agent).action_report_logistics_exception()

    def test_source_ticket_the_author_cannot_read_is_not_linked(self):
        # Another customer's ticket, out of the user's reach.
        ticket = self._create_ticket(category_id=self.hd_other.id)
        exception = (
            self.env["logistics.exception"]
            .with_user(self.user)
            .create(
                {
                    "summary": "Guessing a ticket id",
                    "category_id": self.category_delay.id,
                    "team_id": self.team.id,
                    "source_ref": f"helpdesk.ticket,{ticket.id}",
                }
            )
        )
        self.assertFalse(exception.sudo().ticket_ids)

    def _duplicate_with_history(self):
        ticket = self._create_ticket(user=self.agent)
        original = self._ticket_exceptions(ticket)
        original.team_id = self.team
        duplicate = self._create_exception(
            summary="Acme says the desks never came",
            category_id=self.category_expedite.id,
            partner_id=self.contact.id,
            sale_id=self.order.id,
        )
        attachment = self.env["ir.attachment"].create(
            {
                "name": "driver-log.txt",
                "datas": base64.b64encode(b"No delivery attempt at 10:40"),
                "res_model": duplicate._name,
                "res_id": duplicate.id,
            }
        )
        message = duplicate.with_user(self.service).message_post(
            body="Customer called twice about this.",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
            attachment_ids=attachment.ids,
        )
        return ticket, original, duplicate, message, attachment

    def test_merge_keeps_messages_and_attachments(self):
        ticket, original, duplicate, message, attachment = (
            self._duplicate_with_history()
        )
        other_ticket = self._create_ticket(category_id=self.hd_other.id)
        duplicate.sudo().ticket_ids = other_ticket
        action = duplicate.with_user(self.service).action_merge_into()
        wizard = Form(
            self.env["logistics.exception.merge"]
            .with_user(self.service)
            .with_context(**action["context"])
        )
        # The open exception the customer's ticket raised is proposed.
        self.assertEqual(wizard.target_id, original)
        result = wizard.save().action_merge()
        self.assertEqual(result["res_id"], original.id)
        # Never deleted: cancelled, pointing to the one that stays.
        self.assertTrue(duplicate.exists())
        self.assertEqual(duplicate.state, "cancelled")
        self.assertEqual(duplicate.merged_into_id, original)
        self.assertIn(original.name, duplicate.message_ids[0].body)
        # Messages and attachments moved.
        self.assertEqual(message.res_id, original.id)
        self.assertIn(message, original.message_ids)
        self.assertEqual(attachment.res_id, original.id)
        self.assertEqual(attachment.res_model, original._name)
        self.assertIn(
            "Customer called twice", " ".join(original.message_ids.mapped("body"))
        )
        # The tickets follow.
        self.assertEqual(original.ticket_ids, ticket | other_ticket)
        self.assertIn(self.service.partner_id, original.message_partner_ids)

    def test_merge_refuses_what_makes_no_sense(self):
        _ticket, original, duplicate, _message, _attachment = (
            self._duplicate_with_history()
        )
        with self.assertRaisesRegex(UserError, "into itself"):
            duplicate.with_user(self.service)._merge_into(duplicate)
        foreign = self._create_exception(
            summary="Elsewhere",
            company_id=self.other_company.id,
            team_id=None,
        )
        with self.assertRaisesRegex(UserError, "different companies"):
            duplicate._merge_into(foreign)
        # Another customer's exception would get this one's conversation.
        stranger = self.env["res.partner"].create(
            {"name": "Stranger Retail", "is_company": True}
        )
        strangers = self._create_exception(
            summary="Stranger's late truck", partner_id=stranger.id
        )
        with self.assertRaisesRegex(UserError, "same customer"):
            duplicate.with_user(self.service)._merge_into(strangers)
        self.assertEqual(duplicate.state, "new")
        duplicate.with_user(self.service).action_start()
        duplicate.with_user(self.service).action_cancel()
        with self.assertRaisesRegex(UserError, "only an open duplicate"):
            duplicate.with_user(self.service)._merge_into(original)

    def test_merge_needs_write_access_to_both(self):
        _ticket, original, duplicate, _message, _attachment = (
            self._duplicate_with_history()
        )
        original.team_id = self.env.ref("logistics_exception.team_billing")
        with self.assertRaises(AccessError):
            duplicate.with_user(self.service)._merge_into(original)
        self.assertTrue(duplicate.is_open)

    def test_merged_into_is_not_set_by_hand(self):
        _ticket, original, duplicate, _message, _attachment = (
            self._duplicate_with_history()
        )
        with self.assertRaisesRegex(UserError, "Merge button"):
            duplicate.with_user(self.manager).write({"merged_into_id": original.id})
