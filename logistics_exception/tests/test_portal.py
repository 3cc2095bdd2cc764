import json

from odoo import http
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import GROUP_USER, LogisticsExceptionCommon

# Fields a customer must never read, over any RPC.
INTERNAL_FIELDS = (
    "summary",
    "description",
    "financial_impact",
    "resolution_note",
    "root_cause_id",
    "user_id",
    "team_id",
    "sla_deadline",
    "tag_ids",
    "priority",
)


def setup_portal_data(cls):
    """Two customers, each with a portal contact, and exceptions of every
    kind: customer-visible, internal category, not customer-impacting,
    cancelled, and the other customer's."""
    env = cls.env
    cls.category = env.ref("logistics_exception.category_failed_delivery")
    cls.internal_category = env["logistics.exception.category"].create(
        {
            "name": "Credit Check",
            "code": "PORTAL_TEST_CREDIT",
            "customer_impact": True,
            "internal_only": True,
        }
    )
    cls.customer_a = env["res.partner"].create(
        {"name": "Alpine Stores", "is_company": True}
    )
    cls.customer_b = env["res.partner"].create(
        {"name": "Baltic Traders", "is_company": True}
    )
    contact_a = env["res.partner"].create(
        {"name": "Anna Alpine", "parent_id": cls.customer_a.id}
    )
    contact_b = env["res.partner"].create(
        {"name": "Bruno Baltic", "parent_id": cls.customer_b.id}
    )
    cls.portal_a = new_test_user(
        env,
        login="lex_portal_a",
        groups="base.group_portal",
        partner_id=contact_a.id,
    )
    cls.portal_b = new_test_user(
        env,
        login="lex_portal_b",
        groups="base.group_portal",
        partner_id=contact_b.id,
    )
    Exception_ = env["logistics.exception"]
    common = {"category_id": cls.category.id, "company_id": env.company.id}
    cls.exc_a = Exception_.create(
        dict(
            common,
            summary="Driver refused at Alpine's dock: forklift broken",
            description="<p>Carrier invoices a redelivery fee.</p>",
            partner_id=contact_a.id,
            customer_impact=True,
            financial_impact=250.0,
            public_summary="Your delivery could not be unloaded yesterday.",
            public_next_step="We deliver again on Friday morning.",
        )
    )
    cls.exc_a_internal = Exception_.create(
        dict(
            common,
            summary="Alpine over its credit limit",
            category_id=cls.internal_category.id,
            partner_id=contact_a.id,
            customer_impact=True,
        )
    )
    cls.exc_a_no_impact = Exception_.create(
        dict(
            common,
            summary="Relabel Alpine pallets",
            partner_id=cls.customer_a.id,
            customer_impact=False,
        )
    )
    cls.exc_a_cancelled = Exception_.create(
        dict(
            common,
            summary="Duplicate report for Alpine",
            partner_id=cls.customer_a.id,
            customer_impact=True,
        )
    )
    cls.exc_a_cancelled.action_cancel()
    cls.exc_b = Exception_.create(
        dict(
            common,
            summary="Baltic pallet crushed",
            partner_id=contact_b.id,
            customer_impact=True,
            public_summary="A pallet of your order arrived damaged.",
        )
    )
    cls.all_exceptions = (
        cls.exc_a
        | cls.exc_a_internal
        | cls.exc_a_no_impact
        | cls.exc_a_cancelled
        | cls.exc_b
    )


