from collections import defaultdict
from datetime import timedelta
from itertools import zip_longest

from odoo import _, api, fields, models, tools
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL

from .logistics_exception_category import SEVERITIES, SEVERITY_RANK
from .logistics_exception_routing import LOG_CREATION_CONTEXT

STATES = [
    ("new", "New"),
    ("assigned", "Assigned"),
    ("in_progress", "In Progress"),
    ("waiting", "Waiting"),
    ("resolved", "Resolved"),
    ("closed", "Closed"),
    ("cancelled", "Cancelled"),
]
CLOSED_STATES = ("resolved", "closed", "cancelled")
# Which state may follow which, for buttons, kanban drag and drop and plain
# ``write`` alike. Going back to new/assigned from resolved, closed or
# cancelled is a reopening: only managers reopen a closed exception.
TRANSITIONS = {
    "new": {"assigned", "in_progress", "cancelled"},
    "assigned": {"new", "in_progress", "waiting", "resolved", "cancelled"},
    "in_progress": {"waiting", "resolved", "cancelled"},
    "waiting": {"in_progress", "resolved", "cancelled"},
    "resolved": {"closed", "new", "assigned"},
    "closed": {"new", "assigned"},
    "cancelled": {"new", "assigned"},
}
RESPONSE_STATES = ("in_progress", "waiting", "resolved", "closed")
PRIORITIES = [
    ("0", "Normal"),
    ("1", "Important"),
    ("2", "Urgent"),
    ("3", "Critical"),
]
TIER_PRIORITY_BONUS = {"standard": 0, "priority": 1, "strategic": 2}
DETECTED_BY = [
    ("manual", "Manual"),
    ("scanner", "Scanner"),
    ("rule", "Detection Rule"),
    ("email", "Email"),
    ("api", "API"),
]
GROUP_MANAGER = "logistics_exception.logistics_exception_group_manager"
# The documents a billing hold is matched on (see the billing gate).
HOLD_LINK_FIELDS = {"sale_id", "picking_id", "move_id", "company_id"}
# The documents an exception links, and the flag that says whether the current
# user may open each. Whoever may read an exception sees their names; only
# those who may read a document get a link to it.
DOCUMENT_FIELDS = {
    "picking_id": "can_open_picking",
    "sale_id": "can_open_sale",
    "purchase_id": "can_open_purchase",
    "move_id": "can_open_move",
}
# Kept by the system (workflow, SLA engine, detection): nobody writes them by
# hand, over RPC included.
SYSTEM_FIELDS = {
    "date_assigned",
    "date_first_response",
    "date_resolved",
    "date_closed",
    "sla_policy_id",
    "sla_response_deadline",
    "sla_warning_date",
    "sla_deadline",
    "sla_status",
    "sla_response_status",
    "sla_paused_since",
    "sla_paused_hours",
    "sla_outdated",
    "sla_next_check",
    "escalation_level",
    "sla_escalation_done_ids",
    "sla_escalation_stage",
    "rule_id",
    "purchase_line_id",
    # The customer update throttle (logistics_exception_customer_notification).
    "customer_notified_at",
    "customer_notify_pending",
    "customer_notify_no_email",
}


