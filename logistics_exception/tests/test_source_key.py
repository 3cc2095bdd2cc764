import threading
import uuid

import psycopg2
from psycopg2 import errorcodes

from odoo import SUPERUSER_ID, api
from odoo.exceptions import ValidationError
from odoo.tests.common import tagged
from odoo.tools import mute_logger

from .common import LogisticsExceptionCommon


class TestSourceKey(LogisticsExceptionCommon):
    def test_second_open_exception_for_same_event_is_refused(self):
        first = self._create_exception(source_key="picking:42:short")
        with self.assertRaisesRegex(ValidationError, first.name):
            self._create_exception(source_key="picking:42:short")

    def test_database_refuses_duplicate_even_without_python_check(self):
        self._create_exception(source_key="picking:43:short")
        self.env.flush_all()
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.errors.UniqueViolation),
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute(
                """
                INSERT INTO logistics_exception (name, summary, category_id,
                    company_id, state, severity, detected_by, date_detected,
                    source_key, active, is_open)
                VALUES ('LEX/TEST', 'duplicate', %s, %s, 'new', 'low', 'rule',
                    now() at time zone 'UTC', 'picking:43:short', true, true)
                """,
                (self.category_delay.id, self.company.id),
            )

    def test_same_event_may_open_again_once_closed(self):
        first = self._create_exception(source_key="po:7:late", user_id=self.user.id)
        first.action_resolve()
        second = self._create_exception(source_key="po:7:late")
        self.assertTrue(second.is_open)
        # ...but the first cannot be reopened while the second is open.
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            first.action_reopen()
        first.invalidate_recordset()
        self.assertEqual(first.state, "resolved")

    def test_same_key_in_another_company_is_another_event(self):
        first = self._create_exception(source_key="so:9:credit")
        team = self.env["logistics.exception.team"].create(
            {"name": "North Dock", "company_id": self.other_company.id}
        )
        other = self._create_exception(
            source_key="so:9:credit",
            company_id=self.other_company.id,
            team_id=team.id,
        )
        self.assertEqual(other.company_id, self.other_company)
        # In the same company, the same key is the same event: refused.
        with self.assertRaisesRegex(ValidationError, first.name):
            self._create_exception(source_key="so:9:credit")


@tagged("post_install", "-at_install")
class TestSourceKeyConcurrency(LogisticsExceptionCommon):
    """Two transactions detect the same event at the same time: one wins."""

    def test_two_cursors_racing_for_one_event_make_one_exception(self):
        key = f"race:{uuid.uuid4()}"
        vals = {
            "name": "LEX/RACE",
            "summary": "Detected twice at once",
            "category_id": self.category_delay.id,
            "company_id": self.company.id,
            "source_key": key,
            "detected_by": "rule",
        }
        outcome = {}

        def create_in(cr, label):
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            try:
                env["logistics.exception"].create(dict(vals, summary=label))
                env.flush_all()
                outcome[label] = "created"
            except psycopg2.IntegrityError as error:
                outcome[label] = error.pgcode
                cr.rollback()

        registry = self.env.registry
        try:
            with registry.cursor() as cr1, registry.cursor() as cr2:
                create_in(cr1, "first")
                second = threading.Thread(target=create_in, args=(cr2, "second"))
                with mute_logger("odoo.sql_db"):
                    second.start()
                    # The second insert waits on the first transaction's lock.
                    second.join(timeout=2)
                    self.assertTrue(second.is_alive(), "the second insert should wait")
                    cr1.commit()
                    second.join(timeout=30)
                self.assertFalse(second.is_alive())
                cr2.commit()
            self.assertEqual(outcome["first"], "created")
            self.assertEqual(outcome["second"], errorcodes.UNIQUE_VIOLATION)
            with registry.cursor() as cr:
                cr.execute(
                    "SELECT summary FROM logistics_exception WHERE source_key = %s",
                    (key,),
                )
                self.assertEqual(cr.fetchall(), [("first",)])
        finally:
            with registry.cursor() as cr:
                cr.execute(
                    "DELETE FROM logistics_exception WHERE source_key = %s", (key,)
                )
