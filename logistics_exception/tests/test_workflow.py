from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError

from .common import LogisticsExceptionCommon

ACTIONS = {
    "assigned": "action_assign",
    "in_progress": "action_start",
    "waiting": "action_wait",
    "resolved": "action_resolve",
    "closed": "action_close",
    "cancelled": "action_cancel",
}
# Every (from, action) pair the workflow allows, and the state it leads to.
LEGAL = {
    ("new", "action_assign"): "assigned",
    ("new", "action_start"): "in_progress",
    ("new", "action_cancel"): "cancelled",
    ("assigned", "action_start"): "in_progress",
    ("assigned", "action_wait"): "waiting",
    ("assigned", "action_resolve"): "resolved",
    ("assigned", "action_cancel"): "cancelled",
    ("in_progress", "action_wait"): "waiting",
    ("in_progress", "action_resolve"): "resolved",
    ("in_progress", "action_cancel"): "cancelled",
    ("waiting", "action_start"): "in_progress",
    ("waiting", "action_resolve"): "resolved",
    ("waiting", "action_cancel"): "cancelled",
    ("resolved", "action_close"): "closed",
    ("resolved", "action_reopen"): "assigned",
    ("closed", "action_reopen"): "assigned",
    ("cancelled", "action_reopen"): "new",
}
PATH_TO = {
    "new": [],
    "assigned": ["action_assign"],
    "in_progress": ["action_start"],
    "waiting": ["action_start", "action_wait"],
    "resolved": ["action_start", "action_resolve"],
    "closed": ["action_start", "action_resolve", "action_close"],
    "cancelled": ["action_cancel"],
}
ALL_ACTIONS = sorted(set(ACTIONS.values()) | {"action_reopen"})


