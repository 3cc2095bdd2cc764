from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date, is_html_empty

from .logistics_exception_notification import EVENT_CONTEXT_KEY

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

    def action_notify(self):
        """Activities on logistics exceptions follow the suite's rule: never
        to the acting user, in the digest of users who chose one; everyone
        else gets Odoo's activity email at once."""
        on_exceptions = self.filtered(
            lambda a: a.res_model == "logistics.exception" and a.user_id
        )
        if not on_exceptions:
            return super().action_notify()
        exceptions = self.env["logistics.exception"]
        actor = exceptions._get_notification_actor()
        own = on_exceptions.filtered(lambda a: a.user_id == actor)
        digest = (on_exceptions - own).filtered(
            lambda a: a.user_id.logistics_exception_digest in ("hourly", "daily")
        )
        if digest:
            event = self.env.context.get(EVENT_CONTEXT_KEY) or "activity"
            # sudo: digest items are the system's (see the access rights).
            self.env["logistics.exception.digest.item"].sudo().create(
                [
                    exceptions.browse(activity.res_id)._prepare_digest_item_vals(
                        activity.user_id,
                        event,
                        activity.with_context(
                            lang=activity.user_id.lang or self.env.lang
                        )._get_logistics_digest_message(),
                    )
                    for activity in digest
                ]
            )
        return super(MailActivity, self - own - digest).action_notify()

    def _get_logistics_digest_message(self):
        """What the digest says about an activity assigned to its reader."""
        self.ensure_one()
        message = _(
            "%(activity)s assigned to you, due %(deadline)s: %(summary)s",
            activity=self.activity_type_id.name,
            deadline=format_date(self.env, self.date_deadline),
            summary=self.summary or self.activity_type_id.name,
        )
        if is_html_empty(self.note):
            return message
        return Markup("{}<br/>{}").format(message, self.note)
