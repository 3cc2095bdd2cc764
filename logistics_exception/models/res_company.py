from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

# The queues and SLA policies the suite ships for the main company; every
# other company gets its own copy of them (see _logistics_exception_setup).
SHIPPED_TEAMS = (
    "team_warehouse",
    "team_dispatch",
    "team_procurement",
    "team_customer_service",
    "team_billing",
)
SHIPPED_POLICIES = (
    "sla_policy_strategic",
    "sla_policy_critical",
    "sla_policy_billing",
    "sla_policy_high",
    "sla_policy_priority",
    "sla_policy_medium",
    "sla_policy_standard",
)


class ResCompany(models.Model):
    _inherit = "res.company"

    logistics_exception_high_value_amount = fields.Monetary(
        string="High-Value Order Threshold",
        currency_field="currency_id",
        default=10000.0,
        help="Exceptions on orders worth at least this amount (company currency) "
        "get one more priority star.",
    )
    logistics_billing_hold = fields.Boolean(
        string="Hold Invoices of Goods with Open Exceptions",
        default=True,
        help="A customer invoice cannot be posted while open logistics exceptions "
        "that hold billing concern it, its sales orders or their transfers, "
        "unless a Finance manager overrides the hold with a reason.",
    )
    logistics_exception_customer_notify_hours = fields.Integer(
        string="Customer Update Period (Hours)",
        default=24,
        help="A customer receives at most one update per exception in this "
        "many hours; later updates wait for the end of the period and go as "
        "one. 0 sends each update at once.",
    )

    @api.constrains("logistics_exception_customer_notify_hours")
    def _check_logistics_exception_customer_notify_hours(self):
        if any(c.logistics_exception_customer_notify_hours < 0 for c in self):
            raise ValidationError(
                _(
                    "The customer update period cannot be negative: give a number "
                    "of hours, or 0 to send each update at once."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._logistics_exception_setup()
        return companies

    @api.model
    def _logistics_exception_setup_all(self):
        """Give every company without queues the suite's set-up (at install,
        for the companies that existed before)."""
        self.sudo().search([])._logistics_exception_setup()

    @api.model
    def _logistics_shipped(self, model, xmlids):
        """The records of ``model`` the suite shipped under ``xmlids`` that
        still exist."""
        records = model.browse()
        for xmlid in xmlids:
            records |= (
                self.env.ref(f"logistics_exception.{xmlid}", raise_if_not_found=False)
                or records.browse()
            )
        return records

    def _logistics_exception_setup(self):
        """A company starts like the main company: its own copy of the shipped
        queues (without people, on the company's working hours) as the
        default queues of the shared categories, and of the shipped SLA
        policies with their escalation ladders. The copies are taken from the
        main company's records as they are now (an admin may have tuned
        them). A company that already has queues is left alone."""
        teams = self.env["logistics.exception.team"].sudo()
        shipped_teams = self._logistics_shipped(teams, SHIPPED_TEAMS)
        shipped_policies = self._logistics_shipped(
            self.env["logistics.exception.sla.policy"].sudo(), SHIPPED_POLICIES
        )
        if not shipped_teams:
            return  # still installing: the data files come next
        staffed = set(
            teams.with_context(active_test=False)
            .search([("company_id", "in", self.ids)])
            .company_id.ids
        )
        categories = (
            self.env["logistics.exception.category"]
            .sudo()
            .search([("company_id", "=", False)])
        )
        source_company = shipped_teams[0].company_id
        for company in self.sudo():
            if company.id in staffed or company == source_company:
                continue
            copies = {}
            for team in shipped_teams.filtered("active"):
                copies[team] = team.copy(
                    {
                        "company_id": company.id,
                        "member_ids": [],
                        "leader_id": False,
                        "escalation_user_id": False,
                        "warehouse_ids": [],
                        "resource_calendar_id": company.resource_calendar_id.id,
                    }
                )
            for category in categories:
                team = category.with_company(source_company).team_id
                if team in copies:
                    category.with_company(company).team_id = copies[team]
            for policy in shipped_policies.filtered("active"):
                policy.copy(
                    {
                        "company_id": company.id,
                        "team_ids": [],
                        "warehouse_ids": [],
                        "category_ids": policy.category_ids.filtered(
                            lambda c: not c.company_id
                        ).ids,
                    }
                )

    def write(self, vals):
        res = super().write(vals)
        if "resource_calendar_id" in vals:
            # Exceptions outside a queue count the company's working hours.
            self.env["logistics.exception"]._sla_mark_outdated(
                [("company_id", "in", self.ids), ("team_id", "=", False)]
            )
        return res

    def _logistics_sla_outdated(self):
        """The SLA policies of these companies changed: recompute the
        deadlines of their open exceptions."""
        if self:
            self.env["logistics.exception"]._sla_mark_outdated(
                [("company_id", "in", self.ids)]
            )
