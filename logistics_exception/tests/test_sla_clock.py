from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError

from ..models.res_company import SHIPPED_POLICIES, SHIPPED_TEAMS
from .common import LogisticsExceptionCommon


class TestSlaClocks(LogisticsExceptionCommon):
    """Two clocks over working hours, pauses, the most specific policy, and
    deadlines that follow their configuration but never a closed verdict.

    The dock calendar works Monday to Friday, 08-12 and 13-17 UTC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Policy = cls.env["logistics.exception.sla.policy"]
        cls.policy = Policy.create(
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
            {"name": "Everything else", "sequence": 50, "resolution_hours": 16}
        )
        cls.holiday = cls.env["resource.calendar.leaves"].create(
            {
                "name": "Bank holiday",
                "calendar_id": cls.calendar.id,
                "date_from": "2026-03-09 00:00:00",
                "date_to": "2026-03-09 23:59:59",
            }
        )

    def _shortage(self, **values):
        return self._create_exception(
            category_id=self.category_shortage.id,
            user_id=self.user.id,
            root_cause_id=self.root_cause_shortage.id,
            **values,
        )

    def test_two_clocks_over_a_weekend_a_holiday_and_two_pauses(self):
        # Friday 15:00. Response: 2 h, Friday 17:00. Resolution: 8 h, over the
        # weekend and the Monday holiday: Friday 2 h + Tuesday 6 h.
        with freeze_time("2026-03-06 15:00:00"):
            exception = self._shortage()
            self.assertEqual(exception.sla_response_status, "on_track")
        self.assertEqual(str(exception.sla_response_deadline), "2026-03-06 17:00:00")
        self.assertEqual(str(exception.sla_deadline), "2026-03-10 15:00:00")
        with freeze_time("2026-03-06 16:00:00"):
            exception.with_user(self.user).action_start()
        self.assertEqual(exception.sla_response_status, "met")
        # First pause: Friday 16:30 to Tuesday 09:00 is 1.5 working hours.
        with freeze_time("2026-03-06 16:30:00"):
            exception.with_user(self.user).action_wait()
            self.assertEqual(exception.sla_status, "paused")
            self.assertEqual(str(exception.sla_paused_since), "2026-03-06 16:30:00")
        with freeze_time("2026-03-10 09:00:00"):
            self.assertFalse(exception.is_overdue)
            exception.with_user(self.user).action_start()
        self.assertFalse(exception.sla_paused_since)
        self.assertAlmostEqual(exception.sla_paused_hours, 1.5)
        self.assertEqual(str(exception.sla_deadline), "2026-03-10 16:30:00")
        # Second pause: Tuesday 10:00 to 14:00 is 3 working hours (lunch).
        with freeze_time("2026-03-10 10:00:00"):
            exception.with_user(self.user).action_wait()
        with freeze_time("2026-03-10 14:00:00"):
            exception.with_user(self.user).action_start()
        self.assertAlmostEqual(exception.sla_paused_hours, 4.5)
        self.assertEqual(str(exception.sla_deadline), "2026-03-11 10:30:00")
        # The warning moved by the same time: 4 h + 4.5 h.
        self.assertEqual(str(exception.sla_warning_date), "2026-03-10 15:30:00")
        with freeze_time("2026-03-11 10:00:00"):
            exception.with_user(self.user).action_resolve()
        self.assertEqual(exception.sla_status, "met")
        self.assertEqual(exception.sla_response_status, "met")
        self.assertFalse(exception.sla_next_check)

    def test_resolving_from_waiting_counts_the_pause(self):
        with freeze_time("2026-03-04 08:00:00"):
            exception = self._shortage()
        with freeze_time("2026-03-04 09:00:00"):
            exception.with_user(self.user).action_wait()
        # Resolved at 18:00, after the 17:00 deadline, but 8 working hours
        # of the day were spent waiting: met.
        with freeze_time("2026-03-05 09:00:00"):
            exception.with_user(self.user).action_resolve()
        self.assertAlmostEqual(exception.sla_paused_hours, 8.0)
        self.assertEqual(str(exception.sla_deadline), "2026-03-05 17:00:00")
        self.assertEqual(exception.sla_status, "met")

    def test_a_reopened_exception_gets_its_resolved_time_back(self):
        with freeze_time("2026-03-04 08:00:00"):
            exception = self._shortage()
        with freeze_time("2026-03-04 10:00:00"):
            exception.with_user(self.user).action_resolve()
        self.assertEqual(exception.sla_status, "met")
        # Reopened the next morning: the 7 working hours it spent resolved
        # are not held against the team: the 6 h left run from 09:00.
        with freeze_time("2026-03-05 09:00:00"):
            exception.with_user(self.manager).action_reopen()
            self.assertEqual(exception.sla_status, "on_track")
        self.assertAlmostEqual(exception.sla_paused_hours, 7.0)
        self.assertEqual(str(exception.sla_deadline), "2026-03-05 16:00:00")

    def test_writing_the_same_state_again_keeps_the_verdict(self):
        with freeze_time("2026-03-04 08:00:00"):
            exception = self._shortage()
        with freeze_time("2026-03-04 10:00:00"):
            exception.with_user(self.user).action_resolve()
        with freeze_time("2026-03-09 10:00:00"):
            exception.with_user(self.user).write({"state": "resolved"})
        self.assertEqual(str(exception.date_resolved), "2026-03-04 10:00:00")
        self.assertEqual(exception.sla_status, "met")

    def test_a_clock_breached_before_the_pause_stays_breached(self):
        with freeze_time("2026-03-04 08:00:00"):
            exception = self._shortage()
        with freeze_time("2026-03-04 17:30:00"):
            self.env["logistics.exception"]._cron_sla()
            self.assertEqual(exception.sla_status, "breached")
            exception.with_user(self.user).action_wait()
        self.assertEqual(exception.sla_status, "breached")

    def test_response_clock_stops_at_the_owners_message_outside_the_team(self):
        with freeze_time("2026-03-04 08:00:00"):
            exception = self._shortage()
        exception.message_subscribe(partner_ids=self.user.partner_id.ids)
        with freeze_time("2026-03-04 08:30:00"):
            # A note, or a message to the team only, is not an answer.
            exception.with_user(self.user).message_post(
                body="Checking the bin",
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
            exception.with_user(self.user).message_post(
                body="Colleagues, any idea?",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
            self.assertFalse(exception.date_first_response)
        exception.message_subscribe(partner_ids=self.customer.ids)
        with freeze_time("2026-03-04 09:00:00"):
            # Another member writing to the customer does not stop it either.
            exception.with_user(self.colleague).message_post(
                body="We are on it",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
            self.assertFalse(exception.date_first_response)
            exception.with_user(self.user).message_post(
                body="Two cartons leave tomorrow morning",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        self.assertEqual(str(exception.date_first_response), "2026-03-04 09:00:00")
        self.assertEqual(exception.sla_response_status, "met")

    def test_the_most_specific_policy_wins_then_the_sequence(self):
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.company.id)], limit=1
        )
        by_team = self.env["logistics.exception.sla.policy"].create(
            {
                "name": "Dock team shortages",
                "sequence": 90,
                "category_ids": [Command.set(self.category_shortage.ids)],
                "team_ids": [Command.set(self.team.ids)],
                "resolution_hours": 4,
            }
        )
        with freeze_time("2026-03-04 08:00:00"):
            exception = self._shortage()
            elsewhere = self._shortage(team_id=False)
        # Two criteria beat one, whatever the sequence.
        self.assertEqual(exception.sla_policy_id, by_team)
        self.assertEqual(str(exception.sla_deadline), "2026-03-04 12:00:00")
        self.assertEqual(elsewhere.sla_policy_id, self.policy)
        by_warehouse = self.env["logistics.exception.sla.policy"].create(
            {
                "name": "Main warehouse, any shortage",
                "sequence": 1,
                "category_ids": [Command.set(self.category_shortage.ids)],
                "warehouse_ids": [Command.set(warehouse.ids)],
                "resolution_hours": 2,
            }
        )
        with freeze_time("2026-03-04 08:00:00"):
            in_warehouse = self._shortage(warehouse_id=warehouse.id)
        # Equally specific: the lower sequence wins.
        self.assertEqual(in_warehouse.sla_policy_id, by_warehouse)

    def test_a_policy_edit_moves_open_deadlines_not_closed_verdicts(self):
        with freeze_time("2026-03-04 08:00:00"):
            open_one = self._shortage()
            done = self._shortage()
        with freeze_time("2026-03-04 14:00:00"):
            done.with_user(self.user).action_resolve()
        self.assertEqual(done.sla_status, "met")
        self.assertEqual(str(done.sla_deadline), "2026-03-04 17:00:00")
        # Four hours instead of eight: the open one must be done by 12:00, the
        # resolved one keeps the deadline and the verdict it was judged on.
        with freeze_time("2026-03-04 14:30:00"):
            self.policy.with_user(self.admin).resolution_hours = 4
        self.assertEqual(str(open_one.sla_deadline), "2026-03-04 12:00:00")
        self.assertEqual(str(done.sla_deadline), "2026-03-04 17:00:00")
        self.assertEqual(done.sla_status, "met")
        self.assertEqual(done.sla_policy_id, self.policy)
        # Archiving the policy hands the open one to the next that matches.
        self.policy.with_user(self.admin).active = False
        self.assertEqual(open_one.sla_policy_id, self.policy_default)
        self.assertEqual(done.sla_policy_id, self.policy)

    def test_a_tier_or_a_holiday_moves_open_deadlines(self):
        strategic = self.env["logistics.exception.sla.policy"].create(
            {
                "name": "Strategic",
                "sequence": 1,
                "customer_tier": "strategic",
                "category_ids": [Command.set(self.category_shortage.ids)],
                "resolution_hours": 2,
            }
        )
        with freeze_time("2026-03-04 08:00:00"):
            exception = self._shortage(partner_id=self.customer.id)
            closed = self._shortage(partner_id=self.customer.id)
            closed.with_user(self.user).action_resolve()
        self.assertEqual(exception.sla_policy_id, self.policy)
        self.customer.logistics_service_tier = "strategic"
        self.assertEqual(exception.sla_policy_id, strategic)
        self.assertEqual(str(exception.sla_deadline), "2026-03-04 10:00:00")
        self.assertEqual(closed.sla_policy_id, self.policy)
        # A public holiday on Wednesday, for every calendar of the company.
        self.customer.logistics_service_tier = "standard"
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Storm closure",
                "date_from": "2026-03-04 00:00:00",
                "date_to": "2026-03-04 23:59:59",
                "company_id": self.company.id,
            }
        )
        self.assertEqual(str(exception.sla_deadline), "2026-03-05 17:00:00")
        self.assertEqual(str(closed.sla_deadline), "2026-03-04 17:00:00")

    def test_many_outdated_exceptions_are_recomputed_in_batches(self):
        with freeze_time("2026-03-04 08:00:00"):
            exceptions = self._shortage() | self._shortage() | self._shortage()
        self.policy.write({"resolution_hours": 4})  # all three at once
        self.assertEqual(
            set(exceptions.mapped("sla_deadline")),
            {exceptions[0].sla_deadline},
        )
        self.policy.flush_recordset()
        self.env.cr.execute(
            "UPDATE logistics_exception_sla_policy SET resolution_hours = 2 "
            "WHERE id = %s",
            (self.policy.id,),
        )
        self.policy.invalidate_recordset()
        Exception_ = self.env["logistics.exception"]
        Exception_._sla_mark_outdated([("id", "in", exceptions.ids)], batch_size=1)
        self.assertEqual(len(exceptions.filtered("sla_outdated")), 2)
        Exception_._cron_sla(batch_size=1)
        self.assertFalse(exceptions.filtered("sla_outdated"))
        self.assertEqual(
            {str(deadline) for deadline in exceptions.mapped("sla_deadline")},
            {"2026-03-04 10:00:00"},
        )

    def test_a_new_company_gets_its_queues_and_sla_ladder(self):
        shipped = self.env["res.company"]._logistics_shipped(
            self.env["logistics.exception.sla.policy"], SHIPPED_POLICIES
        )
        self.assertEqual(len(shipped), len(SHIPPED_POLICIES))
        shipped.active = True
        company = self.env["res.company"].create({"name": "Southern 3PL"})
        teams = self.env["logistics.exception.team"].search(
            [("company_id", "=", company.id)]
        )
        self.assertEqual(len(teams), len(SHIPPED_TEAMS))
        self.assertFalse(teams.member_ids | teams.leader_id)
        self.assertEqual(teams.resource_calendar_id, company.resource_calendar_id)
        policies = self.env["logistics.exception.sla.policy"].search(
            [("company_id", "=", company.id)]
        )
        self.assertEqual(len(policies), len(SHIPPED_POLICIES))
        self.assertTrue(all(len(policy.escalation_ids) == 4 for policy in policies))
        with freeze_time("2026-03-04 08:00:00"):
            exception = self.env["logistics.exception"].create(
                {
                    "summary": "Short pick in the southern warehouse",
                    "category_id": self.category_shortage.id,
                    "company_id": company.id,
                }
            )
        self.assertEqual(exception.team_id.company_id, company)
        self.assertEqual(
            exception.team_id.name,
            self.env.ref("logistics_exception.team_warehouse").name,
        )
        self.assertEqual(exception.sla_policy_id.company_id, company)
        self.assertTrue(exception.sla_deadline and exception.sla_response_deadline)
        # The main company's own queues are untouched.
        self.assertEqual(
            self.category_shortage.with_company(self.company).team_id,
            self.env.ref("logistics_exception.team_warehouse"),
        )

    def test_nobody_writes_the_clocks_by_hand(self):
        with freeze_time("2026-03-04 08:00:00"):
            exception = self._shortage()
        for field_name, value in (
            ("sla_paused_hours", 8.0),
            ("sla_next_check", "2030-01-01 00:00:00"),
            ("sla_response_status", "met"),
        ):
            with self.assertRaisesRegex(UserError, "kept by the system"):
                exception.with_user(self.manager).write({field_name: value})
