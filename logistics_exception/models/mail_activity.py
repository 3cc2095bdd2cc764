from odoo import _, api, fields, models
from odoo.exceptions import UserError

GROUP_MANAGER = "logistics_exception.logistics_exception_group_manager"


class MailActivity(models.Model):
    _inherit = "mail.activity"

    logistics_plan_id = fields.Many2one(
        "mail.activity.plan",
        string="Playbook",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
        help="The exception playbook this step comes from.",
    )
    logistics_required = fields.Boolean(
        string="Required Step",
        readonly=True,
        help="A required step of an exception playbook: when the exception's "
        "category asks for it, the exception is only resolved once this step "
        "is done.",
    )

    def _action_done(self, feedback=False, attachment_ids=None):
        # Marking done deletes the activity: that deletion is allowed.
        return super(
            MailActivity, self.with_context(logistics_exception_step_done=True)
        )._action_done(feedback=feedback, attachment_ids=attachment_ids)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_required_step(self):
        """A required step of a playbook is marked done, not cancelled (but
        by an exception manager)."""
        required = self.filtered("logistics_required")
        if (
            required
            and not self.env.su
            and not self.env.context.get("logistics_exception_step_done")
            and not self.env.user.has_group(GROUP_MANAGER)
        ):
            raise UserError(
                _(
                    "%(step)s is a required step of playbook %(playbook)s: mark "
                    "it done rather than cancel it, or ask an exception manager.",
                    step=required[0].summary or required[0].activity_type_id.name,
                    playbook=required[0].logistics_plan_id.name,
                )
            )
