from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common import LogisticsExceptionCommon


@tagged("post_install", "-at_install")
class TestNotification(LogisticsExceptionCommon):
    """Who is told what, when: at once, or in an hourly or daily digest."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Notifications are the point here: mail.thread must do its work.
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        cls.Item = cls.env["logistics.exception.digest.item"]
        cls.exception = cls._create_exception(summary="Pallet 7 short by 3 cartons")
        cls.other_exception = cls._create_exception(summary="Late receipt PO0042")

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _notices(self, exception, partner):
        """The notifications (not chatter messages) ``partner`` got on it."""
        return self.env["mail.message"].search(
            [
                ("model", "=", exception._name),
                ("res_id", "=", exception.id),
                ("message_type", "=", "user_notification"),
                ("partner_ids", "in", partner.ids),
            ]
        )

    def _mails_to(self, user):
        return self.env["mail.mail"].search(
            [("recipient_ids", "in", user.partner_id.ids)]
        )

    def _digests_to(self, user):
        return self._mails_to(user).filtered(lambda m: not m.model)

    def _pending(self, user):
        return self.Item.search([("user_id", "=", user.id), ("date_sent", "=", False)])

    # ------------------------------------------------------------------
    # Immediate notifications
    # ------------------------------------------------------------------
    def test_notification_reaches_user_with_link_but_not_actor_nor_followers(self):
        self.exception.message_subscribe(partner_ids=self.colleague.partner_id.ids)
        self.exception.with_user(self.manager)._notify_logistics_users(
            self.user | self.manager, "at_risk", "Respond within the hour."
        )
        notice = self._notices(self.exception, self.user.partner_id)
        self.assertEqual(len(notice), 1)
        self.assertEqual(notice.subject, f"{self.exception.name}: SLA at risk")
        self.assertIn("Respond within the hour.", notice.body)
        self.assertIn(
            f"/mail/view?model=logistics.exception&amp;res_id={self.exception.id}",
            notice.body,
        )
        self.assertEqual(notice.author_id, self.manager.partner_id)
        # Email users get an email of it; the actor and the follower nothing.
        self.assertEqual(notice.notification_ids.res_partner_id, self.user.partner_id)
        self.assertEqual(notice.notification_ids.notification_type, "email")
        self.assertFalse(self._notices(self.exception, self.manager.partner_id))
        self.assertFalse(self._notices(self.exception, self.colleague.partner_id))
        # Not posted in the chatter.
        self.assertNotIn(notice, self.exception.message_ids)

    def test_inbox_user_is_notified_in_odoo(self):
        self.user.notification_type = "inbox"
        self.exception.with_user(self.manager)._notify_logistics_users(
            self.user, "escalated", "Escalated: the customer called twice."
        )
        notice = self._notices(self.exception, self.user.partner_id)
        self.assertEqual(notice.notification_ids.notification_type, "inbox")
        self.assertFalse(self._mails_to(self.user))

    def test_user_who_cannot_read_the_exception_is_not_told(self):
        self.exception.with_user(self.manager)._notify_logistics_users(
            self.outsider, "routed", "Routed to the dock team."
        )
        self.assertFalse(self._notices(self.exception, self.outsider.partner_id))

    def test_unknown_event_is_refused(self):
        with self.assertRaises(ValueError):
            self.exception._notify_logistics_users(self.user, "exploded", "Boom")

    def test_owner_set_by_someone_else_is_told_once_not_when_taking_it(self):
        self.exception.with_user(self.manager).write({"user_id": self.user.id})
        notice = self._notices(self.exception, self.user.partner_id)
        self.assertEqual(len(notice), 1, "One assignment notice, not Odoo's as well")
        self.assertEqual(notice.subject, f"{self.exception.name}: Assigned to you")
        self.assertIn("Mona Manager made you the owner", notice.body)
        # Taking an exception yourself tells nobody.
        self.other_exception.with_user(self.colleague).action_assign()
        self.assertEqual(self.other_exception.user_id, self.colleague)
        self.assertFalse(self._notices(self.other_exception, self.colleague.partner_id))

    def test_activity_for_someone_else_is_emailed_not_for_oneself(self):
        self.exception.with_user(self.manager).activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=self.user.id,
            summary="Call the carrier",
        )
        notice = self._notices(self.exception, self.user.partner_id)
        self.assertEqual(len(notice), 1)
        self.assertIn("Call the carrier", notice.subject)
        self.exception.with_user(self.manager).activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=self.manager.id,
            summary="Check the stock",
        )
        self.assertFalse(self._notices(self.exception, self.manager.partner_id))

    def test_activities_given_at_once_make_one_notice(self):
        other = self._create_exception(summary="Pallet 9 crushed")
        third = self._create_exception(summary="Pallet 11 wet")
        model_id = self.env["ir.model"]._get_id("logistics.exception")
        todo = self.env.ref("mail.mail_activity_data_todo")
        self.env["mail.activity"].with_user(self.manager).create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": exception.id,
                    "activity_type_id": todo.id,
                    "summary": summary,
                    "user_id": self.user.id,
                }
                for exception, summary in (
                    (self.exception, "Photograph the pallet"),
                    (other, "Quarantine the pallet"),
                    (third, "Photograph the pallet"),
                )
            ]
        )
        notices = self.env["mail.message"].search(
            [
                ("model", "=", "logistics.exception"),
                ("res_id", "in", (self.exception | other | third).ids),
                ("message_type", "=", "user_notification"),
                ("partner_ids", "in", self.user.partner_id.ids),
            ]
        )
        # One notice for the three activities, naming the exceptions.
        self.assertEqual(len(notices), 1)
        for exception in self.exception | other | third:
            self.assertIn(exception.name, notices.body)
        self.assertIn("Quarantine the pallet", notices.body)

    def test_routing_tells_owner_and_step_holders_once_each(self):
        todo = self.env.ref("mail.mail_activity_data_todo")
        playbook = self.env["mail.activity.plan"].create(
            {
                "name": "Late supplier",
                "res_model": "logistics.exception",
                "template_ids": [
                    Command.create(
                        {
                            "activity_type_id": todo.id,
                            "summary": summary,
                            "responsible_type": role,
                        }
                    )
                    for summary, role in (
                        ("Call the supplier", "logistics_owner"),
                        ("Chase the carrier", "logistics_owner"),
                        ("Approve expediting", "logistics_leader"),
                    )
                ],
            }
        )
        self.category_delay.playbook_id = playbook
        self.env["logistics.exception.routing.rule"].create(
            {
                "name": "Late supplier to Wendy",
                "company_id": self.company.id,
                "category_ids": [Command.link(self.category_delay.id)],
                "team_id": self.team.id,
                "owner_strategy": "fixed",
                "user_id": self.user.id,
            }
        )
        exception = (
            self.env["logistics.exception"]
            .with_user(self.colleague)
            .create(
                {
                    "summary": "PO0077 three days late",
                    "category_id": self.category_delay.id,
                    "company_id": self.company.id,
                }
            )
        )
        self.assertEqual(exception.user_id, self.user)
        # The owner: one notice, of the ownership and of both steps; not
        # Odoo's email per step.
        notice = self._notices(exception, self.user.partner_id)
        self.assertEqual(len(notice), 1)
        self.assertEqual(notice.subject, f"{exception.name}: Assigned to you")
        self.assertIn("made you the owner", notice.body)
        self.assertIn("Call the supplier", notice.body)
        self.assertIn("Chase the carrier", notice.body)
        # The team leader: one notice listing the playbook's steps.
        notice = self._notices(exception, self.manager.partner_id)
        self.assertEqual(len(notice), 1)
        self.assertEqual(notice.subject, f"{exception.name}: Playbook step")
        self.assertIn("Approve expediting", notice.body)
        # Whoever reported it holds no step and is told nothing.
        self.assertFalse(self._notices(exception, self.colleague.partner_id))

    def test_playbook_steps_of_a_digest_user_wait_for_the_digest(self):
        self.manager.logistics_exception_digest = "daily"
        todo = self.env.ref("mail.mail_activity_data_todo")
        self.category_delay.playbook_id = self.env["mail.activity.plan"].create(
            {
                "name": "Late supplier",
                "res_model": "logistics.exception",
                "template_ids": [
                    Command.create(
                        {
                            "activity_type_id": todo.id,
                            "summary": "Approve expediting",
                            "responsible_type": "logistics_leader",
                        }
                    )
                ],
            }
        )
        exception = (
            self.env["logistics.exception"]
            .with_user(self.colleague)
            .create(
                {
                    "summary": "PO0078 late",
                    "category_id": self.category_delay.id,
                    "team_id": self.team.id,
                    "company_id": self.company.id,
                }
            )
        )
        self.assertFalse(self._notices(exception, self.manager.partner_id))
        item = self._pending(self.manager).filtered(
            lambda i: i.exception_id == exception
        )
        self.assertEqual(item.event, "playbook")
        self.assertIn("Approve expediting", item.message)

    # ------------------------------------------------------------------
    # Digest
    # ------------------------------------------------------------------
    def test_digest_user_gets_one_email_per_run_listing_everything(self):
        self.user.logistics_exception_digest = "hourly"
        with freeze_time("2026-03-02 09:10:00"):
            self.exception.with_user(self.manager).write({"user_id": self.user.id})
            self.exception.with_user(self.manager).activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=self.user.id,
                summary="Call the carrier",
            )
            (self.exception | self.other_exception).with_user(
                self.manager
            )._notify_logistics_users(self.user, "breached", "The SLA is breached.")
        # Nothing at once.
        self.assertFalse(self._notices(self.exception, self.user.partner_id))
        self.assertFalse(self._mails_to(self.user))
        items = self._pending(self.user)
        self.assertEqual(
            sorted(items.mapped("event")),
            ["activity", "assigned", "breached", "breached"],
        )
        with freeze_time("2026-03-02 10:00:00"):
            self.Item._cron_send_digest("hourly")
        digest = self._digests_to(self.user)
        self.assertEqual(len(digest), 1)
        self.assertEqual(
            digest.subject, "Logistics exceptions: 4 updates on 2 exception(s)"
        )
        for exception in self.exception | self.other_exception:
            self.assertIn(exception.name, digest.body_html)
            self.assertIn(
                f"/mail/view?model=logistics.exception&amp;res_id={exception.id}",
                digest.body_html,
            )
        self.assertIn("Call the carrier", digest.body_html)
        self.assertIn("The SLA is breached.", digest.body_html)
        self.assertFalse(self._pending(self.user))
        self.assertEqual(set(items.mapped("date_sent")), {datetime(2026, 3, 2, 10, 0)})
        # A second run has nothing to say.
        with freeze_time("2026-03-02 11:00:00"):
            self.Item._cron_send_digest("hourly")
        self.assertEqual(self._digests_to(self.user), digest)

    def test_hourly_and_daily_crons_each_serve_their_users(self):
        self.user.logistics_exception_digest = "hourly"
        self.colleague.logistics_exception_digest = "daily"
        self.exception.with_user(self.manager)._notify_logistics_users(
            self.user | self.colleague, "cleared", "The backorder shipped."
        )
        self.Item._cron_send_digest("hourly")
        self.assertEqual(len(self._digests_to(self.user)), 1)
        self.assertFalse(self._digests_to(self.colleague))
        self.assertEqual(len(self._pending(self.colleague)), 1)
        self.Item._cron_send_digest("daily")
        self.assertEqual(len(self._digests_to(self.colleague)), 1)
        self.assertEqual(len(self._digests_to(self.user)), 1)
        self.assertFalse(self._pending(self.colleague))

    def test_crons_are_shipped(self):
        for xmlid, interval in (
            ("logistics_exception.ir_cron_logistics_exception_digest_hourly", "hours"),
            ("logistics_exception.ir_cron_logistics_exception_digest_daily", "days"),
        ):
            cron = self.env.ref(xmlid)
            self.assertTrue(cron.active)
            self.assertEqual((cron.interval_number, cron.interval_type), (1, interval))

    def test_digest_dates_are_in_the_users_time_zone(self):
        self.user.write({"logistics_exception_digest": "daily", "tz": "Asia/Tokyo"})
        with freeze_time("2026-03-02 09:10:00"):
            self.exception.with_user(self.manager)._notify_logistics_users(
                self.user, "escalated", "Escalated to you."
            )
        self.Item._cron_send_digest("daily")
        # 09:10 UTC is 18:10 in Tokyo.
        self.assertIn("6:10", self._digests_to(self.user).body_html)

    def test_going_back_to_each_event_flushes_what_was_pending(self):
        self.user.logistics_exception_digest = "daily"
        self.exception.with_user(self.manager)._notify_logistics_users(
            self.user, "playbook", "Step 2: call the carrier."
        )
        self.user.logistics_exception_digest = "immediate"
        self.Item._cron_send_digest("hourly")
        self.assertEqual(len(self._digests_to(self.user)), 1)
        self.assertFalse(self._pending(self.user))

    def test_pending_items_of_archived_users_are_dropped_by_the_digest_run(self):
        self.user.logistics_exception_digest = "daily"
        self.colleague.logistics_exception_digest = "daily"
        self.exception.with_user(self.manager)._notify_logistics_users(
            self.user | self.colleague, "escalated", "Escalated to you."
        )
        self.Item._cron_send_digest("daily")
        sent = self.Item.search([("user_id", "=", self.user.id)])
        self.assertTrue(sent.date_sent)
        self.other_exception.with_user(self.manager)._notify_logistics_users(
            self.user | self.colleague, "breached", "The SLA is breached."
        )
        self.user.action_archive()
        # The hourly run serves other users, and still drops the archived
        # user's pending items; the colleague's wait for their daily digest.
        self.Item._cron_send_digest("hourly")
        items = self.Item.with_context(active_test=False).search(
            [("user_id", "=", self.user.id)]
        )
        self.assertEqual(items, sent, "pending items dropped, the sent one kept")
        self.assertEqual(len(self._pending(self.colleague)), 1)

    def test_detection_clearing_tells_the_owner_in_their_way(self):
        self.colleague.logistics_exception_digest = "daily"
        cleared = self._create_exception(user_id=self.user.id)
        to_confirm = self._create_exception(
            category_id=self.category_shortage.id, user_id=self.colleague.id
        )
        self.env["logistics.exception.engine"]._resolve(
            (cleared | to_confirm).sudo(), "The backorder shipped in full."
        )
        self.assertEqual(cleared.state, "resolved")
        notices = self._notices(cleared, self.user.partner_id)
        self.assertIn(f"{cleared.name}: Condition cleared", notices.mapped("subject"))
        # The colleague confirms through an activity, announced in the digest.
        self.assertEqual(to_confirm.activity_ids.user_id, self.colleague)
        self.assertFalse(self._notices(to_confirm, self.colleague.partner_id))
        item = self._pending(self.colleague).filtered(
            lambda i: i.exception_id == to_confirm and i.event == "cleared"
        )
        self.assertEqual(len(item), 1)
        self.assertIn("Confirm the resolution", item.message)

    def test_notifying_many_exceptions_costs_no_query_per_exception(self):
        self.user.logistics_exception_digest = "daily"
        self.colleague.logistics_exception_digest = "hourly"
        users = self.user | self.colleague
        few = self.exception | self.other_exception
        many = few | self.env["logistics.exception"].create(
            [
                {
                    "summary": f"Short pick {index}",
                    "category_id": self.category_delay.id,
                    "team_id": self.team.id,
                }
                for index in range(8)
            ]
        )

        def count(exceptions):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            exceptions.with_user(self.manager)._notify_logistics_users(
                users, "routed", "Routed to the dock team."
            )
            self.env.flush_all()
            return self.cr.sql_log_count - before

        count(few)  # warm the caches
        self.assertEqual(count(many), count(few))
        # Warm-up, ten, two: one item each.
        self.assertEqual(len(self._pending(self.user)), 14)

    # ------------------------------------------------------------------
    # Access
    # ------------------------------------------------------------------
    def test_user_reads_only_their_own_digest_items(self):
        self.user.logistics_exception_digest = "daily"
        self.colleague.logistics_exception_digest = "daily"
        self.exception.with_user(self.manager)._notify_logistics_users(
            self.user | self.colleague, "routed", "Routed to the dock team."
        )
        Item = self.Item.with_user(self.colleague)
        own = Item.search([])
        self.assertEqual(own.user_id, self.colleague)
        other = self._pending(self.user).with_user(self.colleague)
        with self.assertRaises(AccessError):
            other.read(["message"])
        with self.assertRaises(AccessError):
            own.write({"date_sent": "2026-03-02 10:00:00"})
        with self.assertRaises(AccessError):
            own.unlink()

    def test_user_sets_own_digest_preference_not_someone_elses(self):
        self.user.with_user(self.user).write({"logistics_exception_digest": "daily"})
        self.assertEqual(self.user.logistics_exception_digest, "daily")
        with self.assertRaises(AccessError):
            self.colleague.with_user(self.user).write(
                {"logistics_exception_digest": "daily"}
            )
        self.assertEqual(self.colleague.logistics_exception_digest, "immediate")

    def test_user_chooses_the_digest_in_my_preferences(self):
        with Form(
            self.user.with_user(self.user), view="base.view_users_form_simple_modif"
        ) as preferences:
            preferences.logistics_exception_digest = "hourly"
        self.assertEqual(self.user.logistics_exception_digest, "hourly")

    def test_digest_needs_an_email_address(self):
        self.user.email = False
        with self.assertRaises(ValidationError):
            self.user.with_user(self.user).write(
                {"logistics_exception_digest": "hourly"}
            )

    def test_sent_items_are_kept_ninety_days_pending_ones_always(self):
        self.user.logistics_exception_digest = "daily"
        with freeze_time("2026-01-05 08:00:00"):
            self.exception.with_user(self.manager)._notify_logistics_users(
                self.user, "routed", "Routed to the dock team."
            )
            self.Item._cron_send_digest("daily")
            self.exception.with_user(self.manager)._notify_logistics_users(
                self.user, "at_risk", "Respond within the hour."
            )
        items = self.Item.search([("user_id", "=", self.user.id)])
        with freeze_time("2026-03-31 08:00:00"):
            self.Item._gc_sent_items()
        self.assertEqual(len(items.exists()), 2)
        with freeze_time("2026-04-06 08:00:00"):
            self.Item._gc_sent_items()
        self.assertEqual(items.exists().mapped("event"), ["at_risk"])
