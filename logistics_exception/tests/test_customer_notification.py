from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import GROUP_ADMIN, LogisticsExceptionCommon

T0 = "2026-03-02 09:00:00"
INTERNAL_SUMMARY = "Picker Joe dropped the pallet again"
INTERNAL_DESCRIPTION = "Cost us 420 EUR, third time this month"
PUBLIC_SUMMARY = "Two cartons of your order were damaged in our warehouse."


@tagged("post_install", "-at_install")
class TestCustomerNotification(LogisticsExceptionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "email": "service@northwind.example",
                "logistics_exception_customer_notify_hours": 24,
            }
        )
        cls.customer.email = "orders@acme.example"
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Alice Buyer",
                "parent_id": cls.customer.id,
                "email": "alice@acme.example",
            }
        )
        cls.category = cls.env["logistics.exception.category"].create(
            {
                "name": "Late Delivery (test)",
                "code": "TEST_LATE_DELIVERY",
                "customer_impact": True,
                "customer_notify": True,
            }
        )
        cls.subtype = cls.env.ref("logistics_exception.mt_exception_customer_update")
        cls.template = cls.env.ref(
            "logistics_exception.mail_template_exception_customer_update"
        )

    def _report(self, user=None, **values):
        vals = {
            "summary": INTERNAL_SUMMARY,
            "description": f"<p>{INTERNAL_DESCRIPTION}</p>",
            "public_summary": PUBLIC_SUMMARY,
            "category_id": self.category.id,
            "team_id": self.team.id,
            "company_id": self.company.id,
            "partner_id": self.contact.id,
        }
        vals.update(values)
        # None: leave the field to its default or computation.
        vals = {key: value for key, value in vals.items() if value is not None}
        return (
            self.env["logistics.exception"]
            .with_user(user or self.user)
            .create(vals)
            .with_env(self.env)
        )

    def _updates(self, exceptions):
        """The customer updates queued for ``exceptions``."""
        return self.env["mail.mail"].search(
            [
                ("model", "=", "logistics.exception"),
                ("res_id", "in", exceptions.ids),
                ("subtype_id", "=", self.subtype.id),
            ],
            order="id",
        )

    def _notes(self, exception, text):
        return exception.message_ids.filtered(lambda m: text in (m.body or ""))

    # ------------------------------------------------------------------
    # Configuration
    # ------------------------------------------------------------------
    def test_notification_off_by_default_sends_nothing(self):
        category = self.env["logistics.exception.category"].create(
            {"name": "Quiet", "code": "TEST_QUIET", "customer_impact": True}
        )
        self.assertFalse(category.customer_notify)
        self.assertEqual(category.customer_notify_template_id, self.template)
        shipped = self.env["logistics.exception.category"].search(
            [("customer_notify", "=", True), ("id", "!=", self.category.id)]
        )
        self.assertFalse(shipped, "No shipped category notifies customers")
        exception = self._report(category_id=category.id)
        self.assertTrue(exception.customer_impact)
        exception.with_user(self.user).promised_date = datetime(2026, 3, 9, 14)
        exception.with_user(self.user).action_start()
        exception.with_user(self.user).action_resolve()
        self.assertFalse(self._updates(exception))
        self.assertFalse(exception.customer_notified_at)

    def test_shipped_internal_categories(self):
        for xmlid in (
            "category_credit_hold",
            "category_pricing_variance",
            "category_transfer_discrepancy",
            "category_receipt_discrepancy",
        ):
            category = self.env.ref(f"logistics_exception.{xmlid}")
            self.assertTrue(category.internal_only, xmlid)
            self.assertFalse(category.customer_notify, xmlid)
        self.assertFalse(self.category_damage.internal_only)

    def test_category_form_internal_only_switches_notification_off(self):
        with Form(self.category.with_user(self.admin)) as form:
            self.assertTrue(form.customer_notify)
            form.internal_only = True
            self.assertFalse(form.customer_notify)
        self.assertFalse(self.category.customer_notify)

    def test_period_setting(self):
        settings_admin = new_test_user(
            self.env,
            login="lex_test_settings",
            groups=f"base.group_system,{GROUP_ADMIN}",
            company_id=self.company.id,
        )
        settings = (
            self.env["res.config.settings"]
            .with_user(settings_admin)
            .create({"logistics_exception_customer_notify_hours": 6})
        )
        settings.execute()
        self.assertEqual(self.company.logistics_exception_customer_notify_hours, 6)
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.company.logistics_exception_customer_notify_hours = -1

    def test_throttle_fields_are_kept_by_the_system(self):
        exception = self._report()
        with self.assertRaisesRegex(UserError, "kept by the system"):
            exception.with_user(self.manager).write(
                {"customer_notified_at": False, "customer_notify_pending": True}
            )

    # ------------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------------
    @freeze_time(T0)
    def test_create_queues_one_update_for_the_customer_contact(self):
        exception = self._report(
            public_next_step="A replacement leaves our warehouse tomorrow."
        )
        update = self._updates(exception)
        self.assertEqual(len(update), 1)
        # Queued: the mail queue sends it, not the user's transaction.
        self.assertEqual(update.state, "outgoing")
        self.assertEqual(update.recipient_ids, self.contact)
        self.assertIn("service@northwind.example", update.email_from)
        self.assertEqual(update.author_id, self.company.partner_id)
        body = str(update.body_html)
        self.assertIn(PUBLIC_SUMMARY, body)
        self.assertIn("A replacement leaves our warehouse tomorrow.", body)
        self.assertIn(exception.name, body)
        self.assertIn("Received", body)
        self.assertIn(f"/my/exceptions/{exception.id}", body)
        self.assertNotIn(INTERNAL_SUMMARY, body)
        self.assertNotIn(INTERNAL_DESCRIPTION, body)
        self.assertNotIn(INTERNAL_SUMMARY, update.subject)
        # In the chatter, as a public message to the customer.
        message = update.mail_message_id
        self.assertIn(message, exception.message_ids)
        self.assertEqual(message.partner_ids, self.contact)
        self.assertFalse(message.subtype_id.internal)
        self.assertEqual(exception.customer_notified_at, datetime(2026, 3, 2, 9))
        self.assertFalse(exception.customer_notify_pending)
        # Nobody else got a copy of the customer's email.
        self.assertFalse(
            self.env["mail.mail"].search(
                [
                    ("mail_message_id", "=", message.id),
                    ("id", "!=", update.id),
                ]
            )
        )

    def test_update_without_public_summary_says_a_neutral_sentence(self):
        exception = self._report(public_summary=False)
        body = str(self._updates(exception).body_html)
        self.assertIn(exception.portal_summary, body)
        self.assertIn("We will keep you informed", body)
        self.assertNotIn(INTERNAL_SUMMARY, body)
        self.assertNotIn(INTERNAL_DESCRIPTION, body)

    def test_update_goes_to_the_customer_when_partner_is_not_a_reachable_contact(self):
        self.contact.email = False
        exception = self._report()
        self.assertEqual(self._updates(exception).recipient_ids, self.customer)
        other = self.env["res.partner"].create(
            {"name": "Carrier Bob", "email": "bob@carrier.example"}
        )
        exception = self._report(
            partner_id=other.id,
            sale_id=self.env["sale.order"].create({"partner_id": self.customer.id}).id,
        )
        self.assertEqual(exception.customer_id, self.customer)
        self.assertEqual(self._updates(exception).recipient_ids, self.customer)

    def test_update_names_the_order(self):
        order = self.env["sale.order"].create(
            {"partner_id": self.contact.id, "client_order_ref": "ACME-PO-7781"}
        )
        exception = self._report(partner_id=None, sale_id=order.id)
        self.assertEqual(exception.partner_id, self.contact)
        update = self._updates(exception)
        self.assertEqual(update.recipient_ids, self.contact)
        self.assertIn(order.name, str(update.body_html))
        self.assertIn("ACME-PO-7781", update.subject)

    def test_batch_create_and_write(self):
        customers = self.env["res.partner"].create(
            [
                {
                    "name": f"Customer {i}",
                    "is_company": True,
                    "email": f"c{i}@x.example",
                }
                for i in range(3)
            ]
        )
        with freeze_time(T0):
            exceptions = (
                self.env["logistics.exception"]
                .with_user(self.user)
                .create(
                    [
                        {
                            "summary": INTERNAL_SUMMARY,
                            "category_id": self.category.id,
                            "team_id": self.team.id,
                            "partner_id": customer.id,
                        }
                        for customer in customers
                    ]
                )
            )
            updates = self._updates(exceptions)
            self.assertEqual(updates.recipient_ids, customers)
        with freeze_time("2026-03-03 09:00:00"):
            exceptions.write({"promised_date": datetime(2026, 3, 10, 12)})
            self.assertEqual(len(self._updates(exceptions)), 6)

    # ------------------------------------------------------------------
    # Throttle
    # ------------------------------------------------------------------
    def test_promised_date_change_is_throttled_then_sent(self):
        with freeze_time(T0):
            exception = self._report()
            self.assertEqual(len(self._updates(exception)), 1)
        with freeze_time("2026-03-02 15:00:00"):
            exception.with_user(self.user).promised_date = datetime(2026, 3, 9, 14)
            self.assertEqual(len(self._updates(exception)), 1, "Inside the period")
            self.assertTrue(exception.customer_notify_pending)
            # The job wakes up when the period ends.
            trigger = self.env["ir.cron.trigger"].search(
                [
                    (
                        "cron_id",
                        "=",
                        self.env.ref(
                            "logistics_exception.ir_cron_logistics_exception_customer_updates"
                        ).id,
                    ),
                    ("call_at", "=", datetime(2026, 3, 3, 9)),
                ]
            )
            self.assertTrue(trigger)
            self.env["logistics.exception"]._cron_customer_updates()
            self.assertEqual(len(self._updates(exception)), 1, "Not yet")
        with freeze_time("2026-03-02 20:00:00"):
            # A second change inside the period: still held, sent as one.
            exception.with_user(self.user).promised_date = datetime(2026, 3, 10, 14)
            self.assertEqual(len(self._updates(exception)), 1)
        with freeze_time("2026-03-03 09:00:00"):
            self.env["logistics.exception"]._cron_customer_updates()
            updates = self._updates(exception)
            self.assertEqual(len(updates), 2)
            self.assertIn("Mar 10, 2026", str(updates[-1].body_html))
            self.assertFalse(exception.customer_notify_pending)
            self.assertEqual(exception.customer_notified_at, datetime(2026, 3, 3, 9))
        with freeze_time("2026-03-04 10:00:00"):
            # After the period: sent at once.
            exception.with_user(self.user).promised_date = datetime(2026, 3, 11, 14)
            self.assertEqual(len(self._updates(exception)), 3)
            # The same date again is no change.
        with freeze_time("2026-03-06 10:00:00"):
            exception.with_user(self.user).promised_date = datetime(2026, 3, 11, 14)
            self.assertEqual(len(self._updates(exception)), 3)

    def test_resolve_inside_period_is_held_not_lost(self):
        with freeze_time(T0):
            exception = self._report()
        with freeze_time("2026-03-02 10:00:00"):
            exception.with_user(self.user).action_start()
            exception.with_user(self.user).action_resolve()
            self.assertEqual(len(self._updates(exception)), 1)
            self.assertTrue(exception.customer_notify_pending)
        with freeze_time("2026-03-03 09:05:00"):
            self.env["logistics.exception"]._cron_customer_updates()
            updates = self._updates(exception)
            self.assertEqual(len(updates), 2)
            body = str(updates[-1].body_html)
            self.assertIn("has been resolved", body)
            self.assertIn("Solved", body)
        with freeze_time("2026-03-05 09:00:00"):
            # Closing a resolved exception tells the customer nothing new.
            exception.with_user(self.manager).action_close()
            self.env["logistics.exception"]._cron_customer_updates()
            self.assertEqual(len(self._updates(exception)), 2)

    def test_held_update_dropped_when_exception_is_cancelled(self):
        with freeze_time(T0):
            exception = self._report()
        with freeze_time("2026-03-02 10:00:00"):
            exception.with_user(self.user).promised_date = datetime(2026, 3, 9, 14)
            self.assertTrue(exception.customer_notify_pending)
            exception.with_user(self.user).action_cancel()
        with freeze_time("2026-03-03 10:00:00"):
            self.env["logistics.exception"]._cron_customer_updates()
            self.assertEqual(len(self._updates(exception)), 1)
            self.assertFalse(exception.customer_notify_pending)

    def test_no_throttle_when_period_is_zero(self):
        self.company.logistics_exception_customer_notify_hours = 0
        with freeze_time(T0):
            exception = self._report()
            exception.with_user(self.user).promised_date = datetime(2026, 3, 9, 14)
            self.assertEqual(len(self._updates(exception)), 2)
            # Withdrawing the date says nothing; starting the work neither.
            exception.with_user(self.user).promised_date = False
            exception.with_user(self.user).action_start()
            self.assertEqual(len(self._updates(exception)), 2)
            exception.with_user(self.user).action_resolve()
            self.assertEqual(len(self._updates(exception)), 3)
            self.assertFalse(exception.customer_notify_pending)

    # ------------------------------------------------------------------
    # Never
    # ------------------------------------------------------------------
    def test_internal_only_category_never_sends(self):
        self.category.write({"internal_only": True, "customer_notify": True})
        self.company.logistics_exception_customer_notify_hours = 0
        exception = self._report()
        exception.with_user(self.user).promised_date = datetime(2026, 3, 9, 14)
        exception.with_user(self.user).action_start()
        exception.with_user(self.user).action_resolve()
        self.env["logistics.exception"]._cron_customer_updates()
        self.assertFalse(self._updates(exception))
        self.assertFalse(exception.customer_notified_at)

    def test_not_customer_impact_never_sends(self):
        self.company.logistics_exception_customer_notify_hours = 0
        exception = self._report(customer_impact=False)
        exception.with_user(self.user).promised_date = datetime(2026, 3, 9, 14)
        exception.with_user(self.user).action_start()
        exception.with_user(self.user).action_resolve()
        self.assertFalse(self._updates(exception))
        # Nor without a customer, nor cancelled at once.
        no_customer = self._report(partner_id=False)
        self.assertFalse(no_customer.customer_id)
        cancelled = self._report(state="cancelled")
        self.assertFalse(self._updates(no_customer | cancelled))

    def test_customer_without_email_is_noted_once(self):
        self.contact.email = False
        self.customer.email = False
        self.company.logistics_exception_customer_notify_hours = 0
        exception = self._report()
        exception.with_user(self.user).promised_date = datetime(2026, 3, 9, 14)
        self.assertFalse(self._updates(exception))
        self.assertEqual(len(self._notes(exception, "have no email address")), 1)
        self.assertTrue(exception.customer_notify_no_email)
        self.assertFalse(exception.customer_notify_pending)
        # Once the customer has an email, the next update goes.
        self.customer.email = "orders@acme.example"
        exception.with_user(self.user).promised_date = datetime(2026, 3, 10, 14)
        self.assertEqual(self._updates(exception).recipient_ids, self.customer)
        self.assertFalse(exception.customer_notify_no_email)

    def test_exception_made_visible_later_counts_as_reported(self):
        exception = self._report(customer_impact=False)
        self.assertFalse(self._updates(exception))
        exception.with_user(self.user).customer_impact = True
        self.assertEqual(len(self._updates(exception)), 1)
        # Reported without a customer, then linked to one.
        no_customer = self._report(partner_id=False)
        self.assertFalse(self._updates(no_customer))
        no_customer.with_user(self.user).partner_id = self.contact
        self.assertEqual(self._updates(no_customer).recipient_ids, self.contact)

    def test_update_in_the_customer_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.contact.write({"lang": "fr_FR", "tz": "Europe/Paris"})
        exception = self._report(promised_date=datetime(2026, 3, 10, 13))
        self.assertEqual(
            self.template._render_lang(exception.ids)[exception.id], "fr_FR"
        )
        body = str(self._updates(exception).body_html)
        # Dates as the customer reads them: their language and time zone.
        self.assertIn("10 mars 2026", body)
        self.assertIn("14:00", body)

    def test_category_template_is_used(self):
        template = self.template.copy(
            {
                "name": "Short customer update",
                "subject": "Short news on {{ object.name }}",
                "body_html": "<p>Status: <t t-out='object.portal_status'/></p>",
            }
        )
        self.category.customer_notify_template_id = template
        exception = self._report()
        update = self._updates(exception)
        self.assertEqual(update.subject, f"Short news on {exception.name}")
        self.assertIn("Status: Received", str(update.body_html))

    def test_period_is_per_company(self):
        self.other_company.logistics_exception_customer_notify_hours = 0
        with freeze_time(T0):
            ours = self._report(user=self.env.user)
            theirs = self._report(
                user=self.env.user, company_id=self.other_company.id, team_id=None
            )
        with freeze_time("2026-03-02 10:00:00"):
            (ours | theirs).write({"promised_date": datetime(2026, 3, 9, 14)})
            self.assertEqual(len(self._updates(ours)), 1)
            self.assertTrue(ours.customer_notify_pending)
            self.assertEqual(len(self._updates(theirs)), 2)
            self.assertFalse(theirs.customer_notify_pending)
