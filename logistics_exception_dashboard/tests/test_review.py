# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

import psycopg2

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form
from odoo.tools import mute_logger

from odoo.addons.logistics_exception.tests.common import LogisticsExceptionCommon


class TestReview(LogisticsExceptionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.review_category = cls.env.ref(
            "logistics_exception_dashboard.category_process_review"
        )
        cls.category = cls.env["logistics.exception.category"].create(
            {
                "name": "Pallet Damage",
                "code": "TEST_PALLET_DAMAGE",
                "review_threshold": 2,
                "review_window_days": 30,
                "review_by_vendor": True,
                "review_by_product": True,
                "review_by_location": False,
                "review_by_route": True,
                "review_by_customer": False,
            }
        )
        cls.category.with_company(cls.company).team_id = cls.team
        cls.other_team = cls.env["logistics.exception.team"].create(
            {"name": "North Dock", "company_id": cls.other_company.id}
        )
        cls.category.with_company(cls.other_company).team_id = cls.other_team
        cls.product = cls.env["product.product"].create(
            {"name": "Oak pallet 120x80", "type": "product"}
        )
        cls.other_product = cls.env["product.product"].create(
            {"name": "Pine pallet 120x100", "type": "product"}
        )
        cls.vendor = cls.env["res.partner"].create(
            {"name": "Pallets & Co", "is_company": True}
        )

    def _occurrences(self, count, company=None, **values):
        company = company or self.company
        team = self.team if company == self.company else self.other_team
        return self.env["logistics.exception"].concat(
            *(
                self._create_exception(
                    summary=f"Broken pallet {index}",
                    category_id=self.category.id,
                    company_id=company.id,
                    team_id=team.id,
                    **values,
                )
                for index in range(count)
            )
        )

    def _review(self, companies=None):
        return self.env["logistics.exception"]._review_recurring_patterns(
            self.category, companies or self.company
        )

    def test_more_than_threshold_opens_one_review_with_occurrences(self):
        occurrences = self._occurrences(3, product_id=self.product.id)
        self._occurrences(2, product_id=self.other_product.id)
        review = self._review()
        self.assertEqual(len(review), 1)
        self.assertEqual(review.category_id, self.review_category)
        self.assertTrue(review.is_process_review)
        self.assertEqual(review.team_id, self.team)
        self.assertEqual(review.company_id, self.company)
        self.assertEqual(review.product_id, self.product)
        self.assertEqual(
            review.source_key,
            f"review:{self.category.id}:product:{self.product.id}",
        )
        self.assertEqual(review.child_ids, occurrences)
        self.assertIn("Oak pallet", review.summary)
        for occurrence in occurrences:
            self.assertIn(occurrence.name, review.description)

    def test_threshold_reached_but_not_exceeded_opens_nothing(self):
        self._occurrences(2, product_id=self.product.id)
        self.assertFalse(self._review())

    def test_occurrences_outside_window_do_not_count(self):
        old = fields.Datetime.now() - timedelta(days=31)
        self._occurrences(2, product_id=self.product.id, date_detected=old)
        self._occurrences(2, product_id=self.product.id)
        self.assertFalse(self._review())
        self.category.review_window_days = 40
        self.assertEqual(len(self._review().child_ids), 4)

    def test_cancelled_and_consequences_do_not_count(self):
        occurrences = self._occurrences(3, product_id=self.product.id)
        occurrences[0].action_cancel()
        self.assertFalse(self._review())
        root = self._create_exception(summary="Forklift down")
        occurrences[1].parent_id = root
        occurrences[0].action_reopen()
        self.assertFalse(self._review())

    def test_dimension_not_chosen_is_ignored(self):
        self._occurrences(3, product_id=self.product.id)
        self.category.review_by_product = False
        self.assertFalse(self._review())

    def test_second_run_adds_to_open_review_instead_of_opening_another(self):
        first = self._occurrences(3, product_id=self.product.id)
        review = self._review()
        self.assertEqual(self._review(), self.env["logistics.exception"])
        later = self._occurrences(3, product_id=self.product.id)
        again = self._review()
        self.assertEqual(again, review)
        self.assertEqual(review.child_ids, first | later)
        self.assertEqual(
            self.env["logistics.exception"].search_count(
                [("source_key", "=", review.source_key)]
            ),
            1,
        )

    def test_new_review_once_the_previous_one_is_closed(self):
        first = self._occurrences(3, product_id=self.product.id)
        review = self._review()
        review.user_id = self.manager
        review.action_resolve()
        # The reviewed occurrences stay with their review: no new one.
        self.assertFalse(self._review())
        later = self._occurrences(3, product_id=self.product.id)
        second = self._review()
        self.assertTrue(second)
        self.assertNotEqual(second, review)
        self.assertEqual(second.source_key, review.source_key)
        self.assertEqual(second.child_ids, later)
        self.assertEqual(review.child_ids, first)

    def test_database_refuses_a_second_open_review_of_one_pattern(self):
        self._occurrences(3, product_id=self.product.id)
        review = self._review()
        other = self._create_exception(
            summary="Hand-made review", category_id=self.review_category.id
        )
        self.env.flush_all()
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.errors.UniqueViolation),
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute(
                "UPDATE logistics_exception SET source_key = %s WHERE id = %s",
                (review.source_key, other.id),
            )
        with self.assertRaisesRegex(ValidationError, review.name):
            other.source_key = review.source_key

    def test_vendor_of_purchase_order_and_receipt(self):
        purchase = self.env["purchase.order"].create({"partner_id": self.vendor.id})
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.company.id)], limit=1
        )
        contact = self.env["res.partner"].create(
            {"name": "Dock contact", "parent_id": self.vendor.id}
        )
        receipt = self.env["stock.picking"].create(
            {
                "picking_type_id": warehouse.in_type_id.id,
                "partner_id": contact.id,
                "location_id": self.env.ref("stock.stock_location_suppliers").id,
                "location_dest_id": warehouse.lot_stock_id.id,
            }
        )
        self.category.review_by_route = False
        self._occurrences(2, purchase_id=purchase.id)
        self._occurrences(1, picking_id=receipt.id)
        review = self._review()
        self.assertEqual(
            review.source_key, f"review:{self.category.id}:vendor:{self.vendor.id}"
        )
        self.assertEqual(len(review.child_ids), 3)
        self.assertIn("Pallets & Co", review.summary)

    def test_occurrence_shared_by_two_patterns_goes_to_one_review(self):
        purchase = self.env["purchase.order"].create({"partner_id": self.vendor.id})
        both = self._occurrences(3, product_id=self.product.id, purchase_id=purchase.id)
        by_vendor = self._occurrences(1, purchase_id=purchase.id)
        review = self._review()
        # The vendor's pattern (4) is larger than the product's (3).
        self.assertEqual(len(review), 1)
        self.assertEqual(
            review.source_key, f"review:{self.category.id}:vendor:{self.vendor.id}"
        )
        self.assertEqual(review.child_ids, both | by_vendor)
        self.assertFalse(self._review())

    def test_route_is_the_operation_type_of_the_transfer(self):
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.company.id)], limit=1
        )
        pickings = self.env["stock.picking"].create(
            [
                {
                    "picking_type_id": warehouse.out_type_id.id,
                    "location_id": warehouse.lot_stock_id.id,
                    "location_dest_id": self.env.ref(
                        "stock.stock_location_customers"
                    ).id,
                }
                for _index in range(3)
            ]
        )
        for picking in pickings:
            self._occurrences(1, picking_id=picking.id)
        review = self._review()
        self.assertEqual(
            review.source_key,
            f"review:{self.category.id}:route:{warehouse.out_type_id.id}",
        )

    def test_companies_are_reviewed_apart(self):
        self._occurrences(2, product_id=self.product.id)
        other_occurrences = self._occurrences(
            3, company=self.other_company, product_id=self.product.id
        )
        # Two plus three across companies: only the other company's pattern.
        self.assertFalse(self._review(self.company))
        review = self._review(self.company | self.other_company)
        self.assertEqual(review.company_id, self.other_company)
        self.assertEqual(review.team_id, self.other_team)
        self.assertEqual(review.child_ids, other_occurrences)
        # The same pattern in the first company is another event.
        self._occurrences(1, product_id=self.product.id)
        first_company_review = self._review(self.company | self.other_company)
        self.assertEqual(first_company_review.company_id, self.company)
        self.assertEqual(first_company_review.source_key, review.source_key)

    def test_manager_reviews_on_demand_in_own_companies_only(self):
        self._occurrences(3, company=self.other_company, product_id=self.product.id)
        action = self.category.with_user(
            self.manager
        ).action_review_recurring_patterns()
        self.assertEqual(action["tag"], "display_notification")
        mine = self._occurrences(3, product_id=self.product.id)
        action = self.category.with_user(
            self.manager
        ).action_review_recurring_patterns()
        reviews = self.env["logistics.exception"].search(action["domain"])
        self.assertEqual(len(reviews), 1)
        self.assertEqual(reviews.child_ids, mine)

    def test_review_now_on_a_category_not_reviewed_is_refused(self):
        self._occurrences(3, product_id=self.product.id)
        self.category.review_active = False
        with self.assertRaisesRegex(UserError, "tick Review Recurring Patterns"):
            self.category.with_user(self.manager).action_review_recurring_patterns()
        # Nor does the weekly run review it.
        self.env["logistics.exception"]._cron_review_recurring_patterns()
        self.assertFalse(
            self.env["logistics.exception"].search(
                [("source_key", "=like", f"review:{self.category.id}:%")]
            )
        )

    def test_server_action_reviews_the_selected_categories(self):
        mine = self._occurrences(3, product_id=self.product.id)
        action = self.env.ref(
            "logistics_exception_dashboard.action_server_logistics_exception_review"
        )
        result = (
            action.with_user(self.manager)
            .with_context(
                active_model="logistics.exception.category",
                active_ids=self.category.ids,
                active_id=self.category.id,
            )
            .run()
        )
        reviews = self.env["logistics.exception"].search(result["domain"])
        self.assertEqual(reviews.child_ids, mine)
        self.assertEqual(result["views"][0][1], "tree")

    def test_plain_user_cannot_run_the_review(self):
        self._occurrences(3, product_id=self.product.id)
        with self.assertRaises(AccessError):
            self.category.with_user(self.user).action_review_recurring_patterns()
        self.assertFalse(
            self.env["logistics.exception"].search(
                [("category_id", "=", self.review_category.id)]
            )
        )

    def test_weekly_cron_reviews_every_company(self):
        self._occurrences(3, product_id=self.product.id)
        self._occurrences(3, company=self.other_company, product_id=self.product.id)
        self.env.ref(
            "logistics_exception_dashboard.ir_cron_logistics_exception_review"
        ).method_direct_trigger()
        reviews = self.env["logistics.exception"].search(
            [
                (
                    "source_key",
                    "=",
                    f"review:{self.category.id}:product:{self.product.id}",
                )
            ]
        )
        self.assertEqual(reviews.company_id, self.company | self.other_company)

    def test_category_form_sets_the_review_and_counts_open_reviews(self):
        with Form(self.category.with_user(self.admin)) as form:
            form.review_threshold = 1
            form.review_window_days = 7
            form.review_by_route = False
        self.assertEqual(self.category.review_threshold, 1)
        self.assertEqual(self.category.review_open_count, 0)
        self._occurrences(2, product_id=self.product.id)
        self._occurrences(2, product_id=self.other_product.id)
        reviews = self._review()
        self.assertEqual(len(reviews), 2)
        self.category.invalidate_recordset(["review_open_count"])
        self.assertEqual(self.category.review_open_count, 2)
        action = self.category.action_open_reviews()
        self.assertEqual(
            self.env["logistics.exception"].search(action["domain"]), reviews
        )

    def test_review_settings_are_checked(self):
        cases = [
            ({"review_threshold": 0}, "at least one exception"),
            ({"review_window_days": 0}, "at least one day"),
            (
                {
                    "review_by_vendor": False,
                    "review_by_product": False,
                    "review_by_route": False,
                },
                "choose what",
            ),
        ]
        for vals, message in cases:
            with (
                self.assertRaisesRegex(ValidationError, message),
                self.env.cr.savepoint(),
            ):
                self.category.write(vals)
            self.category.invalidate_recordset()
            self.assertEqual(self.category.review_threshold, 2)
        # Not reviewed: nothing to check.
        self.category.write({"review_active": False, "review_threshold": 0})
