# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields
from odoo.exceptions import AccessError, ValidationError

from .common import DispatchJobCommon


class TestDispatchJobAccess(DispatchJobCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.own_job = cls._planned_job()
        cls.other_job = cls._planned_job(user_id=cls.driver_2.id)
        cls.job_b = cls.env["logistics.dispatch.job"].create(
            {
                "partner_id": cls.customer.id,
                "company_id": cls.company_b.id,
            }
        )
        cls.jobs = cls.own_job | cls.other_job | cls.job_b

    def _visible(self, user):
        return (
            self.env["logistics.dispatch.job"]
            .with_user(user)
            .search([("id", "in", self.jobs.ids)])
        )

    def test_driver_sees_and_acts_on_their_own_jobs_only(self):
        self.assertEqual(self._visible(self.driver), self.own_job)
        with self.assertRaises(AccessError):
            self.other_job.with_user(self.driver).action_start()
        with self.assertRaises(AccessError):
            self.other_job.with_user(self.driver).read(["name"])
        self.assertEqual(self.other_job.state, "planned")

    def test_driver_cannot_create_plan_or_stamp_by_hand(self):
        as_driver = self.own_job.with_user(self.driver)
        with self.assertRaises(AccessError):
            self.env["logistics.dispatch.job"].with_user(self.driver).create(
                {"partner_id": self.customer.id}
            )
        with self.assertRaisesRegex(AccessError, "Arrival"):
            as_driver.write({"date_arrival": fields.Datetime.now()})
        with self.assertRaises(AccessError):
            as_driver.write({"vehicle_id": False})
        self.assertFalse(self.own_job.date_arrival)
        as_driver.write({"pod_receiver_name": "J. Doe"})
        self.assertEqual(self.own_job.pod_receiver_name, "J. Doe")

    def test_dispatcher_sees_every_job_of_their_companies(self):
        self.assertEqual(self._visible(self.dispatcher), self.own_job | self.other_job)
        self.assertEqual(self._visible(self.dispatcher_b), self.job_b)
        self.other_job.with_user(self.dispatcher).write(
            {"date_arrival": fields.Datetime.now()}
        )
        with self.assertRaises(AccessError):
            self.own_job.with_user(self.dispatcher_b).write({"notes": "x"})

    def test_billing_reads_every_job_but_changes_none(self):
        self.assertEqual(self._visible(self.billing), self.own_job | self.other_job)
        with self.assertRaises(AccessError):
            self.own_job.with_user(self.billing).write({"notes": "x"})
        with self.assertRaises(AccessError):
            self.own_job.with_user(self.billing).action_start()
        self.assertEqual(self.own_job.state, "planned")

    def test_driver_of_another_company_cannot_be_assigned(self):
        with self.assertRaisesRegex(ValidationError, "no access"):
            self.job_b.write({"user_id": self.driver.id})

    def test_nobody_sets_the_state_or_the_invoicing_by_hand(self):
        """The gate trusts a delivered job: a dispatcher cannot write the
        state or its consequences by RPC, nor create a job already done."""
        job = self._planned_job()
        for vals in (
            {"state": "delivered"},
            {"date_invoiced": fields.Datetime.now()},
            {"pod_date": fields.Datetime.now()},
            {"origin_job_id": self._create_job().id},
        ):
            with self.assertRaises(AccessError):
                job.with_user(self.dispatcher).write(vals)
        self.assertEqual(job.state, "planned")
        self.assertFalse(job.date_invoiced)
        Job = self.env["logistics.dispatch.job"].with_user(self.dispatcher)
        with self.assertRaises(AccessError):
            Job.create({"partner_id": self.customer.id, "state": "delivered"})
        draft = Job.create({"partner_id": self.customer.id, "state": "draft"})
        self.assertEqual(draft.state, "draft")
