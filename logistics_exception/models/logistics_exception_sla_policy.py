from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .logistics_exception_category import SEVERITIES, SEVERITY_RANK
from .res_partner import SERVICE_TIERS


class LogisticsExceptionSlaPolicy(models.Model):
    _name = "logistics.exception.sla.policy"
    _description = "Logistics Exception SLA Policy"
    _inherit = ["logistics.exception.config.mixin"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(
        help="When several policies match an exception, the one with the lowest "
        "sequence applies."
    )
    company_id = fields.Many2one(required=True, default=lambda self: self.env.company)
    category_ids = fields.Many2many(
        "logistics.exception.category",
        string="Categories",
        check_company=True,
        help="Categories this policy applies to, their subcategories included. "
        "Empty: every category.",
    )
    min_severity = fields.Selection(
        SEVERITIES,
        string="Minimum Severity",
        help="Applies to exceptions of this severity or worse. Empty: any severity.",
    )
    customer_tier = fields.Selection(
        SERVICE_TIERS,
        help="Applies to customers of this service tier only. Empty: any customer.",
    )
    response_hours = fields.Float(
        help="Working hours allowed before the owner first acts on the exception."
    )
    resolution_hours = fields.Float(
        required=True,
        help="Working hours allowed from detection to resolution.",
    )
    warning_percent = fields.Integer(
        default=75,
        help="The exception is at risk once this share of the allowed time is used.",
    )
    description = fields.Text(translate=True)

    @api.constrains("response_hours", "resolution_hours", "warning_percent")
    def _check_hours(self):
        for policy in self:
            if policy.resolution_hours <= 0 or policy.response_hours < 0:
                raise ValidationError(
                    _(
                        "SLA policy %(policy)s needs a positive resolution time "
                        "and a response time that is not negative.",
                        policy=policy.name,
                    )
                )
            if policy.response_hours > policy.resolution_hours:
                raise ValidationError(
                    _(
                        "SLA policy %(policy)s allows more time to respond than to "
                        "resolve. Shorten the response time.",
                        policy=policy.name,
                    )
                )
            if not 1 <= policy.warning_percent <= 100:
                raise ValidationError(
                    _(
                        "The warning threshold of SLA policy %(policy)s must be "
                        "between 1 and 100 percent.",
                        policy=policy.name,
                    )
                )

    def _matches(self, exception):
        """Whether this policy applies to ``exception``. Override me to add criteria."""
        self.ensure_one()
        if self.company_id != exception.company_id:
            return False
        if self.category_ids:
            ancestor_ids = {
                int(cat_id)
                for cat_id in (exception.category_id.parent_path or "").split("/")
                if cat_id
            }
            if not ancestor_ids & set(self.category_ids.ids):
                return False
        if self.min_severity and SEVERITY_RANK.get(
            exception.severity, -1
        ) < SEVERITY_RANK.get(self.min_severity):
            return False
        if self.customer_tier:
            customer = exception.customer_id
            tier = customer.logistics_service_tier if customer else False
            if tier != self.customer_tier:
                return False
        return True

    @api.model
    def _find_policy(self, exception, policies=None):
        """First matching policy by sequence, among ``policies`` if given."""
        if policies is None:
            policies = self.search([("company_id", "=", exception.company_id.id)])
        for policy in policies:
            if policy._matches(exception):
                return policy
        return self.browse()