class LogisticsException(models.Model):
    _name = "logistics.exception"
    _description = "Logistics Exception"
    _inherit = [
        # Customer updates, once the parents below have created or written.
        "logistics.exception.customer.notification.mixin",
        # Before mail.thread: it overrides notifications of mail.thread (it
        # inherits it).
        "logistics.exception.notification.mixin",
        # Email intake: message_new and the routing of replies by reference.
        "logistics.exception.mail.mixin",
        "logistics.exception.routing.mixin",
        # The customer portal (portal.mixin), before mail.thread: the
        # customer's notifications link to the portal.
        "logistics.exception.portal.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "logistics.exception.sla.mixin",
    ]
    _order = "priority desc, date_detected desc, id desc"
    _rec_names_search = ["name", "summary", "source_key"]
    _check_company_auto = True
    _mail_post_access = "read"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: _("New"),
        index="trigram",
    )
    summary = fields.Char(required=True, tracking=True)
    # Internal: never readable by customers (portal users), see also
    # logistics_exception_portal.py.
    description = fields.Html(groups="base.group_user")
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")

    # Taxonomy
    category_id = fields.Many2one(
        "logistics.exception.category",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        ondelete="restrict",
    )
    reason_id = fields.Many2one(
        "logistics.exception.reason",
        string="Reason Code",
        index=True,
        tracking=True,
        check_company=True,
        ondelete="restrict",
        domain="[('category_id', '=', category_id)]",
    )
    tag_ids = fields.Many2many("logistics.exception.tag", string="Tags")
    severity = fields.Selection(
        SEVERITIES,
        compute="_compute_severity",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        index=True,
        tracking=True,
    )
    priority = fields.Selection(
        PRIORITIES,
        compute="_compute_priority",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        tracking=True,
        help="Computed from the severity, the customer's service tier and the "
        "order value. A manager may override it.",
    )
    priority_locked = fields.Boolean(
        string="Priority Set by a Manager",
        copy=False,
        help="The priority was overridden by a manager and is no longer computed.",
    )
    can_override_priority = fields.Boolean(compute="_compute_can_override_priority")

    # Workflow
    state = fields.Selection(
        STATES,
        default="new",
        required=True,
        index=True,
        tracking=True,
        copy=False,
        group_expand="_expand_states",
    )
    is_open = fields.Boolean(
        compute="_compute_is_open", store=True, index=True, string="Open"
    )
    team_id = fields.Many2one(
        "logistics.exception.team",
        string="Team",
        compute="_compute_team_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        tracking=True,
        check_company=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        index=True,
        tracking=True,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )

    # Context of the event
    partner_id = fields.Many2one(
        "res.partner",
        string="Partner",
        compute="_compute_partner_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        check_company=True,
    )
    customer_tier = fields.Selection(
        related="customer_id.logistics_service_tier",
        string="Customer Tier",
    )
    customer_id = fields.Many2one(
        "res.partner",
        string="Customer",
        compute="_compute_customer_id",
        store=True,
        precompute=True,
        index="btree_not_null",
        help="The customer this exception may hurt: the sales order's customer, "
        "else the partner unless it is the vendor of the purchase order.",
    )
    vendor_id = fields.Many2one(
        "res.partner",
        string="Vendor",
        compute="_compute_vendor_id",
        store=True,
        precompute=True,
        index="btree_not_null",
        help="The supplier at stake: the vendor of the purchase order, else "
        "the partner of the receipt (their commercial entity).",
    )
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        compute="_compute_warehouse_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        check_company=True,
    )
    location_id = fields.Many2one("stock.location", check_company=True)
    product_id = fields.Many2one("product.product", index=True, check_company=True)
    lot_id = fields.Many2one(
        "stock.lot",
        string="Lot/Serial Number",
        check_company=True,
        domain="[('product_id', '=', product_id)]",
    )
    product_uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    quantity_expected = fields.Float(digits="Product Unit of Measure")
    quantity_actual = fields.Float(digits="Product Unit of Measure")
    quantity_difference = fields.Float(
        compute="_compute_quantity_difference",
        digits="Product Unit of Measure",
    )
    # auto_join: searching exceptions by a document's reference must not
    # depend on the user's rights on that document (see _search_document_ref).
    picking_id = fields.Many2one(
        "stock.picking",
        string="Transfer",
        index="btree_not_null",
        check_company=True,
        auto_join=True,
    )
    purchase_id = fields.Many2one(
        "purchase.order",
        string="Purchase Order",
        index="btree_not_null",
        check_company=True,
        auto_join=True,
    )
    purchase_line_id = fields.Many2one(
        "purchase.order.line",
        string="Purchase Order Line",
        index="btree_not_null",
        check_company=True,
        readonly=True,
        copy=False,
        help="The purchase line whose supply the exception is about: a vendor's "
        "date slip and the sales orders it puts at risk.",
    )
    sale_id = fields.Many2one(
        "sale.order",
        string="Sales Order",
        index="btree_not_null",
        check_company=True,
        auto_join=True,
    )
    move_id = fields.Many2one(
        "account.move",
        string="Invoice/Bill",
        index="btree_not_null",
        check_company=True,
        auto_join=True,
    )
    source_ref = fields.Reference(
        selection="_selection_source_ref",
        string="Source Document",
        index="btree_not_null",
        help="The document on which the exception was detected.",
    )
    source_ref_name = fields.Char(
        string="Detected On",
        compute="_compute_source_ref_name",
        help="The document on which the exception was detected.",
    )
    document_ref = fields.Char(
        string="Documents",
        compute="_compute_document_ref",
        search="_search_document_ref",
        help="References of the transfer, orders and invoice this exception links.",
    )
    can_open_picking = fields.Boolean(compute="_compute_can_open_documents")
    can_open_sale = fields.Boolean(compute="_compute_can_open_documents")
    can_open_purchase = fields.Boolean(compute="_compute_can_open_documents")
    can_open_move = fields.Boolean(compute="_compute_can_open_documents")
    can_open_source = fields.Boolean(compute="_compute_can_open_documents")
    detected_by = fields.Selection(
        DETECTED_BY, required=True, default="manual", tracking=True
    )
    rule_id = fields.Many2one(
        "logistics.exception.rule",
        string="Detection Rule",
        index="btree_not_null",
        ondelete="restrict",
        readonly=True,
        copy=False,
        help="The rule that detected this exception.",
    )
    source_key = fields.Char(
        copy=False,
        index="btree_not_null",
        help="Identifies the event that raised this exception. An event can only "
        "have one open exception per company.",
    )

    # Time stamps
    date_detected = fields.Datetime(
        required=True, default=fields.Datetime.now, index=True, copy=False
    )
    date_assigned = fields.Datetime(readonly=True, copy=False)
    date_first_response = fields.Datetime(readonly=True, copy=False)
    date_resolved = fields.Datetime(readonly=True, copy=False, index=True)
    date_closed = fields.Datetime(readonly=True, copy=False)
    resolution_hours = fields.Float(
        compute="_compute_resolution_hours",
        store=True,
        group_operator="avg",
        help="Hours from detection to resolution.",
    )

    # Resolution
    root_cause_id = fields.Many2one(
        "logistics.exception.root.cause",
        index=True,
        tracking=True,
        check_company=True,
        ondelete="restrict",
        domain="['|', ('category_id', '=', False), ('category_id', '=', category_id)]",
    )
    resolution_note = fields.Html(groups="base.group_user")
    requires_root_cause = fields.Boolean(related="category_id.requires_root_cause")
    requires_evidence = fields.Boolean(related="category_id.requires_evidence")
    closure_criteria = fields.Html(related="category_id.closure_criteria")

    # Impact
    customer_impact = fields.Boolean(
        compute="_compute_impact",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
    )
    billing_hold = fields.Boolean(
        compute="_compute_impact",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="While this exception is open, the invoicing of its order is held.",
    )
    financial_impact = fields.Monetary(
        currency_field="currency_id", groups="base.group_user"
    )

    # What the customer is told (portal, notifications): never the internal
    # summary, description or notes.
    public_summary = fields.Text(
        string="Customer Summary",
        tracking=True,
        help="What happened, in words for the customer. Shown on the customer "
        "portal and in customer notifications instead of the internal summary.",
    )
    public_next_step = fields.Char(
        string="Next Step for the Customer",
        tracking=True,
        help="What happens next, as the customer reads it on the portal and in "
        "notifications.",
    )
    promised_date = fields.Datetime(
        string="New Promised Date",
        tracking=True,
        copy=False,
        help="The date now promised to the customer, when the exception moves "
        "the original commitment.",
    )

    # Hierarchy
    parent_id = fields.Many2one(
        "logistics.exception",
        string="Root Exception",
        index="btree_not_null",
        check_company=True,
        help="The exception that caused this one.",
    )
    child_ids = fields.One2many(
        "logistics.exception", "parent_id", string="Consequences"
    )
    child_count = fields.Integer(compute="_compute_child_count")

    # SLA: sla_policy_id, sla_*, escalation_level and is_overdue come from
    # logistics.exception.sla.mixin (logistics_exception_sla.py).

    _sql_constraints = [
        (
            "quantities_positive",
            "CHECK (quantity_expected >= 0 AND quantity_actual >= 0)",
            "Quantities cannot be negative.",
        ),
        (
            "financial_impact_positive",
            "CHECK (financial_impact >= 0)",
            "The financial impact cannot be negative.",
        ),
    ]

    def init(self):
        res = super().init()
        # One open exception per source event and company. Enforced by the
        # database so that two concurrent transactions cannot both create one.
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS %s ON %s (company_id, source_key) "
                "WHERE source_key IS NOT NULL AND state NOT IN %s",
                SQL.identifier("logistics_exception_open_source_key_uniq"),
                SQL.identifier(self._table),
                CLOSED_STATES,
            )
        )
        # The SLA job looks for the few exceptions whose deadlines are outdated.
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS %s ON %s (id) WHERE sla_outdated",
                SQL.identifier("logistics_exception_sla_outdated_idx"),
                SQL.identifier(self._table),
            )
        )
        # The dashboards, the kanban and the analysis group and count by these
        # columns. Open exceptions (a few percent of the table): a small
        # partial index that answers the tiles and the kanban's progress bar
        # by itself (index-only scans). All exceptions: a narrow index over
        # the company and the detection date that carries the grouped
        # columns, so that a grouped read or a pivot over a period, or over
        # everything, reads it instead of the wide table. Kept narrow (a fifth
        # of the table): wider, PostgreSQL prefers scanning the table.
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS %s ON %s "
                "(company_id, sla_status, severity, state) "
                "INCLUDE (user_id, team_id, warehouse_id, category_id, "
                "sla_deadline, date_detected) WHERE active AND is_open",
                SQL.identifier("logistics_exception_open_dims_idx"),
                SQL.identifier(self._table),
            )
        )
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS %s ON %s (company_id, date_detected) "
                "INCLUDE (category_id, state, severity, sla_status, warehouse_id, "
                "team_id) WHERE active",
                SQL.identifier("logistics_exception_dims_idx"),
                SQL.identifier(self._table),
            )
        )
        # The dashboard's period reads (a month of a large table): the top
        # products, locations, customers, vendors and root causes of the
        # exceptions detected since a date, and the response and resolution
        # times and SLA verdicts of those answered or resolved since a date,
        # each by an index-only scan rather than fetching a month of rows.
        for name, key, include in (
            (
                "logistics_exception_period_dims_idx",
                SQL("company_id, date_detected"),
                SQL(
                    "product_id, location_id, customer_id, vendor_id, "
                    "root_cause_id, category_id"
                ),
            ),
            (
                "logistics_exception_response_idx",
                SQL("date_first_response"),
                SQL("company_id, date_detected"),
            ),
            (
                "logistics_exception_resolution_idx",
                SQL("date_resolved"),
                SQL("company_id, date_detected, sla_status"),
            ),
        ):
            self.env.cr.execute(
                SQL(
                    "CREATE INDEX IF NOT EXISTS %s ON %s (%s) INCLUDE (%s) "
                    "WHERE active",
                    SQL.identifier(name),
                    SQL.identifier(self._table),
                    key,
                    include,
                )
            )
        return res

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.model
    def _selection_source_ref(self):
        return list(self._get_source_ref_selection(self.env.lang))

    @tools.ormcache("lang")
    def _get_source_ref_selection(self, lang):
        """Every stored model, by its name in ``lang``: read once per registry
        (models only change when modules are installed), not at each write of
        a source document."""
        models_ = (
            self.env["ir.model"]
            .sudo()
            .with_context(lang=lang)
            .search([("transient", "=", False)], order="name")
        )
        return tuple((model.model, model.name) for model in models_)

    @api.model
    def _expand_states(self, states, domain, order):
        return [key for key, _label in STATES]

    @api.depends("reason_id", "category_id")
    def _compute_severity(self):
        for exception in self:
            exception.severity = (
                exception.reason_id.severity
                or exception.category_id.default_severity
                or exception.severity
                or "medium"
            )

    @api.depends(
        "severity",
        "customer_id.logistics_service_tier",
        "sale_id.amount_total",
        "purchase_id.amount_total",
        "financial_impact",
        "company_id.logistics_exception_high_value_amount",
    )
    def _compute_priority(self):
        for exception in self:
            if exception.priority_locked and exception.priority:
                continue
            exception.priority = str(min(3, exception._get_priority_score()))

    def _get_priority_score(self):
        """Priority as a number of stars (0-3). Override me to add criteria."""
        self.ensure_one()
        score = SEVERITY_RANK.get(self.severity, 1)
        if self.customer_id:
            tier = self.customer_id.logistics_service_tier
            score += TIER_PRIORITY_BONUS.get(tier, 0)
        threshold = self.company_id.logistics_exception_high_value_amount
        if threshold and self._get_order_value() >= threshold:
            score += 1
        return score

    def _get_order_value(self):
        """Value at stake in company currency: the order or the stated impact."""
        self.ensure_one()
        company = self.company_id or self.env.company
        values = [self.financial_impact or 0.0]
        date = fields.Date.context_today(self)
        # sudo: the amount only ranks the exception; whoever works it may not
        # have access to sales or purchases.
        exception = self.sudo()
        for order in (exception.sale_id, exception.purchase_id):
            if order:
                values.append(
                    order.currency_id._convert(
                        order.amount_total, company.currency_id, company, date
                    )
                )
        return max(values)

    @api.depends_context("uid")
    def _compute_can_override_priority(self):
        is_manager = self.env.user.has_group(GROUP_MANAGER)
        for exception in self:
            exception.can_override_priority = is_manager

    @api.depends("state")
    def _compute_is_open(self):
        for exception in self:
            exception.is_open = exception.state not in CLOSED_STATES

    @api.depends("category_id", "warehouse_id")
    def _compute_team_id(self):
        teams_by_warehouse = {}
        warehouses = self.warehouse_id
        if warehouses:
            teams = self.env["logistics.exception.team"].search(
                [("warehouse_ids", "in", warehouses.ids)]
            )
            for team in teams:
                for warehouse in team.warehouse_ids:
                    teams_by_warehouse.setdefault(warehouse.id, team)
        for exception in self:
            team = (
                exception.category_id._get_team(exception.company_id)
                if exception.category_id and exception.company_id
                else None
            )
            if not team:
                team = teams_by_warehouse.get(exception.warehouse_id.id)
            exception.team_id = team or exception.team_id

    @api.depends("picking_id", "sale_id", "purchase_id", "move_id")
    def _compute_partner_id(self):
        for exception in self:
            if exception.partner_id:
                continue
            # sudo: a warehouse user may report on an order they cannot open.
            source = exception.sudo()
            source = (
                source.sale_id
                or source.purchase_id
                or source.move_id
                or source.picking_id
            )
            exception.partner_id = source.partner_id.id if source else False

    @api.depends("picking_id", "sale_id", "purchase_id")
    def _compute_warehouse_id(self):
        for exception in self:
            if exception.warehouse_id:
                continue
            source = exception.sudo()
            exception.warehouse_id = (
                source.picking_id.picking_type_id.warehouse_id
                or source.sale_id.warehouse_id
                or source.purchase_id.picking_type_id.warehouse_id
            ).id

    @api.depends(
        "partner_id.commercial_partner_id",
        "sale_id.partner_id.commercial_partner_id",
        "purchase_id.partner_id.commercial_partner_id",
    )
    def _compute_customer_id(self):
        for exception in self:
            exception.customer_id = exception._get_customer()

    @api.depends(
        "purchase_id.partner_id.commercial_partner_id",
        "picking_id.partner_id.commercial_partner_id",
        "picking_id.picking_type_code",
    )
    def _compute_vendor_id(self):
        for exception in self:
            exception.vendor_id = exception._get_vendor()

    def _get_vendor(self):
        """Commercial entity of the supplier at stake, if any: the vendor of
        the purchase order, else the partner of a receipt. Override me."""
        self.ensure_one()
        exception = self.sudo()
        if exception.purchase_id:
            return exception.purchase_id.partner_id.commercial_partner_id
        if exception.picking_id.picking_type_code == "incoming":
            return exception.picking_id.partner_id.commercial_partner_id
        return self.env["res.partner"]

    @api.model
    def _billing_hold_document_fields(self):
        """The documents whose billing an exception may hold, as {model:
        field of the exception linking it}. Extend me."""
        return {
            "account.move": "move_id",
            "sale.order": "sale_id",
            "stock.picking": "picking_id",
        }

    @api.model
    def _get_billing_holds(self, documents):
        """Open exceptions holding the billing of each of ``documents`` (an
        iterable of recordsets of the models of
        ``_billing_hold_document_fields``), as {document: exceptions}: those
        linked to the document and of its company, a sales order's including
        those on its transfers. Documents of companies without the gate are
        not held; documents held by nothing are left out. One query."""
        fields_of = self._billing_hold_document_fields()
        targets = defaultdict(list)
        for records in documents:
            if records:
                targets[fields_of[records._name]].append(records)
        targets = {
            field: self.env[records[0]._name].union(*records)
            for field, records in targets.items()
        }
        if "sale_id" in targets:
            pickings = targets["sale_id"].picking_ids
            if "picking_id" in targets:
                pickings |= targets["picking_id"]
            targets["picking_id"] = pickings
        companies = self.env["res.company"].union(
            *(records.company_id for records in targets.values())
        )
        companies = companies.filtered("logistics_billing_hold")
        if not companies:
            return {}
        # sudo: whoever bills may not see the logistics queues; callers only
        # disclose the references of the holding exceptions.
        exceptions = (
            self.sudo()
            .with_context(active_test=False)
            .search(
                expression.AND(
                    [
                        [
                            ("billing_hold", "=", True),
                            ("is_open", "=", True),
                            ("company_id", "in", companies.ids),
                        ],
                        expression.OR(
                            [(field, "in", records.ids)]
                            for field, records in targets.items()
                        ),
                    ]
                )
            )
        )
        held = defaultdict(lambda: self.browse())
        for exception in exceptions:
            for field in targets:
                if exception[field]:
                    held[exception[field]] |= exception
        for order in targets.get("sale_id", ()):
            for picking in order.picking_ids:
                if picking in held:
                    held[order] |= held[picking]
        holds = {}
        for records in documents:
            for document in records:
                exceptions = held.get(document, self.browse()).filtered(
                    lambda e, d=document: e.company_id == d.company_id
                )
                if exceptions:
                    holds[document] = exceptions
        return holds

    def _get_customer(self):
        """Commercial entity of the customer at stake, if any. Override me."""
        self.ensure_one()
        exception = self.sudo()
        if exception.sale_id:
            return exception.sale_id.partner_id.commercial_partner_id
        partner = exception.partner_id.commercial_partner_id
        if exception.purchase_id and partner == (
            exception.purchase_id.partner_id.commercial_partner_id
        ):
            return partner.browse()
        return partner

    @api.depends("category_id")
    def _compute_impact(self):
        for exception in self:
            category = exception.category_id
            exception.customer_impact = (
                exception.customer_impact or category.customer_impact
            )
            exception.billing_hold = exception.billing_hold or category.billing_hold

    @api.depends("source_ref")
    def _compute_source_ref_name(self):
        # sudo: the name of a document is shown to whoever may read the
        # exception, whatever their rights on the document itself.
        model_names = {}
        for exception in self:
            document = exception.sudo().source_ref
            if not document:
                exception.source_ref_name = False
                continue
            if document._name not in model_names:
                model_names[document._name] = (
                    self.env["ir.model"]._get(document._name).name
                )
            exception.source_ref_name = _(
                "%(document_type)s %(document)s",
                document_type=model_names[document._name],
                document=document.display_name,
            )

    @api.depends(*DOCUMENT_FIELDS)
    def _compute_document_ref(self):
        for exception in self:
            # sudo: names only, as for the many2one fields themselves.
            documents = exception.sudo()
            exception.document_ref = ", ".join(
                documents[field_name].display_name
                for field_name in DOCUMENT_FIELDS
                if documents[field_name]
            )

    @api.model
    def _search_document_ref(self, operator, value):
        if operator not in ("ilike", "not ilike", "=", "!="):
            raise UserError(_("Documents can only be searched by their reference."))
        # The document fields are auto_join: the references are matched in SQL,
        # without the access rules of the documents.
        match = "ilike" if operator in ("ilike", "not ilike") else "="
        domain = expression.OR(
            [[(f"{field_name}.name", match, value)] for field_name in DOCUMENT_FIELDS]
        )
        if operator in ("not ilike", "!="):
            return ["!", *domain]
        return domain

    @api.depends_context("uid")
    @api.depends(*DOCUMENT_FIELDS, "source_ref")
    def _compute_can_open_documents(self):
        """Whether the current user may open each linked document. An empty
        link counts as openable when the user may read that kind of document
        at all, so that they may fill it in."""
        for field_name, flag in DOCUMENT_FIELDS.items():
            documents = self[field_name]
            model = self.env[self._fields[field_name].comodel_name]
            readable = self._filter_readable(documents)
            model_readable = model.check_access_rights("read", raise_exception=False)
            for exception in self:
                document = exception[field_name]
                exception[flag] = document in readable if document else model_readable
        sources = {}
        for exception in self:
            document = exception.source_ref
            if document:
                sources.setdefault(document._name, set()).add(document.id)
        readable_sources = {
            model: set(self._filter_readable(self.env[model].browse(ids)).ids)
            for model, ids in sources.items()
        }
        for exception in self:
            document = exception.source_ref
            exception.can_open_source = bool(document) and document.id in (
                readable_sources.get(document._name, set())
            )

    @api.model
    def _filter_readable(self, documents):
        """The part of ``documents`` the current user may read."""
        documents = documents.exists()
        if not documents or not documents.check_access_rights(
            "read", raise_exception=False
        ):
            return documents.browse()
        return documents._filter_access_rules("read")

    @api.depends("quantity_expected", "quantity_actual")
    def _compute_quantity_difference(self):
        for exception in self:
            exception.quantity_difference = (
                exception.quantity_actual - exception.quantity_expected
            )

    @api.depends("date_detected", "date_resolved")
    def _compute_resolution_hours(self):
        for exception in self:
            if exception.date_resolved and exception.date_detected:
                delta = exception.date_resolved - exception.date_detected
                exception.resolution_hours = max(delta.total_seconds() / 3600, 0.0)
            else:
                exception.resolution_hours = 0.0

    def _compute_child_count(self):
        counts = dict(
            self._read_group(
                [("parent_id", "in", self.ids)],
                groupby=["parent_id"],
                aggregates=["__count"],
            )
        )
        for exception in self:
            exception.child_count = counts.get(exception, 0)

    @api.depends("name", "summary")
    @api.depends_context("uid")
    def _compute_display_name(self):
        if self.env.user.share and not self.env.su:
            # Customers (portal users) see the reference: the internal
            # summary is not for them (breadcrumbs, chatter, RPC).
            for exception in self:
                exception.display_name = exception.name
            return
        for exception in self:
            if exception.summary and exception.name:
                exception.display_name = f"{exception.name} {exception.summary}"
            else:
                exception.display_name = exception.name or exception.summary

    # ------------------------------------------------------------------
    # Constraints and onchanges
    # ------------------------------------------------------------------
    @api.constrains("parent_id")
    def _check_parent_id(self):
        if not self._check_recursion():
            raise ValidationError(
                _("An exception cannot be caused by itself or by its consequences.")
            )

    @api.constrains("reason_id", "category_id")
    def _check_reason_category(self):
        for exception in self:
            if (
                exception.reason_id
                and exception.reason_id.category_id != exception.category_id
            ):
                raise ValidationError(
                    _(
                        "Reason code %(reason)s belongs to category %(reason_cat)s, "
                        "not to %(category)s. Pick a reason of the exception's "
                        "category.",
                        reason=exception.reason_id.display_name,
                        reason_cat=exception.reason_id.category_id.display_name,
                        category=exception.category_id.display_name,
                    )
                )

    @api.onchange("category_id")
    def _onchange_category_id(self):
        if self.reason_id and self.reason_id.category_id != self.category_id:
            self.reason_id = False
        if (
            self.root_cause_id.category_id
            and self.root_cause_id.category_id != self.category_id
        ):
            self.root_cause_id = False

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self._check_write_policy(vals_list, create=True)
        is_manager = self._is_exception_manager()
        now = fields.Datetime.now()
        requested_priorities = []
        for vals in vals_list:
            requested_priorities.append(
                None if is_manager else vals.pop("priority", None)
            )
            if not is_manager:
                vals.pop("priority_locked", None)
            if vals.get("user_id"):
                vals.setdefault("date_assigned", now)
                if vals.get("state", "new") == "new":
                    vals["state"] = "assigned"
            if vals.get("state") in RESPONSE_STATES:
                vals.setdefault("date_first_response", now)
            if vals.get("state") in ("resolved", "closed"):
                vals.setdefault("date_resolved", now)
            if vals.get("state") == "closed":
                vals.setdefault("date_closed", now)
            if vals.get("state") in ("waiting", *CLOSED_STATES):
                # The clock does not run: waiting, or already finished.
                vals.setdefault("sla_paused_since", now)
        self._assign_references(vals_list)
        # One chatter note per new exception saying it was created and how it
        # was routed (see the routing mixin), rather than two.
        creating = self
        if not self.env.context.get("mail_create_nolog") and not (
            self.browse()._creation_subtype()
        ):
            creating = self.with_context(
                mail_create_nolog=True, **{LOG_CREATION_CONTEXT: True}
            )
        # Routing (inside the creation) may already have made the author a
        # follower, as the owner: mail.thread would then add them a second
        # time. The author is added here instead, skipping who follows.
        # A customer whose own action made the system create it (a ticket on
        # the portal) does not follow an internal record.
        customer = self.env.user.share
        subscribe_author = (
            self.env.user.active
            and not customer
            and not (
                self.env.context.get("mail_create_nosubscribe")
                or self.env.context.get("tracking_disable")
            )
        )
        if subscribe_author or customer:
            creating = creating.with_context(mail_create_nosubscribe=True)
        exceptions = super(LogisticsException, creating).create(vals_list)
        exceptions = exceptions.with_env(self.env)
        if subscribe_author:
            self.env["mail.followers"]._insert_followers(
                exceptions._name,
                exceptions.ids,
                self.env.user.partner_id.ids,
                check_existing=True,
            )
        if is_manager:
            # Only a priority given by the manager may differ from the computed one.
            given = [vals.get("priority") for vals in vals_list]
            exceptions.browse(
                [
                    e.id
                    for e, priority in zip(exceptions, given, strict=True)
                    if priority
                ]
            )._lock_manual_priority()
        for exception, requested in zip(exceptions, requested_priorities, strict=True):
            if requested and requested != exception.priority:
                raise UserError(
                    _(
                        "Only exception managers can set the priority by hand. "
                        "It is computed from the severity, the customer tier and "
                        "the order value."
                    )
                )
        return exceptions

    @api.model
    def _assign_references(self, vals_list):
        """Give each new exception its reference from the company's sequence:
        one look-up and one draw per company and day of detection."""
        new = _("New")
        groups = defaultdict(list)
        for vals in vals_list:
            if vals.get("name", new) == new:
                detected = vals.get("date_detected")
                day = fields.Datetime.to_datetime(detected).date() if detected else None
                groups[(vals.get("company_id") or self.env.company.id, day)].append(
                    vals
                )
        # sudo: whoever may report an exception gets its reference, as with
        # next_by_code.
        Sequence = self.env["ir.sequence"].sudo()
        for (company_id, day), group in groups.items():
            sequence = Sequence.search(
                [
                    ("code", "=", "logistics.exception"),
                    ("company_id", "in", [company_id, False]),
                ],
                order="company_id",
                limit=1,
            )
            names = sequence._logistics_next_names(len(group), day) if sequence else []
            for vals, name in zip_longest(group, names):
                vals["name"] = name or new

    def write(self, vals):
        vals = dict(vals)
        self._check_write_policy([vals])
        self._sla_track_pause(vals)
        # Only the exceptions whose state changes get its time stamps: writing
        # "resolved" again does not move the resolution (and its verdict).
        moving = (
            self.filtered(lambda e: e.state != vals["state"])
            if "state" in vals
            else self.browse()
        )
        requested_priority = None
        is_manager = self._is_exception_manager()
        if not is_manager:
            requested_priority = vals.pop("priority", None)
            vals.pop("priority_locked", None)
        if requested_priority is None:
            res = super().write(vals)
            self._stamp_dates(vals, moving)
            if is_manager and "priority" in vals and "priority_locked" not in vals:
                self._lock_manual_priority()
            return res
        with self.env.cr.savepoint():
            res = super().write(vals)
            self._stamp_dates(vals, moving)
            if requested_priority is not None and any(
                exception.priority != requested_priority for exception in self
            ):
                raise UserError(
                    _(
                        "Only exception managers can override the priority. Raise "
                        "the severity instead, or ask a manager."
                    )
                )
        return res

    def _message_post_after_hook(self, message, msg_vals):
        result = super()._message_post_after_hook(message, msg_vals)
        # sudo: the response clock reads the owner and the team, which the
        # author (a customer replying on the portal) may not read; the post
        # itself was checked by message_post.
        self.sudo()._sla_note_first_response(message)
        return result

    def copy_data(self, default=None):
        default = dict(default or {})
        vals_list = super().copy_data(default=default)
        for exception, vals in zip(self, vals_list, strict=True):
            if "summary" not in default:
                vals["summary"] = _("%s (copy)", exception.summary)
            if "detected_by" not in default:
                vals["detected_by"] = "manual"  # a person made the copy
        return vals_list

    def _lock_manual_priority(self):
        """Keep a manager's priority where it differs from the computed one."""
        to_lock = self.browse()
        to_unlock = self.browse()
        for exception in self:
            computed = str(min(3, exception._get_priority_score()))
            if exception.priority != computed:
                to_lock |= exception
            else:
                to_unlock |= exception
        to_lock.filtered(lambda e: not e.priority_locked).write(
            {"priority_locked": True}
        )
        to_unlock.filtered("priority_locked").write({"priority_locked": False})

    def _stamp_dates(self, vals, moving=None):
        """Record when the exception was assigned, answered, resolved, closed.
        ``moving``: the exceptions whose state ``vals`` changed (all of self
        if not given)."""
        now = fields.Datetime.now()
        # sudo: the time stamps are system fields (see SYSTEM_FIELDS).
        self = self.sudo()  # noqa: PLW0642
        if vals.get("user_id"):
            self.filtered(lambda e: not e.date_assigned).write({"date_assigned": now})
            if "state" not in vals:
                self.filtered(lambda e: e.state == "new").write({"state": "assigned"})
        state = vals.get("state")
        if not state:
            return
        if moving is not None:
            self = moving.sudo()  # noqa: PLW0642
        if state in RESPONSE_STATES:
            self.filtered(lambda e: not e.date_first_response).write(
                {"date_first_response": now}
            )
        if state == "resolved":
            self.write({"date_resolved": now, "date_closed": False})
        elif state == "closed":
            self.filtered(lambda e: not e.date_resolved).write({"date_resolved": now})
            self.write({"date_closed": now})
        elif state in ("new", "assigned", "in_progress", "waiting"):
            self.filtered(lambda e: e.date_resolved or e.date_closed).write(
                {"date_resolved": False, "date_closed": False}
            )

    # ------------------------------------------------------------------
    # Write policy
    # ------------------------------------------------------------------
    def _check_write_policy(self, vals_list, create=False):
        """Refuse what the rules below forbid, whoever sends the change: a
        form, an import, a button, RPC. ``create`` calls it once on the model
        with its ``vals_list`` (``create=True``); ``write`` calls it once on
        the records with ``[vals]``. Each rule keeps its own method and message.

        Nobody but the system (the superuser) may:

        - set by hand what the system keeps: the dates assigned, first
          response, resolved and closed, the SLA policy, deadlines and status,
          the escalation level, the detection rule and the purchase line
          (SYSTEM_FIELDS). Empty values a form sends with a new exception are
          let through;
        - archive an open exception: cancel or resolve it first.

        Only exception managers (and the system) may:

        - cancel an open exception that holds billing, or change the sales
          order, transfer, invoice or company it holds (HOLD_LINK_FIELDS);
        - change when an exception was detected, or record a new one as
          detected in the future (more than five minutes ahead): its deadlines
          count from then;
        - lift a billing hold;
        - reopen a closed exception;
        - set the priority by hand: it is computed from the severity, the
          customer's tier and the order value. ``create`` and ``write`` check
          this one themselves, after the write, against the computed priority.

        Everyone, managers included:

        - moves an exception only along the workflow (TRANSITIONS); a new
          exception may be recorded in any state;
        - resolves or closes an exception only with the root cause and the
          evidence (an attachment) its category requires. An exception
          recorded directly as resolved or closed needs its root cause, and
          cannot be recorded so when its category requires evidence;
        - keeps at most one open exception per event (source key) and company.

        Detection moving what it raised (as superuser, with the context key
        ``logistics_exception_auto``: ``_is_system_transition``) skips the
        workflow and the resolution requirements of ``write``.
        """
        if create:
            if not self.env.su:
                for vals in vals_list:
                    # Empty defaults sent by a form are harmless.
                    if any(vals[name] for name in SYSTEM_FIELDS & set(vals)):
                        self._check_protected_values(vals)
                self._check_detection_dates(vals_list)
            self._check_resolution_requirements_vals(vals_list)
            self._check_source_keys_free(
                [
                    (vals.get("company_id") or self.env.company.id, vals["source_key"])
                    for vals in vals_list
                    if vals.get("source_key")
                    and vals.get("state", "new") not in CLOSED_STATES
                ]
            )
            return
        for vals in vals_list:
            self._check_protected_values(vals)
            if "state" in vals and not self._is_system_transition():
                self._check_state_transition(vals["state"])
                if vals["state"] in ("resolved", "closed"):
                    self._check_can_resolve(vals)
            if {"state", "source_key", "company_id"} & set(vals):
                self._check_source_keys_free(
                    [
                        (
                            vals.get("company_id", exception.company_id.id),
                            vals.get("source_key", exception.source_key),
                        )
                        for exception in self
                        if vals.get("source_key", exception.source_key)
                        and vals.get("state", exception.state) not in CLOSED_STATES
                    ],
                    exclude=self,
                )

    def _check_protected_values(self, vals):
        """What only the system or a manager may change, whatever the client."""
        if self.env.su:
            return
        system = SYSTEM_FIELDS & set(vals)
        if system:
            raise UserError(
                _(
                    "%(fields)s are kept by the system and cannot be changed by hand.",
                    fields=", ".join(
                        self._fields[name].get_description(self.env)["string"]
                        for name in sorted(system)
                    ),
                )
            )
        if "active" in vals and not vals["active"] and any(self.mapped("is_open")):
            raise UserError(
                _("Open exceptions cannot be archived: cancel or resolve them first.")
            )
        if self._is_exception_manager():
            return
        held = self.filtered(lambda e: e.billing_hold and e.is_open)
        if held and (vals.get("state") == "cancelled" or HOLD_LINK_FIELDS & set(vals)):
            raise UserError(
                _(
                    "Exception %(name)s holds billing: only exception managers can "
                    "cancel it or change the documents it holds. Resolve it, or "
                    "ask a manager.",
                    name=held[0].name,
                )
            )
        if "date_detected" in vals:
            raise UserError(
                _(
                    "Only exception managers can change when an exception was "
                    "detected: its deadlines count from then."
                )
            )
        if (
            "billing_hold" in vals
            and not vals["billing_hold"]
            and any(self.mapped("billing_hold"))
        ):
            raise UserError(
                _(
                    "Only exception managers can lift a billing hold. Resolve the "
                    "exception, or ask a manager."
                )
            )

    @api.model
    def _check_detection_dates(self, vals_list):
        """An exception is not detected in the future: its SLA counts from then."""
        if self._is_exception_manager():
            return
        now = fields.Datetime.now()
        for vals in vals_list:
            detected = vals.get("date_detected")
            if detected and fields.Datetime.to_datetime(detected) > now + timedelta(
                minutes=5
            ):
                raise UserError(
                    _(
                        "An exception cannot be detected in the future. Leave "
                        "the detection date at now, or an earlier moment."
                    )
                )

    def _check_state_transition(self, target, strict=False):
        """Refuse a move to ``target`` that the workflow does not allow.
        Writing the current state again is accepted unless ``strict``."""
        labels = dict(STATES)
        if target not in labels:
            raise UserError(_("Unknown exception state: %s", target))
        for exception in self:
            if exception.state == target and not strict:
                continue
            if exception.state == target:
                raise UserError(
                    _(
                        "Exception %(name)s is already %(state)s.",
                        name=exception.name,
                        state=labels[target],
                    )
                )
            if target not in TRANSITIONS[exception.state]:
                raise UserError(
                    _(
                        "Exception %(name)s cannot go from %(from)s to %(to)s.",
                        name=exception.name,
                        **{"from": labels[exception.state], "to": labels[target]},
                    )
                )
            if exception.state == "closed" and not self._is_exception_manager():
                raise UserError(
                    _("Only exception managers can reopen a closed exception.")
                )

    def _check_can_resolve(self, vals):
        """Refuse to resolve without the root cause, evidence or done playbook
        steps the category asks."""
        self._check_playbook_steps_done()
        root_cause = vals.get("root_cause_id")
        missing_cause = self.filtered(
            lambda e: (
                e.category_id.requires_root_cause
                and not (root_cause if "root_cause_id" in vals else e.root_cause_id)
            )
        )
        if missing_cause:
            exception = missing_cause[0]
            raise UserError(
                _(
                    "Exception %(name)s cannot be resolved yet: category "
                    "%(category)s requires a root cause. Set the root cause, then "
                    "resolve.",
                    name=exception.name,
                    category=exception.category_id.display_name,
                )
            )
        needs_evidence = self.filtered("category_id.requires_evidence")
        if needs_evidence:
            with_evidence = {
                res_id
                for res_id, _count in self.env["ir.attachment"]
                .sudo()
                ._read_group(
                    [
                        ("res_model", "=", self._name),
                        ("res_id", "in", needs_evidence.ids),
                    ],
                    groupby=["res_id"],
                    aggregates=["__count"],
                )
            }
            missing = needs_evidence.filtered(lambda e: e.id not in with_evidence)
            if missing:
                raise UserError(
                    _(
                        "Exception %(name)s cannot be resolved yet: category "
                        "%(category)s requires evidence. Attach a photo or "
                        "document, then resolve.",
                        name=missing[0].name,
                        category=missing[0].category_id.display_name,
                    )
                )

    @api.model
    def _check_resolution_requirements_vals(self, vals_list):
        """Creating an exception directly as resolved needs a root cause too."""
        categories = self.env["logistics.exception.category"].browse(
            [
                vals["category_id"]
                for vals in vals_list
                if vals.get("state") in ("resolved", "closed")
                and vals.get("category_id")
            ]
        )
        for vals in vals_list:
            if vals.get("state") not in ("resolved", "closed"):
                continue
            category = categories.filtered(
                lambda c, v=vals: c.id == v.get("category_id")
            )
            if category.requires_root_cause and not vals.get("root_cause_id"):
                raise UserError(
                    _(
                        "An exception of category %(category)s cannot be recorded "
                        "as resolved without a root cause.",
                        category=category.display_name,
                    )
                )
            if category.requires_evidence:
                raise UserError(
                    _(
                        "An exception of category %(category)s needs evidence "
                        "before it is resolved: record it open, attach the "
                        "evidence, then resolve it.",
                        category=category.display_name,
                    )
                )

    @api.model
    def _check_source_keys_free(self, keys, exclude=None):
        """Refuse a second open exception for one source event, with a message
        naming the open one. ``keys`` are (company id, source key) pairs. The
        unique index behind it settles concurrent transactions."""
        if not keys:
            return
        seen = set()
        for key in keys:
            if key in seen:
                raise ValidationError(
                    _(
                        "The same event (%(key)s) cannot raise two exceptions.",
                        key=key[1],
                    )
                )
            seen.add(key)
        domain = [
            ("source_key", "in", [key for _company, key in keys]),
            ("company_id", "in", list({company for company, _key in keys})),
            ("is_open", "=", True),
        ]
        if exclude:
            domain.append(("id", "not in", exclude.ids))
        # sudo: the event may have been raised in a queue this user cannot see,
        # and only the reference of the open exception is disclosed.
        for other in self.sudo().with_context(active_test=False).search(domain):
            if (other.company_id.id, other.source_key) in seen:
                raise ValidationError(
                    _(
                        "Exception %(other)s is already open for this event "
                        "(%(key)s). Work that one instead of opening another.",
                        other=other.name,
                        key=other.source_key,
                    )
                )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_assign(self):
        """Take the exception (or give it to the owner already chosen)."""
        for exception in self:
            if exception.state != "new":
                raise UserError(
                    _(
                        "Exception %(name)s is %(state)s: only new exceptions can "
                        "be assigned. Change the owner instead.",
                        name=exception.name,
                        state=exception._state_label(),
                    )
                )
        unowned = self.filtered(lambda e: not e.user_id)
        if unowned:
            unowned.write({"user_id": self.env.uid})
        (self - unowned).write({"state": "assigned"})
        return True

    def action_start(self):
        """Start working; whoever starts an unowned exception owns it."""
        self._check_state_transition("in_progress", strict=True)
        unowned = self.filtered(lambda e: not e.user_id)
        if unowned:
            unowned.write({"user_id": self.env.uid, "state": "in_progress"})
        (self - unowned).write({"state": "in_progress"})
        return True

    def action_wait(self):
        return self._set_state("waiting")

    def action_resolve(self):
        return self._set_state("resolved")

    def action_close(self):
        return self._set_state("closed")

    def action_cancel(self):
        return self._set_state("cancelled")

    def action_reopen(self):
        for exception in self:
            if exception.state not in CLOSED_STATES:
                raise UserError(
                    _(
                        "Exception %(name)s is still open; there is nothing to reopen.",
                        name=exception.name,
                    )
                )
        if self.filtered(lambda e: e.state == "closed") and not (
            self._is_exception_manager()
        ):
            raise UserError(_("Only exception managers can reopen a closed exception."))
        owned = self.filtered("user_id")
        owned.write({"state": "assigned", "active": True})
        (self - owned).write({"state": "new", "active": True})
        return True

    def action_open_source_document(self):
        """Opens the document the exception was detected on, for a user who
        may read it (the button is only shown to them)."""
        self.ensure_one()
        document = self.source_ref
        if not document:
            raise UserError(
                _("Exception %(name)s has no source document.", name=self.name)
            )
        document.check_access_rights("read")
        document.check_access_rule("read")
        return {
            "type": "ir.actions.act_window",
            "res_model": document._name,
            "res_id": document.id,
            "views": [(False, "form")],
            "target": "current",
        }

    def action_view_children(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "logistics_exception.logistics_exception_action"
        )
        action["domain"] = [("parent_id", "=", self.id)]
        action["context"] = {
            "default_parent_id": self.id,
            "default_company_id": self.company_id.id,
        }
        return action

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _is_system_transition(self):
        """Detection resolving what it raised (as superuser, never over RPC)
        may skip the steps a person goes through."""
        return self.env.su and self.env.context.get("logistics_exception_auto")

    def _is_exception_manager(self):
        return self.env.su or self.env.user.has_group(GROUP_MANAGER)

    def _get_responsible_users(self):
        """{exception: user} of who must act on each exception when it needs
        someone (a cleared detection to confirm, a breach): its owner, else
        its team's leader, else the team's escalation contact, else a manager
        of its company. Never nobody while the company has a manager."""
        return self._get_escalation_users(prefer="owner")

    def _get_escalation_users(self, prefer="owner"):
        """{exception: user} of the person to reach on each exception, in the
        order ``prefer`` gives: "owner" (owner, team leader, escalation
        contact), "leader" (team leader, escalation contact) or "contact"
        (escalation contact, team leader); then a manager of the company. One
        query for the managers of all companies, only when it comes to that."""
        chains = {
            "owner": ("user_id", "leader_id", "escalation_user_id"),
            "leader": ("leader_id", "escalation_user_id"),
            "contact": ("escalation_user_id", "leader_id"),
        }
        users = {}
        leaderless = self.browse()
        for exception in self:
            user = self.env["res.users"]
            for name in chains[prefer]:
                holder = exception if name == "user_id" else exception.team_id
                # An archived or portal user would never act on it.
                user = holder[name].filtered(lambda u: u.active and not u.share)
                if user:
                    break
            if user:
                users[exception] = user
            else:
                leaderless |= exception
        if leaderless:
            # Active people only, whatever the caller's context.
            managers = (
                self.env["res.users"]
                .sudo()
                .with_context(active_test=True)
                .search(
                    [
                        ("groups_id", "in", self.env.ref(GROUP_MANAGER).id),
                        ("share", "=", False),
                        ("company_ids", "in", leaderless.company_id.ids),
                    ],
                    order="id",
                )
            )
            for exception in leaderless:
                manager = managers.filtered(
                    lambda u, c=exception.company_id: c in u.company_ids
                )[:1]
                if manager:
                    users[exception] = manager
        return users

    def _state_label(self):
        return dict(STATES).get(self.state, self.state)

    def _set_state(self, target):
        """Move to ``target`` through the workflow; a button on an exception
        already in that state is refused too."""
        self._check_state_transition(target, strict=True)
        return self.write({"state": target})
