# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields, models
from odoo.tools import populate


class LogisticsExceptionCost(models.Model):
    _inherit = "logistics.exception.cost"
    _populate_sizes = {"small": 100, "medium": 2_000, "large": 40_000}
    _populate_dependencies = ["logistics.exception"]

    def _populate_factories(self):
        exception_ids = self.env.registry.populated_models["logistics.exception"]
        # The shipped cost types, shared by every company.
        type_ids = (
            self.env["logistics.exception.cost.type"]
            .search([("company_id", "=", False)])
            .ids
        )
        today = fields.Date.context_today(self)

        def get_date(random, **kwargs):
            return today - timedelta(days=random.randint(0, 90))

        return [
            ("exception_id", populate.randomize(exception_ids)),
            ("cost_type_id", populate.randomize(type_ids)),
            ("amount", populate.randfloat(5, 2_000)),
            ("date", populate.compute(get_date)),
            ("name", populate.constant("populated cost {counter}")),
        ]
