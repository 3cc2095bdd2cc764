# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, timedelta

from odoo import Command
from odoo.exceptions import UserError, ValidationError

from .rate_common import RateCardCommon

ARRIVAL = datetime(2027, 3, 3, 10, 0)


class TestRatePricing(RateCardCommon):
    def test_seed_95_minutes_30_free_15_increment_bills_75(self):
        departure = ARRIVAL + timedelta(minutes=95)
        self.assertEqual(self.card._compute_waiting_minutes(ARRIVAL, departure), 75)

    def test_waiting_rounds_up_to_the_increment(self):
        wait = self.card._compute_waiting_minutes
        self.assertEqual(wait(ARRIVAL, ARRIVAL + timedelta(minutes=30)), 0)
        self.assertEqual(wait(ARRIVAL, ARRIVAL + timedelta(minutes=31)), 15)
        self.assertEqual(wait(ARRIVAL, ARRIVAL + timedelta(minutes=90)), 60)
        self.assertEqual(wait(ARRIVAL, ARRIVAL + timedelta(minutes=90, seconds=1)), 75)
        self.assertEqual(wait(ARRIVAL, False), 0)
        self.card.waiting_increment = 0
        self.assertEqual(wait(ARRIVAL, ARRIVAL + timedelta(minutes=95)), 65)

    def test_departure_before_arrival_is_refused(self):
        with self.assertRaisesRegex(UserError, "before the arrival"):
            self.card._compute_waiting_minutes(ARRIVAL, ARRIVAL - timedelta(minutes=5))

    def test_base_rate_of_the_lane_within_min_and_max(self):
        values = {
            "product_id": self.express,
            "origin_zone_id": self.depot.id,
            "destination_zone_id": self.city,
        }
        lane_line = self.card.line_ids.filtered("product_id")
        price = self.card._price_job_values(dict(values, quantity=40))
        self.assertEqual(price["base_line_id"], lane_line.id)
        self.assertEqual(price["base_amount"], 100.0)  # 20 + 2 x 40
        self.assertEqual(price["fuel_amount"], 10.0)
        self.assertEqual(price["total"], 110.0)
        # 20 + 2 x 5 = 30, below the minimum of 50.
        self.assertEqual(
            self.card._price_job_values(dict(values, quantity=5))["base_amount"], 50.0
        )
        # 20 + 2 x 500 = 1020, above the maximum of 200.
        self.assertEqual(
            self.card._price_job_values(dict(values, quantity=500))["base_amount"],
            200.0,
        )

    def test_other_lane_or_service_falls_back_to_the_any_line(self):
        price = self.card._price_job_values(
            {
                "product_id": self.standard,
                "origin_zone_id": self.depot,
                "destination_zone_id": self.city,
                "quantity": 40,
            }
        )
        self.assertEqual(price["base_amount"], 100.0)  # per job, quantity ignored
        self.assertNotEqual(price["base_line_id"], self.card.line_ids[0].id)
        price = self.card._price_job_values(
            {
                "product_id": self.express,
                "origin_zone_id": self.city,
                "destination_zone_id": self.airport,
            }
        )
        self.assertEqual(price["base_amount"], 100.0)

    def test_seed_waiting_charge_of_75_minutes(self):
        price = self.card._price_job_values(
            {
                "arrival": ARRIVAL,
                "departure": ARRIVAL + timedelta(minutes=95),
                "delivery_time": ARRIVAL + timedelta(minutes=95),
            }
        )
        self.assertEqual(price["waiting_minutes"], 75)
        (wait,) = price["accessorial_lines"]
        self.assertEqual(wait["code"], "WAIT")
        self.assertEqual(wait["product_id"], self.wait.product_id.id)
        self.assertEqual((wait["quantity"], wait["amount"]), (75, 75.0))
        self.assertEqual(price["total"], 100.0 + 10.0 + 75.0)

    def test_after_hours_window_across_midnight(self):
        after = self.card._is_after_hours
        self.assertFalse(after(datetime(2027, 3, 3, 17, 59)))
        self.assertTrue(after(datetime(2027, 3, 3, 18, 0)))
        self.assertTrue(after(datetime(2027, 3, 3, 23, 30)))
        self.assertTrue(after(datetime(2027, 3, 4, 6, 59)))
        self.assertFalse(after(datetime(2027, 3, 4, 7, 0)))
        price = self.card._price_job_values(
            {"delivery_time": datetime(2027, 3, 3, 21, 0)}
        )
        self.assertEqual(
            [(a["code"], a["amount"]) for a in price["accessorial_lines"]],
            [("AFTER_HOURS", 40.0)],
        )

    def test_after_hours_read_in_the_card_timezone(self):
        self.card.tz = "Europe/Brussels"  # UTC+1 in March
        self.assertTrue(self.card._is_after_hours(datetime(2027, 3, 3, 17, 30)))
        self.assertFalse(self.card._is_after_hours(datetime(2027, 3, 3, 6, 30)))
        self.card.after_hours_end = self.card.after_hours_start
        self.assertFalse(self.card._is_after_hours(datetime(2027, 3, 3, 23, 0)))

    def test_redelivery_and_flags_priced_only_when_the_card_has_a_rate(self):
        price = self.card._price_job_values(
            {
                "redelivery": True,
                "accessorial_codes": {"TAIL_LIFT": 2, "TEMP_CONTROL": 1},
            }
        )
        self.assertEqual(
            sorted(
                (a["code"], a["quantity"], a["amount"])
                for a in price["accessorial_lines"]
            ),
            [("REDELIVERY", 1, 60.0), ("TAIL_LIFT", 2, 50.0)],
        )
        self.assertEqual(price["total"], 100.0 + 10.0 + 60.0 + 50.0)
        price = self.card._price_job_values({"accessorial_codes": ["TAIL_LIFT"]})
        self.assertEqual(price["accessorial_lines"][0]["quantity"], 1)

    def test_card_without_a_matching_base_rate_charges_no_base(self):
        self.card.line_ids.filtered(lambda line: not line.product_id).unlink()
        price = self.card._price_job_values({"product_id": self.standard})
        self.assertFalse(price["base_line_id"])
        self.assertEqual((price["base_amount"], price["fuel_amount"]), (0.0, 0.0))

    def test_maximum_below_minimum_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "below its minimum"):
            self.card.line_ids[0].max_charge = 10.0

    def test_negative_fuel_surcharge_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "fuel surcharge"):
            self.card.fuel_surcharge_percent = -1

    def test_archived_accessorial_type_is_not_charged(self):
        self.tail_lift.active = False
        price = self.card._price_job_values({"accessorial_codes": ["TAIL_LIFT"]})
        self.assertFalse(price["accessorial_lines"])

    def test_accessorial_priced_twice_on_a_card_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "twice"):
            self.card.write(
                {
                    "accessorial_line_ids": [
                        Command.create({"type_id": self.wait.id, "price_unit": 2.0})
                    ]
                }
            )

    def test_rate_changes_are_tracked(self):
        # Records are not tracked in the transaction that creates them: the
        # pending tracking of the class set-up ends first.
        self.env.cr.precommit.run()
        card = self.card.with_context(tracking_disable=False, mail_notrack=False)
        card.with_user(self.manager).fuel_surcharge_percent = 12.5
        self.env.cr.precommit.run()
        tracking = self.env["mail.tracking.value"].search(
            [
                ("mail_message_id.model", "=", card._name),
                ("mail_message_id.res_id", "=", card.id),
                ("field_id.name", "=", "fuel_surcharge_percent"),
            ]
        )
        self.assertEqual(
            (tracking.old_value_float, tracking.new_value_float), (10.0, 12.5)
        )
