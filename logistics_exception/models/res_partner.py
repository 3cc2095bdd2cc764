from odoo import fields, models

SERVICE_TIERS = [
    ("standard", "Standard"),
    ("priority", "Priority"),
    ("strategic", "Strategic"),
]


class ResPartner(models.Model):
    _inherit = "res.partner"

    logistics_service_tier = fields.Selection(
        SERVICE_TIERS,
        string="Service Tier",
        default="standard",
        help="Service level agreed with this customer. The tier of the commercial "
        "entity counts for its contacts and addresses: it raises the priority of "
        "their exceptions and selects the SLA policy that applies.",
    )

    def write(self, vals):
        res = super().write(vals)
        if "logistics_service_tier" in vals:
            # The tier selects the SLA policy of the customer's open exceptions.
            self.env["logistics.exception"]._sla_mark_outdated(
                [("customer_id", "in", self.commercial_partner_id.ids)]
            )
        return res
