from odoo import api, fields, models

from .logistics_exception_category import SEVERITIES


class LogisticsExceptionReason(models.Model):
    _name = "logistics.exception.reason"
    _description = "Logistics Exception Reason Code"
    _inherit = ["logistics.exception.config.mixin"]
    _order = "category_id, sequence, code, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Reason code, unique per company, e.g. SHORT_PICK.",
    )
    company_id = fields.Many2one(
        help="Leave empty to share the reason code between all companies."
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
    playbook_id = fields.Many2one(
        "mail.activity.plan",
        string="Playbook",
        domain="[('res_model', '=', 'logistics.exception')]",
        help="Steps scheduled on each new exception with this reason code, "
        "instead of the category's playbook.",
    )

    _sql_constraints = [
        (
            "barcode_uniq",
            "unique (barcode)",
            "This barcode is already printed on another reason code.",
        ),
    ]

    @api.depends("code", "name")
    def _compute_display_name(self):
        for reason in self:
            reason.display_name = (
                f"[{reason.code}] {reason.name}" if reason.code else reason.name
            )

    @api.model
    def _get_name_search_domain(self, name, operator):
        return [
            "|",
            "|",
            ("code", "=ilike", name),
            ("barcode", "=", name),
            ("name", operator, name),
        ]