class TestWorkflow(LogisticsExceptionCommon):
    def _exception_in(self, state):
        exception = self._create_exception()
        for action in PATH_TO[state]:
            getattr(exception.with_user(self.manager), action)()
        self.assertEqual(exception.state, state)
        return exception

    def test_every_legal_transition_reaches_its_state(self):
        for (source, action), target in LEGAL.items():
            with self.subTest(source=source, action=action):
                exception = self._exception_in(source)
                getattr(exception.with_user(self.manager), action)()
                self.assertEqual(exception.state, target)

    def test_every_illegal_transition_is_refused_and_changes_nothing(self):
        for source in PATH_TO:
            for action in ALL_ACTIONS:
                if (source, action) in LEGAL:
                    continue
                with self.subTest(source=source, action=action):
                    exception = self._exception_in(source)
                    before = exception.read(["state", "user_id", "date_resolved"])
                    with self.assertRaises(UserError):
                        getattr(exception.with_user(self.manager), action)()
                    exception.invalidate_recordset()
                    self.assertEqual(
                        exception.read(["state", "user_id", "date_resolved"]), before
                    )

    def test_kanban_drag_to_an_illegal_column_is_refused(self):
        exception = self._create_exception()
        with self.assertRaises(UserError):
            exception.with_user(self.user).write({"state": "closed"})
        self.assertEqual(exception.state, "new")

    def test_start_without_owner_takes_ownership(self):
        exception = self._create_exception()
        exception.with_user(self.user).action_start()
        self.assertEqual(exception.user_id, self.user)
        self.assertEqual(exception.state, "in_progress")

    def test_setting_an_owner_assigns_a_new_exception(self):
        exception = self._create_exception()
        exception.with_user(self.manager).user_id = self.colleague
        self.assertEqual(exception.state, "assigned")
        created_assigned = self._create_exception(user_id=self.user.id)
        self.assertEqual(created_assigned.state, "assigned")
        self.assertTrue(created_assigned.date_assigned)

    def test_time_stamps_follow_the_lifecycle(self):
        with freeze_time("2026-03-02 08:00:00"):
            exception = self._create_exception()
        with freeze_time("2026-03-02 09:00:00"):
            exception.with_user(self.user).action_assign()
        with freeze_time("2026-03-02 10:30:00"):
            exception.with_user(self.user).action_start()
        with freeze_time("2026-03-02 12:00:00"):
            exception.with_user(self.user).action_wait()
            exception.with_user(self.user).action_start()
        with freeze_time("2026-03-02 14:00:00"):
            exception.with_user(self.user).action_resolve()
        with freeze_time("2026-03-03 09:00:00"):
            exception.with_user(self.user).action_close()
        self.assertEqual(str(exception.date_detected), "2026-03-02 08:00:00")
        self.assertEqual(str(exception.date_assigned), "2026-03-02 09:00:00")
        self.assertEqual(str(exception.date_first_response), "2026-03-02 10:30:00")
        self.assertEqual(str(exception.date_resolved), "2026-03-02 14:00:00")
        self.assertEqual(str(exception.date_closed), "2026-03-03 09:00:00")
        self.assertAlmostEqual(exception.resolution_hours, 6.0)

    def test_reopen_clears_resolution_dates(self):
        exception = self._exception_in("resolved")
        exception.with_user(self.user).action_reopen()
        self.assertEqual(exception.state, "assigned")
        self.assertFalse(exception.date_resolved)
        self.assertFalse(exception.resolution_hours)
        self.assertTrue(exception.is_open)

    def test_reopen_of_unowned_cancelled_exception_goes_back_to_new(self):
        exception = self._create_exception()
        exception.action_cancel()
        exception.with_user(self.user).action_reopen()
        self.assertEqual(exception.state, "new")

    def test_only_managers_reopen_closed_exceptions(self):
        exception = self._exception_in("closed")
        with self.assertRaises(UserError):
            exception.with_user(self.user).action_reopen()
        self.assertEqual(exception.state, "closed")
        exception.with_user(self.manager).action_reopen()
        self.assertEqual(exception.state, "assigned")

    def test_state_changes_are_tracked_in_the_chatter(self):
        # Records created with tracking disabled stay untracked in the
        # transaction: create this one as a person would.
        exception = (
            self.env["logistics.exception"]
            .with_context(tracking_disable=False, mail_notrack=False)
            .with_user(self.user)
            .create({"summary": "Late pallet", "category_id": self.category_delay.id})
        )
        # Tracking is written at commit, one message per transaction.
        exception.env.flush_all()
        exception.env.cr.precommit.run()
        for action in ("action_start", "action_resolve"):
            getattr(exception, action)()
            exception.env.flush_all()
            exception.env.cr.precommit.run()
        exception.invalidate_recordset()
        tracked = exception.sudo().message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "state"
        )
        self.assertEqual(
            sorted(tracked.mapped("new_value_char")), ["In Progress", "Resolved"]
        )

    def test_exceptions_cannot_be_deleted_by_users(self):
        exception = self._create_exception()
        for user in (self.user, self.manager, self.admin):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                exception.with_user(user).unlink()
        self.assertTrue(exception.exists())
        with self.assertRaisesRegex(UserError, "cannot be archived"):
            exception.with_user(self.user).action_archive()
        self.assertTrue(exception.active)
        exception.with_user(self.user).action_cancel()
        exception.with_user(self.user).action_archive()
        self.assertFalse(exception.active)

    def test_system_fields_cannot_be_written_by_hand(self):
        exception = self._create_exception(user_id=self.user.id)
        for vals in (
            {"sla_status": "met"},
            {"date_resolved": "2026-01-01 00:00:00"},
            {"escalation_level": 0},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                exception.with_user(self.manager).write(vals)
        with self.assertRaisesRegex(UserError, "Only exception managers"):
            exception.with_user(self.user).write({"date_detected": "2026-01-01"})
        exception.with_user(self.manager).write({"date_detected": "2026-01-01"})

    def test_billing_hold_cannot_be_dodged_by_cancelling_or_relinking(self):
        order = self.env["sale.order"].create({"partner_id": self.customer.id})
        exception = self._create_exception(
            billing_hold=True, user_id=self.user.id, sale_id=order.id
        )
        with self.assertRaisesRegex(UserError, "holds billing"):
            exception.with_user(self.user).action_cancel()
        with self.assertRaisesRegex(UserError, "holds billing"):
            exception.with_user(self.user).write({"sale_id": False})
        self.assertEqual(exception.state, "assigned")
        self.assertEqual(exception.sale_id, order)
        exception.with_user(self.manager).action_cancel()
        self.assertEqual(exception.state, "cancelled")

    def test_nobody_archives_an_open_exception_and_reopening_restores_it(self):
        exception = self._create_exception()
        with self.assertRaises(UserError):
            exception.with_user(self.manager).action_archive()
        exception.action_cancel()
        exception.with_user(self.manager).action_archive()
        exception.with_user(self.manager).action_reopen()
        self.assertTrue(exception.active)
        self.assertTrue(exception.is_open)

    @freeze_time("2026-03-02 08:00:00")
    def test_detection_date_cannot_be_in_the_future(self):
        with self.assertRaisesRegex(UserError, "in the future"):
            self.env["logistics.exception"].with_user(self.user).create(
                {
                    "summary": "Tomorrow's problem",
                    "category_id": self.category_delay.id,
                    "date_detected": "2026-03-03 08:00:00",
                }
            )
        # An hour ago is accepted.
        exception = (
            self.env["logistics.exception"]
            .with_user(self.user)
            .create(
                {
                    "summary": "This morning's problem",
                    "category_id": self.category_delay.id,
                    "date_detected": "2026-03-02 07:00:00",
                }
            )
        )
        self.assertEqual(str(exception.date_detected), "2026-03-02 07:00:00")

    def test_copy_of_a_detected_exception_is_a_manual_one(self):
        rule = self.env.ref("logistics_exception.rule_scrap")
        detected = self._create_exception(rule_id=rule.id, detected_by="rule")
        copy = detected.with_user(self.manager).copy()
        self.assertFalse(copy.rule_id)
        self.assertEqual(copy.detected_by, "manual")

    def test_only_managers_lift_a_billing_hold(self):
        exception = self._create_exception(billing_hold=True, user_id=self.user.id)
        with self.assertRaisesRegex(UserError, "lift a billing hold"):
            exception.with_user(self.user).write({"billing_hold": False})
        self.assertTrue(exception.billing_hold)
        exception.with_user(self.manager).write({"billing_hold": False})
        self.assertFalse(exception.billing_hold)
