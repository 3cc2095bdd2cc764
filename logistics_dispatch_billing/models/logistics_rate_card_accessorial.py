# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class LogisticsRateCardAccessorial(models.Model):
    """The price of one accessorial type on a card, per unit of the type."""

    _name = "logistics.rate.card.accessorial"
    _description = "Rate Card Accessorial Rate"
    _order = "card_id, sequence, id"
    _check_company_auto = True

    card_id = fields.Many2one(
        "logistics.rate.card", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="card_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="card_id.currency_id")
    sequence = fields.Integer(default=10)
    type_id = fields.Many2one(
        "logistics.accessorial.type",
        string="Accessorial",
        required=True,
        check_company=True,
        ondelete="restrict",
    )
    unit = fields.Selection(related="type_id.unit")
    price_unit = fields.Monetary(string="Price per Unit")

    @api.constrains("card_id", "type_id")
    def _check_type_once_per_card(self):
        for card in self.card_id:
            types = card.accessorial_line_ids.type_id
            if len(types) < len(card.accessorial_line_ids):
                raise ValidationError(
                    _(
                        "Rate card %(card)s prices an accessorial type twice: keep "
                        "one line per type.",
                        card=card.display_name,
                    )
                )

    @api.constrains("price_unit")
    def _check_price_unit(self):
        for rate in self:
            if rate.price_unit < 0:
                raise ValidationError(
                    _(
                        "Rate card %(card)s: the price of %(type)s cannot be negative.",
                        card=rate.card_id.display_name,
                        type=rate.type_id.display_name,
                    )
                )
