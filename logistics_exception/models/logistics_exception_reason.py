from odoo import api, fields, models
from odoo.osv import expression

from .logistics_exception_category import (
    SEVERITIES,
    check_code_unique,
)


class LogisticsExceptionReason(models.Model):
    _name = "logistics.exception.reason"
    _description = "Logistics Exception Reason Code"
    _order = "category_id, sequence, code, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Reason code, unique per company, e.g. SHORT_PICK.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Leave empty to share the reason code between all companies.",
    )
    category_id = fields.Many2one(
        "logistics.exception.category",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    severity = fields.Selection(
        SEVERITIES,
        help="Overrides the category's default severity for this reason.",
    )
    barcode = fields.Char(
        copy=False,
        help="Printed on reason-code sheets and scanned on handhelds.",
    )
    description = fields.Text(translate=True)

    _sql_constraints = [
        (
            "barcode_uniq",
            "unique (barcode)",
            "This barcode is already printed on another reason code.",
        ),
    ]

    @api.constrains("code", "company_id", "active")
    def _check_code_unique(self):
        check_code_unique(self)

    @api.depends("code", "name")
    def _compute_display_name(self):
        for reason in self:
            reason.display_name = (
                f"[{reason.code}] {reason.name}" if reason.code else reason.name
            )

    @api.model
    def _name_search(self, name, domain=None, operator="ilike", limit=None, order=None):
        if name and operator in ("ilike", "=ilike", "like", "=like"):
            name_domain = [
                "|",
                "|",
                ("code", "=ilike", name),
                ("barcode", "=", name),
                ("name", operator, name),
            ]
            domain = expression.AND([name_domain, domain])
            name = ""
        return super()._name_search(
            name, domain=domain, operator=operator, limit=limit, order=order
        )
