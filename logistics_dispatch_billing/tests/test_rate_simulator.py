# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from odoo.tests import Form

from .rate_common import RateCardCommon


class TestRateSimulator(RateCardCommon):
    def _simulator(self, user):
        action = self.card.with_user(user).action_open_simulator()
        return Form(
            self.env[action["res_model"]]
            .with_user(user)
            .with_context(**action["context"])
        )

    def test_simulator_prices_the_seed_job(self):
        form = self._simulator(self.dispatcher)
        self.assertEqual(form.total_amount, 110.0)  # the any-service line + fuel
        form.product_id = self.express
        form.origin_zone_id = self.depot
        form.destination_zone_id = self.city
        form.quantity = 40
        form.arrival = datetime(2027, 3, 3, 19, 0)
        form.departure = datetime(2027, 3, 3, 20, 35)
        form.delivery_time = datetime(2027, 3, 3, 20, 35)
        form.accessorial_type_ids.add(self.tail_lift)
        self.assertEqual(form.waiting_minutes, 75)
        self.assertEqual(form.base_amount, 100.0)
        self.assertEqual(form.fuel_amount, 10.0)
        self.assertEqual(form.accessorial_amount, 75.0 + 40.0 + 25.0)
        self.assertEqual(form.total_amount, 250.0)
        self.assertIn("Tail Lift", form.detail)

    def test_billing_user_can_simulate(self):
        form = self._simulator(self.billing)
        form.redelivery = True
        self.assertEqual(form.accessorial_amount, 60.0)
        form.save()

    def test_departure_typed_before_arrival_shows_no_price(self):
        form = self._simulator(self.manager)
        form.arrival = datetime(2027, 3, 3, 10, 0)
        form.departure = datetime(2027, 3, 3, 9, 0)
        self.assertEqual(form.total_amount, 0.0)
