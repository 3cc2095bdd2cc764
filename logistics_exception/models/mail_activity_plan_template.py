from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

EXCEPTION_MODEL = "logistics.exception"
LOGISTICS_ROLES = ("logistics_owner", "logistics_leader", "logistics_group")


class MailActivityPlanTemplate(models.Model):
    """A step of an exception playbook: an activity for a role (the owner,
    the team leader, a member of a group), due in working days, that may be
    required before the exception is resolved."""

    _inherit = "mail.activity.plan.template"

    responsible_type = fields.Selection(
        selection_add=[
            ("logistics_owner", "Exception owner"),
            ("logistics_leader", "Team leader"),
            ("logistics_group", "A member of a group"),
        ],
        ondelete={role: "set default" for role in LOGISTICS_ROLES},
    )
    logistics_group_id = fields.Many2one(
        "res.groups",
        string="Group",
        help="The step goes to the first active member of this group in the "
        "exception's company.",
    )
    logistics_delay_days = fields.Integer(
        string="Due In (Working Days)",
        help="Working days after the playbook starts, on the team's working "
        "hours (else the company's). Zero: the same day.",
    )
    logistics_required = fields.Boolean(
        string="Required",
        help="When the exception's category asks for it, the exception cannot "
        "be resolved before this step is done.",
    )

    @api.constrains("plan_id", "responsible_type", "logistics_group_id")
    def _check_logistics_role(self):
        for step in self:
            if step.responsible_type not in LOGISTICS_ROLES:
                continue
            if step.plan_id.res_model != EXCEPTION_MODEL:
                raise ValidationError(
                    _(
                        "The exception owner, team leader and group roles are "
                        "for playbooks of logistics exceptions only (step "
                        "%(step)s).",
                        step=step.summary or step.activity_type_id.name,
                    )
                )
            if step.responsible_type == "logistics_group" and not (
                step.logistics_group_id
            ):
                raise ValidationError(
                    _(
                        "Step %(step)s goes to a member of a group: choose the group.",
                        step=step.summary or step.activity_type_id.name,
                    )
                )

    @api.constrains("logistics_delay_days")
    def _check_logistics_delay_days(self):
        if any(step.logistics_delay_days < 0 for step in self):
            raise ValidationError(
                _("A playbook step cannot be due before the playbook starts.")
            )

    def _determine_responsible(self, on_demand_responsible, applied_on_record):
        if applied_on_record._name != EXCEPTION_MODEL or (
            self.responsible_type not in LOGISTICS_ROLES
        ):
            return super()._determine_responsible(
                on_demand_responsible, applied_on_record
            )
        responsible = applied_on_record._get_playbook_step_user(
            self, on_demand_responsible
        )
        return {
            "responsible": responsible,
            "error": False
            if responsible
            else _(
                "Nobody can take step %(step)s on exception %(name)s.",
                step=self.summary or self.activity_type_id.name,
                name=applied_on_record.name,
            ),
        }
