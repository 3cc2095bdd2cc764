# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.tools.misc import formatLang


class LogisticsRateCardSimulate(models.TransientModel):
    """What would this job cost? Prices a described job on a card, without
    creating anything."""

    _name = "logistics.rate.card.simulate"
    _description = "Rate Card Simulator"

    card_id = fields.Many2one("logistics.rate.card", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="card_id.company_id")
    currency_id = fields.Many2one(related="card_id.currency_id")
    product_id = fields.Many2one(
        "product.product",
        string="Service Type",
        domain="[('type', '=', 'service')]",
    )
    origin_zone_id = fields.Many2one(
        "logistics.dispatch.zone",
        string="Origin",
        domain="[('company_id', '=', company_id)]",
    )
    destination_zone_id = fields.Many2one(
        "logistics.dispatch.zone",
        string="Destination",
        domain="[('company_id', '=', company_id)]",
    )
    quantity = fields.Float(
        default=1.0,
        help="Kilometres or pallets when the base rate is per km or pallet.",
    )
    arrival = fields.Datetime()
    departure = fields.Datetime()
    delivery_time = fields.Datetime()
    redelivery = fields.Boolean()
    accessorial_type_ids = fields.Many2many(
        "logistics.accessorial.type",
        string="Flags",
        help="Special handling on the job (temperature control, tail lift...).",
    )
    waiting_minutes = fields.Integer(
        string="Billable Waiting (min)", compute="_compute_price"
    )
    base_amount = fields.Monetary(string="Base Charge", compute="_compute_price")
    fuel_amount = fields.Monetary(string="Fuel Surcharge", compute="_compute_price")
    accessorial_amount = fields.Monetary(
        string="Accessorials", compute="_compute_price"
    )
    total_amount = fields.Monetary(string="Total", compute="_compute_price")
    detail = fields.Html(compute="_compute_price", sanitize=False)

    @api.depends(
        "card_id",
        "product_id",
        "origin_zone_id",
        "destination_zone_id",
        "quantity",
        "arrival",
        "departure",
        "delivery_time",
        "redelivery",
        "accessorial_type_ids",
    )
    def _compute_price(self):
        for wizard in self:
            wizard.update(wizard._simulated_price())

    def _simulated_values(self):
        return {
            "product_id": self.product_id,
            "origin_zone_id": self.origin_zone_id,
            "destination_zone_id": self.destination_zone_id,
            "quantity": self.quantity,
            "arrival": self.arrival,
            "departure": self.departure,
            "delivery_time": self.delivery_time,
            "redelivery": self.redelivery,
            "accessorial_codes": self.accessorial_type_ids.mapped("code"),
        }

    def _simulated_price(self):
        empty = {
            "waiting_minutes": 0,
            "base_amount": 0.0,
            "fuel_amount": 0.0,
            "accessorial_amount": 0.0,
            "total_amount": 0.0,
            "detail": False,
        }
        card = self.card_id
        # The departure is typed after the arrival: no price until both agree.
        if not card or (
            self.arrival and self.departure and self.departure < self.arrival
        ):
            return empty
        price = card._price_job_values(self._simulated_values())
        rows = Markup("").join(
            Markup(
                "<tr><td>%s</td><td class='text-end'>%s</td>"
                "<td class='text-end'>%s</td><td class='text-end'>%s</td></tr>"
            )
            % (
                line["name"],
                formatLang(self.env, line["quantity"], digits=0),
                formatLang(self.env, line["price_unit"], currency_obj=card.currency_id),
                formatLang(self.env, line["amount"], currency_obj=card.currency_id),
            )
            for line in price["accessorial_lines"]
        )
        detail = (
            Markup(
                "<table class='table table-sm'><thead><tr><th>%s</th>"
                "<th class='text-end'>%s</th><th class='text-end'>%s</th>"
                "<th class='text-end'>%s</th></tr></thead><tbody>%s</tbody></table>"
            )
            % (_("Accessorial"), _("Quantity"), _("Price"), _("Amount"), rows)
            if rows
            else False
        )
        return {
            "waiting_minutes": price["waiting_minutes"],
            "base_amount": price["base_amount"],
            "fuel_amount": price["fuel_amount"],
            "accessorial_amount": sum(
                line["amount"] for line in price["accessorial_lines"]
            ),
            "total_amount": price["total"],
            "detail": detail,
        }
