# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import DispatchBillingCommon

PERIOD_START = datetime(2026, 3, 1)
NOW = datetime(2026, 3, 6, 12, 0)


@tagged("post_install", "-at_install")
class TestDispatchFigures(DispatchBillingCommon):
    """Four jobs delivered in March (period from March 1st), one in January,
    one failed; by hand:

    - job 1 delivered 2 Mar 10:00, invoiced 4 Mar 10:00 (2 days), WAIT 45
      approved;
    - job 2 delivered 3 Mar 10:00, invoiced 4 Mar 22:00 (1.5 days),
      subcontracted for 50, a draft (30) and a rejected (10) charge;
    - job 3 delivered 5 Mar 10:00, not invoiced, AFTER_HOURS 20 approved:
      unbilled for 80 + 20;
    - job 4 delivered 5 Mar 12:00 but invoiced 5 Mar 08:00 (an override of
      the gate before delivery): not POD compliant, cycle 0 days;
    - an older job delivered 10 Jan, invoiced 15 Jan (WAIT 15 invoiced):
      outside the period.

    Each order sells the transport service at 80."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Report = cls.env["logistics.dispatch.job.report"]
        cls.subcontractor = cls.env["res.partner"].create({"name": "Sub Carrier"})
        cls.jobs = {}
        for key, delivered in (
            ("old", datetime(2026, 1, 10, 10, 0)),
            ("job1", datetime(2026, 3, 2, 10, 0)),
            ("job2", datetime(2026, 3, 3, 10, 0)),
            ("job3", datetime(2026, 3, 5, 10, 0)),
            ("job4", datetime(2026, 3, 5, 12, 0)),
        ):
            with freeze_time(delivered):
                job = cls._job_of(cls._confirmed_order())
                cls._deliver(job, arrival=delivered, minutes=10)
            cls.jobs[key] = job
        cls.jobs["old"].date_invoiced = datetime(2026, 1, 15, 10, 0)
        cls.jobs["job1"].date_invoiced = datetime(2026, 3, 4, 10, 0)
        cls.jobs["job2"].date_invoiced = datetime(2026, 3, 4, 22, 0)
        cls.jobs["job4"].date_invoiced = datetime(2026, 3, 5, 8, 0)
        with freeze_time(datetime(2026, 3, 5, 9, 0)):
            cls.failed = cls._planned_job()
            cls.failed.with_user(cls.driver).action_start()
            cls.failed._fail(cls.reason_not_home)
        cls._charge(cls.jobs["job1"], cls.wait, 45, "approved")
        cls._charge(cls.jobs["job2"], cls.wait, 30, "draft")
        cls._charge(cls.jobs["job2"], cls.after_hours, 10, "rejected")
        cls._charge(cls.jobs["job3"], cls.after_hours, 20, "approved")
        cls._charge(cls.jobs["old"], cls.wait, 15, "invoiced")
        purchase = cls.env["purchase.order"].create(
            {
                "partner_id": cls.subcontractor.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": cls.transport.id,
                            "product_qty": 1,
                            "price_unit": 50.0,
                        }
                    )
                ],
            }
        )
        cls.jobs["job2"].write(
            {
                "subcontractor_id": cls.subcontractor.id,
                "purchase_line_id": purchase.order_line.id,
            }
        )

    @classmethod
    def _charge(cls, job, accessorial_type, amount, state):
        return cls.env["logistics.dispatch.charge"].create(
            {
                "job_id": job.id,
                "accessorial_type_id": accessorial_type.id,
                "product_id": accessorial_type.product_id.id or cls.transport.id,
                "name": accessorial_type.name,
                "quantity": 1,
                "price_unit": amount,
                "state": state,
            }
        )

    def _figures(self, user=None):
        report = self.Report.with_user(user) if user else self.Report
        with freeze_time(NOW):
            return report._get_dispatch_figures(PERIOD_START)

    def test_invoice_cycle_is_the_mean_days_of_the_jobs_invoiced_in_the_period(self):
        figure = self._figures()["invoice_cycle"]
        # (2 + 1.5 + 0) / 3
        self.assertEqual(figure["count"], 3)
        self.assertEqual(figure["value"], 1.2)
        jobs = self.Report.search(figure["domain"]).job_id
        self.assertEqual(
            jobs, self.jobs["job1"] | self.jobs["job2"] | self.jobs["job4"]
        )

    def test_unbilled_counts_delivered_jobs_without_invoice_with_their_value(self):
        figure = self._figures()["unbilled"]
        self.assertEqual(figure["count"], 1)
        # The service (80) and the approved after-hours charge (20).
        self.assertEqual(figure["value"], 100.0)
        self.assertEqual(self.Report.search(figure["domain"]).job_id, self.jobs["job3"])

    def test_pod_compliance_leaves_out_jobs_invoiced_before_delivery(self):
        figure = self._figures()["pod_compliance"]
        self.assertEqual((figure["compliant"], figure["count"]), (3, 4))
        self.assertEqual(figure["value"], 75.0)
        self.assertEqual(
            self.Report.search(figure["compliant_domain"]).job_id,
            self.jobs["job1"] | self.jobs["job2"] | self.jobs["job3"],
        )

    def test_pod_without_signature_is_not_compliant(self):
        self.env["ir.attachment"].search(
            [
                ("res_model", "=", "logistics.dispatch.job"),
                ("res_field", "=", "pod_signature"),
                ("res_id", "=", self.jobs["job1"].id),
            ]
        ).unlink()
        figure = self._figures()["pod_compliance"]
        self.assertEqual((figure["compliant"], figure["count"]), (2, 4))

    def test_accessorial_revenue_sums_approved_and_invoiced_charges(self):
        figure = self._figures()["accessorial_revenue"]
        # job 1's 45 and job 3's 20; the draft and rejected charges of job 2
        # and the old job's invoiced 15 (delivered in January) do not count.
        self.assertEqual(figure["value"], 65.0)
        self.assertEqual(
            self.Report.search(figure["domain"]).job_id,
            self.jobs["job1"] | self.jobs["job3"],
        )
        with freeze_time(NOW):
            january = self.Report._get_dispatch_figures(
                datetime(2026, 1, 1), datetime(2026, 2, 1)
            )
        self.assertEqual(january["accessorial_revenue"]["value"], 15.0)
        self.assertEqual(january["invoice_cycle"]["value"], 5.0)

    def test_margin_is_revenue_minus_subcontract_cost(self):
        figure = self._figures()["margin"]
        # 4 x 80 of service + 65 of charges, minus job 2's purchase of 50.
        self.assertEqual(figure["revenue"], 385.0)
        self.assertEqual(figure["cost"], 50.0)
        self.assertEqual(figure["value"], 335.0)
        self.assertEqual(figure["per_job"], 83.75)
        row = self.Report.search([("job_id", "=", self.jobs["job2"].id)])
        self.assertEqual(
            (row.service_revenue, row.charge_revenue, row.subcontract_cost),
            (80.0, 0.0, 50.0),
        )
        self.assertEqual(row.margin, 30.0)

    def test_failed_job_earns_nothing_and_cancelled_purchase_costs_nothing(self):
        row = self.Report.search([("job_id", "=", self.failed.id)])
        self.assertEqual((row.state, row.revenue), ("failed", 0.0))
        self.jobs["job2"].purchase_line_id.order_id.button_cancel()
        self.assertEqual(self._figures()["margin"]["cost"], 0.0)

    def test_charge_lines_on_the_order_are_not_counted_as_service(self):
        """An approved charge billed through a line of the order (even of
        the transport product) counts once, as a charge."""
        order = self.jobs["job3"].sale_id
        line = self.env["sale.order.line"].create(
            {
                "order_id": order.id,
                "product_id": self.transport.id,
                "product_uom_qty": 1,
                "price_unit": 20.0,
            }
        )
        self.jobs["job3"].charge_ids.sale_line_id = line
        self.env.flush_all()
        row = self.Report.search([("job_id", "=", self.jobs["job3"].id)])
        self.assertEqual((row.service_revenue, row.charge_revenue), (80.0, 20.0))

    def test_figures_follow_the_user_companies_and_rights(self):
        self.env["logistics.dispatch.job"].create(
            {
                "company_id": self.company_b.id,
                "partner_id": self.customer.id,
                "state": "delivered",
                "date_delivered": datetime(2026, 3, 4, 10, 0),
            }
        )
        self.assertEqual(self._figures(self.billing)["unbilled"]["count"], 1)
        billing_b = new_test_user(
            self.env,
            login="disp_billing_both",
            groups="base.group_user,account.group_account_invoice",
            company_ids=[Command.set((self.company | self.company_b).ids)],
        )
        both = self.Report.with_user(billing_b).with_context(
            allowed_company_ids=(self.company | self.company_b).ids
        )
        with freeze_time(NOW):
            self.assertEqual(
                both._get_dispatch_figures(PERIOD_START)["unbilled"]["count"], 2
            )
            self.assertEqual(
                both._get_dispatch_figures(PERIOD_START, company_ids=self.company.ids)[
                    "unbilled"
                ]["count"],
                1,
            )
        for user in (self.driver, self.dispatcher):
            with self.assertRaises(AccessError):
                self._figures(user)

    def test_amounts_of_an_order_in_another_currency_are_converted(self):
        """An order sold in EUR at 2 EUR per USD: its service of 160 EUR is 80
        in the company's currency; a subcontract bought in EUR at 100 EUR
        costs 50."""
        eur = self.env.ref("base.EUR")
        eur.active = True
        self.env["res.currency.rate"].create(
            {"currency_id": eur.id, "name": "2026-01-01", "rate": 2.0}
        )
        self.env["res.currency.rate"].search(
            [("currency_id", "=", self.company.currency_id.id)]
        ).unlink()
        pricelist = self.env["product.pricelist"].create(
            {"name": "Euro prices", "currency_id": eur.id}
        )
        with freeze_time(datetime(2026, 3, 2, 10, 0)):
            order = self.env["sale.order"].create(
                {
                    "partner_id": self.customer.id,
                    "pricelist_id": pricelist.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.transport.id,
                                "product_uom_qty": 1,
                                "price_unit": 160.0,
                            }
                        )
                    ],
                }
            )
            order.action_confirm()
            job = self._create_job(
                sale_id=order.id, service_product_id=self.transport.id
            )
            self._deliver(job)
            purchase = self.env["purchase.order"].create(
                {
                    "partner_id": self.subcontractor.id,
                    "currency_id": eur.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.transport.id,
                                "product_qty": 1,
                                "price_unit": 100.0,
                            }
                        )
                    ],
                }
            )
        job.purchase_line_id = purchase.order_line
        self.env.flush_all()
        row = self.Report.search([("job_id", "=", job.id)])
        self.assertEqual(row.currency_id, self.company.currency_id)
        self.assertAlmostEqual(row.service_revenue, 80.0)
        self.assertAlmostEqual(row.subcontract_cost, 50.0)
        self.assertAlmostEqual(row.margin, 30.0)

    def test_figures_of_one_warehouse(self):
        warehouse = self.jobs["job3"].picking_id.picking_type_id.warehouse_id
        other = self.env["stock.warehouse"].create({"name": "Second", "code": "WH2"})
        row = self.Report.search([("job_id", "=", self.jobs["job3"].id)])
        self.assertEqual(row.warehouse_id, warehouse)
        with freeze_time(NOW):
            mine = self.Report._get_dispatch_figures(
                PERIOD_START, warehouse_id=warehouse.id
            )
            theirs = self.Report._get_dispatch_figures(
                PERIOD_START, warehouse_id=other.id
            )
        self.assertEqual(mine["unbilled"]["count"], 1)
        self.assertEqual(mine["pod_compliance"]["count"], 4)
        self.assertEqual(theirs["unbilled"]["count"], 0)
        self.assertIsNone(theirs["pod_compliance"]["value"])

    def test_analysis_views_load_and_group_for_billing(self):
        Report = self.Report.with_user(self.billing)
        views = Report.get_views(
            [(False, "pivot"), (False, "graph"), (False, "list"), (False, "search")]
        )
        self.assertIn("margin", views["views"]["pivot"]["arch"])
        groups = Report.read_group(
            [("state", "=", "delivered"), ("date_delivered", ">=", PERIOD_START)],
            ["margin:sum", "invoice_cycle_days:avg", "job_count:sum"],
            [],
        )
        self.assertEqual(groups[0]["job_count"], 4)
        self.assertEqual(groups[0]["margin"], 335.0)

    def test_figures_cost_the_same_queries_for_more_jobs(self):
        def count_queries():
            before = self.env.cr.sql_log_count
            self._figures(self.billing)
            return self.env.cr.sql_log_count - before

        self.env.invalidate_all()
        count_queries()  # warm the caches of the user and the rules
        few = count_queries()
        for _i in range(5):
            with freeze_time(datetime(2026, 3, 4, 10, 0)):
                self._deliver(self._job_of(self._confirmed_order()))
        self.env.invalidate_all()
        count_queries()
        self.assertEqual(count_queries(), few)
