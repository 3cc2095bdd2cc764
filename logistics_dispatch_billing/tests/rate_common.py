# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import new_test_user

from .common import DispatchJobCommon

MANAGER = "logistics_dispatch_billing.group_dispatch_manager"


class RateCardCommon(DispatchJobCommon):
    """Zones, a service type, the shipped accessorial types, a company default
    card and users of every dispatch and billing group (those of the jobs'
    tests and a dispatch manager)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("base.main_company")
        cls.other_company = cls.company_b
        # No card of the database (demo data) may take part in the choice.
        cls.env["logistics.rate.card"].search([]).active = False
        cls.manager = new_test_user(
            cls.env,
            login="disp_rate_manager",
            groups=MANAGER,
            company_id=cls.company.id,
        )
        cls.depot = cls.env["logistics.dispatch.zone"].create(
            {"name": "Depot", "code": "H6-DEP", "company_id": cls.company.id}
        )
        cls.city = cls.env["logistics.dispatch.zone"].create(
            {"name": "City", "code": "H6-CITY", "company_id": cls.company.id}
        )
        cls.airport = cls.env["logistics.dispatch.zone"].create(
            {"name": "Airport", "code": "H6-AIR", "company_id": cls.company.id}
        )
        cls.express = cls.env["product.product"].create(
            {"name": "Express Delivery", "type": "service"}
        )
        cls.standard = cls.env["product.product"].create(
            {"name": "Standard Delivery", "type": "service"}
        )
        cls.wait = cls.env.ref("logistics_dispatch_billing.accessorial_type_wait")
        cls.redelivery = cls.env.ref(
            "logistics_dispatch_billing.accessorial_type_redelivery"
        )
        cls.after_hours = cls.env.ref(
            "logistics_dispatch_billing.accessorial_type_after_hours"
        )
        cls.tail_lift = cls.env.ref(
            "logistics_dispatch_billing.accessorial_type_tail_lift"
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Acme Retail", "is_company": True}
        )
        cls.card = cls.env["logistics.rate.card"].create(
            {
                "name": "Standard Rates",
                "company_id": cls.company.id,
                "free_waiting_minutes": 30,
                "waiting_increment": 15,
                "after_hours_start": 18.0,
                "after_hours_end": 7.0,
                "tz": "UTC",
                "fuel_surcharge_percent": 10.0,
                "line_ids": [
                    Command.create(
                        {
                            "product_id": cls.express.id,
                            "origin_zone_id": cls.depot.id,
                            "destination_zone_id": cls.city.id,
                            "rate_basis": "km",
                            "fixed_amount": 20.0,
                            "price_unit": 2.0,
                            "min_charge": 50.0,
                            "max_charge": 200.0,
                        }
                    ),
                    Command.create(
                        {"rate_basis": "job", "price_unit": 100.0, "sequence": 20}
                    ),
                ],
                "accessorial_line_ids": [
                    Command.create({"type_id": cls.wait.id, "price_unit": 1.0}),
                    Command.create({"type_id": cls.redelivery.id, "price_unit": 60.0}),
                    Command.create({"type_id": cls.after_hours.id, "price_unit": 40.0}),
                    Command.create({"type_id": cls.tail_lift.id, "price_unit": 25.0}),
                ],
            }
        )
