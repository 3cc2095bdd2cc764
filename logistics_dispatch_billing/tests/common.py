# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase

# A 1x1 PNG: what the signature widget stores.
SIGNATURE = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
    "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


class DispatchJobCommon(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(
                cls.env.context,
                tracking_disable=True,
                mail_create_nolog=True,
                mail_notrack=True,
                no_reset_password=True,
            )
        )
        cls.company = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Dispatch Other Co"})
        prefix = "logistics_dispatch_billing."
        cls.driver = new_test_user(
            cls.env, login="disp_driver", groups=prefix + "group_dispatch_driver"
        )
        cls.driver_2 = new_test_user(
            cls.env, login="disp_driver2", groups=prefix + "group_dispatch_driver"
        )
        cls.dispatcher = new_test_user(
            cls.env, login="disp_dispatcher", groups=prefix + "group_dispatch_user"
        )
        cls.dispatcher_b = new_test_user(
            cls.env,
            login="disp_dispatcher_b",
            groups=prefix + "group_dispatch_user",
            company_id=cls.company_b.id,
            company_ids=[(6, 0, cls.company_b.ids)],
        )
        cls.billing = new_test_user(
            cls.env,
            login="disp_billing",
            groups="base.group_user,account.group_account_invoice",
        )
        brand = cls.env["fleet.vehicle.model.brand"].create({"name": "Dispatch Trucks"})
        model = cls.env["fleet.vehicle.model"].create(
            {"name": "Box 7.5t", "brand_id": brand.id}
        )
        cls.vehicle = cls.env["fleet.vehicle"].create(
            {"model_id": model.id, "license_plate": "DSP-001"}
        )
        cls.customer = cls.env["res.partner"].create({"name": "Dock Customer"})
        cls.zone = cls.env["logistics.dispatch.zone"].create(
            {"name": "North", "code": "N"}
        )
        cls.reason_not_home = cls.env.ref(
            "logistics_exception.reason_customer_not_home"
        )

    @classmethod
    def _create_job(cls, **values):
        start = fields.Datetime.now().replace(microsecond=0) + timedelta(hours=1)
        vals = {
            "partner_id": cls.customer.id,
            "zone_id": cls.zone.id,
            "planned_start": start,
            "planned_end": start + timedelta(hours=1),
            "vehicle_id": cls.vehicle.id,
            "user_id": cls.driver.id,
        }
        vals.update(values)
        return cls.env["logistics.dispatch.job"].create(vals)

    @classmethod
    def _planned_job(cls, **values):
        job = cls._create_job(**values)
        job.with_user(cls.dispatcher).action_plan()
        return job


class DispatchBillingCommon(DispatchJobCommon):
    """Jobs sold on confirmed sales orders, priced by a company default card
    (30 free waiting minutes, 15-minute increment), and the billing users:
    a billing clerk (``billing``), a billing manager, a dispatch manager and
    a salesperson. Demo rate cards take no part."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        prefix = "logistics_dispatch_billing."
        cls.billing_manager = new_test_user(
            cls.env,
            login="disp_billing_manager",
            groups="base.group_user,account.group_account_manager",
        )
        cls.dispatch_manager = new_test_user(
            cls.env, login="disp_manager", groups=prefix + "group_dispatch_manager"
        )
        cls.salesman = new_test_user(
            cls.env,
            login="disp_billing_salesman",
            groups="sales_team.group_sale_salesman",
        )
        cls.env["logistics.rate.card"].search([]).active = False
        # Nor do the jobs of the database (demo data) count in any figure.
        cls.env["logistics.dispatch.job"].search([]).state = "cancelled"
        cls.goods = cls.env["product.product"].create(
            {"name": "Pallet of tiles", "type": "consu", "list_price": 100.0}
        )
        cls.transport = cls.env["product.product"].create(
            {
                "name": "Pallet delivery",
                "type": "service",
                "dispatch_service": True,
                "list_price": 80.0,
                "invoice_policy": "order",
            }
        )
        cls.wait = cls.env.ref(prefix + "accessorial_type_wait")
        cls.redelivery = cls.env.ref(prefix + "accessorial_type_redelivery")
        cls.after_hours = cls.env.ref(prefix + "accessorial_type_after_hours")
        cls.card = cls.env["logistics.rate.card"].create(
            {
                "name": "Company Rates",
                "company_id": cls.company.id,
                "free_waiting_minutes": 30,
                "waiting_increment": 15,
                "after_hours_start": 18.0,
                "after_hours_end": 7.0,
                "tz": "UTC",
                "line_ids": [
                    Command.create({"rate_basis": "job", "price_unit": 80.0}),
                ],
                "accessorial_line_ids": [
                    Command.create({"type_id": cls.wait.id, "price_unit": 1.0}),
                    Command.create({"type_id": cls.redelivery.id, "price_unit": 60.0}),
                    Command.create({"type_id": cls.after_hours.id, "price_unit": 40.0}),
                ],
            }
        )

    @classmethod
    def _confirmed_order(cls, partner=None, quantity=1):
        """A sales order of goods and the dispatch service, confirmed: its
        outgoing transfer has a draft job."""
        order = cls.env["sale.order"].create(
            {
                "partner_id": (partner or cls.customer).id,
                "order_line": [
                    Command.create(
                        {"product_id": cls.goods.id, "product_uom_qty": quantity}
                    ),
                    Command.create(
                        {"product_id": cls.transport.id, "product_uom_qty": 1}
                    ),
                ],
            }
        )
        order.action_confirm()
        return order

    @classmethod
    def _job_of(cls, order):
        job = order.dispatch_job_ids
        job.write(
            {
                "vehicle_id": cls.vehicle.id,
                "user_id": cls.driver.id,
                "zone_id": cls.zone.id,
            }
        )
        return job

    @classmethod
    def _deliver(cls, job, arrival=None, minutes=20):
        """Take a job through arrival, POD and delivery as its driver, with
        ``minutes`` between arrival and departure (as a dispatcher records
        them). Without an ``arrival``, the job is done this morning (or
        yesterday's) at 09:00 UTC, so that no after-hours charge depends on
        the time the tests run."""
        if arrival is None:
            now = fields.Datetime.now().replace(microsecond=0)
            arrival = now.replace(hour=9, minute=0, second=0)
            if arrival + timedelta(minutes=minutes) > now:
                arrival -= timedelta(days=1)
            with freeze_time(arrival + timedelta(minutes=minutes)):
                return cls._deliver(job, arrival=arrival, minutes=minutes)
        if job.state == "draft":
            job.with_user(cls.dispatcher).action_plan()
        job.with_user(cls.driver).action_start()
        job.with_user(cls.driver).action_arrive()
        job.with_user(cls.dispatcher).write(
            {
                "date_arrival": arrival,
                "date_departure": arrival + timedelta(minutes=minutes),
            }
        )
        job.with_user(cls.driver).write(
            {"pod_receiver_name": "R. Receiver", "pod_signature": SIGNATURE}
        )
        job.with_user(cls.driver).action_deliver()
        return job
