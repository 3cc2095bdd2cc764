import ast

from odoo import api, fields, models


class LogisticsExceptionTeam(models.Model):
    _name = "logistics.exception.team"
    _description = "Logistics Exception Team"
    _inherit = [
        "mail.thread",
        "mail.alias.mixin",
        "logistics.exception.config.mixin",
    ]
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    active = fields.Boolean(tracking=True)
    color = fields.Integer()
    company_id = fields.Many2one(required=True, default=lambda self: self.env.company)
    member_ids = fields.Many2many(
        "res.users",
        "logistics_exception_team_member_rel",
        "team_id",
        "user_id",
        string="Members",
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
        help="Users who work this queue. They see and handle its exceptions.",
    )
    leader_id = fields.Many2one(
        "res.users",
        string="Team Leader",
        tracking=True,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    escalation_user_id = fields.Many2one(
        "res.users",
        string="Escalate To",
        tracking=True,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
        help="Who is told when an exception of this queue is about to miss or "
        "has missed its SLA.",
    )
    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        check_company=True,
        compute="_compute_resource_calendar_id",
        store=True,
        readonly=False,
        precompute=True,
        help="SLA clocks of this queue only run during these hours. "
        "Falls back to the company's working hours.",
    )
    warehouse_ids = fields.Many2many(
        "stock.warehouse",
        string="Warehouses",
        check_company=True,
        help="Warehouses whose exceptions this team covers.",
    )
    exception_ids = fields.One2many("logistics.exception", "team_id")
    alias_id = fields.Many2one(
        help="Email address of the queue: an email sent to it reports an "
        "exception in this team; replies are posted on the exception."
    )
    alias_category_id = fields.Many2one(
        "logistics.exception.category",
        string="Category of Emailed Exceptions",
        check_company=True,
        help="Category given to the exceptions reported by email to this team. "
        "Left empty: the first category this team receives by default, else "
        "the first category of the company.",
    )
    alias_allow_unknown_senders = fields.Boolean(
        string="Accept Unknown Senders",
        tracking=True,
        help="An email from an address unknown to the database creates the "
        "sender as a contact and reports the exception. Off: such emails are "
        "refused with a polite reply and nothing is created.",
    )
    open_exception_count = fields.Integer(compute="_compute_exception_counts")
    unassigned_exception_count = fields.Integer(compute="_compute_exception_counts")

    @api.depends("company_id")
    def _compute_resource_calendar_id(self):
        for team in self:
            calendar = team.resource_calendar_id
            if not calendar or calendar.company_id not in (team.company_id, False):
                team.resource_calendar_id = team.company_id.resource_calendar_id

    @api.depends("exception_ids.state", "exception_ids.user_id")
    def _compute_exception_counts(self):
        groups = self.env["logistics.exception"]._read_group(
            [("team_id", "in", self.ids), ("is_open", "=", True)],
            groupby=["team_id", "user_id"],
            aggregates=["__count"],
        )
        open_counts = dict.fromkeys(self.ids, 0)
        unassigned_counts = dict.fromkeys(self.ids, 0)
        for team, user, count in groups:
            open_counts[team.id] += count
            if not user:
                unassigned_counts[team.id] += count
        for team in self:
            team.open_exception_count = open_counts.get(team.id, 0)
            team.unassigned_exception_count = unassigned_counts.get(team.id, 0)

    def write(self, vals):
        if "alias_allow_unknown_senders" in vals and "alias_contact" not in vals:
            vals = dict(
                vals,
                alias_contact=self._alias_contact_policy(
                    vals["alias_allow_unknown_senders"]
                ),
            )
        res = super().write(vals)
        if "resource_calendar_id" in vals:
            # The queue's clocks run on other hours from now on.
            self.env["logistics.exception"]._sla_mark_outdated(
                [("team_id", "in", self.ids)]
            )
        return res

    def _get_calendar(self):
        """Working calendar of the queue, else the company's."""
        self.ensure_one()
        return self.resource_calendar_id or self.company_id.resource_calendar_id

    # ------------------------------------------------------------------
    # Email alias
    # ------------------------------------------------------------------
    @api.model
    def _alias_contact_policy(self, allow_unknown):
        """Who may write to the alias: anyone when unknown senders are
        accepted, else only the addresses of known contacts (the others get
        the alias's bounce message and nothing is created)."""
        return "everyone" if allow_unknown else "partners"

    def _alias_get_creation_values(self):
        values = super()._alias_get_creation_values()
        values["alias_model_id"] = self.env["ir.model"]._get_id("logistics.exception")
        values["alias_contact"] = self._alias_contact_policy(
            self.alias_allow_unknown_senders
        )
        if self.id:
            defaults = ast.literal_eval(self.alias_defaults or "{}")
            defaults["team_id"] = self.id
            values["alias_defaults"] = repr(defaults)
        return values

    def _get_email_category(self):
        """Category of an exception reported by email to this team."""
        self.ensure_one()
        if self.alias_category_id:
            return self.alias_category_id
        Category = self.env["logistics.exception.category"].with_company(
            self.company_id
        )
        domain = [("company_id", "in", [self.company_id.id, False])]
        return Category.search([*domain, ("team_id", "=", self.id)], limit=1) or (
            Category.search(domain, limit=1)
        )
