# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, timedelta

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.logistics_exception.tests.common import LogisticsExceptionTourCase

from .common import SIGNATURE


class TestDispatchChargeTour(LogisticsExceptionTourCase):
    def _delivered_job_with_waiting(self):
        """A job of a confirmed order delivered after 95 minutes on site,
        and a billing user."""
        env = self.env
        billing = new_test_user(
            env,
            login="disp_tour_billing",
            password="disp_tour_billing",
            groups="base.group_user,account.group_account_invoice",
        )
        env["logistics.rate.card"].search([]).active = False
        wait = env.ref("logistics_dispatch_billing.accessorial_type_wait")
        env["logistics.rate.card"].create(
            {
                "name": "Tour Charge Rates",
                "tz": "UTC",
                "after_hours_start": 0.0,
                "after_hours_end": 0.0,
                "accessorial_line_ids": [
                    Command.create({"type_id": wait.id, "price_unit": 1.0})
                ],
            }
        )
        customer = env["res.partner"].create({"name": "Tour Charge Customer"})
        transport = env["product.product"].create(
            {
                "name": "Tour pallet delivery",
                "type": "service",
                "dispatch_service": True,
                "invoice_policy": "order",
            }
        )
        order = env["sale.order"].create(
            {
                "partner_id": customer.id,
                "order_line": [
                    Command.create({"product_id": transport.id, "product_uom_qty": 1}),
                ],
            }
        )
        order.action_confirm()
        job = env["logistics.dispatch.job"].create(
            {"partner_id": customer.id, "sale_id": order.id}
        )
        arrival = datetime(2026, 3, 10, 10, 0)
        # Delivered as the driver's app records it: 95 minutes on site.
        job.sudo().write(
            {
                "state": "delivered",
                "pod_receiver_name": "R. Receiver",
                "pod_signature": SIGNATURE,
                "date_arrival": arrival,
                "date_departure": arrival + timedelta(minutes=95),
                "date_delivered": arrival + timedelta(minutes=95),
            }
        )
        return job, billing

    def test_billing_user_approves_a_waiting_charge(self):
        job, billing = self._delivered_job_with_waiting()
        order = job.sale_id
        charge = job.charge_ids
        self.assertEqual(charge.quantity, 75)
        self.start_tour(
            "/web#action=logistics_dispatch_billing."
            "logistics_dispatch_charge_action_to_approve",
            "logistics_dispatch_charge_approve_tour",
            login=billing.login,
        )
        self.assertEqual(charge.state, "approved")
        self.assertEqual(charge.approved_uid, billing)
        self.assertEqual(charge.sale_line_id.order_id, order)

    def test_billing_user_rejects_a_charge_on_the_job(self):
        job, billing = self._delivered_job_with_waiting()
        charge = job.charge_ids
        self.start_tour(
            "/web#action=logistics_dispatch_billing.logistics_dispatch_job_action"
            f"&model=logistics.dispatch.job&view_type=form&id={job.id}",
            "logistics_dispatch_job_charges_tour",
            login=billing.login,
        )
        self.assertEqual(charge.state, "rejected")
        self.assertEqual(
            charge.reject_reason, "The dock was closed: our driver came early."
        )
