# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

DRIVER_URL = (
    "/web#action=logistics_dispatch_billing.logistics_dispatch_job_action_driver"
)


@tagged("post_install", "-at_install")
class TestDriverTour(HttpCase):
    """The driver's day on a phone: arrive, sign the proof, deliver."""

    browser_size = "360x740"
    touch_enabled = True

    def test_driver_arrives_signs_and_delivers(self):
        env = self.env
        driver = new_test_user(
            env,
            login="disp_tour_driver",
            password="disp_tour_driver",
            name="Tour Driver",
            groups="logistics_dispatch_billing.group_dispatch_driver",
        )
        brand = env["fleet.vehicle.model.brand"].create({"name": "Tour Trucks"})
        vehicle = env["fleet.vehicle"].create(
            {
                "model_id": env["fleet.vehicle.model"]
                .create({"name": "Van", "brand_id": brand.id})
                .id,
                "license_plate": "TOUR-1",
            }
        )
        customer = env["res.partner"].create({"name": "Tour Dock Customer"})
        job = env["logistics.dispatch.job"].create(
            {
                "partner_id": customer.id,
                "planned_start": fields.Datetime.now(),
                "vehicle_id": vehicle.id,
                "user_id": driver.id,
            }
        )
        job.action_plan()
        job.with_user(driver).action_start()
        # A stop of two days ago is not today's.
        env["logistics.dispatch.job"].create(
            {
                "partner_id": env["res.partner"]
                .create({"name": "Earlier Stop Customer"})
                .id,
                "planned_start": fields.Datetime.subtract(
                    fields.Datetime.now(), days=2
                ),
                "vehicle_id": vehicle.id,
                "user_id": driver.id,
            }
        )
        self.start_tour(
            DRIVER_URL, "logistics_dispatch_driver_tour", login=driver.login
        )
        self.assertEqual(job.state, "delivered")
        self.assertEqual(job.pod_receiver_name, "Jane Receiver")
        self.assertTrue(job.pod_signature)
        self.assertEqual(job.pod_note, "Left at the dock door")
        self.assertTrue(job.date_arrival)
        self.assertTrue(job.date_departure)
