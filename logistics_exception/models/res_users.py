from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .logistics_exception_notification import DIGEST_FREQUENCIES


class ResUsers(models.Model):
    _inherit = "res.users"

    logistics_exception_digest = fields.Selection(
        DIGEST_FREQUENCIES,
        string="Logistics Exception Notifications",
        required=True,
        default="immediate",
        help="Each event: a notification for each thing that happens to your "
        "exceptions (in your inbox or by email, as set in Notification).\n"
        "Hourly or daily digest: one email listing what happened since the "
        "last one.",
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return [*super().SELF_READABLE_FIELDS, "logistics_exception_digest"]

    @property
    def SELF_WRITEABLE_FIELDS(self):
        return [*super().SELF_WRITEABLE_FIELDS, "logistics_exception_digest"]

    @api.constrains("logistics_exception_digest", "email")
    def _check_logistics_exception_digest_email(self):
        for user in self:
            if user.logistics_exception_digest != "immediate" and not user.email:
                raise ValidationError(
                    _(
                        "%(user)s has no email address: a digest is sent by "
                        "email. Set the email address first, or keep a "
                        "notification for each event.",
                        user=user.name,
                    )
                )
