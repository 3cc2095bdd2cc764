# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.logistics_exception.tests.common import LogisticsExceptionTourCase


class TestRateSimulatorTour(LogisticsExceptionTourCase):
    def test_billing_user_simulates_a_redelivery(self):
        billing = new_test_user(
            self.env,
            login="h6_tour_billing",
            password="h6_tour_billing",
            groups="base.group_user,account.group_account_invoice",
        )
        redelivery = self.env.ref(
            "logistics_dispatch_billing.accessorial_type_redelivery"
        )
        card = self.env["logistics.rate.card"].create(
            {
                "name": "Tour Rates",
                "tz": "UTC",
                "fuel_surcharge_percent": 10.0,
                "line_ids": [Command.create({"price_unit": 100.0})],
                "accessorial_line_ids": [
                    Command.create({"type_id": redelivery.id, "price_unit": 60.0})
                ],
            }
        )
        self.start_tour(
            "/web#action=logistics_dispatch_billing.logistics_rate_card_action"
            f"&model=logistics.rate.card&view_type=form&id={card.id}",
            "logistics_rate_card_simulator_tour",
            login=billing.login,
        )
        # A reader's simulation changes nothing on the card.
        self.assertNotEqual(card.write_uid, billing)
