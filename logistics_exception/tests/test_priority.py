from odoo.exceptions import UserError
from odoo.tests import Form

from .common import LogisticsExceptionCommon


class TestPriority(LogisticsExceptionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.logistics_exception_high_value_amount = 10000
        cls.low_category = cls.env.ref("logistics_exception.category_customer_change")
        cls.low_category.default_severity = "low"
        cls.product = cls.env["product.product"].create(
            {"name": "Pallet of detergent", "type": "product", "list_price": 100.0}
        )

    def _order(self, amount):
        return self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [
                    (
                        0,
                        0,
                        {
                            "product_id": self.product.id,
                            "product_uom_qty": 1,
                            "price_unit": amount,
                            "tax_id": [(5, 0, 0)],
                        },
                    )
                ],
            }
        )

    def test_priority_follows_severity(self):
        expected = {"low": "0", "medium": "1", "high": "2", "critical": "3"}
        for severity, priority in expected.items():
            with self.subTest(severity=severity):
                exception = self._create_exception(severity=severity)
                self.assertEqual(exception.priority, priority)

    def test_customer_tier_raises_priority(self):
        self.customer.logistics_service_tier = "standard"
        contact = self.env["res.partner"].create(
            {"name": "Receiving desk", "parent_id": self.customer.id}
        )
        exception = self._create_exception(
            category_id=self.low_category.id, partner_id=contact.id
        )
        self.assertEqual(exception.priority, "0")
        # The commercial entity's tier counts for its contacts.
        self.customer.logistics_service_tier = "priority"
        self.assertEqual(exception.priority, "1")
        self.customer.logistics_service_tier = "strategic"
        self.assertEqual(exception.priority, "2")

    def test_high_value_order_raises_priority(self):
        small = self._create_exception(
            category_id=self.low_category.id, sale_id=self._order(500).id
        )
        big = self._create_exception(
            category_id=self.low_category.id, sale_id=self._order(25000).id
        )
        self.assertEqual(small.priority, "0")
        self.assertEqual(big.priority, "1")
        self.assertEqual(big.partner_id, self.customer)

    def test_priority_is_capped_at_three_stars(self):
        self.customer.logistics_service_tier = "strategic"
        exception = self._create_exception(
            severity="critical", sale_id=self._order(50000).id
        )
        self.assertEqual(exception.priority, "3")

    def test_manager_override_sticks(self):
        exception = self._create_exception(category_id=self.low_category.id)
        exception.with_user(self.manager).priority = "3"
        self.assertTrue(exception.priority_locked)
        exception.severity = "medium"
        self.assertEqual(exception.priority, "3")

    def test_user_cannot_override_priority(self):
        exception = self._create_exception(category_id=self.low_category.id)
        with self.assertRaisesRegex(UserError, "Only exception managers"):
            exception.with_user(self.user).write({"priority": "3"})
        exception.invalidate_recordset()
        self.assertEqual(exception.priority, "0")
        self.assertFalse(exception.priority_locked)

    def test_user_form_keeps_computed_priority(self):
        with Form(self.env["logistics.exception"].with_user(self.user)) as form:
            form.summary = "Customer moved delivery to Friday"
            form.category_id = self.low_category
            self.assertEqual(form.priority, "0")
            form.severity = "high"
            self.assertEqual(form.priority, "2")
        exception = form.save()
        self.assertEqual(exception.priority, "2")
        self.assertFalse(exception.priority_locked)
