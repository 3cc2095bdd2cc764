import base64
import time

from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from odoo.addons.mail.tests.common import MockEmail

from .common import LogisticsExceptionCommon

# A real email as a mail client sends it: a text part, an html part and a
# photo of the damage attached.
RAW_EMAIL = """From: {email_from}
To: {to}
Subject: {subject}
Date: Mon, 23 Nov 2026 08:12:40 +0000
Message-ID: {msg_id}
MIME-Version: 1.0
{extra}Content-Type: multipart/mixed; boundary="lex-outer"

--lex-outer
Content-Type: multipart/alternative; boundary="lex-inner"

--lex-inner
Content-Type: text/plain; charset=utf-8

{body}

--lex-inner
Content-Type: text/html; charset=utf-8

<p>{body}</p>

--lex-inner--

--lex-outer
Content-Type: image/png; name="pallet.png"
Content-Disposition: attachment; filename="pallet.png"
Content-Transfer-Encoding: base64

{attachment}
--lex-outer--
"""
PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n pallet photo").decode()


@tagged("post_install", "-at_install")
class TestEmailIntake(LogisticsExceptionCommon, MockEmail):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alias_domain = cls.env["mail.alias.domain"].create(
            {"name": "lex-intake.example.com"}
        )
        cls.company.alias_domain_id = cls.alias_domain
        cls.team.write(
            {
                "alias_name": "dock-damages",
                "alias_domain_id": cls.alias_domain.id,
                "alias_category_id": cls.category_damage.id,
            }
        )
        cls.alias_email = "dock-damages@lex-intake.example.com"
        cls.sender = cls.env["res.partner"].create(
            {
                "name": "Sam Shipper",
                "email": "sam@acme-retail.example.com",
                "parent_id": cls.customer.id,
            }
        )
        cls.Exception = cls.env["logistics.exception"]

    def _process(
        self, subject, email_from=None, body="Pallet 7 arrived crushed.", **kw
    ):
        msg_id = kw.pop("msg_id", None) or f"<{time.time():.7f}-lex@acme.example.com>"
        extra = "".join(f"{header}: {value}\n" for header, value in kw.items())
        raw = RAW_EMAIL.format(
            email_from=email_from or '"Sam Shipper" <sam@acme-retail.example.com>',
            to=self.alias_email,
            subject=subject,
            msg_id=msg_id,
            extra=extra,
            body=body,
            attachment=PNG,
        )
        # The mail gateway (fetchmail) runs as the administrator.
        with self.mock_mail_gateway():
            self.env["mail.thread"].sudo().message_process(False, raw)
        return msg_id

    def _exceptions(self):
        return self.Exception.search([("email_from", "!=", False)])

    def test_alias_of_existing_and_new_teams(self):
        Team = self.env["logistics.exception.team"].with_context(active_test=False)
        self.assertFalse(
            Team.search([("alias_id", "=", False)]),
            "the teams of the database got their alias on update",
        )
        team = self.env["logistics.exception.team"].create({"name": "Returns"})
        self.assertTrue(team.alias_id, "every team holds an alias")
        self.assertEqual(team.alias_id.alias_model_id.model, "logistics.exception")
        self.assertEqual(team.alias_id.alias_defaults, f"{{'team_id': {team.id}}}")
        self.assertEqual(team.alias_id.alias_contact, "partners")
        team.alias_allow_unknown_senders = True
        self.assertEqual(team.alias_id.alias_contact, "everyone")
        self.assertEqual(self.team.alias_email, self.alias_email)

    def test_team_form(self):
        with Form(self.team.with_user(self.admin)) as form:
            form.alias_name = "Dock Claims"
            form.alias_allow_unknown_senders = True
            form.alias_category_id = self.category_shortage
        self.assertEqual(self.team.alias_email, "dock-claims@lex-intake.example.com")
        self.assertEqual(self.team.alias_contact, "everyone")
        self.assertEqual(self.team.alias_category_id, self.category_shortage)

    def test_new_email_reports_exception(self):
        before = self._exceptions()
        self._process("Crushed pallet on inbound truck")
        exception = self._exceptions() - before
        self.assertEqual(len(exception), 1)
        self.assertEqual(exception.summary, "Crushed pallet on inbound truck")
        self.assertIn("Pallet 7 arrived crushed.", exception.description)
        self.assertEqual(exception.team_id, self.team)
        self.assertEqual(exception.company_id, self.team.company_id)
        self.assertEqual(exception.category_id, self.category_damage)
        self.assertEqual(exception.partner_id, self.customer)
        self.assertEqual(
            exception.email_from, '"Sam Shipper" <sam@acme-retail.example.com>'
        )
        self.assertTrue(exception.name.startswith("LEX/"), exception.name)
        message = exception.message_ids.filtered(lambda m: m.message_type == "email")
        self.assertEqual(message.author_id, self.sender)
        self.assertEqual(message.attachment_ids.mapped("name"), ["pallet.png"])
        self.assertEqual(message.attachment_ids.res_id, exception.id)
        # The team's members work it, as any exception of their queue.
        exception.with_user(self.user).check_access_rule("write")
        self.assertEqual(exception.with_user(self.user).summary, exception.summary)

    def test_category_fallback(self):
        self.team.alias_category_id = False
        self.category_shortage.with_company(self.company).team_id = self.team
        before = self._exceptions()
        self._process("Short on delivery")
        exception = self._exceptions() - before
        self.assertEqual(exception.category_id, self.category_shortage)

    def test_reply_with_headers_threads(self):
        msg_id = self._process("Crushed pallet on inbound truck")
        exception = self._exceptions()
        self._process(
            "Re: Crushed pallet on inbound truck",
            body="Here is the delivery note.",
            **{"In-Reply-To": msg_id, "References": msg_id},
        )
        self.assertEqual(self._exceptions(), exception, "no new exception")
        self.assertIn(
            "Here is the delivery note.",
            "".join(exception.message_ids.mapped("body")),
        )

    def test_reply_with_reference_in_subject_threads(self):
        self._process("Crushed pallet on inbound truck")
        exception = self._exceptions()
        # The mail client dropped In-Reply-To and References.
        self._process(
            f"RE: [{exception.name}] Crushed pallet on inbound truck",
            body="The carrier confirms the damage.",
        )
        self.assertEqual(self._exceptions(), exception, "no new exception")
        reply = exception.message_ids.filtered(
            lambda m: "The carrier confirms the damage." in m.body
        )
        self.assertEqual(reply.subtype_id, self.env.ref("mail.mt_comment"))
        self.assertEqual(reply.author_id, self.sender)

    def test_reference_quoted_by_a_stranger_creates(self):
        self._process("Crushed pallet on inbound truck")
        exception = self._exceptions()
        stranger = self.env["res.partner"].create(
            {"name": "Other Customer", "email": "ops@other-customer.example.com"}
        )
        self._process(
            f"Re: {exception.name}", email_from=stranger.email, body="Mine too."
        )
        created = self._exceptions() - exception
        self.assertEqual(len(created), 1, "a guessed reference is no reply")
        self.assertEqual(created.partner_id, stranger)
        self.assertNotIn("Mine too.", "".join(exception.message_ids.mapped("body")))

    def test_reference_of_other_company_creates(self):
        other = self._create_exception(company_id=self.other_company.id, team_id=False)
        self.assertEqual(other.company_id, self.other_company)
        before = self._exceptions()
        self._process(f"About {other.name}")
        created = self._exceptions() - before
        self.assertEqual(len(created), 1, "another company's reference is no reply")
        self.assertEqual(created.company_id, self.company)
        self.assertFalse(
            other.message_ids.filtered(lambda m: m.message_type == "email")
        )

    def test_auto_reply_creates_nothing(self):
        before = self._exceptions()
        self._process(
            "Out of office: Crushed pallet", **{"Auto-Submitted": "auto-replied"}
        )
        self._process("Automatic reply: away", **{"X-Autoreply": "yes"})
        self.assertEqual(self._exceptions(), before)
        # "no" is a person writing.
        self._process("Damaged carton", **{"Auto-Submitted": "no"})
        self.assertEqual(len(self._exceptions() - before), 1)

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_unknown_sender_refused(self):
        before = self._exceptions()
        partners = self.env["res.partner"].search_count([])
        self._process("Broken box", email_from="Nina Nobody <nina@unknown.example.com>")
        self.assertEqual(self._exceptions(), before, "nothing created")
        self.assertEqual(self.env["res.partner"].search_count([]), partners)
        self.assertEqual(len(self._mails), 1, "the sender is told")
        bounce = self._mails[0]
        self.assertIn("nina@unknown.example.com", bounce["email_to"][0])
        self.assertIn("registered partners", bounce["body"])

    def test_unknown_sender_allowed(self):
        self.team.alias_allow_unknown_senders = True
        before = self._exceptions()
        self._process("Broken box", email_from="Nina Nobody <nina@unknown.example.com>")
        exception = self._exceptions() - before
        self.assertEqual(len(exception), 1)
        contact = exception.partner_id
        self.assertEqual(contact.email, "nina@unknown.example.com")
        self.assertEqual(contact.name, "Nina Nobody")
        self.assertEqual(exception.company_id, self.company)
        self.assertEqual(exception.team_id, self.team)
        message = exception.message_ids.filtered(lambda m: m.message_type == "email")
        self.assertEqual(message.author_id, contact)

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_loop_sender_refused(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "mail.gateway.loop.threshold", 2
        )
        before = self._exceptions()
        for index in range(3):
            self._process(f"Damaged carton {index}")
        self.assertEqual(len(self._exceptions() - before), 2, "the loop is cut")
