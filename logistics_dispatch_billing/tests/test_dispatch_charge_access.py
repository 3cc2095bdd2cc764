# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError

from .charge_common import MORNING, DispatchChargeCommon


@freeze_time(MORNING)
class TestDispatchChargeAccess(DispatchChargeCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.card_b = cls.env["logistics.rate.card"].create(
            {
                "name": "Other Co Rates",
                "company_id": cls.company_b.id,
                "free_waiting_minutes": 0,
                "waiting_increment": 1,
                "after_hours_start": 0.0,
                "after_hours_end": 0.0,
                "tz": "UTC",
                "accessorial_line_ids": [
                    Command.create({"type_id": cls.wait.id, "price_unit": 2.0}),
                ],
            }
        )

    def _job_of_company_b(self):
        job = self._create_job(
            company_id=self.company_b.id, zone_id=False, vehicle_id=False, user_id=False
        )
        # The stamps of a delivered job, as a system integration records them.
        job.sudo().write(
            {
                "state": "delivered",
                "date_arrival": MORNING,
                "date_departure": MORNING + timedelta(minutes=10),
                "date_delivered": MORNING,
            }
        )
        return job

    def test_driver_delivers_but_reads_no_charge(self):
        job = self._delivered_job(minutes=95)
        charge = job.charge_ids
        self.assertEqual(charge.quantity, 75)
        with self.assertRaises(AccessError):
            charge.with_user(self.driver).read(["amount"])
        with self.assertRaises(AccessError):
            self.Charge.with_user(self.driver).search([])
        with self.assertRaises(AccessError):
            job.with_user(self.driver).read(["charge_ids"])
        with self.assertRaises(AccessError):
            job.with_user(self.driver).read(["charge_total"])

    def test_dispatcher_reads_charges_and_adds_one_by_hand(self):
        job = self._delivered_job(minutes=95)
        self.assertEqual(
            self.Charge.with_user(self.dispatcher).search([("job_id", "=", job.id)]),
            job.charge_ids,
        )
        self.assertEqual(job.with_user(self.dispatcher).charge_total, 75.0)
        with self.assertRaises(AccessError):
            job.charge_ids.with_user(self.dispatcher).unlink()
        with self.assertRaises(AccessError):
            self.Charge.with_user(self.dispatcher).create(
                {
                    "job_id": job.id,
                    "accessorial_type_id": self.after_hours.id,
                    "product_id": self.after_hours.product_id.id,
                    "name": "Late",
                    "quantity": 1,
                    "price_unit": 40.0,
                    "state": "approved",
                }
            )

    def test_billing_finds_the_jobs_with_charges_to_approve(self):
        job = self._delivered_job(minutes=95)
        quiet = self._delivered_job(minutes=10)
        Job = self.env["logistics.dispatch.job"].with_user(self.billing)
        found = Job.search([("charge_to_approve_count", ">", 0)])
        self.assertIn(job, found)
        self.assertNotIn(quiet, found)
        action = job.with_user(self.billing).action_view_charges()
        self.assertEqual(
            self.Charge.with_user(self.billing).search(action["domain"]),
            job.charge_ids,
        )

    def test_salesman_cannot_approve(self):
        job = self._delivered_job(minutes=95)
        with self.assertRaises(AccessError):
            job.charge_ids.with_user(self.salesman).action_approve()

    def test_charges_stay_in_their_company(self):
        job_b = self._job_of_company_b()
        charge_b = job_b.charge_ids
        # Company B's card prices company B's job: 10 minutes at 2.0.
        self.assertEqual(charge_b.rate_card_id, self.card_b)
        self.assertEqual((charge_b.quantity, charge_b.amount), (10, 20.0))
        self.assertEqual(charge_b.company_id, self.company_b)
        job_a = self._delivered_job(minutes=95)
        charge_a = job_a.charge_ids
        self.assertEqual(charge_a.rate_card_id, self.card)

        visible_a = self.Charge.with_user(self.dispatcher).search([])
        self.assertIn(charge_a, visible_a)
        self.assertNotIn(charge_b, visible_a)
        visible_b = self.Charge.with_user(self.dispatcher_b).search([])
        self.assertIn(charge_b, visible_b)
        self.assertNotIn(charge_a, visible_b)
        with self.assertRaises(AccessError):
            charge_a.with_user(self.dispatcher_b).read(["amount"])
        with self.assertRaises(AccessError):
            charge_b.with_user(self.billing).action_approve()

    def test_job_views_show_charges_to_dispatch_and_billing_only(self):
        Job = self.env["logistics.dispatch.job"]
        views = [(False, "form"), (False, "tree"), (False, "kanban")]
        for user in (self.dispatcher, self.billing):
            arch = Job.with_user(user).get_views(views)["views"]
            self.assertIn("charge_total", arch["form"]["arch"])
            self.assertIn("charge_total", arch["tree"]["arch"])
            self.assertIn("charge_total", arch["kanban"]["arch"])
        form = Job.with_user(self.dispatcher).get_views(views)["views"]["form"]
        self.assertIn("action_compute_charges", form["arch"])
        self.assertNotIn("action_approve", form["arch"])
        form = Job.with_user(self.billing).get_views(views)["views"]["form"]
        self.assertNotIn("action_compute_charges", form["arch"])
        self.assertIn("action_approve", form["arch"])
        self.assertIn(
            "charges_to_approve",
            Job.with_user(self.billing).get_views([(False, "search")])["views"][
                "search"
            ]["arch"],
        )
        arch = Job.with_user(self.driver).get_views(views)["views"]
        for view_type in ("form", "tree", "kanban"):
            self.assertNotIn("charge_total", arch[view_type]["arch"])
        self.assertNotIn("accessorial_type_ids", arch["form"]["arch"])
