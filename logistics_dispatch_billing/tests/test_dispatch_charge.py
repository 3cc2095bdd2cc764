# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form
from odoo.tools import mute_logger

from .charge_common import MORNING, DispatchChargeCommon


@freeze_time(MORNING)
class TestDispatchCharge(DispatchChargeCommon):
    def test_seed_waiting_charge_approved_becomes_an_order_line(self):
        """Seed scenario (1): 95 minutes on site, 30 free, 15-minute
        increment: 75 minutes of waiting at 1.0, approved by billing and
        billed on the order."""
        job = self._delivered_job(minutes=95)
        charge = job.charge_ids
        self.assertEqual(len(charge), 1)
        self.assertEqual(charge.accessorial_type_id, self.wait)
        self.assertEqual(charge.product_id, self.wait.product_id)
        self.assertEqual(charge.quantity, 75)
        self.assertEqual(charge.price_unit, 1.0)
        self.assertEqual(charge.amount, 75.0)
        self.assertEqual(charge.state, "draft")
        self.assertEqual(charge.rate_card_id, self.card)
        self.assertTrue(charge.computed)
        self.assertEqual(job.charge_total, 75.0)
        self.assertEqual(job.charge_to_approve_count, 1)

        charge.with_user(self.billing).action_approve()
        self.assertEqual(charge.state, "approved")
        self.assertEqual(charge.approved_uid, self.billing)
        line = charge.sale_line_id
        self.assertEqual(line.order_id, job.sale_id)
        self.assertEqual(line.product_id, self.wait.product_id)
        self.assertEqual(line.product_uom_qty, 75)
        self.assertEqual(line.price_unit, 1.0)
        self.assertEqual(line.price_subtotal, 75.0)
        self.assertEqual(job.charge_to_approve_count, 0)

    def test_no_charge_within_the_free_minutes(self):
        job = self._delivered_job(minutes=25)
        self.assertFalse(job.charge_ids)

    def test_after_hours_delivery_is_charged(self):
        with freeze_time(MORNING.replace(hour=19)):
            job = self._delivered_job(minutes=10, arrival=MORNING.replace(hour=19))
        charge = self._charge(job, self.after_hours)
        self.assertEqual(charge.quantity, 1)
        self.assertEqual(charge.amount, 40.0)
        self.assertEqual(job.charge_ids, charge)

    def test_special_handling_ticked_by_the_dispatcher_is_charged(self):
        tail_lift = self.env.ref(
            "logistics_dispatch_billing.accessorial_type_tail_lift"
        )
        self.card.accessorial_line_ids = [
            Command.create({"type_id": tail_lift.id, "price_unit": 25.0})
        ]
        order = self._confirmed_order()
        job = self._job_of(order)
        job.with_user(self.dispatcher).accessorial_type_ids = tail_lift
        self._deliver(job, arrival=MORNING, minutes=10)
        charge = self._charge(job, tail_lift)
        self.assertEqual((charge.quantity, charge.amount), (1, 25.0))
        self.assertEqual(job.charge_ids, charge)

    def test_special_handling_the_card_does_not_price_is_not_charged(self):
        temp = self.env.ref("logistics_dispatch_billing.accessorial_type_temp_control")
        job = self._delivered_job(
            minutes=10, accessorial_type_ids=[Command.set(temp.ids)]
        )
        self.assertFalse(job.charge_ids)

    def test_driver_cannot_tick_special_handling(self):
        tail_lift = self.env.ref(
            "logistics_dispatch_billing.accessorial_type_tail_lift"
        )
        job = self._job_of(self._confirmed_order())
        with self.assertRaises(AccessError):
            job.with_user(self.driver).write(
                {"accessorial_type_ids": [Command.set(tail_lift.ids)]}
            )

    def test_stamp_correction_recomputes_draft_charges(self):
        job = self._delivered_job(minutes=95)
        charge = job.charge_ids
        job.with_user(self.dispatcher).date_departure = job.date_arrival + timedelta(
            minutes=50
        )
        # 50 on site - 30 free = 20, rounded up to 30.
        self.assertEqual(charge.quantity, 30)
        self.assertEqual(job.charge_ids, charge)
        job.with_user(self.dispatcher).date_departure = job.date_arrival + timedelta(
            minutes=20
        )
        # No longer justified: rejected with the reason, not deleted.
        self.assertEqual(job.charge_ids, charge)
        self.assertEqual(charge.state, "rejected")
        self.assertIn("no longer justified", charge.reject_reason.lower())
        self.assertEqual(job.charge_total, 0.0)
        job.with_user(self.dispatcher).date_departure = job.date_arrival + timedelta(
            minutes=60
        )
        # Justified again: the same charge is to approve again.
        self.assertEqual(job.charge_ids, charge)
        self.assertEqual((charge.state, charge.quantity), ("draft", 30))
        self.assertFalse(charge.reject_reason)
        # A charge billing rejected stays rejected.
        charge.with_user(self.billing)._reject("Agreed with the customer")
        job.with_user(self.dispatcher).date_departure = job.date_arrival + timedelta(
            minutes=95
        )
        self.assertEqual((charge.state, charge.quantity), ("rejected", 30))

    def test_stamp_correction_keeps_approved_charges(self):
        job = self._delivered_job(minutes=95)
        charge = job.charge_ids
        charge.with_user(self.billing).action_approve()
        job.with_user(self.dispatcher).date_departure = job.date_arrival + timedelta(
            minutes=200
        )
        self.assertEqual(job.charge_ids, charge)
        self.assertEqual(charge.quantity, 75)
        self.assertEqual(charge.sale_line_id.product_uom_qty, 75)

    def test_stamp_correction_keeps_charges_added_by_hand(self):
        job = self._delivered_job(minutes=10)
        manual = self.Charge.with_user(self.dispatcher).create(
            {
                "job_id": job.id,
                "accessorial_type_id": self.wait.id,
                "product_id": self.wait.product_id.id,
                "name": "Waiting agreed on the phone",
                "quantity": 45,
                "price_unit": 1.0,
            }
        )
        job.with_user(self.dispatcher).date_departure = job.date_arrival + timedelta(
            minutes=95
        )
        self.assertEqual(job.charge_ids, manual)
        self.assertEqual(manual.quantity, 45)
        self.assertFalse(manual.computed)

    def test_dispatcher_adds_a_charge_in_the_form(self):
        job = self._delivered_job(minutes=10)
        tail_lift = self.env.ref(
            "logistics_dispatch_billing.accessorial_type_tail_lift"
        )
        with Form(self.Charge.with_user(self.dispatcher)) as charge_form:
            charge_form.job_id = job
            charge_form.accessorial_type_id = tail_lift
            self.assertEqual(charge_form.product_id, tail_lift.product_id)
            self.assertEqual(charge_form.name, tail_lift.name)
            charge_form.quantity = 1
            charge_form.price_unit = 30.0
        charge = charge_form.record
        self.assertEqual((charge.state, charge.amount), ("draft", 30.0))
        self.assertFalse(charge.computed)
        self.assertEqual(job.charge_ids, charge)

    def test_redelivery_is_charged_on_the_replanned_job(self):
        order = self._confirmed_order()
        failed = self._job_of(order)
        failed.with_user(self.dispatcher).action_plan()
        failed.with_user(self.driver).action_start()
        failed.with_user(self.driver)._fail(self.reason_not_home)
        self.assertFalse(failed.charge_ids)
        action = failed.with_user(self.dispatcher).action_replan()
        job = self.env["logistics.dispatch.job"].browse(action["res_id"])
        job.with_user(self.dispatcher).write(
            {"planned_start": MORNING, "planned_end": MORNING + timedelta(hours=1)}
        )
        self._deliver(job, arrival=MORNING, minutes=10)
        charge = job.charge_ids
        self.assertEqual(charge.accessorial_type_id, self.redelivery)
        self.assertEqual((charge.quantity, charge.amount), (1, 60.0))
        self.assertEqual(charge.sale_id, order)
        self.assertFalse(failed.charge_ids)

    def test_no_redelivery_charge_when_the_card_has_no_rate(self):
        self.card.accessorial_line_ids.filtered(
            lambda r: r.type_id == self.redelivery
        ).unlink()
        failed = self._job_of(self._confirmed_order())
        failed.with_user(self.dispatcher).action_plan()
        failed.with_user(self.driver).action_start()
        failed.with_user(self.driver)._fail(self.reason_not_home)
        action = failed.with_user(self.dispatcher).action_replan()
        job = self.env["logistics.dispatch.job"].browse(action["res_id"])
        job.with_user(self.dispatcher).planned_start = MORNING
        self._deliver(job, arrival=MORNING, minutes=10)
        self.assertFalse(job.charge_ids)

    def test_one_charge_per_job_and_type_in_the_database(self):
        job = self._delivered_job(minutes=95)
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.Charge.create(
                {
                    "job_id": job.id,
                    "accessorial_type_id": self.wait.id,
                    "product_id": self.wait.product_id.id,
                    "name": "Second wait",
                    "quantity": 10,
                    "price_unit": 1.0,
                }
            )

    def test_compute_charges_button(self):
        job = self._delivered_job(minutes=95)
        self.card.accessorial_line_ids.filtered(
            lambda r: r.type_id == self.wait
        ).price_unit = 1.5
        job.with_user(self.dispatcher).action_compute_charges()
        self.assertEqual(job.charge_ids.price_unit, 1.5)
        self.assertEqual(job.charge_ids.amount, 112.5)
        with self.assertRaises(AccessError):
            job.with_user(self.driver).action_compute_charges()
        planned = self._planned_job()
        with self.assertRaisesRegex(UserError, "the job is Planned"):
            planned.with_user(self.dispatcher).action_compute_charges()

    def test_no_card_no_charge(self):
        self.card.active = False
        job = self._delivered_job(minutes=95)
        self.assertFalse(job.charge_ids)
