import threading
from datetime import timedelta

from freezegun import freeze_time

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged

from .common import LogisticsExceptionCommon

LADDER = [
    {
        "name": "Nobody answered",
        "trigger": "response_breached",
        "notify_leader": True,
    },
    {"name": "At risk", "trigger": "at_risk", "notify_owner": True},
    {
        "name": "Breached",
        "trigger": "breached",
        "notify_leader": True,
        "raise_priority": True,
    },
    {
        "name": "Two hours late",
        "trigger": "overdue",
        "delay_hours": 2,
        "reassign": True,
    },
]


def escalation_notes(exception):
    return exception.message_ids.filtered(
        lambda m: "SLA escalation" in (m.body or "")
    ).sorted("id")


class TestSlaEscalation(LogisticsExceptionCommon):
    """The ladder of a policy, climbed once per level, in order.

    The dock calendar works Monday to Friday, 08-12 and 13-17 UTC. A shortage
    detected Wednesday 08:00 must be answered by 10:00, is at risk from 12:00
    (half the time), breached at 17:00 and two working hours late on Thursday
    at 10:00."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team.escalation_user_id = cls.admin
        cls.policy = cls.env["logistics.exception.sla.policy"].create(
            {
                "name": "Shortages",
                "category_ids": [Command.set(cls.category_shortage.ids)],
                "response_hours": 2,
                "resolution_hours": 8,
                "warning_percent": 50,
                "escalation_ids": [Command.create(level) for level in LADDER],
            }
        )
        cls.Exception = cls.env["logistics.exception"]

    def _shortage(self, **values):
        values.setdefault("user_id", self.user.id)
        return self._create_exception(category_id=self.category_shortage.id, **values)

    def _run(self, moment):
        with freeze_time(moment):
            self.Exception._cron_sla()
            self.Exception._cron_sla()  # run twice: nothing happens twice

    def test_every_level_once_in_order(self):
        with freeze_time("2026-03-04 08:00:00"):
            exception = self._shortage()
            answered = self._shortage()
        self.assertEqual(str(exception.sla_next_check), "2026-03-04 10:00:00")
        with freeze_time("2026-03-04 09:00:00"):
            answered.with_user(self.user).action_start()
            self.Exception._cron_sla()
        self.assertFalse(escalation_notes(exception))

        self._run("2026-03-04 10:30:00")
        self.assertEqual(exception.escalation_level, 1)
        self.assertEqual(exception.sla_response_status, "breached")
        self.assertIn(self.manager.partner_id, exception.message_partner_ids)
        # The answered one skips the response level without a word.
        self.assertEqual(answered.escalation_level, 0)
        self.assertFalse(escalation_notes(answered))

        self._run("2026-03-04 12:30:00")
        self.assertEqual(exception.sla_status, "at_risk")
        self.assertEqual(exception.escalation_level, 2)
        # The answered one went through "at risk" only.
        self.assertEqual(answered.escalation_level, 1)
        self.assertEqual(answered.sla_escalation_done_ids.mapped("name"), ["At risk"])
        activity = exception.activity_ids.filtered(
            lambda a: (
                a.activity_type_id
                == self.env.ref("logistics_exception.mail_activity_type_sla_escalation")
            )
        )
        self.assertEqual(activity.user_id, self.user)

        priority = int(exception.priority)
        # Thursday 10:30: breached and two hours late at once, in order.
        self._run("2026-03-05 10:30:00")
        self.assertEqual(exception.sla_status, "breached")
        self.assertEqual(exception.escalation_level, 4)
        self.assertEqual(int(exception.priority), min(3, priority + 1))
        self.assertTrue(exception.priority_locked)
        self.assertEqual(exception.user_id, self.admin)
        # Four levels, each written once, in the order of the ladder (the
        # last two in one note: they fell due in the same run).
        notes = escalation_notes(exception)
        self.assertEqual(len(notes), 3)
        text = " ".join(notes.mapped("body"))
        positions = [text.index(f"SLA escalation: {level['name']}") for level in LADDER]
        self.assertEqual(positions, sorted(positions))
        self.assertEqual(text.count("SLA escalation"), 4)
        self.assertIn(self.admin.name, notes[-1].body)
        self.assertFalse(exception.sla_next_check)
        self._run("2026-03-09 10:30:00")
        self.assertEqual(len(escalation_notes(exception)), 3)

    def test_editing_the_ladder_neither_repeats_nor_skips_a_level(self):
        with freeze_time("2026-03-04 08:00:00"):
            exception = self._shortage()
        self._run("2026-03-04 12:30:00")
        self.assertEqual(
            exception.sla_escalation_done_ids.mapped("name"),
            ["Nobody answered", "At risk"],
        )
        ladder = self.policy.escalation_ids
        # A level added before those passed is not applied afterwards; the
        # "at risk" level deleted does not make the exception skip "breached".
        self.policy.write(
            {
                "escalation_ids": [
                    Command.create(
                        {
                            "name": "Raise early",
                            "trigger": "response_breached",
                            "delay_hours": 1,
                            "raise_priority": True,
                        }
                    )
                ]
            }
        )
        self.assertEqual(
            self.policy.escalation_ids.sorted().mapped("name")[:3],
            ["Nobody answered", "Raise early", "At risk"],
        )
        ladder.filtered(lambda level: level.name == "At risk").unlink()
        self.assertEqual(
            exception._get_next_escalation_level().name,
            "Breached",
        )
        self._run("2026-03-04 17:30:00")
        text = " ".join(escalation_notes(exception).mapped("body"))
        self.assertEqual(text.count("SLA escalation: Breached"), 1)
        self.assertNotIn("Raise early", text)
        # The database itself refuses the same level twice.
        breached = self.policy.escalation_ids.filtered(lambda l: l.name == "Breached")
        with self.assertRaises(Exception), self.env.cr.savepoint():  # noqa: B017
            self.env.cr.execute(
                "INSERT INTO logistics_exception_escalation_done_rel "
                "(exception_id, level_id) VALUES (%s, %s)",
                (exception.id, breached.id),
            )

    def test_an_archived_owner_or_leader_is_passed_over(self):
        with freeze_time("2026-03-04 08:00:00"):
            exception = self._shortage()
        self.user.active = False
        self.manager.active = False
        self._run("2026-03-04 12:30:00")
        activity = exception.activity_ids
        # Owner and leader archived: the escalation contact acts.
        self.assertEqual(activity.user_id, self.admin)

    def test_a_paused_clock_does_not_escalate(self):
        with freeze_time("2026-03-04 08:00:00"):
            exception = self._shortage()
        with freeze_time("2026-03-04 09:00:00"):
            exception.with_user(self.user).action_wait()
        self._run("2026-03-06 10:00:00")
        self.assertEqual(exception.sla_status, "paused")
        self.assertEqual(exception.escalation_level, 0)
        self.assertFalse(exception.sla_next_check)
        with freeze_time("2026-03-09 08:00:00"):
            exception.with_user(self.user).action_start()
        # 1 h used before the pause: at risk after 3 more hours.
        self.assertEqual(str(exception.sla_next_check), "2026-03-09 11:00:00")

    def test_without_owner_or_leader_a_manager_is_asked(self):
        self.team.write({"leader_id": False, "escalation_user_id": False})
        with freeze_time("2026-03-04 08:00:00"):
            exception = self._shortage(user_id=False)
        self._run("2026-03-04 12:30:00")
        activity = exception.activity_ids
        self.assertTrue(activity)
        self.assertTrue(
            activity.user_id.has_group(
                "logistics_exception.logistics_exception_group_manager"
            )
        )

    def test_an_idle_run_reads_two_indexes(self):
        with freeze_time("2026-03-04 08:00:00"):
            self._shortage()
        with freeze_time("2026-03-04 08:30:00"):
            self.Exception._cron_sla()
            with self.assertQueryCount(2):
                self.Exception._cron_sla()

    def test_a_level_must_do_something_and_say_when(self):
        with self.assertRaisesRegex(ValidationError, "does nothing"):
            self.policy.escalation_ids[0].notify_leader = False
        with self.assertRaisesRegex(ValidationError, "how many working hours"):
            self.policy.escalation_ids[-1].delay_hours = 0

    def test_only_admins_edit_the_ladder(self):
        level = self.policy.escalation_ids[0].with_user(self.manager)
        self.assertEqual(level.name, "Nobody answered")
        with self.assertRaises(Exception):  # noqa: B017 - AccessError
            level.name = "Nobody cares"
        self.policy.escalation_ids[0].with_user(self.admin).name = "No answer"


@tagged("post_install", "-at_install")
class TestSlaEscalationConcurrency(TransactionCase):
    """Two workers of the SLA job at the same time never escalate the same
    exception, and each level still happens once. Works on committed data:
    the test's own transaction must hold no row (no common set-up)."""

    def test_two_cursors_at_the_same_time(self):
        registry = self.env.registry
        category = self.env.ref("logistics_exception.category_stock_shortage")
        long_ago = fields.Datetime.now() - timedelta(days=3650)
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            admin = env.ref("base.user_admin")
            team = env["logistics.exception.team"].create(
                {"name": "Race team", "leader_id": admin.id}
            )
            policy = env["logistics.exception.sla.policy"].create(
                {
                    "name": "Race policy",
                    "sequence": -100,
                    "team_ids": [Command.set(team.ids)],
                    "category_ids": [Command.set(category.ids)],
                    "resolution_hours": 1,
                    "escalation_ids": [
                        Command.create(
                            {
                                "name": "Race breached",
                                "trigger": "breached",
                                "notify_leader": True,
                            }
                        )
                    ],
                }
            )
            # Detected ten years ago: due before anything else of the database.
            exceptions = env["logistics.exception"].create(
                [
                    {
                        "summary": f"Race {index}",
                        "category_id": category.id,
                        "team_id": team.id,
                        "user_id": admin.id,
                        "date_detected": long_ago,
                    }
                    for index in range(4)
                ]
            )
            ids = exceptions.ids
            # Two other cursors must see them: committed, deleted at the end.
            cr.commit()  # pylint: disable=invalid-commit
        try:
            with registry.cursor() as cr1, registry.cursor() as cr2:
                env1 = api.Environment(cr1, SUPERUSER_ID, {})
                env2 = api.Environment(cr2, SUPERUSER_ID, {})
                cr2.execute("SET lock_timeout = '10s'")
                # The first worker takes two and holds them (not committed).
                self.assertEqual(env1["logistics.exception"]._sla_process_due(2), 2)
                taken = {}

                def second_worker():
                    cr2.execute(
                        "SELECT id FROM logistics_exception WHERE id IN %s "
                        "AND sla_next_check <= now() at time zone 'utc' "
                        "FOR UPDATE SKIP LOCKED",
                        (tuple(ids),),
                    )
                    taken["ids"] = [row[0] for row in cr2.fetchall()]
                    cr2.rollback()
                    env2.invalidate_all()
                    env2["logistics.exception"]._sla_process_due(2)

                worker = threading.Thread(target=second_worker)
                worker.start()
                worker.join(timeout=30)
                self.assertFalse(worker.is_alive(), "the second worker waited")
                # It skipped the two rows the first one holds.
                self.assertEqual(len(taken["ids"]), 2)
                cr1.commit()
                cr2.commit()
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                env["logistics.exception"]._cron_sla()
                env["logistics.exception"]._cron_sla()
                for exception in env["logistics.exception"].browse(ids):
                    self.assertEqual(exception.escalation_level, 1)
                    self.assertEqual(len(escalation_notes(exception)), 1)
                cr.rollback()
        finally:
            with registry.cursor() as cr:
                cr.execute(
                    "DELETE FROM mail_message WHERE model = 'logistics.exception' "
                    "AND res_id IN %s",
                    (tuple(ids),),
                )
                cr.execute(
                    "DELETE FROM mail_followers WHERE res_model = "
                    "'logistics.exception' AND res_id IN %s",
                    (tuple(ids),),
                )
                cr.execute(
                    "DELETE FROM mail_activity WHERE res_model = "
                    "'logistics.exception' AND res_id IN %s",
                    (tuple(ids),),
                )
                cr.execute(
                    "DELETE FROM logistics_exception WHERE id IN %s", (tuple(ids),)
                )
                cr.execute(
                    "DELETE FROM logistics_exception_sla_policy WHERE id = %s",
                    (policy.id,),
                )
                cr.execute(
                    "DELETE FROM logistics_exception_team WHERE id = %s "
                    "RETURNING alias_id",
                    (team.id,),
                )
                # The team's mail alias goes with it.
                cr.execute(
                    "DELETE FROM mail_alias WHERE id IN %s",
                    (tuple(row[0] for row in cr.fetchall()) or (0,),),
                )
