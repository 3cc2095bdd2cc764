# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import new_test_user
from odoo.tools import format_amount

from odoo.addons.logistics_exception.tests.common import (
    GROUP_MANAGER,
    LogisticsExceptionCommon,
)


class TestWeeklyDigest(LogisticsExceptionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager.email = "mona@example.com"
        cls.other_team = cls.env["logistics.exception.team"].create(
            {"name": "North Dock", "company_id": cls.other_company.id}
        )
        cls.other_manager = new_test_user(
            cls.env,
            login="lex_test_north_manager",
            name="Nora North",
            email="nora@example.com",
            groups=f"base.group_user,{GROUP_MANAGER}",
            company_id=cls.other_company.id,
            company_ids=[Command.set(cls.other_company.ids)],
        )
        cls.review_category = cls.env.ref(
            "logistics_exception_dashboard.category_process_review"
        )
        cls.cost_type = cls.env.ref("logistics_exception_dashboard.cost_type_penalty")

    def _set_sla_status(self, exception, status):
        """The verdict of the SLA engine (tested in the core), set as is."""
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE logistics_exception SET sla_status = %s WHERE id = %s",
            (status, exception.id),
        )
        exception.invalidate_recordset(["sla_status"])

    def _mail_of(self, user, mails):
        return mails.filtered(lambda mail: user.partner_id in mail.recipient_ids)

    # Midday: a cost line is dated in the creator's time zone, the period in
    # the reader's; around midnight the two days differ.
    @freeze_time("2026-03-11 12:00:00")
    def test_weekly_digest_is_queued_with_figures_breaches_and_reviews(self):
        digest = self.env["logistics.exception.weekly.digest"]
        # The database may hold demo exceptions: compare with what it held.
        before = digest._get_digest_values(self.manager) or {
            "new_count": 0,
            "resolved_count": 0,
            "breached_count": 0,
            "open_count": 0,
        }
        start, end = digest._get_period()
        costs_before = sum(
            self.env["logistics.exception.cost"]
            .search(
                [
                    ("company_id", "=", self.company.id),
                    ("date", ">=", start.date()),
                    ("date", "<=", end.date()),
                ]
            )
            .mapped("amount")
        )
        breached = self._create_exception(summary="Dock door 4 blocked")
        self._set_sla_status(breached, "breached")
        resolved = self._create_exception(
            summary="Label printer jam", user_id=self.user.id
        )
        resolved.action_resolve()
        self._set_sla_status(resolved, "met")
        self._create_exception(
            summary="Old short pick",
            date_detected=fields.Datetime.now() - timedelta(days=10),
        )
        review = self._create_exception(
            summary="Process review: pallets", category_id=self.review_category.id
        )
        self.env["logistics.exception.cost"].create(
            {
                "exception_id": breached.id,
                "cost_type_id": self.cost_type.id,
                "amount": 120.0,
            }
        )
        north = self._create_exception(
            summary="North breach",
            company_id=self.other_company.id,
            team_id=self.other_team.id,
        )
        self._set_sla_status(north, "breached")

        after = digest._get_digest_values(self.manager)
        self.assertEqual(after["new_count"], before["new_count"] + 3)
        self.assertEqual(after["resolved_count"], before["resolved_count"] + 1)
        self.assertEqual(after["breached_count"], before["breached_count"] + 1)
        self.assertEqual(after["open_count"], before["open_count"] + 3)
        self.assertIn(review, after["reviews"])
        self.assertIn(breached, after["breaches"])
        self.assertNotIn(north, after["breaches"])

        mails = digest._cron_send_weekly_digest()

        mail = self._mail_of(self.manager, mails)
        self.assertEqual(len(mail), 1)
        # Queued for the mail queue, not sent within the transaction.
        self.assertEqual(mail.state, "outgoing")
        self.assertIn(
            f"{after['new_count']} new, {after['resolved_count']} resolved, "
            f"{after['breached_count']} breached",
            mail.subject,
        )
        body = str(mail.body_html)
        self.assertIn(breached.name, body)
        self.assertIn("Dock door 4 blocked", body)
        self.assertIn(review.name, body)
        self.assertIn(f"{after['sla_compliance']} %", body)
        # The week's cost: what the database held (demo lines) and the 120.
        self.assertIn(
            format_amount(self.env, costs_before + 120.0, self.company.currency_id),
            body,
        )
        # Another company's figures never appear.
        self.assertNotIn("North breach", body)
        self.assertNotIn(north.name, body)
        # ...they go to that company's manager.
        north_mail = self._mail_of(self.other_manager, mails)
        self.assertIn("North breach", str(north_mail.body_html))
        self.assertNotIn("Dock door 4 blocked", str(north_mail.body_html))
        # Plain users get no weekly digest.
        self.assertFalse(self._mail_of(self.user, mails))

    def test_the_digest_covers_the_last_seven_days(self):
        digest = self.env["logistics.exception.weekly.digest"]
        review = self._create_exception(
            summary="Process review: pallets", category_id=self.review_category.id
        )
        breached = self._create_exception(summary="Dock door 4 blocked")
        self._set_sla_status(breached, "breached")
        self.assertIn(review, digest._get_digest_values(self.manager)["reviews"])
        with freeze_time(fields.Datetime.now() + timedelta(days=8)):
            values = digest._get_digest_values(self.manager)
        # Opened more than a week ago: no longer news; still breached and open.
        self.assertNotIn(review, values["reviews"])
        self.assertIn(breached, values["breaches"])

    def test_manager_may_turn_the_digest_off_in_preferences(self):
        self._create_exception()
        digest = self.env["logistics.exception.weekly.digest"]
        self.assertTrue(self._mail_of(self.manager, digest._cron_send_weekly_digest()))
        self.manager.with_user(self.manager).write(
            {"logistics_exception_weekly_digest": False}
        )
        self.assertFalse(self._mail_of(self.manager, digest._cron_send_weekly_digest()))

    def test_manager_without_email_is_skipped(self):
        self._create_exception()
        self.manager.email = False
        mails = self.env["logistics.exception.weekly.digest"]._cron_send_weekly_digest()
        self.assertFalse(self._mail_of(self.manager, mails))

    def test_nothing_to_tell_sends_nothing(self):
        # The north manager's company has no exception at all.
        mails = self.env["logistics.exception.weekly.digest"]._cron_send_weekly_digest()
        self.assertFalse(self._mail_of(self.other_manager, mails))

    def test_weekly_cron_is_shipped(self):
        cron = self.env.ref(
            "logistics_exception_dashboard.ir_cron_logistics_exception_weekly_digest"
        )
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "weeks"))
        breached = self._create_exception(summary="Seen by the cron")
        self._set_sla_status(breached, "breached")
        before = self.env["mail.mail"].search([]).ids
        cron.method_direct_trigger()
        mail = self._mail_of(
            self.manager, self.env["mail.mail"].search([("id", "not in", before)])
        )
        self.assertIn("Seen by the cron", str(mail.body_html))
