import logging

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression
from odoo.tools.safe_eval import datetime, dateutil, safe_eval, time

from .res_partner import SERVICE_TIERS

_logger = logging.getLogger(__name__)

OWNER_STRATEGIES = [
    ("none", "Keep the owner"),
    ("fixed", "A fixed person"),
    ("leader", "The team leader"),
    ("least_loaded", "The least busy team member"),
    ("round_robin", "Team members in turn"),
    ("document", "The person in charge of the document"),
]
# Strategies that share the work of a team between its members: they lock
# the team's row while picking, so that concurrent transactions take turns.
POOL_STRATEGIES = ("least_loaded", "round_robin")


class LogisticsExceptionRoutingRule(models.Model):
    """Where a new exception goes, and who takes it. The active rules of the
    exception's company are tried by sequence; the first whose conditions all
    hold routes the exception. Empty conditions always hold."""

    _name = "logistics.exception.routing.rule"
    _description = "Logistics Exception Routing Rule"
    _inherit = ["logistics.exception.config.mixin"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(
        help="Rules are tried in this order; the first that matches routes the "
        "exception."
    )
    company_id = fields.Many2one(
        help="Routes the exceptions of this company only. Empty: every company."
    )
    currency_id = fields.Many2one("res.currency", compute="_compute_currency_id")
    description = fields.Text(translate=True)

    # Conditions
    category_ids = fields.Many2many(
        "logistics.exception.category",
        "logistics_exception_routing_rule_category_rel",
        "rule_id",
        "category_id",
        string="Categories",
        check_company=True,
        help="Matches these categories and their subcategories. Empty: any.",
    )
    reason_ids = fields.Many2many(
        "logistics.exception.reason",
        "logistics_exception_routing_rule_reason_rel",
        "rule_id",
        "reason_id",
        string="Reason Codes",
        check_company=True,
        help="Matches these reason codes. Empty: any reason, or none.",
    )
    severity_ids = fields.Many2many(
        "ir.model.fields.selection",
        "logistics_exception_routing_rule_severity_rel",
        "rule_id",
        "selection_id",
        string="Severities",
        domain="[('field_id.model', '=', 'logistics.exception'), "
        "('field_id.name', '=', 'severity')]",
        help="Matches these severities. Empty: any.",
    )
    warehouse_ids = fields.Many2many(
        "stock.warehouse",
        "logistics_exception_routing_rule_warehouse_rel",
        "rule_id",
        "warehouse_id",
        string="Warehouses",
        check_company=True,
        help="Matches exceptions of these warehouses. Empty: any, or none.",
    )
    customer_tier = fields.Selection(
        SERVICE_TIERS,
        help="Matches exceptions hurting a customer of this service tier. Empty: any.",
    )
    min_order_value = fields.Monetary(
        string="Order Value Above",
        currency_field="currency_id",
        help="Matches when the value at stake (the order's total, else the "
        "financial impact) is at least this amount, in the exception's company "
        "currency. Zero: any value.",
    )
    detected_by_ids = fields.Many2many(
        "ir.model.fields.selection",
        "logistics_exception_routing_rule_detected_by_rel",
        "rule_id",
        "selection_id",
        string="Detected By",
        domain="[('field_id.model', '=', 'logistics.exception'), "
        "('field_id.name', '=', 'detected_by')]",
        help="Matches exceptions reported or detected this way. Empty: any.",
    )
    domain = fields.Char(
        string="Other Conditions",
        default="[]",
        help="Any other condition on the exception's fields.",
    )

    # Actions
    team_id = fields.Many2one(
        "logistics.exception.team",
        string="Send to Team",
        check_company=True,
        help="The queue the exception goes to. Empty: the category's default "
        "team, else the warehouse's.",
    )
    owner_strategy = fields.Selection(
        OWNER_STRATEGIES,
        string="Owner",
        required=True,
        default="none",
        help="Who owns the exception. An owner a person chose is never "
        "replaced. The least busy member counts the open exceptions each "
        "member owns in that team; members in turn follow the team's list. "
        "The person in charge of the document is the salesperson of the sales "
        "order, the buyer of the purchase order or the responsible of the "
        "transfer. When nobody fits, the team leader takes it.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Person",
        domain="[('share', '=', False)]",
        help="Owner of the routed exceptions (fixed person).",
    )
    follower_user_ids = fields.Many2many(
        "res.users",
        "logistics_exception_routing_rule_user_rel",
        "rule_id",
        "user_id",
        string="Add Followers",
        domain="[('share', '=', False)]",
        help="These people follow the exception and hear about its progress.",
    )
    follower_partner_ids = fields.Many2many(
        "res.partner",
        "logistics_exception_routing_rule_partner_rel",
        "rule_id",
        "partner_id",
        string="Add Contacts as Followers",
        help="Contacts (e.g. a key account's coordinator) who follow the exception.",
    )
    playbook_id = fields.Many2one(
        "mail.activity.plan",
        string="Start Playbook",
        domain="[('res_model', '=', 'logistics.exception'), "
        "('company_id', 'in', [company_id, False])]",
        help="Steps to schedule on the exception as activities, on top of the "
        "playbook of its reason code or category.",
    )

    @api.depends("company_id")
    def _compute_currency_id(self):
        for rule in self:
            rule.currency_id = (rule.company_id or self.env.company).currency_id

    @api.constrains("owner_strategy", "user_id")
    def _check_owner(self):
        for rule in self:
            if rule.owner_strategy == "fixed" and not rule.user_id:
                raise ValidationError(
                    _(
                        "Routing rule %(rule)s gives the exception to a fixed "
                        "person: choose that person.",
                        rule=rule.name,
                    )
                )

    @api.constrains("team_id", "company_id")
    def _check_team_company(self):
        """A team works the exceptions of its own company: a rule sending to
        a team routes that company's exceptions only."""
        for rule in self.filtered("team_id"):
            if rule.team_id.company_id != rule.company_id:
                raise ValidationError(
                    _(
                        "Routing rule %(rule)s sends exceptions to team %(team)s "
                        "of company %(company)s: set the rule's company to "
                        "%(company)s, or choose a team of the rule's company.",
                        rule=rule.name,
                        team=rule.team_id.name,
                        company=rule.team_id.company_id.name,
                    )
                )

    @api.onchange("team_id")
    def _onchange_team_id(self):
        if self.team_id and not self.company_id:
            self.company_id = self.team_id.company_id

    @api.constrains("domain")
    def _check_domain(self):
        for rule in self:
            try:
                domain = rule._get_domain()
                expression.expression(domain, self.env["logistics.exception"])
            except Exception as error:
                raise ValidationError(
                    _(
                        "The other conditions of routing rule %(rule)s are not "
                        "valid: %(error)s",
                        rule=rule.name,
                        error=error,
                    )
                ) from error

    @api.constrains("playbook_id")
    def _check_playbook(self):
        for rule in self.filtered("playbook_id"):
            if rule.playbook_id.res_model != "logistics.exception":
                raise ValidationError(
                    _(
                        "Playbook %(playbook)s is not made for exceptions: pick "
                        "a playbook of exceptions.",
                        playbook=rule.playbook_id.name,
                    )
                )

    def _get_domain(self):
        """The rule's other conditions as a domain (empty: none)."""
        self.ensure_one()
        if not self.domain:
            return []
        return safe_eval(
            self.domain,
            {
                "datetime": datetime,
                "dateutil": dateutil,
                "time": time,
                "context_today": datetime.datetime.now,
            },
        )

    @api.model
    def _get_rules(self, companies):
        """The active rules of ``companies``, in the order they are tried. One
        query, whatever the number of exceptions routed."""
        # sudo: routing is done by the system for whoever creates the exception.
        return (
            self.sudo()
            .with_context(active_test=True)
            .search(
                [
                    "|",
                    ("company_id", "=", False),
                    ("company_id", "in", companies.ids),
                ]
            )
        )

    def _find_rules(self, exceptions):
        """{exception: the first of these rules that matches it} (exceptions
        without a match are left out). Domains are evaluated once per rule on
        the whole batch, in memory."""
        matched = {}
        remaining = exceptions
        order_values = {}
        for rule in self:
            if not remaining:
                break
            criteria = rule._get_criteria()
            candidates = remaining.filtered(
                lambda e, r=rule, c=criteria: r._matches(e, order_values, c)
            )
            domain = rule._get_domain() if candidates else []
            if candidates and domain:
                try:
                    candidates = candidates.filtered_domain(domain)
                except Exception:
                    _logger.exception(
                        "Routing rule %s (%s): its other conditions failed; "
                        "the rule is skipped.",
                        rule.id,
                        rule.name,
                    )
                    continue
            for exception in candidates:
                matched[exception] = rule
            remaining -= candidates
        return matched

    def _get_criteria(self):
        """The conditions of this rule other than its domain, as plain values
        read once per batch (see ``_find_rules``)."""
        self.ensure_one()
        return {
            "company": self.company_id.id,
            "categories": frozenset(self.category_ids.ids),
            "reasons": frozenset(self.reason_ids.ids),
            "severities": frozenset(self.severity_ids.mapped("value")),
            "warehouses": frozenset(self.warehouse_ids.ids),
            "tier": self.customer_tier,
            "detected_by": frozenset(self.detected_by_ids.mapped("value")),
            "min_order_value": self.min_order_value,
        }

    def _matches(self, exception, order_values, criteria=None):
        """Whether the conditions of this rule other than its domain hold for
        ``exception``. ``order_values`` caches the value at stake by exception;
        ``criteria``: this rule's ``_get_criteria()``, if already read."""
        self.ensure_one()
        criteria = criteria or self._get_criteria()
        if criteria["company"] and criteria["company"] != exception.company_id.id:
            return False
        if criteria["categories"] and not (
            criteria["categories"] & exception._get_category_path()
        ):
            return False
        if criteria["reasons"] and exception.reason_id.id not in criteria["reasons"]:
            return False
        if criteria["severities"] and exception.severity not in criteria["severities"]:
            return False
        if (
            criteria["warehouses"]
            and exception.warehouse_id.id not in criteria["warehouses"]
        ):
            return False
        if criteria["tier"] and (
            not exception.customer_id
            or exception.customer_id.logistics_service_tier != criteria["tier"]
        ):
            return False
        if (
            criteria["detected_by"]
            and exception.detected_by not in criteria["detected_by"]
        ):
            return False
        if criteria["min_order_value"]:
            if exception not in order_values:
                order_values[exception] = exception._get_order_value()
            if order_values[exception] < criteria["min_order_value"]:
                return False
        return True
