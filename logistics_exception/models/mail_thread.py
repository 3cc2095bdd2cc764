from odoo import api, models


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    @api.model
    def message_route(
        self, message, message_dict, model=None, thread_id=None, custom_values=None
    ):
        """Let the exceptions complete the routing of the emails that would
        create one (auto-replies, a reference quoted in the subject): see
        ``logistics.exception._mail_route_new_email``."""
        routes = super().message_route(
            message,
            message_dict,
            model=model,
            thread_id=thread_id,
            custom_values=custom_values,
        )
        Exception_ = self.env["logistics.exception"]
        adjusted = []
        for route in routes:
            if route[0] == Exception_._name and not route[1]:
                route = Exception_._mail_route_new_email(message, message_dict, route)
            if route:
                adjusted.append(route)
        return adjusted
