from markupsafe import Markup

from odoo import _, models
from odoo.exceptions import UserError


class MailActivitySchedule(models.TransientModel):
    _inherit = "mail.activity.schedule"

    def action_schedule_plan(self):
        """A playbook launched by hand on exceptions schedules its steps like
        routing does: by role, due in working days, required steps flagged,
        once per exception."""
        if self.res_model != "logistics.exception":
            return super().action_schedule_plan()
        exceptions = self._get_applied_on_records()
        # Launching a plan is working the exceptions: the user must be allowed to.
        exceptions.check_access_rights("write")
        exceptions.check_access_rule("write")
        self._check_playbook_not_started(exceptions)
        lines = exceptions.sudo()._start_playbooks(
            {exception: self.plan_id for exception in exceptions.sudo()},
            on_demand_user=self.plan_on_demand_user_id,
        )
        if lines:
            exceptions.sudo()._message_log_batch(
                bodies={
                    exception.id: Markup("<br/>").join(body)
                    for exception, body in lines.items()
                },
                message_type="comment",
            )
        if len(exceptions) == 1:
            return {
                "type": "ir.actions.act_window",
                "res_model": self.res_model,
                "res_id": exceptions.id,
                "name": exceptions.display_name,
                "view_mode": "form",
                "views": [(False, "form")],
            }
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "name": self.plan_id.name,
            "view_mode": "tree,form",
            "target": "current",
            "domain": [("id", "in", exceptions.ids)],
        }

    def _check_playbook_not_started(self, exceptions):
        """A playbook runs once per exception: launching it again is refused
        rather than silently ignored."""
        started = exceptions.sudo().filtered(lambda e: self.plan_id in e.playbook_ids)
        if started:
            raise UserError(
                _(
                    "Playbook %(playbook)s was already started on exception "
                    "%(exceptions)s: a playbook runs only once on an exception. "
                    "Pick another playbook, or schedule single activities.",
                    playbook=self.plan_id.name,
                    exceptions=", ".join(started.mapped("name")),
                )
            )
