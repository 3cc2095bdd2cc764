# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form

from .common import DispatchBillingCommon


class TestDispatchZoneFromAddress(DispatchBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.france = cls.env.ref("base.fr")
        cls.belgium = cls.env.ref("base.be")
        Zone = cls.env["logistics.dispatch.zone"]
        cls.paris = Zone.create(
            {
                "name": "Paris",
                "code": "PAR",
                "country_id": cls.france.id,
                "zip_prefixes": "75, 77,78",
            }
        )
        cls.paris_centre = Zone.create(
            {"name": "Paris Centre", "code": "PAR-C", "zip_prefixes": "7501 7502"}
        )
        cls.customer.write(
            {"zip": "75011", "country_id": cls.france.id, "street": "1 rue A"}
        )

    def _depot(self):
        return self.env["res.partner"].create(
            {
                "name": "Customer depot",
                "parent_id": self.customer.id,
                "type": "delivery",
                "zip": "77 100",
                "country_id": self.france.id,
            }
        )

    def _order_job(self, partner=None):
        order = self._confirmed_order(partner)
        return order.dispatch_job_ids

    def test_job_of_an_order_takes_the_zone_of_its_delivery_address(self):
        # 75011: both zones match, the longer prefix (7501) wins.
        self.assertEqual(self._order_job().zone_id, self.paris_centre)
        self.customer.zip = "78000"
        self.assertEqual(self._order_job().zone_id, self.paris)

    def test_the_delivery_address_of_the_order_counts(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "partner_shipping_id": self._depot().id,
                "order_line": [
                    Command.create({"product_id": self.goods.id}),
                    Command.create({"product_id": self.transport.id}),
                ],
            }
        )
        order.action_confirm()
        self.assertEqual(order.dispatch_job_ids.zone_id, self.paris)

    def test_country_of_the_zone_applies(self):
        self.customer.write({"zip": "7700", "country_id": self.belgium.id})
        self.assertFalse(self._order_job().zone_id)

    def test_zone_set_on_the_address_wins(self):
        self.customer.dispatch_zone_id = self.zone
        self.assertEqual(self._order_job().zone_id, self.zone)

    def test_no_zone_without_a_match(self):
        self.customer.zip = "13000"
        self.assertFalse(self._order_job().zone_id)

    def test_a_zone_given_is_kept(self):
        job = self._create_job(zone_id=self.zone.id)
        self.assertEqual(job.zone_id, self.zone)

    def test_zones_of_another_company_do_not_apply(self):
        self.paris.company_id = self.company_b
        self.paris_centre.company_id = self.company_b
        self.assertFalse(self._order_job().zone_id)

    def test_dispatcher_picks_an_address_and_gets_its_zone(self):
        job = self._create_job(zone_id=False)
        self.assertEqual(job.zone_id, self.paris_centre)
        form = Form(job.with_user(self.dispatcher))
        form.partner_shipping_id = self._depot()
        self.assertEqual(form.zone_id, self.paris)
        # An address in no zone leaves the zone as it is.
        form.partner_shipping_id = self.env["res.partner"].create(
            {"name": "Nowhere", "zip": "13000"}
        )
        self.assertEqual(form.zone_id, self.paris)

    def test_bad_zip_prefix_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "is not a zip prefix"):
            self.paris.zip_prefixes = "75, 7?7"
