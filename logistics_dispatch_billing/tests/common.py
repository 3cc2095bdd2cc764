# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
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
