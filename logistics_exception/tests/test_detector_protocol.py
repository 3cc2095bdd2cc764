from odoo_test_helper import FakeModelLoader

from odoo import Command

from .test_detection_inventory import DetectionCommon

KEY = "incomplete_address"
LABEL = "Order shipping to an incomplete address"


class TestDetectorProtocol(DetectionCommon):
    """Another module adds a detector with one file and one rule record, and
    overrides no method of the engine: the detector of tests/models_detector.py
    fires on a real event, on the scan, and clears."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.loader = FakeModelLoader(cls.env, cls.__module__)
        cls.loader.backup_registry()
        from .models_detector import IncompleteAddressDetector

        cls.loader.update_registry((IncompleteAddressDetector,))
        cls.Engine = cls.env["logistics.exception.engine"]
        # Only the detector under test: the rules of the database (demo data)
        # would scan their own documents and change what the scan returns.
        cls.Rule.search([]).active = False
        cls.category = cls.env["logistics.exception.category"].create(
            {
                "name": "Incomplete Address",
                "code": "INCOMPLETE_ADDRESS",
                "default_severity": "medium",
                "customer_impact": True,
            }
        )
        # What the other module's data file would hold.
        cls.rule = cls.Rule.create(
            {
                "name": "Orders shipping to an incomplete address",
                "detector": KEY,
                "category_id": cls.category.id,
                "description": "A confirmed order has goods to ship to an "
                "address without a street or a city.",
            }
        )
        cls.customer.write({"street": "Europaweg 12", "city": "Rotterdam"})
        cls.new_site = cls.env["res.partner"].create(
            {
                "name": "Acme Retail, new store",
                "parent_id": cls.customer.id,
                "type": "delivery",
                "city": "Utrecht",
            }
        )

    @classmethod
    def tearDownClass(cls):
        cls.loader.restore_registry()
        super().tearDownClass()

    def _order(self, shipping):
        """A confirmed sales order of one storable product shipping to
        ``shipping``."""
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "partner_shipping_id": shipping.id,
                "warehouse_id": self.warehouse.id,
                "order_line": [
                    Command.create(
                        {"product_id": self.product.id, "product_uom_qty": 1}
                    )
                ],
            }
        )
        order.action_confirm()
        return order

    def test_detector_is_offered_to_admins(self):
        selection = dict(self.Rule.fields_get(["detector"])["detector"]["selection"])
        self.assertEqual(selection[KEY], LABEL)
        self.assertIn("late_transfer", selection)
        self.assertEqual(
            self.rule._detector()._name, f"logistics.exception.detector.{KEY}"
        )

    def test_confirming_an_order_to_an_incomplete_address_raises_once(self):
        complete = self._order(self.customer)
        order = self._order(self.new_site)
        exception = self._exceptions(self.rule)
        self.assertEqual(len(exception), 1)
        self.assertEqual(exception.rule_id, self.rule)
        self.assertEqual(exception.detected_by, "rule")
        self.assertEqual(exception.category_id, self.category)
        self.assertEqual(exception.source_ref, order)
        self.assertEqual(
            exception.source_key, f"rule:{self.rule.id}:sale.order:{order.id}"
        )
        self.assertEqual(exception.sale_id, order)
        self.assertEqual(exception.partner_id, self.customer)
        self.assertTrue(exception.customer_impact)
        self.assertIn(self.new_site.name, exception.summary)
        # Neither the event again nor the scan raises a second one: the event
        # finds the open one again.
        self.assertEqual(
            self.Engine._dispatch("order_confirmed", order | complete), exception
        )
        self.assertFalse(self.Engine._cron_scan())
        self.assertEqual(self._exceptions(self.rule), exception)
        self.assertTrue(exception.is_open)

    def test_scan_pages_from_the_cursor(self):
        orders = self._order(self.customer) | self._order(self.customer)
        orders.partner_shipping_id = self.new_site
        detector = self.rule._detector()
        vals_list, cursor = detector._scan(self.rule, 1, None)
        self.assertEqual([vals["sale_id"] for vals in vals_list], orders[:1].ids)
        self.assertEqual(cursor, orders[0].id)
        vals_list, cursor = detector._scan(self.rule, 1, cursor)
        self.assertEqual([vals["sale_id"] for vals in vals_list], orders[1:].ids)
        self.assertEqual(cursor, orders[1].id)
        self.assertEqual(detector._scan(self.rule, 1, cursor), ([], None))
        self.assertEqual(len(detector._scan(self.rule, 5, None)[0]), 2)
        self.assertIsNone(detector._scan(self.rule, 5, None)[1])

    def test_scan_raises_in_batches_on_orders_whose_address_changed(self):
        untouched = self._order(self.customer)
        orders = self._order(self.customer) | self._order(self.customer)
        self.assertFalse(self._exceptions(self.rule))
        # The delivery address changes after confirmation: no event of the
        # detector, the scan finds them.
        orders.partner_shipping_id = self.new_site
        self.assertFalse(self._exceptions(self.rule))
        self.assertTrue(self.Engine._cron_scan(batch_size=1))
        self.assertEqual(self._exceptions(self.rule).sale_id, orders[0])
        self.assertTrue(self.Engine._cron_scan(batch_size=1))
        self.assertEqual(self._exceptions(self.rule).sale_id, orders)
        self.assertFalse(self.Engine._cron_scan(batch_size=1))
        exceptions = self._exceptions(self.rule)
        self.assertEqual(len(exceptions), 2)
        self.assertEqual(exceptions.sale_id, orders)
        self.assertNotIn(untouched, exceptions.sale_id)

    def test_scan_resolves_the_exception_once_the_address_is_complete(self):
        other_site = self.env["res.partner"].create(
            {
                "name": "Acme Retail, pop-up store",
                "parent_id": self.customer.id,
                "type": "delivery",
            }
        )
        fixed = self._exceptions(
            self.rule, ("sale_id", "=", self._order(self.new_site).id)
        )
        still = self._exceptions(
            self.rule, ("sale_id", "=", self._order(other_site).id)
        )
        self.assertEqual(len(fixed | still), 2)
        self.new_site.street = "Catharijnesingel 5"
        self.assertFalse(self.Engine._cron_scan())
        self.assertEqual(fixed.state, "resolved")
        self.assertIn(
            "no longer ships to an incomplete address", fixed.message_ids[0].body
        )
        self.assertTrue(still.is_open)

    def test_archived_rule_silences_the_detector(self):
        # The other rules are archived: only this one listens to the event.
        self.assertTrue(self.Engine._listens("order_confirmed"))
        before = self._order(self.new_site)
        self.assertEqual(self._exceptions(self.rule).sale_id, before)
        self.rule.active = False
        self.assertFalse(self.Engine._listens("order_confirmed"))
        after = self._order(self.new_site)
        self.assertFalse(self.Engine._cron_scan())
        self.assertEqual(self._exceptions(self.rule).sale_id, before)
        # Active again, the scan finds the order confirmed meanwhile.
        self.rule.active = True
        self.Engine._cron_scan()
        self.assertEqual(self._exceptions(self.rule).sale_id, before | after)
