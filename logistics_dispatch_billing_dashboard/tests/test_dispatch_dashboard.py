# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.tests import new_test_user, tagged

from odoo.addons.logistics_dispatch_billing.tests.common import DispatchBillingCommon

GROUP_EXCEPTION_USER = "logistics_exception.logistics_exception_group_user"
GROUP_EXCEPTION_MANAGER = "logistics_exception.logistics_exception_group_manager"
NOW = datetime(2026, 3, 6, 12, 0)


@tagged("post_install", "-at_install")
class TestDispatchDashboard(DispatchBillingCommon):
    """Over the last 30 days (to 6 March): job 1 delivered 2 March and
    invoiced 4 March (2 days) with an approved WAIT charge of 45, job 2
    delivered 5 March and not invoiced, a failed job whose exception a posted
    credit note of 30 settles (a dispute), and a credit note of 99 on an
    exception without job (no dispute)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.finance = new_test_user(
            cls.env,
            login="disp_dash_finance",
            groups="base.group_user,account.group_account_manager,"
            + GROUP_EXCEPTION_MANAGER,
        )
        cls.clerk = new_test_user(
            cls.env,
            login="disp_dash_clerk",
            groups="base.group_user,account.group_account_invoice,"
            + GROUP_EXCEPTION_USER,
        )
        cls.warehouse_lead = new_test_user(
            cls.env,
            login="disp_dash_lead",
            groups="base.group_user," + GROUP_EXCEPTION_USER,
        )
        with freeze_time(datetime(2026, 3, 2, 10, 0)):
            cls.job1 = cls._deliver(cls._job_of(cls._confirmed_order()))
        with freeze_time(datetime(2026, 3, 5, 10, 0)):
            cls.job2 = cls._deliver(cls._job_of(cls._confirmed_order()))
            cls.failed = cls._planned_job()
            cls.failed.with_user(cls.driver).action_start()
            cls.failed._fail(cls.reason_not_home)
        cls.job1.date_invoiced = datetime(2026, 3, 4, 10, 0)
        cls.env["logistics.dispatch.charge"].create(
            {
                "job_id": cls.job1.id,
                "accessorial_type_id": cls.wait.id,
                "product_id": cls.wait.product_id.id,
                "name": "Waiting",
                "quantity": 45,
                "price_unit": 1.0,
                "state": "approved",
            }
        )
        cls.job_exception = cls.failed.exception_ids
        cls.other_exception = cls.env["logistics.exception"].create(
            {
                "summary": "Damaged pallet",
                "category_id": cls.job_exception.category_id.id,
                "partner_id": cls.customer.id,
            }
        )
        cls.dispute = cls._credit_note(cls.job_exception, 30.0)
        cls._credit_note(cls.other_exception, 99.0)

    @classmethod
    def _credit_note(cls, exception, price):
        move = cls.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": cls.customer.id,
                "invoice_date": "2026-03-04",
                "logistics_exception_id": exception.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Goodwill",
                            "quantity": 1,
                            "price_unit": price,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        move.action_post()
        return move

    def _section(self, user, period=30):
        Dashboard = self.env["logistics.exception.dashboard"].with_user(user)
        with freeze_time(NOW):
            data = Dashboard.get_dashboard_data({"period": period})
        if "dispatch" not in data:
            return None
        return {tile["key"]: tile for tile in data["dispatch"]["tiles"]}

    def test_finance_sees_the_dispatch_figures(self):
        tiles = self._section(self.finance)
        self.assertEqual(
            list(tiles),
            [
                "dispatch_unbilled",
                "dispatch_invoice_cycle",
                "dispatch_pod_compliance",
                "dispatch_accessorial_revenue",
                "dispatch_disputes",
                "dispatch_margin",
            ],
        )
        self.assertEqual(tiles["dispatch_unbilled"]["value"], 1)
        self.assertEqual(tiles["dispatch_unbilled"]["segments"][0]["value"], 80.0)
        self.assertEqual(tiles["dispatch_invoice_cycle"]["value"], 2.0)
        self.assertEqual(tiles["dispatch_pod_compliance"]["value"], 100.0)
        self.assertEqual(tiles["dispatch_accessorial_revenue"]["value"], 45.0)
        # 2 x 80 of service + 45 of waiting, no subcontracting.
        self.assertEqual(tiles["dispatch_margin"]["value"], 205.0)
        margin = {s["key"]: s["value"] for s in tiles["dispatch_margin"]["segments"]}
        self.assertEqual(margin, {"per_job": 102.5, "revenue": 205.0, "cost": 0.0})

    def test_disputes_count_credit_notes_of_job_exceptions_only(self):
        tile = self._section(self.finance)["dispatch_disputes"]
        self.assertEqual(tile["value"], 1)
        self.assertEqual(tile["segments"][0]["value"], 30.0)
        action = tile["action"]
        self.assertEqual(action["res_model"], "account.move")
        self.assertEqual(
            self.env["account.move"].search(action["domain"]), self.dispute
        )
        # Out of a 1-day window (the credit notes are of 4 March).
        self.assertEqual(
            self._section(self.finance, period=1)["dispatch_disputes"]["value"], 0
        )

    def test_tiles_open_the_jobs_behind_their_number(self):
        tiles = self._section(self.finance)
        action = tiles["dispatch_unbilled"]["action"]
        self.assertEqual(action["res_model"], "logistics.dispatch.job.report")
        rows = (
            self.env[action["res_model"]]
            .with_user(self.finance)
            .search(action["domain"])
        )
        self.assertEqual(rows.job_id, self.job2)

    def test_disputes_count_only_exceptions_the_user_may_read(self):
        """A clerk who is no member of the exception's team does not read it:
        its credit note is no dispute of theirs; the jobs' figures stay."""
        tiles = self._section(self.clerk)
        self.assertEqual(tiles["dispatch_disputes"]["value"], 0)
        self.assertEqual(tiles["dispatch_unbilled"]["value"], 1)

    def test_section_costs_the_same_queries_for_more_jobs(self):
        Dashboard = self.env["logistics.exception.dashboard"].with_user(self.finance)

        def count_queries():
            before = self.env.cr.sql_log_count
            with freeze_time(NOW):
                Dashboard._get_dispatch_section(Dashboard._parse_filters({}))
            return self.env.cr.sql_log_count - before

        count_queries()  # warm the caches of the user and the rules
        few = count_queries()
        for _i in range(4):
            with freeze_time(datetime(2026, 3, 3, 10, 0)):
                self._deliver(self._job_of(self._confirmed_order()))
        self.env.invalidate_all()
        count_queries()
        self.assertEqual(count_queries(), few)

    def test_users_without_billing_rights_get_no_dispatch_section(self):
        self.assertIsNone(self._section(self.warehouse_lead))
