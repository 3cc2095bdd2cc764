# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL


class LogisticsExceptionCostType(models.Model):
    _name = "logistics.exception.cost.type"
    _description = "Logistics Exception Cost Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Stable identifier used by integrations and the dashboards, e.g. "
        "CREDIT_NOTE.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Leave empty to share this cost type between companies.",
    )
    description = fields.Text(translate=True)

    def init(self):
        # One code per company, and one among the shared types.
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS %s "
                "ON %s (code, COALESCE(company_id, 0))",
                SQL.identifier("logistics_exception_cost_type_code_uniq"),
                SQL.identifier(self._table),
            )
        )

    @api.model
    def _get_by_code(self, code, company):
        """The type of ``code`` for ``company``: its own before the shared
        one, an active one before an archived one (archiving a shipped type
        must not stop detectors and invoices from recording their costs)."""
        domain = [("code", "=", code), ("company_id", "in", [company.id, False])]
        types = self.search(domain) or self.with_context(active_test=False).search(
            domain
        )
        return types.filtered("company_id")[:1] or types[:1]