class TestPortalAccess(LogisticsExceptionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_portal_data(cls)

    def _visible_to(self, user):
        return (
            self.env["logistics.exception"]
            .with_user(user)
            .search([("id", "in", self.all_exceptions.ids)])
        )

    def test_portal_user_sees_only_customer_visible_exceptions_of_their_company(self):
        self.assertEqual(self._visible_to(self.portal_a), self.exc_a)
        self.assertEqual(self._visible_to(self.portal_b), self.exc_b)

    def test_portal_user_cannot_read_another_customers_exception(self):
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.exc_b.with_user(self.portal_a).read(["name"])
        for exception in (
            self.exc_a_internal,
            self.exc_a_no_impact,
            self.exc_a_cancelled,
        ):
            with self.assertRaises(AccessError), mute_logger("odoo.models"):
                exception.with_user(self.portal_a).read(["name"])

    def test_portal_user_cannot_write_their_exception(self):
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.exc_a.with_user(self.portal_a).write({"public_summary": "Hacked"})
        self.assertEqual(
            self.exc_a.public_summary, "Your delivery could not be unloaded yesterday."
        )

    def test_flag_change_hides_the_exception_at_once(self):
        self.exc_a.customer_impact = False
        self.assertFalse(self._visible_to(self.portal_a))

    def test_internal_fields_are_not_readable_by_the_customer(self):
        exception = self.exc_a.with_user(self.portal_a)
        for field_name in INTERNAL_FIELDS:
            with (
                self.subTest(field=field_name),
                self.assertRaises(AccessError),
                mute_logger("odoo.models"),
            ):
                exception.read([field_name])
        # Nor through the other entry points of the web client.
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            exception.web_read({"description": {}})
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            exception.search_read([], ["financial_impact"])
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            exception.read_group([], ["financial_impact:sum"], [])
        # Searching on a protected field would be an oracle of its content.
        for field_name, value in (
            ("description", "redelivery"),
            ("summary", "forklift"),
            ("user_id.name", "Wendy"),
        ):
            with (
                self.subTest(search=field_name),
                self.assertRaises(AccessError),
                mute_logger("odoo.models"),
            ):
                exception.search([(field_name, "ilike", value)])
        # The customer's own filters work.
        self.assertEqual(
            exception.search(
                [("state", "!=", "closed"), ("id", "in", self.all_exceptions.ids)]
            ),
            self.exc_a,
        )

    def test_customer_gets_no_internal_field_through_other_rpc_methods(self):
        exception = self.exc_a.with_user(self.portal_a)
        # Odoo keeps exports to employees with the export right.
        with self.assertRaises(UserError):
            exception.export_data(["name", "summary"])
        with self.assertRaises(AccessError):
            exception.copy_data()
        with self.assertRaises(AccessError):
            exception.onchange({}, [], {"summary": {}})

    def test_customer_cannot_reach_internal_fields_by_search_read_name_or_sort(self):
        Exception_ = self.env["logistics.exception"].with_user(self.portal_a)
        for field_name in ("summary", "user_id", "team_id", "source_key"):
            with self.assertRaises(AccessError):
                Exception_.search_read([], [field_name])
            with self.assertRaises(AccessError):
                Exception_.web_search_read([], {field_name: {}})
        # All the fields asked for none: only the customer's ones.
        record = Exception_.search_read([("id", "=", self.exc_a.id)])[0]
        self.assertNotIn("summary", record)
        self.assertNotIn("user_id", record)
        self.assertEqual(record["public_summary"], self.exc_a.public_summary)
        # A name search looks at the reference only (no oracle on the summary).
        self.assertFalse(Exception_.name_search("forklift"))
        self.assertEqual(Exception_.name_search(self.exc_a.name)[0][0], self.exc_a.id)
        with self.assertRaises(AccessError):
            Exception_.search([], order="summary")
        with self.assertRaises(AccessError):
            Exception_.search([], order="financial_impact desc")

    def test_emails_of_the_discussion_never_carry_the_internal_summary(self):
        self.exc_a.with_user(self.portal_a).message_post(
            body="Which dock should we use?",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        # Queued, to read the email as it leaves.
        answer = (
            self.exc_a.with_user(self.manager)
            .with_context(mail_notify_force_send=False)
            .message_post(
                body="Dock 2, please.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        )
        self.assertEqual(answer.record_name, self.exc_a.name)
        mails = (
            self.env["mail.mail"].sudo().search([("mail_message_id", "=", answer.id)])
        )
        self.assertTrue(mails)
        for mail in mails:
            self.assertNotIn("forklift", mail.subject)
            self.assertNotIn("forklift", str(mail.body_html))

    def test_a_customer_who_loses_the_exception_loses_its_link_and_discussion(self):
        token = self.exc_a._portal_ensure_token()
        self.exc_a.with_user(self.portal_a).message_post(
            body="Any news?", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        customer = self.portal_a.partner_id
        self.assertIn(customer, self.exc_a.message_partner_ids)
        # The team finds it was another customer's order all along.
        self.exc_a.partner_id = self.exc_b.partner_id
        self.assertNotEqual(self.exc_a.access_token, token)
        self.assertNotIn(customer, self.exc_a.message_partner_ids)

    def test_customer_reads_the_public_fields_only(self):
        values = self.exc_a.with_user(self.portal_a).read()[0]
        readable = self.env["logistics.exception"]._get_portal_readable_fields()
        self.assertLessEqual(set(values), readable)
        for field_name in INTERNAL_FIELDS:
            self.assertNotIn(field_name, values)
        self.assertEqual(
            values["portal_summary"], "Your delivery could not be unloaded yesterday."
        )
        self.assertEqual(
            values["public_next_step"], "We deliver again on Friday morning."
        )
        # The internal summary does not leak through the display name.
        self.assertEqual(values["display_name"], self.exc_a.name)
        self.assertNotIn("forklift", self.exc_a.with_user(self.portal_a).display_name)

    def test_customer_reads_their_order_reference(self):
        order = self.env["sale.order"].create(
            {"partner_id": self.customer_a.id, "client_order_ref": "PO-778"}
        )
        self.exc_a.sale_id = order
        values = self.exc_a.with_user(self.portal_a).read(["portal_order_ref"])[0]
        self.assertEqual(values["portal_order_ref"], f"{order.name} (PO-778)")

    def test_summary_falls_back_to_a_neutral_sentence(self):
        self.exc_a.public_summary = False
        summary = self.exc_a.with_user(self.portal_a).portal_summary
        self.assertIn(self.category.name, summary)
        self.assertNotIn("forklift", summary)

    def test_internal_users_still_read_and_edit_internal_fields(self):
        self.exc_a.team_id = self.team
        exception = self.exc_a.with_user(self.user)
        values = exception.read(["description", "financial_impact", "summary"])[0]
        self.assertEqual(values["financial_impact"], 250.0)
        self.assertIn("redelivery fee", values["description"])
        exception.write({"resolution_note": "<p>Rebooked</p>"})
        self.assertIn("Rebooked", exception.resolution_note)
        self.assertIn("forklift", exception.display_name)

    def test_team_tells_the_customer_from_the_form(self):
        self.exc_a.team_id = self.team
        with Form(self.exc_a.with_user(self.user)) as form:
            form.public_summary = "Your delivery comes on Friday."
            form.public_next_step = "Nothing to do on your side."
            form.promised_date = "2030-05-17 09:00:00"
            form.description = "<p>Carrier fee disputed.</p>"
        values = self.exc_a.with_user(self.portal_a).read(
            ["portal_summary", "public_next_step", "promised_date"]
        )[0]
        self.assertEqual(values["portal_summary"], "Your delivery comes on Friday.")
        self.assertEqual(values["public_next_step"], "Nothing to do on your side.")
        self.assertEqual(str(values["promised_date"]), "2030-05-17 09:00:00")

    def test_cost_lines_are_not_readable_by_the_customer(self):
        if "logistics.exception.cost" not in self.env:
            self.skipTest("logistics_exception_dashboard is not installed")
        exception = self.exc_a.with_user(self.portal_a)
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            exception.read(["cost_ids"])
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            exception.read(["stated_financial_impact"])
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.env["logistics.exception.cost"].with_user(self.portal_a).search([])

    def test_internal_notes_are_not_readable_by_the_customer(self):
        note = self.exc_a.message_post(
            body="Carrier says the customer's forklift was broken",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        reply = self.exc_a.message_post(
            body="We deliver again on Friday.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        messages = (
            self.env["mail.message"]
            .with_user(self.portal_a)
            .search(
                [("model", "=", "logistics.exception"), ("res_id", "=", self.exc_a.id)]
            )
        )
        self.assertIn(reply, messages)
        self.assertNotIn(note, messages)

    def test_customer_reply_lands_in_the_exception_chatter(self):
        self.exc_a.with_user(self.portal_a).message_post(
            body="Friday morning is fine, the dock opens at 7.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        message = self.exc_a.message_ids[:1]
        self.assertEqual(message.author_id, self.portal_a.partner_id)
        self.assertIn("dock opens at 7", message.body)
        self.assertFalse(message.subtype_id.internal)

    def test_notifications_link_to_the_portal_only_what_the_customer_sees(self):
        def groups_of(exception):
            message = exception.message_post(
                body="Update", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
            return {
                name: options
                for name, _check, options in exception._notify_get_recipients_groups(
                    message, "Exception"
                )
            }

        visible = groups_of(self.exc_a)
        self.assertIn("portal_customer", visible)
        self.assertTrue(visible["portal"]["has_button_access"])
        hidden = groups_of(self.exc_a_no_impact)
        self.assertNotIn("portal_customer", hidden)
        self.assertFalse(hidden["portal"]["has_button_access"])

    def test_customer_who_replies_hears_the_answers_not_the_notes(self):
        self.exc_a.with_user(self.portal_a).message_post(
            body="When exactly on Friday?",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        customer = self.portal_a.partner_id
        self.assertIn(customer, self.exc_a.message_partner_ids)
        answer = self.exc_a.message_post(
            body="Between 8 and 10.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        note = self.exc_a.message_post(
            body="Driver is new on this route.",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        self.assertIn(customer, answer.notification_ids.res_partner_id)
        self.assertNotIn(customer, note.notification_ids.res_partner_id)

    def test_access_url_and_preview(self):
        self.assertEqual(self.exc_a.access_url, f"/my/exceptions/{self.exc_a.id}")
        action = self.exc_a.with_user(self.manager).action_preview_portal()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertTrue(action["url"].startswith(f"/my/exceptions/{self.exc_a.id}"))

    def test_portal_domain_matches_the_record_rule(self):
        domain = self.env["logistics.exception"]._get_portal_domain(
            self.portal_a.partner_id
        )
        found = self.env["logistics.exception"].search(
            [*domain, ("id", "in", self.all_exceptions.ids)]
        )
        self.assertEqual(found, self._visible_to(self.portal_a))
        self.assertTrue(self.exc_a._is_customer_visible())
        self.assertFalse(self.exc_a_internal._is_customer_visible())
        self.assertFalse(self.exc_a_no_impact._is_customer_visible())
        self.assertFalse(self.exc_a_cancelled._is_customer_visible())


@tagged("post_install", "-at_install")
class TestPortalPages(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_portal_data(cls)
        cls.internal_user = new_test_user(
            cls.env,
            login="lex_portal_internal",
            groups=f"base.group_user,{GROUP_USER}",
        )
        cls.exc_a.user_id = cls.internal_user

    def _json(self, url, params):
        response = self.url_open(
            url,
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        return response.json()

    def test_home_counts_the_customers_exceptions(self):
        self.authenticate("lex_portal_a", "lex_portal_a")
        result = self._json("/my/counters", {"counters": ["logistics_exception_count"]})
        self.assertEqual(result["result"], {"logistics_exception_count": 1})
        page = self.url_open("/my/home")
        self.assertIn("Delivery Issues", page.text)

    def test_list_shows_only_the_customers_exceptions(self):
        self.authenticate("lex_portal_a", "lex_portal_a")
        for sortby in ("date", "name", "status", "bogus"):
            for filterby in ("all", "open", "bogus"):
                response = self.url_open(
                    f"/my/exceptions?sortby={sortby}&filterby={filterby}"
                )
                self.assertEqual(response.status_code, 200)
                self.assertIn(self.exc_a.name, response.text)
                for hidden in self.all_exceptions - self.exc_a:
                    self.assertNotIn(hidden.name, response.text)
        response = self.url_open("/my/exceptions?filterby=solved")
        self.assertNotIn(self.exc_a.name, response.text)
        self.assertIn("There is no delivery issue", response.text)

    def test_detail_page_shows_public_words_never_internal_ones(self):
        self.exc_a.promised_date = "2030-05-17 09:00:00"
        self.exc_a.message_post(
            body="Internal: carrier fee 250", subtype_xmlid="mail.mt_note"
        )
        self.authenticate("lex_portal_a", "lex_portal_a")
        response = self.url_open(f"/my/exceptions/{self.exc_a.id}")
        self.assertEqual(response.status_code, 200)
        text = response.text
        self.assertIn(self.exc_a.name, text)
        self.assertIn("Your delivery could not be unloaded yesterday.", text)
        self.assertIn("We deliver again on Friday morning.", text)
        self.assertIn("05/17/2030", text)
        self.assertIn("o_portal_chatter", text)
        for secret in ("forklift", "redelivery fee", "carrier fee"):
            self.assertNotIn(secret, text)

    def test_direct_url_to_another_customers_exception_is_refused(self):
        self.authenticate("lex_portal_a", "lex_portal_a")
        for exception in self.all_exceptions - self.exc_a:
            response = self.url_open(f"/my/exceptions/{exception.id}")
            self.assertTrue(response.url.endswith("/my"), response.url)
            self.assertNotIn(exception.name, response.text)
        # A wrong token does not open it either.
        response = self.url_open(f"/my/exceptions/{self.exc_b.id}?access_token=wrong")
        self.assertTrue(response.url.endswith("/my"), response.url)

    def test_shared_link_with_the_token_opens_the_page(self):
        token = self.exc_b._portal_ensure_token()
        response = self.url_open(f"/my/exceptions/{self.exc_b.id}?access_token={token}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("A pallet of your order arrived damaged.", response.text)

    def test_a_token_link_stops_when_the_customer_may_no_longer_see_it(self):
        token = self.exc_a._portal_ensure_token()
        self.authenticate("lex_portal_a", "lex_portal_a")
        url = f"/my/exceptions/{self.exc_a.id}?access_token={token}"
        self.assertEqual(self.url_open(url).status_code, 200)
        self.exc_a.action_cancel()
        response = self.url_open(url)
        self.assertTrue(response.url.endswith("/my"), response.url)

    def test_reply_through_the_portal_chatter_lands_on_the_exception(self):
        self.authenticate("lex_portal_a", "lex_portal_a")
        result = self._json(
            "/mail/chatter_post",
            {
                "res_model": "logistics.exception",
                "res_id": self.exc_a.id,
                "message": "Friday is fine, the dock opens at 7.",
            },
        )
        self.assertNotIn("error", result)
        message = self.exc_a.message_ids.filtered(
            lambda m: "dock opens at 7" in (m.body or "")
        )
        self.assertEqual(len(message), 1)
        self.assertEqual(message.author_id, self.portal_a.partner_id)
        self.assertEqual(message.message_type, "comment")
        # Nobody posts on another customer's exception.
        with mute_logger("odoo.http"):
            result = self._json(
                "/mail/chatter_post",
                {
                    "res_model": "logistics.exception",
                    "res_id": self.exc_b.id,
                    "message": "Let me in",
                },
            )
        self.assertIn("error", result)
        self.assertFalse(
            self.exc_b.message_ids.filtered(lambda m: "Let me in" in (m.body or ""))
        )

    def test_customer_attaches_a_file_to_their_reply(self):
        self.authenticate("lex_portal_a", "lex_portal_a")
        upload = self.url_open(
            "/portal/attachment/add",
            data={
                "name": "dock_photo.txt",
                "res_model": "logistics.exception",
                "res_id": self.exc_a.id,
                "csrf_token": http.Request.csrf_token(self),
            },
            files=[("file", ("dock_photo.txt", b"forklift fixed", "text/plain"))],
        )
        self.assertEqual(upload.status_code, 200)
        attachment = upload.json()
        result = self._json(
            "/mail/chatter_post",
            {
                "res_model": "logistics.exception",
                "res_id": self.exc_a.id,
                "message": "Photo of the repaired forklift attached.",
                "attachment_ids": [attachment["id"]],
                "attachment_tokens": [attachment["access_token"]],
            },
        )
        self.assertNotIn("error", result)
        message = self.exc_a.message_ids.filtered(
            lambda m: "repaired forklift" in (m.body or "")
        )
        self.assertEqual(message.attachment_ids.name, "dock_photo.txt")
        self.assertEqual(message.attachment_ids.res_model, "logistics.exception")
        self.assertEqual(message.attachment_ids.res_id, self.exc_a.id)
        # Nobody uploads onto another customer's exception.
        with mute_logger("odoo.http"):
            refused = self.url_open(
                "/portal/attachment/add",
                data={
                    "name": "intrusion.txt",
                    "res_model": "logistics.exception",
                    "res_id": self.exc_b.id,
                    "csrf_token": http.Request.csrf_token(self),
                },
                files=[("file", ("intrusion.txt", b"x", "text/plain"))],
            )
        self.assertEqual(refused.status_code, 400)

    def test_chatter_fetch_hides_internal_notes(self):
        self.exc_a.message_post(
            body="Internal: carrier fee 250", subtype_xmlid="mail.mt_note"
        )
        self.exc_a.message_post(
            body="We rebooked your delivery.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.authenticate("lex_portal_a", "lex_portal_a")
        result = self._json(
            "/mail/chatter_fetch",
            {"res_model": "logistics.exception", "res_id": self.exc_a.id},
        )["result"]
        bodies = " ".join(message["body"] for message in result["messages"])
        self.assertIn("We rebooked your delivery.", bodies)
        self.assertNotIn("carrier fee", bodies)

    def test_internal_user_previews_the_customer_page(self):
        self.authenticate("lex_portal_internal", "lex_portal_internal")
        response = self.url_open(f"/my/exceptions/{self.exc_a.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Back to edit mode", response.text)
        self.assertNotIn("o_logistics_portal_hidden", response.text)
        self.exc_a.customer_impact = False
        response = self.url_open(f"/my/exceptions/{self.exc_a.id}")
        self.assertIn("o_logistics_portal_hidden", response.text)
