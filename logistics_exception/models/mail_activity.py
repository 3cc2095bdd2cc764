from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date, is_html_empty

from .logistics_exception_notification import EVENT_CONTEXT_KEY

GROUP_MANAGER = "logistics_exception.logistics_exception_group_manager"
# What makes an activity a required step of an exception: only an exception
# manager (or the system) changes them on a required step, else the step
# would slip out of the resolution check.
REQUIRED_STEP_FIELDS = (
    "logistics_required",
    "logistics_plan_id",
    "active",
    "res_id",
    "res_model",
    "res_model_id",
)
# Key of the cursor's cache holding the ids of the activities being marked
# done in this transaction: unlike a context key, no client can set it.
STEPS_DONE_KEY = "logistics_exception_steps_done"


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

    def write(self, vals):
        self._check_required_step_write(vals)
        return super().write(vals)

    def _check_required_step_write(self, vals):
        """Only an exception manager (or the system) takes a step out of its
        playbook: unflags, archives or moves a required step. Marking it done
        is allowed (mail archives the steps whose type keeps done ones)."""
        names = [name for name in REQUIRED_STEP_FIELDS if name in vals]
        if not names or self.env.su or self.env.user.has_group(GROUP_MANAGER):
            return
        done = self.env.cr.cache.get(STEPS_DONE_KEY, set())
        for step in self.filtered(lambda a: a.logistics_required and a.id not in done):
            for name in names:
                field = self._fields[name]
                current = field.convert_to_write(step[name], step)
                if (current or False) != (vals[name] or False):
                    raise UserError(
                        _(
                            "%(step)s is a required step of playbook "
                            "%(playbook)s: only an exception manager may change "
                            "its %(field)s. Mark the step done instead.",
                            step=step.summary or step.activity_type_id.name,
                            playbook=step.logistics_plan_id.name,
                            field=field.get_description(self.env)["string"],
                        )
                    )

    def _action_done(self, feedback=False, attachment_ids=None):
        # Marking done deletes (or archives) the activities: allowed for
        # required steps. Noted in the cursor's cache, out of any client's reach.
        done = self.env.cr.cache.setdefault(STEPS_DONE_KEY, set())
        ids = set(self.ids) - done
        done |= ids
        try:
            return super()._action_done(
                feedback=feedback, attachment_ids=attachment_ids
            )
        finally:
            done -= ids

    @api.ondelete(at_uninstall=False)
    def _unlink_except_required_step(self):
        """A required step of a playbook is marked done, not cancelled (but
        by an exception manager)."""
        done = self.env.cr.cache.get(STEPS_DONE_KEY, set())
        required = self.filtered(lambda a: a.logistics_required and a.id not in done)
        if required and not self.env.su and not self.env.user.has_group(GROUP_MANAGER):
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
        # Several activities for one person at once (playbooks started on a
        # batch of detected exceptions): one notice listing their exceptions
        # rather than one email per activity. A single one keeps Odoo's email.
        immediate = on_exceptions - own - digest
        batched = self.browse()
        for user in immediate.user_id:
            activities = immediate.filtered(lambda a, u=user: a.user_id == u)
            if len(activities) > 1:
                batched |= activities
                exceptions.browse(
                    set(activities.mapped("res_id"))
                )._notify_logistics_users(
                    user,
                    self.env.context.get(EVENT_CONTEXT_KEY) or "activity",
                    activities._get_logistics_assigned_message(),
                )
        return super(MailActivity, self - own - digest - batched).action_notify()

    def _get_logistics_assigned_message(self):
        """What one notice says of the activities of self, assigned at once
        to its reader."""
        return _(
            "%(count)s activities were assigned to you: %(summaries)s",
            count=len(self),
            summaries=", ".join(
                dict.fromkeys(a.summary or a.activity_type_id.name for a in self)
            ),
        )

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
