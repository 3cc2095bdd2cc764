from psycopg2 import errorcodes, errors

from odoo import SUPERUSER_ID, Command, api
from odoo.tests.common import tagged

from .common import CommittedDataCase


@tagged("post_install", "-at_install")
class TestRoutingConcurrency(CommittedDataCase):
    """Two transactions route an exception to the same team at the same time:
    the second waits for the first, fails to serialize, and once retried (as
    Odoo retries RPC calls) picks the other member. Works on committed data,
    removed at the end."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"no_reset_password": True})
            users = self._create_committed_users(env, count=2)
            team = env["logistics.exception.team"].create(
                {"name": self.token, "member_ids": [Command.set(users.ids)]}
            )
            rule = env["logistics.exception.routing.rule"].create(
                {
                    "name": self.token,
                    "sequence": -1000,
                    "domain": f"[('summary', '=like', '{self.token}%')]",
                    "team_id": team.id,
                    "company_id": team.company_id.id,
                }
            )
            self.user_ids, self.team_id, self.rule_id = users.ids, team.id, rule.id
            self.category_id = env.ref("logistics_exception.category_supplier_delay").id
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            self._purge_exceptions(
                env,
                env["logistics.exception"].search(
                    [("summary", "=like", f"{self.token}%")]
                ),
            )
            env["logistics.exception.routing.rule"].browse(self.rule_id).unlink()
            env["logistics.exception.team"].browse(self.team_id).unlink()

    def _race_routing(self, strategy):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["logistics.exception.routing.rule"].browse(
                self.rule_id
            ).owner_strategy = strategy
        outcome = {}

        def route_in(cr, label):
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            exception = env["logistics.exception"].create(
                {
                    "summary": f"{self.token} {label}",
                    "category_id": self.category_id,
                    "detected_by": "rule",
                }
            )
            env.flush_all()
            return exception.user_id.id

        def first(cursor):
            outcome["first"] = route_in(cursor, "first")

        def second(cursor):
            attempts = []
            for _attempt in range(3):
                try:
                    outcome["second"] = route_in(cursor, "second")
                    cursor.commit()
                    break
                except errors.SerializationFailure as error:
                    attempts.append(error.pgcode)
                    cursor.rollback()
                    cursor.reset()
            outcome["failures"] = attempts

        self._race(first, second)
        return outcome

    def test_least_loaded_does_not_pick_the_same_member_twice(self):
        outcome = self._race_routing("least_loaded")
        self.assertEqual(outcome["failures"], [errorcodes.SERIALIZATION_FAILURE])
        self.assertEqual(
            {outcome["first"], outcome["second"]}, set(self.user_ids), outcome
        )

    def test_round_robin_does_not_pick_the_same_member_twice(self):
        outcome = self._race_routing("round_robin")
        self.assertEqual(outcome["failures"], [errorcodes.SERIALIZATION_FAILURE])
        self.assertEqual(
            {outcome["first"], outcome["second"]}, set(self.user_ids), outcome
        )
