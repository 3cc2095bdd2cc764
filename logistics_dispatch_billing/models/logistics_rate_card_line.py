# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class LogisticsRateCardLine(models.Model):
    """A base rate of a card: one lane (origin and destination zones) and one
    service type; empty means any."""

    _name = "logistics.rate.card.line"
    _description = "Rate Card Base Rate"
    _order = "card_id, sequence, id"
    _check_company_auto = True

    card_id = fields.Many2one(
        "logistics.rate.card", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="card_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="card_id.currency_id")
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one(
        "product.product",
        string="Service Type",
        check_company=True,
        domain="[('type', '=', 'service')]",
        help="Leave empty for any service type.",
    )
    origin_zone_id = fields.Many2one(
        "logistics.dispatch.zone",
        string="Origin",
        check_company=True,
        help="Leave empty for any origin.",
    )
    destination_zone_id = fields.Many2one(
        "logistics.dispatch.zone",
        string="Destination",
        check_company=True,
        help="Leave empty for any destination.",
    )
    rate_basis = fields.Selection(
        [("job", "Per Job"), ("km", "Per km"), ("pallet", "Per Pallet")],
        required=True,
        default="job",
    )
    fixed_amount = fields.Monetary(
        string="Fixed", help="Charged once per job, whatever the quantity."
    )
    price_unit = fields.Monetary(
        string="Rate", help="Per job, per km or per pallet (see the basis)."
    )
    min_charge = fields.Monetary(string="Minimum")
    max_charge = fields.Monetary(string="Maximum", help="0: no maximum.")

    @api.constrains("fixed_amount", "price_unit", "min_charge", "max_charge")
    def _check_amounts(self):
        for line in self:
            if (
                min(
                    line.fixed_amount, line.price_unit, line.min_charge, line.max_charge
                )
                < 0
            ):
                raise ValidationError(
                    _(
                        "Rate card %(card)s: base rates, minimum and maximum "
                        "charges cannot be negative.",
                        card=line.card_id.display_name,
                    )
                )
            if line.max_charge and line.max_charge < line.min_charge:
                raise ValidationError(
                    _(
                        "Rate card %(card)s: a maximum charge (%(max)s) is below "
                        "its minimum (%(min)s).",
                        card=line.card_id.display_name,
                        max=line.max_charge,
                        min=line.min_charge,
                    )
                )

    def _compute_base_amount(self, quantity=1):
        """Fixed part plus rate times quantity (1 for a per-job rate), kept
        within the minimum and maximum charge."""
        self.ensure_one()
        if self.rate_basis == "job":
            quantity = 1
        amount = self.fixed_amount + self.price_unit * (quantity or 0)
        amount = max(amount, self.min_charge)
        if self.max_charge:
            amount = min(amount, self.max_charge)
        return self.currency_id.round(amount)
