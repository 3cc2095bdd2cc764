from odoo import fields, models


class LogisticsExceptionRootCause(models.Model):
    _name = "logistics.exception.root.cause"
    _description = "Logistics Exception Root Cause"
    _inherit = ["logistics.exception.config.mixin"]
    _order = "category_id, sequence, name, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    company_id = fields.Many2one(
        help="Leave empty to share the root cause between all companies."
    )
    category_id = fields.Many2one(
        "logistics.exception.category",
        index=True,
        ondelete="restrict",
        check_company=True,
        help="Leave empty for a root cause that applies to every category.",
    )
    description = fields.Text(translate=True)
