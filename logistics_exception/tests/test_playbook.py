from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user

from .common import GROUP_USER, LogisticsExceptionCommon

# A Friday; the next Monday is a public holiday of the team's calendar.
FRIDAY = datetime(2026, 3, 6, 10, 0)


class TestPlaybook(LogisticsExceptionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.claims_desk = cls.env["res.groups"].create(
            {"name": "Claims desk", "users": [Command.set(cls.colleague.ids)]}
        )
        cls.env["resource.calendar.leaves"].create(
            {
                "name": "Spring holiday",
                "calendar_id": cls.calendar.id,
                "date_from": datetime(2026, 3, 9, 0, 0),
                "date_to": datetime(2026, 3, 9, 23, 59),
            }
        )
        cls.todo = cls.env.ref("mail.mail_activity_data_todo")
        cls.playbook = cls._playbook(
            "Late supplier",
            [
                ("Call the supplier", "logistics_owner", 0, True, None),
                ("Approve expediting", "logistics_leader", 2, True, None),
                ("Check the claim", "logistics_group", 1, False, cls.claims_desk),
            ],
        )

    @classmethod
    def _playbook(cls, name, steps):
        return cls.env["mail.activity.plan"].create(
            {
                "name": name,
                "res_model": "logistics.exception",
                "template_ids": [
                    Command.create(
                        {
                            "sequence": index,
                            "activity_type_id": cls.todo.id,
                            "summary": summary,
                            "responsible_type": role,
                            "logistics_delay_days": days,
                            "logistics_required": required,
                            "logistics_group_id": group.id if group else False,
                        }
                    )
                    for index, (summary, role, days, required, group) in enumerate(
                        steps
                    )
                ],
            }
        )

    def _steps(self, exception):
        return (
            self.env["mail.activity"]
            .search(
                [
                    ("res_model", "=", "logistics.exception"),
                    ("res_id", "=", exception.id),
                ]
            )
            .sorted(lambda a: a.logistics_plan_id.id)
        )

    def _step(self, exception, summary):
        return self._steps(exception).filtered(lambda a: a.summary == summary)

    @freeze_time(FRIDAY)
    def test_category_playbook_assigns_roles_with_working_day_deadlines(self):
        self.category_delay.playbook_id = self.playbook
        exception = self._create_exception(user_id=self.user.id)
        self.assertEqual(exception.playbook_ids, self.playbook)
        call = self._step(exception, "Call the supplier")
        approve = self._step(exception, "Approve expediting")
        claim = self._step(exception, "Check the claim")
        self.assertEqual(call.user_id, self.user)
        self.assertEqual(call.date_deadline, date(2026, 3, 6))
        self.assertTrue(call.logistics_required)
        self.assertEqual(approve.user_id, self.manager, "the team leader")
        # Two working days after Friday: Monday is a holiday, so Wednesday.
        self.assertEqual(approve.date_deadline, date(2026, 3, 11))
        self.assertEqual(claim.user_id, self.colleague)
        self.assertEqual(claim.date_deadline, date(2026, 3, 10))
        self.assertFalse(claim.logistics_required)
        note = exception.message_ids.filtered(
            lambda m: "Late supplier" in (m.body or "")
        )
        self.assertEqual(len(note), 1)
        self.assertIn("Approve expediting", note.body)

    @freeze_time(FRIDAY)
    def test_steps_without_an_owner_go_to_whoever_must_act(self):
        self.category_delay.playbook_id = self.playbook
        exception = self._create_exception()
        self.assertFalse(exception.user_id)
        # No owner yet: the team leader takes the owner's step.
        self.assertEqual(
            self._step(exception, "Call the supplier").user_id, self.manager
        )

    @freeze_time(FRIDAY)
    def test_reason_playbook_wins_and_rule_playbook_adds(self):
        reason_playbook = self._playbook(
            "Late receipt",
            [("Book a new dock slot", "logistics_owner", 1, False, None)],
        )
        rule_playbook = self._playbook(
            "Key account", [("Call the customer", "logistics_leader", 0, True, None)]
        )
        self.category_delay.playbook_id = self.playbook
        self.reason_late_receipt.playbook_id = reason_playbook
        self.env["logistics.exception.routing.rule"].create(
            {"name": "Key accounts", "playbook_id": rule_playbook.id}
        )
        exception = self._create_exception(
            reason_id=self.reason_late_receipt.id, user_id=self.user.id
        )
        self.assertEqual(exception.playbook_ids, reason_playbook | rule_playbook)
        self.assertEqual(
            sorted(self._steps(exception).mapped("summary")),
            ["Book a new dock slot", "Call the customer"],
        )

    @freeze_time(FRIDAY)
    def test_a_playbook_is_started_once_per_exception(self):
        self.category_delay.playbook_id = self.playbook
        self.category_shortage.playbook_id = False
        exception = self._create_exception(user_id=self.user.id)
        self.assertEqual(len(self._steps(exception)), 3)
        exception.category_id = self.category_shortage
        exception.category_id = self.category_delay
        exception.severity = "critical"
        self.assertEqual(len(self._steps(exception)), 3)
        self.assertEqual(exception.playbook_ids, self.playbook)

    @freeze_time(FRIDAY)
    def test_open_required_steps_block_resolution_until_done(self):
        self.category_delay.write(
            {"playbook_id": self.playbook.id, "requires_playbook_done": True}
        )
        exception = self._create_exception(user_id=self.user.id)
        as_user = exception.with_user(self.user)
        with self.assertRaises(UserError) as refusal:
            as_user.action_resolve()
        message = str(refusal.exception)
        self.assertIn("Call the supplier (Wendy Warehouse", message)
        self.assertIn("Approve expediting (Mona Manager", message)
        self.assertNotIn("Check the claim", message, "not a required step")
        # A plain write (as over RPC) is refused the same way.
        with self.assertRaisesRegex(UserError, "Approve expediting"):
            as_user.write({"state": "resolved"})
        self.assertEqual(exception.state, "assigned")

        self._step(exception, "Call the supplier").with_user(self.user).action_done()
        with self.assertRaisesRegex(UserError, "Approve expediting") as refusal:
            as_user.action_resolve()
        self.assertNotIn("Call the supplier", str(refusal.exception))
        self._step(exception, "Approve expediting").with_user(
            self.manager
        ).action_feedback(feedback="Approved, express freight")
        as_user.action_resolve()
        self.assertEqual(exception.state, "resolved")

    @freeze_time(FRIDAY)
    def test_categories_not_asking_let_open_steps_be(self):
        self.category_delay.playbook_id = self.playbook
        exception = self._create_exception(user_id=self.user.id)
        exception.with_user(self.user).action_resolve()
        self.assertEqual(exception.state, "resolved")

    @freeze_time(FRIDAY)
    def test_only_managers_cancel_a_required_step(self):
        self.category_delay.playbook_id = self.playbook
        exception = self._create_exception(user_id=self.user.id)
        step = self._step(exception, "Call the supplier")
        with self.assertRaisesRegex(UserError, "mark it done"):
            step.with_user(self.user).unlink()
        self.assertTrue(step.exists())
        # The team leader (a manager) may cancel the step assigned to them.
        leader_step = self._step(exception, "Approve expediting")
        leader_step.with_user(self.manager).unlink()
        self.assertFalse(leader_step.exists())

    @freeze_time(FRIDAY)
    def test_required_step_cannot_be_taken_out_of_its_playbook_by_hand(self):
        """What the view shows read-only is refused over RPC too: a required
        step stays where the resolution check looks for it."""
        self.category_delay.write(
            {"playbook_id": self.playbook.id, "requires_playbook_done": True}
        )
        exception = self._create_exception(user_id=self.user.id)
        other = self._create_exception(user_id=self.user.id)
        step = self._step(exception, "Call the supplier")
        as_user = step.with_user(self.user)
        for vals in (
            {"logistics_required": False},
            {"logistics_plan_id": False},
            {"active": False},
            {"res_id": other.id},
        ):
            with self.assertRaisesRegex(UserError, "only an exception manager"):
                as_user.write(vals)
        self.assertTrue(step.logistics_required)
        self.assertEqual(step.logistics_plan_id, self.playbook)
        self.assertEqual(step.res_id, exception.id)
        # Rescheduling is working the step, not removing it.
        as_user.write({"date_deadline": date(2026, 3, 10), "logistics_required": True})
        with self.assertRaisesRegex(UserError, "Call the supplier"):
            exception.with_user(self.user).action_resolve()
        # An exception manager may take the step out of the playbook.
        step.with_user(self.manager).logistics_required = False
        self.assertFalse(step.logistics_required)

    @freeze_time(FRIDAY)
    def test_done_marker_cannot_be_sent_by_a_client(self):
        self.category_delay.playbook_id = self.playbook
        exception = self._create_exception(user_id=self.user.id)
        step = self._step(exception, "Call the supplier")
        with self.assertRaisesRegex(UserError, "mark it done"):
            step.with_user(self.user).with_context(
                logistics_exception_step_done=True
            ).unlink()
        self.assertTrue(step.exists())

    @freeze_time(FRIDAY)
    def test_required_step_of_a_type_keeping_done_ones_is_archived_when_done(self):
        keep = self.env["mail.activity.type"].create(
            {"name": "Checked step", "res_model": False, "keep_done": True}
        )
        playbook = self._playbook(
            "Checked", [("Count the pallets", "logistics_owner", 0, True, None)]
        )
        # The step's summary follows its type: set both.
        playbook.template_ids.write(
            {"activity_type_id": keep.id, "summary": "Count the pallets"}
        )
        self.category_delay.write(
            {"playbook_id": playbook.id, "requires_playbook_done": True}
        )
        exception = self._create_exception(user_id=self.user.id)
        step = self._step(exception, "Count the pallets")
        self.assertEqual(step.activity_type_id, keep)
        step.with_user(self.user).action_done()
        self.assertFalse(step.active)
        exception.with_user(self.user).action_resolve()
        self.assertEqual(exception.state, "resolved")

    @freeze_time(FRIDAY)
    def test_launching_a_started_playbook_again_is_refused(self):
        exception = self._create_exception(user_id=self.user.id)
        for attempt in range(2):
            wizard = (
                self.env["mail.activity.schedule"]
                .with_user(self.user)
                .with_context(
                    active_model="logistics.exception", active_ids=exception.ids
                )
                .create({"plan_id": self.playbook.id})
            )
            if attempt:
                with self.assertRaisesRegex(
                    UserError,
                    f"Late supplier was already started on exception {exception.name}",
                ):
                    wizard.action_schedule_plan()
            else:
                wizard.action_schedule_plan()
        self.assertEqual(len(self._steps(exception)), 3)

    @freeze_time(FRIDAY)
    def test_group_step_goes_to_a_member_who_works_the_exceptions(self):
        """Only active internal users of the exception's company who are
        logistics exception users take a group's step; else whoever must
        act on the exception."""
        foreign_worker = new_test_user(
            self.env,
            login="lex_test_north_worker",
            groups=f"base.group_user,{GROUP_USER}",
            company_id=self.other_company.id,
            company_ids=[Command.set(self.other_company.ids)],
        )
        worker = new_test_user(
            self.env,
            login="lex_test_claims_worker",
            name="Cleo Claims",
            groups=f"base.group_user,{GROUP_USER}",
            company_id=self.company.id,
        )
        # Longest-standing first: the stock user, who cannot open exceptions.
        self.claims_desk.users = self.stock_only_user | foreign_worker | worker
        exception = self._create_exception(user_id=self.user.id)
        exception._start_playbooks({exception: self.playbook})
        self.assertEqual(self._step(exception, "Check the claim").user_id, worker)
        self.claims_desk.users = self.stock_only_user | foreign_worker
        other = self._create_exception(user_id=self.user.id)
        other._start_playbooks({other: self.playbook})
        self.assertEqual(self._step(other, "Check the claim").user_id, self.user)

    @freeze_time(FRIDAY)
    def test_step_fallback_is_looked_up_once_per_batch(self):
        """On a fresh database (no leader, no owner) every step falls back to
        a manager: found with one search for the batch, not one per step."""
        leaderless = self.env["logistics.exception.team"].create(
            {"name": "New queue", "company_id": self.company.id}
        )
        playbook = self._playbook(
            "Four steps",
            [(f"Step {n}", "logistics_owner", n, True, None) for n in range(4)],
        )
        counts = []
        for size in (5, 30):
            exceptions = (
                self.env["logistics.exception"]
                .with_context(logistics_exception_routing=True)
                .create(
                    [
                        {
                            "summary": f"bulk {index}",
                            "category_id": self.category_delay.id,
                            "team_id": leaderless.id,
                            "company_id": self.company.id,
                        }
                        for index in range(size)
                    ]
                )
            )
            fallback = exceptions[0]._get_responsible_users()[exceptions[0]]
            # As the person who takes the steps: nobody else to email.
            exceptions = exceptions.with_user(fallback).sudo()
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            exceptions._start_playbooks({e: playbook for e in exceptions})
            self.env.flush_all()
            counts.append(self.env.cr.sql_log_count - before)
            self.assertEqual(
                len(self._steps(exceptions[-1]).filtered("logistics_required")), 4
            )
        # 25 more exceptions, 100 more steps: not 100 more searches.
        self.assertLessEqual(counts[1], counts[0] + 25, counts)

    @freeze_time(FRIDAY)
    def test_launching_a_playbook_by_hand_uses_working_days(self):
        exception = self._create_exception(user_id=self.user.id)
        wizard = (
            self.env["mail.activity.schedule"]
            .with_user(self.user)
            .with_context(active_model="logistics.exception", active_ids=exception.ids)
            .create({"plan_id": self.playbook.id})
        )
        wizard.action_schedule_plan()
        self.assertEqual(exception.playbook_ids, self.playbook)
        self.assertEqual(
            self._step(exception, "Approve expediting").date_deadline,
            date(2026, 3, 11),
        )

    def test_logistics_roles_are_for_exception_playbooks(self):
        with self.assertRaises(ValidationError):
            self.env["mail.activity.plan"].create(
                {
                    "name": "Partner follow-up",
                    "res_model": "res.partner",
                    "template_ids": [
                        Command.create(
                            {
                                "activity_type_id": self.todo.id,
                                "responsible_type": "logistics_owner",
                            }
                        )
                    ],
                }
            )
        with self.assertRaises(ValidationError):
            self._playbook("No group", [("Step", "logistics_group", 0, False, None)])

    def test_admins_edit_exception_playbooks_only(self):
        plan = (
            self.env["mail.activity.plan"]
            .with_user(self.admin)
            .create({"name": "Admin playbook", "res_model": "logistics.exception"})
        )
        plan.with_user(self.admin).name = "Renamed"
        partner_plan = self.env["mail.activity.plan"].create(
            {"name": "Partner plan", "res_model": "res.partner"}
        )
        with self.assertRaises(AccessError):
            partner_plan.with_user(self.admin).name = "Hijacked"
        with self.assertRaises(AccessError):
            plan.with_user(self.manager).name = "Manager's"

    def test_shipped_damaged_goods_playbook(self):
        playbook = self.env.ref("logistics_exception.playbook_damaged_goods")
        # Linked on a fresh database (noupdate data: an upgraded database keeps
        # its categories as they were).
        self.category_damage.playbook_id = playbook
        exception = self._create_exception(
            category_id=self.category_damage.id, user_id=self.user.id
        )
        steps = self._steps(exception)
        self.assertEqual(
            steps.filtered("logistics_required").mapped("summary"),
            [
                "Photograph the damage and attach the photos",
                "Quarantine the damaged units",
            ],
        )
        self.assertEqual(
            self._step(exception, "Claim with the carrier or supplier").user_id,
            self.manager,
        )
