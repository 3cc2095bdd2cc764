from odoo import api, fields, models

from .logistics_exception_category import check_code_unique


class LogisticsExceptionRootCause(models.Model):
    _name = "logistics.exception.root.cause"
    _description = "Logistics Exception Root Cause"
    _order = "category_id, sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Leave empty to share the root cause between all companies.",
    )
    category_id = fields.Many2one(
        "logistics.exception.category",
        index=True,
        ondelete="restrict",
        check_company=True,
        help="Leave empty for a root cause that applies to every category.",
    )
    description = fields.Text(translate=True)

    @api.constrains("code", "company_id", "active")
    def _check_code_unique(self):
        check_code_unique(self)
