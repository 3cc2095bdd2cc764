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
    team_ids = fields.Many2many(
        "logistics.exception.team",
        string="Teams",
        check_company=True,
        help="Applies to the exceptions of these queues only. Empty: any queue.",
    )
    warehouse_ids = fields.Many2many(
        "stock.warehouse",
        string="Warehouses",
        check_company=True,
        help="Applies to the exceptions of these warehouses only. Empty: any "
        "warehouse.",
    )
    escalation_ids = fields.One2many(
        "logistics.exception.sla.escalation",
        "policy_id",
        string="Escalation Ladder",
        copy=True,
        help="What happens, in this order, as the clocks of an exception run out.",
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

    # Editing what decides which policy applies, or its targets, moves the
    # deadlines of the open exceptions of the company.
    _sla_fields = {
        "active",
        "sequence",
        "company_id",
        "category_ids",
        "min_severity",
        "customer_tier",
        "team_ids",
        "warehouse_ids",
        "response_hours",
        "resolution_hours",
        "warning_percent",
        "escalation_ids",
    }

    @api.model_create_multi
    def create(self, vals_list):
        policies = super().create(vals_list)
        policies.company_id._logistics_sla_outdated()
        return policies

    def write(self, vals):
        companies = self.company_id
        res = super().write(vals)
        if self._sla_fields & set(vals):
            (self.company_id | companies)._logistics_sla_outdated()
        return res

    def unlink(self):
        companies = self.company_id
        res = super().unlink()
        companies._logistics_sla_outdated()
        return res

    def _logistics_sla_policy_outdated(self):
        """The ladder of these policies changed: their open exceptions get
        their next check recomputed."""
        if self:
            self.env["logistics.exception"]._sla_mark_outdated(
                [("sla_policy_id", "in", self.ids)]
            )

    def _get_criteria(self):
        """What this policy asks, as plain values read once per batch (see
        ``_find_policy``). Override me with ``_matches`` to add criteria."""
        self.ensure_one()
        return {
            "company": self.company_id.id,
            "categories": frozenset(self.category_ids.ids),
            "min_rank": SEVERITY_RANK.get(self.min_severity)
            if self.min_severity
            else None,
            "tier": self.customer_tier,
            "teams": frozenset(self.team_ids.ids),
            "warehouses": frozenset(self.warehouse_ids.ids),
        }

    def _matches(self, exception, criteria=None):
        """Whether this policy applies to ``exception``. ``criteria``: this
        policy's ``_get_criteria()``, if already read. Override me to add
        criteria (and count them in ``_get_specificity``)."""
        self.ensure_one()
        criteria = criteria or self._get_criteria()
        if criteria["company"] != exception.company_id.id:
            return False
        if criteria["categories"] and not (
            criteria["categories"] & exception._get_category_path()
        ):
            return False
        if (
            criteria["min_rank"] is not None
            and SEVERITY_RANK.get(exception.severity, -1) < criteria["min_rank"]
        ):
            return False
        if criteria["tier"]:
            customer = exception.customer_id
            tier = customer.logistics_service_tier if customer else False
            if tier != criteria["tier"]:
                return False
        if criteria["teams"] and exception.team_id.id not in criteria["teams"]:
            return False
        return (
            not criteria["warehouses"]
            or exception.warehouse_id.id in criteria["warehouses"]
        )

    def _get_specificity(self):
        """How specific this policy is: the number of its criteria (category,
        severity, customer tier, team, warehouse). The most specific match
        wins; among equals, the lowest sequence."""
        self.ensure_one()
        return sum(
            bool(criterion)
            for criterion in (
                self.category_ids,
                self.min_severity,
                self.customer_tier,
                self.team_ids,
                self.warehouse_ids,
            )
        )

    @api.model
    def _find_policy(self, exception, policies=None, table=None):
        """The most specific matching policy, then the first by sequence,
        among ``policies`` if given (read from the database otherwise), or in
        ``table`` (their ``_get_match_table()``, read once for a batch)."""
        if table is None:
            if policies is None:
                policies = self.search([("company_id", "=", exception.company_id.id)])
            table = policies._get_match_table()
        best, best_key = self.browse(), -1
        for policy, criteria, specificity in table:
            if specificity > best_key and policy._matches(exception, criteria):
                best, best_key = policy, specificity
        return best

    def _get_match_table(self):
        """[(policy, criteria, specificity)] of these policies, in order."""
        return [
            (policy, policy._get_criteria(), policy._get_specificity())
            for policy in self
        ]
