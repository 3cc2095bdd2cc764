# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime

from odoo.exceptions import ValidationError
from odoo.tests import Form

from .rate_common import RateCardCommon


class TestRateCardChoice(RateCardCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.retail = cls.env["res.partner.category"].create({"name": "Retail"})
        cls.retail_north = cls.env["res.partner.category"].create(
            {"name": "Retail North", "parent_id": cls.retail.id}
        )
        cls.customer.category_id = cls.retail_north
        cls.address = cls.env["res.partner"].create(
            {"name": "Acme Store 12", "type": "delivery", "parent_id": cls.customer.id}
        )
        Card = cls.env["logistics.rate.card"]
        cls.group_card = Card.create(
            {"name": "Retail 2027", "partner_category_id": cls.retail.id}
        )
        cls.customer_card = Card.create(
            {
                "name": "Acme 2027",
                "partner_id": cls.customer.id,
                "date_start": date(2027, 1, 1),
                "date_end": date(2027, 12, 31),
            }
        )
        cls.customer_promo = Card.create(
            {
                "name": "Acme summer promotion",
                "partner_id": cls.customer.id,
                "date_start": date(2027, 6, 1),
                "date_end": date(2027, 8, 31),
            }
        )
        cls.other_company_card = Card.create(
            {
                "name": "Northern default",
                "company_id": cls.other_company.id,
            }
        )

    def _find(self, partner, day, company=None):
        return self.env["logistics.rate.card"]._find_rate_card(
            partner, day, company or self.company
        )

    def test_overlapping_customer_cards_latest_start_wins(self):
        self.assertEqual(
            self._find(self.customer, date(2027, 7, 15)), self.customer_promo
        )
        self.assertEqual(
            self._find(self.customer, date(2027, 3, 1)), self.customer_card
        )
        self.assertEqual(
            self._find(self.customer, date(2027, 9, 1)), self.customer_card
        )

    def test_delivery_address_uses_its_customer_card(self):
        self.assertEqual(
            self._find(self.address, datetime(2027, 7, 15, 9, 30)), self.customer_promo
        )

    def test_group_card_before_company_default(self):
        # Before the customer's cards start: the group of a parent category.
        self.assertEqual(self._find(self.customer, date(2026, 12, 31)), self.group_card)
        other = self.env["res.partner"].create({"name": "Bistro", "is_company": True})
        self.assertEqual(self._find(other, date(2027, 7, 15)), self.card)

    def test_expired_and_archived_cards_are_ignored(self):
        self.customer_promo.active = False
        self.assertEqual(
            self._find(self.customer, date(2027, 7, 15)), self.customer_card
        )
        self.assertEqual(self._find(self.customer, date(2028, 1, 1)), self.group_card)

    def test_same_level_same_start_lower_sequence_wins(self):
        second = self.customer_promo.copy({"name": "Acme summer bis", "sequence": 1})
        self.assertEqual(self._find(self.customer, date(2027, 7, 15)), second)

    def test_company_of_the_job_decides(self):
        self.assertEqual(
            self._find(self.customer, date(2027, 7, 15), self.other_company),
            self.other_company_card,
        )
        self.other_company_card.active = False
        self.assertFalse(
            self._find(self.customer, date(2027, 7, 15), self.other_company)
        )

    def test_customer_and_group_on_one_card_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "not both"):
            self.env["logistics.rate.card"].create(
                {
                    "name": "Confused",
                    "partner_id": self.customer.id,
                    "partner_category_id": self.retail.id,
                }
            )

    def test_end_before_start_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "ends before it starts"):
            self.customer_card.date_end = date(2026, 1, 1)


class TestRateCardForm(RateCardCommon):
    def test_new_card_form_is_a_company_default_until_a_customer_is_set(self):
        form = Form(self.env["logistics.rate.card"].with_user(self.manager))
        form.name = "Acme 2028"
        self.assertEqual(form.scope, "default")
        self.assertEqual((form.free_waiting_minutes, form.waiting_increment), (30, 15))
        form.partner_id = self.customer
        self.assertEqual(form.scope, "customer")
        card = form.save()
        self.assertEqual(card.company_id, self.company)

    def test_views_open_for_readers(self):
        Card = self.env["logistics.rate.card"]
        for user in (self.dispatcher, self.billing, self.manager):
            views = Card.with_user(user).get_views(
                [(False, "tree"), (False, "form"), (False, "search")]
            )
            self.assertIn("form", views["views"])
