# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError

from .common import SIGNATURE, DispatchJobCommon


class TestDispatchJob(DispatchJobCommon):
    def test_job_takes_its_number_from_the_sequence(self):
        jobs = self._create_job() | self._create_job()
        self.assertTrue(all(name.startswith("JOB/") for name in jobs.mapped("name")))
        self.assertNotEqual(jobs[0].name, jobs[1].name)
        self.assertEqual(jobs[0].state, "draft")
        self.assertEqual(jobs[0].partner_shipping_id, self.customer)

    def test_plan_without_driver_or_vehicle_is_refused(self):
        job = self._create_job(vehicle_id=False)
        with self.assertRaisesRegex(UserError, "a driver and a vehicle"):
            job.with_user(self.dispatcher).action_plan()
        self.assertEqual(job.state, "draft")

    def test_planned_window_must_end_after_start(self):
        start = fields.Datetime.now()
        with self.assertRaisesRegex(ValidationError, "ends before it starts"):
            self._create_job(
                planned_start=start, planned_end=start - timedelta(hours=1)
            )

    def test_driver_runs_the_job_and_stamps_the_times(self):
        job = self._planned_job()
        as_driver = job.with_user(self.driver)
        as_driver.action_start()
        self.assertEqual(job.state, "in_transit")
        with freeze_time("2026-03-02 09:00:00"):
            as_driver.action_arrive()
        self.assertEqual(
            job.date_arrival, fields.Datetime.to_datetime("2026-03-02 09:00:00")
        )
        with self.assertRaisesRegex(UserError, "stamped already"):
            as_driver.action_arrive()
        as_driver.write({"pod_receiver_name": "J. Doe", "pod_signature": SIGNATURE})
        with freeze_time("2026-03-02 10:35:00"):
            as_driver.action_deliver()
        self.assertEqual(job.state, "delivered")
        self.assertEqual(
            job.date_departure, fields.Datetime.to_datetime("2026-03-02 10:35:00")
        )
        self.assertEqual(job.pod_date, job.date_departure)
        with self.assertRaises(UserError):
            as_driver.write({"pod_receiver_name": "Someone else"})

    def test_deliver_without_pod_names_every_missing_item(self):
        job = self._planned_job()
        job.with_user(self.driver).action_start()
        with self.assertRaises(UserError) as caught:
            job.with_user(self.driver).action_deliver()
        message = str(caught.exception)
        self.assertIn("receiver's name", message)
        self.assertIn("signature", message)
        self.assertIn(job.name, message)
        self.assertEqual(job.state, "in_transit")
        self.assertFalse(job.date_delivered)

    def test_customer_category_requirements_are_enforced(self):
        category = self.env["res.partner.category"].create(
            {
                "name": "Cold chain",
                "dispatch_pod_min_photos": 2,
                "dispatch_pod_temperature_log": True,
            }
        )
        self.customer.write(
            {"category_id": [(4, category.id)], "dispatch_pod_customs_document": True}
        )
        job = self._planned_job()
        as_driver = job.with_user(self.driver)
        as_driver.action_start()
        photo = self.env["ir.attachment"].create(
            {"name": "door.png", "datas": SIGNATURE, "res_model": job._name}
        )
        as_driver.write(
            {
                "pod_receiver_name": "J. Doe",
                "pod_signature": SIGNATURE,
                "pod_photo_ids": [(4, photo.id)],
            }
        )
        with self.assertRaises(UserError) as caught:
            as_driver.action_deliver()
        message = str(caught.exception)
        self.assertIn("1 more photo(s) (2 required)", message)
        self.assertIn("temperature log", message)
        self.assertIn("customs document", message)
        self.assertNotIn("signature", message)
        self.assertEqual(job.state, "in_transit")
        photo_2 = photo.copy({"name": "pallet.png"})
        as_driver.write(
            {
                "pod_photo_ids": [(4, photo_2.id)],
                "pod_temperature_log": SIGNATURE,
                "pod_customs_document": SIGNATURE,
            }
        )
        as_driver.action_deliver()
        self.assertEqual(job.state, "delivered")

    def test_cancel_and_reset(self):
        job = self._planned_job()
        with self.assertRaises(AccessError):
            job.with_user(self.driver).action_cancel()
        job.with_user(self.dispatcher).action_cancel()
        self.assertEqual(job.state, "cancelled")
        with self.assertRaisesRegex(UserError, "Cannot start"):
            job.with_user(self.driver).action_start()
        job.with_user(self.dispatcher).action_draft()
        self.assertEqual(job.state, "draft")

    def test_state_changes_and_stamp_corrections_are_tracked(self):
        # Records created with tracking disabled stay untracked in the
        # transaction: create this one as a dispatcher would.
        job = (
            self.env["logistics.dispatch.job"]
            .with_context(tracking_disable=False, mail_notrack=False)
            .with_user(self.dispatcher)
            .create(
                {
                    "partner_id": self.customer.id,
                    "planned_start": fields.Datetime.now(),
                    "vehicle_id": self.vehicle.id,
                    "user_id": self.driver.id,
                }
            )
        )
        job.env.flush_all()
        job.env.cr.precommit.run()
        job.action_plan()
        job.env.flush_all()
        job.env.cr.precommit.run()
        job.with_user(self.driver).action_start()
        job.env.flush_all()
        job.env.cr.precommit.run()
        job.write({"date_arrival": fields.Datetime.to_datetime("2026-03-02 08:00:00")})
        job.env.flush_all()
        job.env.cr.precommit.run()
        job.invalidate_recordset()
        tracked = job.sudo().message_ids.tracking_value_ids
        self.assertEqual(
            sorted(
                tracked.filtered(lambda t: t.field_id.name == "state").mapped(
                    "new_value_char"
                )
            ),
            ["In Transit", "Planned"],
        )
        self.assertIn("date_arrival", tracked.field_id.mapped("name"))

    def test_pod_prints_with_receiver_and_signature(self):
        job = self._planned_job()
        as_driver = job.with_user(self.driver)
        as_driver.action_start()
        as_driver.write(
            {"pod_receiver_name": "Jane Receiver", "pod_signature": SIGNATURE}
        )
        as_driver.action_deliver()
        report = self.env.ref(
            "logistics_dispatch_billing.logistics_dispatch_job_report_pod"
        )
        html, _kind = (
            self.env["ir.actions.report"]
            .with_user(self.driver)
            ._render_qweb_html(report, job.ids)
        )
        html = html.decode()
        self.assertIn("Jane Receiver", html)
        self.assertIn(job.name, html)
        self.assertIn("data:image/png;base64", html)
