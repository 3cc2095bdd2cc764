# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields, models
from odoo.tools import populate


class LogisticsException(models.Model):
    _inherit = "logistics.exception"
    # For a million rows in minutes, see bench/bench_dashboard.py (SQL).
    _populate_sizes = {"small": 200, "medium": 5_000, "large": 100_000}
    _populate_dependencies = [
        "res.company",
        "res.partner",
        "res.users",
        "product.product",
        "stock.warehouse",
        "logistics.exception.team",
    ]

    def _populate_factories(self):
        populated = self.env.registry.populated_models
        company_ids = populated["res.company"]
        # The shipped categories and reason codes: every database has them.
        categories = self.env["logistics.exception.category"].search(
            [("company_id", "=", False)]
        )
        reasons = self.env["logistics.exception.reason"].search(
            [("company_id", "=", False), ("category_id", "in", categories.ids)]
        )
        reason_pairs = [(reason.category_id.id, reason.id) for reason in reasons]
        reason_pairs += [(category.id, False) for category in categories]

        def ids_by_company(model, domain):
            return {
                company.id: ids
                for company, ids in self.env[model]._read_group(
                    domain, ["company_id"], ["id:array_agg"]
                )
            }

        teams = ids_by_company(
            "logistics.exception.team",
            [("id", "in", populated["logistics.exception.team"])],
        )
        warehouses = ids_by_company(
            "stock.warehouse", [("company_id", "in", company_ids)]
        )
        users = ids_by_company(
            "res.users",
            [("id", "in", populated["res.users"]), ("share", "=", False)],
        )
        # Partners and products of the exception's company, or shared.
        partners = ids_by_company(
            "res.partner", [("id", "in", populated["res.partner"])]
        )
        products = ids_by_company(
            "product.product", [("id", "in", populated["product.product"])]
        )
        now = fields.Datetime.now()

        def pick(mapping):
            def get(random, values, **kwargs):
                ids = mapping.get(values["company_id"])
                return random.choice(ids) if ids else False

            return get

        def get_category(random, values, **kwargs):
            category_id, reason_id = random.choice(reason_pairs)
            values["reason_id"] = reason_id
            return category_id

        def pick_own_or_shared(mapping, share):
            def get(random, values, **kwargs):
                ids = mapping.get(values["company_id"], []) + mapping.get(False, [])
                return random.choice(ids) if ids and random.random() < share else False

            return get

        def get_date_detected(random, **kwargs):
            return now - timedelta(minutes=random.randint(0, 90 * 24 * 60))

        return [
            ("summary", populate.constant("populated exception {counter}")),
            ("company_id", populate.randomize(company_ids)),
            ("category_id", populate.compute(get_category)),
            ("team_id", populate.compute(pick(teams))),
            ("warehouse_id", populate.compute(pick(warehouses))),
            ("partner_id", populate.compute(pick_own_or_shared(partners, 0.5))),
            ("product_id", populate.compute(pick_own_or_shared(products, 0.7))),
            (
                "severity",
                populate.randomize(
                    ["low", "medium", "high", "critical"], [0.3, 0.45, 0.2, 0.05]
                ),
            ),
            (
                "detected_by",
                populate.randomize(
                    ["manual", "scanner", "rule", "email", "api"],
                    [0.4, 0.2, 0.3, 0.05, 0.05],
                ),
            ),
            (
                "state",
                populate.randomize(
                    ["new", "in_progress", "waiting", "cancelled"],
                    [0.4, 0.35, 0.15, 0.1],
                ),
            ),
            ("user_id", populate.compute(pick(users))),
            ("date_detected", populate.compute(get_date_detected)),
        ]
