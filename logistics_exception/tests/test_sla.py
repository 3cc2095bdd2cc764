from freezegun import freeze_time

from odoo import Command

from .common import LogisticsExceptionCommon


class TestSla(LogisticsExceptionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Policy = cls.env["logistics.exception.sla.policy"]
        cls.policy_strategic = Policy.create(
            {
                "name": "Strategic customers",
                "sequence": 1,
                "customer_tier": "strategic",
                "response_hours": 1,
                "resolution_hours": 4,
            }
        )
        cls.policy_shortage = Policy.create(
            {
                "name": "Shortages",
                "sequence": 5,
                "category_ids": [Command.set(cls.category_shortage.ids)],
                "response_hours": 2,
                "resolution_hours": 8,
                "warning_percent": 50,
            }
        )
        cls.policy_default = Policy.create(
            {
                "name": "Everything else",
                "sequence": 50,
                "response_hours": 4,
                "resolution_hours": 16,
            }
        )

    def test_deadline_counts_working_hours_only(self):
        # Friday 15:00 UTC, shifts 08-12 and 13-17 Monday to Friday: 8 working
        # hours run out on Monday 15:00 (2h Friday, 4h + 2h Monday).
        with freeze_time("2026-03-06 15:00:00"):
            exception = self._create_exception(category_id=self.category_shortage.id)
        self.assertEqual(exception.sla_policy_id, self.policy_shortage)
        self.assertEqual(str(exception.sla_response_deadline), "2026-03-06 17:00:00")
        self.assertEqual(str(exception.sla_warning_date), "2026-03-09 10:00:00")
        self.assertEqual(str(exception.sla_deadline), "2026-03-09 15:00:00")

    def test_deadline_skips_public_holidays(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Bank holiday",
                "calendar_id": self.calendar.id,
                "date_from": "2026-03-09 00:00:00",
                "date_to": "2026-03-09 23:59:59",
            }
        )
        with freeze_time("2026-03-06 15:00:00"):
            exception = self._create_exception(category_id=self.category_shortage.id)
        self.assertEqual(str(exception.sla_deadline), "2026-03-10 15:00:00")

    def test_lowest_sequence_matching_policy_wins(self):
        self.customer.logistics_service_tier = "strategic"
        with freeze_time("2026-03-04 09:00:00"):
            exception = self._create_exception(
                category_id=self.category_shortage.id, partner_id=self.customer.id
            )
            other = self._create_exception()
        self.assertEqual(exception.sla_policy_id, self.policy_strategic)
        self.assertEqual(str(exception.sla_deadline), "2026-03-04 14:00:00")
        self.assertEqual(other.sla_policy_id, self.policy_default)

    @freeze_time("2026-03-04 09:00:00")
    def test_min_severity_filters_policies(self):
        self.policy_strategic.active = False
        self.policy_default.min_severity = "high"
        exception = self._create_exception(severity="low")
        self.assertFalse(exception.sla_policy_id)
        self.assertFalse(exception.sla_deadline)
        exception.severity = "critical"
        self.assertEqual(exception.sla_policy_id, self.policy_default)

    def test_status_on_track_at_risk_breached_met(self):
        with freeze_time("2026-03-04 08:00:00"):
            exception = self._create_exception(
                category_id=self.category_shortage.id,
                user_id=self.user.id,
                root_cause_id=self.root_cause_shortage.id,
            )
            self.assertEqual(exception.sla_status, "on_track")
        self.assertEqual(str(exception.sla_deadline), "2026-03-04 17:00:00")
        with freeze_time("2026-03-04 13:30:00"):
            exception.action_start()
            self.assertEqual(exception.sla_status, "at_risk")
            self.assertFalse(exception.is_overdue)
        with freeze_time("2026-03-04 16:00:00"):
            exception.action_resolve()
        self.assertEqual(exception.sla_status, "met")

    def test_unanswered_exception_breaches_at_the_response_deadline(self):
        with freeze_time("2026-03-04 08:00:00"):
            exception = self._create_exception(category_id=self.category_shortage.id)
        with freeze_time("2026-03-04 10:30:00"):
            self.env["logistics.exception"]._cron_sla()
            self.assertEqual(exception.sla_response_status, "breached")
            # The resolution clock has its own status.
            self.assertEqual(exception.sla_status, "on_track")

    def test_resolution_after_deadline_is_missed_and_overdue_is_searchable(self):
        with freeze_time("2026-03-04 08:00:00"):
            exception = self._create_exception(user_id=self.user.id)
        with freeze_time("2026-03-10 08:00:00"):
            self.assertIn(
                exception,
                self.env["logistics.exception"].search([("is_overdue", "=", True)]),
            )
            exception.action_resolve()
            self.assertEqual(exception.sla_status, "missed")
            self.assertNotIn(
                exception,
                self.env["logistics.exception"].search([("is_overdue", "=", True)]),
            )

    def test_team_without_calendar_uses_company_hours(self):
        self.team.resource_calendar_id = False
        with freeze_time("2026-03-04 09:00:00"):
            exception = self._create_exception()
        calendar = self.company.resource_calendar_id
        expected = calendar.plan_hours(16, exception.date_detected, compute_leaves=True)
        self.assertEqual(exception.sla_deadline, expected)

    def test_scheduled_refresh_moves_status_as_the_clock_runs(self):
        with freeze_time("2026-03-04 08:00:00"):
            exception = self._create_exception(category_id=self.category_shortage.id)
            done = self._create_exception(user_id=self.user.id)
            done.action_resolve()
            self.assertEqual(exception.sla_status, "on_track")
        with freeze_time("2026-03-04 09:00:00"):
            exception.action_start()  # answered within the response time
        with freeze_time("2026-03-04 12:30:00"):
            self.env["logistics.exception"]._cron_sla()
            self.assertEqual(exception.sla_status, "at_risk")
        with freeze_time("2026-03-04 17:30:00"):
            self.env["logistics.exception"]._cron_sla()
            self.assertEqual(exception.sla_status, "breached")
            self.assertEqual(done.sla_status, "met")
            # Nothing left to change: the second run reads two indexes.
            with self.assertQueryCount(2):
                self.env["logistics.exception"]._cron_sla()

    @freeze_time("2026-03-04 09:00:00")
    def test_vendor_tier_does_not_count_as_customer_tier(self):
        self.customer.logistics_service_tier = "strategic"
        purchase = self.env["purchase.order"].create({"partner_id": self.customer.id})
        exception = self._create_exception(purchase_id=purchase.id)
        self.assertEqual(exception.partner_id, self.customer)
        self.assertFalse(exception.customer_id)
        self.assertEqual(exception.sla_policy_id, self.policy_default)
        # The same partner as the customer of a sales order: its tier counts.
        sale = self.env["sale.order"].create({"partner_id": self.customer.id})
        as_customer = self._create_exception(sale_id=sale.id)
        self.assertEqual(as_customer.customer_id, self.customer)
        self.assertEqual(as_customer.sla_policy_id, self.policy_strategic)
