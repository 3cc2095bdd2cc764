from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

SEVERITIES = [
    ("low", "Low"),
    ("medium", "Medium"),
    ("high", "High"),
    ("critical", "Critical"),
]
SEVERITY_RANK = {key: rank for rank, (key, _label) in enumerate(SEVERITIES)}
# The email customers receive about their exceptions unless a category says
# otherwise.
CUSTOMER_TEMPLATE = "logistics_exception.mail_template_exception_customer_update"


class LogisticsExceptionCategory(models.Model):
    _name = "logistics.exception.category"
    _description = "Logistics Exception Category"
    _inherit = [
        "logistics.exception.config.mixin",
        "logistics.exception.detection.cache.mixin",
    ]
    _parent_name = "parent_id"
    _parent_store = True
    _rec_name = "complete_name"
    _order = "sequence, complete_name, id"
    # The engine caches the categories of each code (archived ones included).
    _detection_cache_fields = ("code",)

    @api.model
    def _default_customer_notify_template(self):
        return self.env.ref(CUSTOMER_TEMPLATE, raise_if_not_found=False)

    name = fields.Char(required=True, translate=True)
    complete_name = fields.Char(
        compute="_compute_complete_name", store=True, recursive=True
    )
    code = fields.Char(
        required=True,
        help="Short stable code used by detection rules, imports and reports, "
        "e.g. STOCK_SHORTAGE. Unique per company.",
    )
    color = fields.Integer()
    company_id = fields.Many2one(
        help="Leave empty to share the category between all companies."
    )
    parent_id = fields.Many2one(
        "logistics.exception.category",
        string="Parent Category",
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    parent_path = fields.Char(index=True, unaccent=False)
    child_ids = fields.One2many(
        "logistics.exception.category", "parent_id", string="Subcategories"
    )
    description = fields.Text(translate=True)
    default_severity = fields.Selection(SEVERITIES, required=True, default="medium")
    team_id = fields.Many2one(
        "logistics.exception.team",
        string="Default Team",
        company_dependent=True,
        domain="[('company_id', 'in', allowed_company_ids)]",
        help="Queue that receives the exceptions of this category by default. "
        "Each company sets its own queue for a shared category.",
    )
    requires_root_cause = fields.Boolean(
        help="An exception of this category cannot be resolved without a root cause."
    )
    requires_evidence = fields.Boolean(
        help="An exception of this category cannot be resolved without an "
        "attachment (photo, proof of delivery, carrier document).",
    )
    closure_criteria = fields.Html(
        translate=True,
        help="What must be true before an exception of this category is closed. "
        "Shown to whoever works the exception.",
    )
    customer_impact = fields.Boolean(
        string="Customer Impact by Default",
        help="New exceptions of this category are flagged as hitting a customer.",
    )
    internal_only = fields.Boolean(
        help="Exceptions of this category concern our own operations (credit, "
        "pricing, internal transfers): customers never see them on the portal "
        "and are never notified of them, even when they are flagged as hitting "
        "a customer.",
    )
    customer_notify = fields.Boolean(
        string="Notify the Customer",
        help="Email the customer when a customer-impacting exception of this "
        "category is reported, when its promised date changes and when it is "
        "resolved (at most one update per exception per period set in the "
        "settings). Subcategories have their own setting.",
    )
    customer_notify_template_id = fields.Many2one(
        "mail.template",
        string="Customer Email Template",
        default=lambda self: self._default_customer_notify_template(),
        domain="[('model', '=', 'logistics.exception')]",
        ondelete="set null",
        help="Email the customer receives. Leave empty to use the shipped template.",
    )
    billing_hold = fields.Boolean(
        string="Billing Hold by Default",
        help="New exceptions of this category hold the invoicing of their order.",
    )
    reason_ids = fields.One2many(
        "logistics.exception.reason", "category_id", string="Reasons"
    )
    root_cause_ids = fields.One2many(
        "logistics.exception.root.cause", "category_id", string="Root Causes"
    )
    reason_count = fields.Integer(compute="_compute_reason_count")
    playbook_id = fields.Many2one(
        "mail.activity.plan",
        string="Playbook",
        domain="[('res_model', '=', 'logistics.exception')]",
        help="Steps scheduled on each new exception of this category (and of "
        "its subcategories without a playbook), unless its reason code has a "
        "playbook of its own.",
    )
    requires_playbook_done = fields.Boolean(
        string="Finish Required Steps Before Resolving",
        help="An exception of this category cannot be resolved while a "
        "required step of its playbook is still open.",
    )

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for category in self:
            if category.parent_id:
                category.complete_name = (
                    f"{category.parent_id.complete_name} / {category.name}"
                )
            else:
                category.complete_name = category.name

    def _compute_reason_count(self):
        counts = dict(
            self.env["logistics.exception.reason"]._read_group(
                [("category_id", "in", self.ids)],
                groupby=["category_id"],
                aggregates=["__count"],
            )
        )
        for category in self:
            category.reason_count = counts.get(category, 0)

    @api.constrains("parent_id")
    def _check_parent_id(self):
        if not self._check_recursion():
            raise ValidationError(_("A category cannot be its own parent."))

    @api.onchange("internal_only")
    def _onchange_internal_only(self):
        if self.internal_only:
            self.customer_notify = False

    @api.model
    def _get_name_search_domain(self, name, operator):
        return ["|", ("code", "=ilike", name), ("complete_name", operator, name)]

    def _get_team(self, company):
        """Default queue of ``company``: this category's, else the nearest
        parent's."""
        self.ensure_one()
        category = self.with_company(company)
        while category and not category.team_id:
            category = category.parent_id
        team = category.team_id
        return team if team.company_id == company else team.browse()
