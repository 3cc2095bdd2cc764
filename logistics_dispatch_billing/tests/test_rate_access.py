# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.exceptions import AccessError, UserError

from .rate_common import RateCardCommon


class TestRateAccess(RateCardCommon):
    def test_manager_writes_cards_and_types(self):
        card = self.card.with_user(self.manager)
        card.fuel_surcharge_percent = 12.0
        card.copy({"name": "Standard Rates 2028"})
        self.wait.with_user(self.manager).name = "Waiting"

    def test_dispatcher_and_billing_read_only(self):
        for user in (self.dispatcher, self.billing):
            card = self.card.with_user(user)
            self.assertEqual(card.name, "Standard Rates")
            self.assertTrue(card.line_ids.mapped("price_unit"))
            self.assertTrue(card.accessorial_line_ids.type_id.mapped("code"))
            with self.assertRaises(AccessError):
                card.fuel_surcharge_percent = 0.0
            with self.assertRaises(AccessError):
                card.line_ids[0].price_unit = 0.0
            with self.assertRaises(AccessError):
                self.env["logistics.rate.card"].with_user(user).create({"name": "Mine"})
            with self.assertRaises(AccessError):
                self.wait.with_user(user).name = "Mine"

    def test_driver_cannot_read_cards(self):
        with self.assertRaises(AccessError):
            self.card.with_user(self.driver).read(["name"])

    def test_other_company_card_is_invisible(self):
        foreign = self.env["logistics.rate.card"].create(
            {"name": "Northern default", "company_id": self.other_company.id}
        )
        Card = self.env["logistics.rate.card"].with_user(self.manager)
        self.assertNotIn(foreign, Card.search([]))
        with self.assertRaises(AccessError):
            foreign.with_user(self.manager).read(["name"])

    def test_readers_reach_the_cards_from_the_billing_menu(self):
        menu = self.env.ref(
            "logistics_dispatch_billing.logistics_dispatch_menu_billing_rate_cards"
        )
        config = self.env.ref(
            "logistics_dispatch_billing.logistics_dispatch_menu_config"
        )
        Menu = self.env["ir.ui.menu"]
        for user in (self.dispatcher, self.billing):
            visible = Menu.with_user(user)._visible_menu_ids()
            self.assertIn(menu.id, visible)
            self.assertNotIn(config.id, visible)
        self.assertNotIn(menu.id, Menu.with_user(self.driver)._visible_menu_ids())

    def test_zone_of_another_company_is_refused_on_a_lane(self):
        north = self.env["logistics.dispatch.zone"].create(
            {"name": "North", "code": "H6-N", "company_id": self.other_company.id}
        )
        with self.assertRaisesRegex(UserError, "Incompatible companies"):
            self.card.write(
                {
                    "line_ids": [
                        Command.create({"origin_zone_id": north.id, "price_unit": 10.0})
                    ]
                }
            )
