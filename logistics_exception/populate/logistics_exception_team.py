# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command, models
from odoo.tools import populate


# Populate factories live apart from the models, as in Odoo's own modules.
class LogisticsExceptionTeam(models.Model):
    _inherit = "logistics.exception.team"  # pylint: disable=consider-merging-classes-inherited
    _populate_sizes = {"small": 5, "medium": 20, "large": 100}
    _populate_dependencies = ["res.company", "res.users"]

    def _populate_factories(self):
        company_ids = self.env.registry.populated_models["res.company"]
        users_by_company = dict(
            self.env["res.users"]._read_group(
                [
                    ("id", "in", self.env.registry.populated_models["res.users"]),
                    ("share", "=", False),
                ],
                ["company_id"],
                ["id:array_agg"],
            )
        )
        users_by_company = {
            company.id: ids for company, ids in users_by_company.items()
        }

        def get_members(random, values, **kwargs):
            users = users_by_company.get(values["company_id"], [])
            members = random.sample(users, min(len(users), 3))
            return [Command.set(members)]

        return [
            ("name", populate.constant("team_{counter}")),
            ("company_id", populate.iterate(company_ids)),
            ("active", populate.randomize([True, False], [0.9, 0.1])),
            ("member_ids", populate.compute(get_members)),
        ]
