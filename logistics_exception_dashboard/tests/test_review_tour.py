# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import new_test_user

from odoo.addons.logistics_exception.tests.common import (
    GROUP_ADMIN,
    LogisticsExceptionTourCase,
)


class TestReviewTour(LogisticsExceptionTourCase):
    def setUp(self):
        super().setUp()
        self.admin = new_test_user(
            self.env,
            login="lex_tour_review_admin",
            password="lex_tour_review_admin",
            groups=f"base.group_user,{GROUP_ADMIN},stock.group_stock_user",
        )
        self.team = self.env["logistics.exception.team"].create(
            {"name": "Tour Dock", "company_id": self.env.company.id}
        )

    def test_admin_runs_the_review_from_the_category(self):
        category = self.env["logistics.exception.category"].create(
            {
                "name": "Tour Pallet Damage",
                "code": "TOUR_PALLET_DAMAGE",
                "review_threshold": 5,
            }
        )
        category.with_company(self.env.company).team_id = self.team
        product = self.env["product.product"].create({"name": "Tour Oak pallet"})
        occurrences = self.env["logistics.exception"].create(
            [
                {
                    "summary": f"Tour broken pallet {index}",
                    "category_id": category.id,
                    "product_id": product.id,
                    "team_id": self.team.id,
                }
                for index in range(3)
            ]
        )
        self.start_tour(
            f"/web#model=logistics.exception.category&id={category.id}&view_type=form",
            "logistics_exception_review_tour",
            login=self.admin.login,
        )
        self.assertEqual(category.review_threshold, 2)
        review = occurrences.parent_id
        self.assertEqual(len(review), 1)
        self.assertEqual(review.create_uid, self.admin)
        self.assertEqual(review.team_id, self.team)

    def test_admin_opens_the_warehouse_scorecard(self):
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        )
        self.env["logistics.exception"].create(
            {
                "summary": "Tour: forklift hit the rack",
                "category_id": self.env.ref(
                    "logistics_exception.category_damaged_goods"
                ).id,
                "warehouse_id": warehouse.id,
                "team_id": self.team.id,
            }
        )
        self.start_tour(
            f"/web#model=stock.warehouse&id={warehouse.id}&view_type=form",
            "logistics_exception_scorecard_tour",
            login=self.admin.login,
        )
