from functools import partial

from odoo import SUPERUSER_ID, api
from odoo.service.model import retrying
from odoo.tests.common import tagged
from odoo.tools import mute_logger

from odoo.addons.logistics_exception.tests.common import CommittedDataCase

from .common import PHOTO

# Notices are queued, not sent, by the test (no mail server).
NO_EMAIL = {"mail_notify_force_send": False}


@tagged("post_install", "-at_install")
class TestScannerConcurrency(CommittedDataCase):
    """Two tabs (or a retry racing the first try) send the same report at the
    same time, each in its own transaction and through Odoo's RPC retry
    (``retrying``): one exception is made, and both get its reference. The
    dock hand has no email address, as many do. Works on committed data,
    removed at the end."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"no_reset_password": True})
            self.user_id = self._create_committed_users(env).id
            self.reason_id = env.ref(
                "logistics_exception.reason_damaged_in_transfer"
            ).id
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["logistics.exception.scanner.submission"].search(
                [("user_id", "=", self.user_id)]
            ).unlink()
            self._purge_exceptions(
                env,
                env["logistics.exception"].search([("create_uid", "=", self.user_id)]),
            )

    def _values(self):
        return {
            "device_uuid": f"{self.token}-device",
            "reason_id": self.reason_id,
            "note": self.token,
            "photos": [{"name": "a.jpg", "mimetype": "image/jpeg", "data": PHOTO}],
        }

    def _race_reports(self, first_commits):
        outcome = {}

        def first(cr):
            env = api.Environment(cr, self.user_id, NO_EMAIL)
            outcome["first"] = env["logistics.exception.scanner"].submit_report(
                self._values()
            )
            env.flush_all()

        def second(cr):
            env = api.Environment(cr, self.user_id, NO_EMAIL)
            scanner = env["logistics.exception.scanner"]
            with mute_logger("odoo.service.model"):
                outcome["second"] = retrying(
                    partial(scanner.submit_report, self._values()), env
                )

        self._race(first, second, first_commits=first_commits)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            outcome["exception_ids"] = (
                env["logistics.exception"]
                .search([("create_uid", "=", self.user_id)])
                .ids
            )
        return outcome

    def test_same_report_sent_twice_at_once_makes_one_exception(self):
        outcome = self._race_reports(first_commits=True)
        self.assertEqual(len(outcome["exception_ids"]), 1)
        self.assertEqual(outcome["first"]["id"], outcome["exception_ids"][0])
        self.assertFalse(outcome["first"]["duplicate"])
        self.assertEqual(outcome["second"]["id"], outcome["first"]["id"])
        self.assertEqual(outcome["second"]["name"], outcome["first"]["name"])
        self.assertTrue(outcome["second"]["duplicate"])

    def test_when_the_first_send_fails_the_second_makes_the_exception(self):
        outcome = self._race_reports(first_commits=False)
        self.assertEqual(len(outcome["exception_ids"]), 1)
        self.assertEqual(outcome["second"]["id"], outcome["exception_ids"][0])
        self.assertFalse(outcome["second"]["duplicate"])
