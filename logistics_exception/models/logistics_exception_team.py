from odoo import api, fields, models


class LogisticsExceptionTeam(models.Model):
    _name = "logistics.exception.team"
    _description = "Logistics Exception Team"
    _inherit = ["mail.thread", "logistics.exception.config.mixin"]
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
