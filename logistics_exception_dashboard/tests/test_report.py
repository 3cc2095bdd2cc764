# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from lxml import etree

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import SQL
from odoo.tools.safe_eval import safe_eval

from odoo.addons.logistics_exception.tests.common import LogisticsExceptionCommon


@tagged("post_install", "-at_install")
class TestExceptionReport(LogisticsExceptionCommon):
    """The analysis counts each exception once and sums its cost lines by
    type, within the user's companies only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Report = cls.env["logistics.exception.report"]
        cls.penalty = cls.env.ref("logistics_exception_dashboard.cost_type_penalty")
        cls.rework = cls.env.ref("logistics_exception_dashboard.cost_type_rework")
        cls.customer.logistics_service_tier = "strategic"
        cls.delay_1 = cls._create_exception(
            summary="Inbound 2 days late", partner_id=cls.customer.id
        )
        cls.delay_2 = cls._create_exception(summary="Inbound 5 days late")
        cls.shortage = cls._create_exception(
            summary="3 cartons short", category_id=cls.category_shortage.id
        )
        cls.other_exception = cls._create_exception(
            summary="Northern dock damage",
            company_id=cls.other_company.id,
            team_id=False,
        )
        cls.ours = cls.delay_1 | cls.delay_2 | cls.shortage
        Cost = cls.env["logistics.exception.cost"]
        Cost.create(
            [
                {
                    "exception_id": cls.delay_1.id,
                    "cost_type_id": cls.penalty.id,
                    "amount": 100.0,
                },
                {
                    "exception_id": cls.delay_1.id,
                    "cost_type_id": cls.rework.id,
                    "amount": 40.0,
                },
                {
                    "exception_id": cls.shortage.id,
                    "cost_type_id": cls.penalty.id,
                    "amount": 60.0,
                },
                {
                    "exception_id": cls.other_exception.id,
                    "cost_type_id": cls.penalty.id,
                    "amount": 999.0,
                },
            ]
        )
        cls.all_exceptions = cls.ours | cls.other_exception

    def _groups(self, report, groupby, measure):
        report.env.flush_all()
        groups = report.read_group(
            [("exception_id", "in", self.all_exceptions.ids)],
            [measure],
            [groupby],
            lazy=False,
        )
        return {
            group[groupby][0]
            if isinstance(group[groupby], tuple)
            else group[groupby]: (group[measure])
            for group in groups
        }

    def test_counts_each_exception_once(self):
        report = self.Report.with_user(self.manager)
        by_category = self._groups(report, "category_id", "nbr")
        self.assertEqual(
            by_category,
            {self.category_delay.id: 2, self.category_shortage.id: 1},
            "Cost lines must not add to the number of exceptions.",
        )

    def test_cost_by_type(self):
        report = self.Report.with_user(self.manager)
        by_type = self._groups(report, "cost_type_id", "amount")
        self.assertEqual(
            by_type,
            {False: 0.0, self.penalty.id: 160.0, self.rework.id: 40.0},
        )
        by_category = self._groups(report, "category_id", "amount")
        self.assertEqual(by_category[self.category_delay.id], 140.0)
        self.assertEqual(by_category[self.category_shortage.id], 60.0)

    def test_cost_lines_carry_the_exception_dimensions(self):
        self.env.flush_all()
        rows = self.Report.with_user(self.manager).search(
            [("exception_id", "=", self.delay_1.id)]
        )
        self.assertEqual(len(rows), 3, "One exception row and two cost rows.")
        self.assertEqual(sum(rows.mapped("nbr")), 1)
        self.assertEqual(set(rows.mapped("team_id")), {self.team})
        self.assertEqual(rows.mapped("customer_id"), self.customer)
        self.assertEqual(set(rows.mapped("customer_tier")), {"strategic"})
        self.assertEqual(
            set(rows.filtered(lambda r: r.row_type == "cost").mapped("cost_type_id")),
            {self.penalty, self.rework},
        )

    def test_other_company_never_appears(self):
        self.env.flush_all()
        report = self.Report.with_user(self.manager)
        self.assertFalse(
            report.search([("exception_id", "=", self.other_exception.id)]),
        )
        self.assertEqual(
            report.search([("exception_id", "in", self.all_exceptions.ids)]).mapped(
                "company_id"
            ),
            self.company,
        )
        by_type = self._groups(report, "cost_type_id", "amount")
        self.assertNotIn(999.0, by_type.values())
        self.assertEqual(sum(by_type.values()), 200.0)
        # Granted both companies but working in one: still only that one.
        self.manager.company_ids |= self.other_company
        report = self.Report.with_user(self.manager).with_context(
            allowed_company_ids=self.company.ids
        )
        self.assertEqual(sum(self._groups(report, "company_id", "nbr").values()), 3)
        # Working in both: both appear, the other company's cost included.
        report = report.with_context(
            allowed_company_ids=(self.company | self.other_company).ids
        )
        self.assertEqual(
            self._groups(report, "company_id", "amount"),
            {self.company.id: 200.0, self.other_company.id: 999.0},
        )

    def test_plain_user_cannot_read_the_analysis(self):
        with self.assertRaises(AccessError):
            self.Report.with_user(self.user).search([])

    def test_age_bucket_and_sla_result(self):
        now = fields.Datetime.now()
        self.delay_2.date_detected = now - timedelta(days=10)
        self.shortage.date_detected = now - timedelta(hours=2)
        self.env.flush_all()
        # Breached now, whatever the clock of the test database says.
        self.env.cr.execute(
            SQL(
                "UPDATE logistics_exception SET sla_status = 'breached' WHERE id = %s",
                self.shortage.id,
            )
        )
        rows = self.Report.search(
            [("exception_id", "in", self.ours.ids), ("row_type", "=", "exception")]
        )
        by_exception = {row.exception_id: row for row in rows}
        self.assertEqual(by_exception[self.delay_2].age_bucket, "7_30d")
        self.assertAlmostEqual(by_exception[self.delay_2].age_days, 10.0, places=1)
        self.assertEqual(by_exception[self.shortage].age_bucket, "0_1d")
        self.assertEqual(by_exception[self.shortage].sla_result, "missed")

    def test_views_open_on_the_count(self):
        """The exceptions' pivot and graph and the analysis measure the number
        of exceptions first, not hours that are empty while they are open."""
        Exception_ = self.env["logistics.exception"].with_user(self.manager)
        views = Exception_.get_views([(False, "pivot"), (False, "graph")])["views"]
        for view_type in ("pivot", "graph"):
            arch = etree.fromstring(views[view_type]["arch"])
            self.assertFalse(arch.xpath("//field[@type='measure']"), view_type)
        action = self.env.ref("logistics_exception.logistics_exception_action_analysis")
        self.assertEqual(
            safe_eval(action.context)["pivot_measures"], ["__count"], action.name
        )
        views = self.Report.with_user(self.manager).get_views(
            [(False, "pivot"), (False, "graph")]
        )["views"]
        for view_type in ("pivot", "graph"):
            arch = etree.fromstring(views[view_type]["arch"])
            self.assertEqual(
                arch.xpath("//field[@type='measure']/@name"), ["nbr"], view_type
            )
