# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import math
from datetime import datetime

import pytz

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.base.models.res_partner import _tz_get

WAIT = "WAIT"
AFTER_HOURS = "AFTER_HOURS"
REDELIVERY = "REDELIVERY"


class LogisticsRateCard(models.Model):
    """What a customer pays for a job: base rates by lane and service type,
    accessorial rates, waiting and after-hours rules, fuel surcharge.

    A card is for one customer, for a customer group (a partner category) or,
    with neither, the company default. ``_find_rate_card`` picks the most
    specific card valid on a date.
    """

    _name = "logistics.rate.card"
    _description = "Rate Card"
    _inherit = ["mail.thread"]
    _order = "sequence, date_start desc, id desc"

    name = fields.Char(required=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    usage = fields.Selection(
        [("sale", "Customers"), ("purchase", "Subcontractors")],
        string="Priced For",
        required=True,
        default="sale",
        index=True,
        tracking=True,
        help="Customers: what a customer pays for a job. Subcontractors: what "
        "we pay a carrier who runs a job for us (its purchase order line).",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        index=True,
        check_company=True,
        tracking=True,
        help="The card applies to this customer (a subcontractor on a "
        "subcontractors' card) and its addresses.",
    )
    partner_category_id = fields.Many2one(
        "res.partner.category",
        string="Customer Group",
        index=True,
        tracking=True,
        help="The card applies to the customers tagged with this category "
        "(or one of its sub-categories).",
    )
    scope = fields.Selection(
        [
            ("customer", "Customer"),
            ("group", "Customer Group"),
            ("default", "Company Default"),
        ],
        compute="_compute_scope",
        store=True,
    )
    date_start = fields.Date(string="Valid From", tracking=True)
    date_end = fields.Date(string="Valid Until", tracking=True)
    line_ids = fields.One2many(
        "logistics.rate.card.line", "card_id", string="Base Rates", copy=True
    )
    accessorial_line_ids = fields.One2many(
        "logistics.rate.card.accessorial",
        "card_id",
        string="Accessorial Rates",
        copy=True,
    )
    free_waiting_minutes = fields.Integer(
        default=30,
        tracking=True,
        help="Minutes on site per stop that are not billed.",
    )
    waiting_increment = fields.Integer(
        string="Waiting Increment (min)",
        default=15,
        tracking=True,
        help="Billable waiting time is rounded up to a multiple of this many minutes.",
    )
    after_hours_start = fields.Float(
        default=18.0,
        tracking=True,
        help="Deliveries at or after this hour are after hours.",
    )
    after_hours_end = fields.Float(
        default=7.0,
        tracking=True,
        help="Deliveries before this hour are after hours. Equal start and end: "
        "no after-hours window.",
    )
    tz = fields.Selection(
        _tz_get,
        string="Timezone",
        required=True,
        default=lambda self: (
            self.env.company.partner_id.tz or self.env.user.tz or "UTC"
        ),
        help="The after-hours window is read in this timezone.",
    )
    fuel_surcharge_percent = fields.Float(
        string="Fuel Surcharge (%)",
        tracking=True,
        help="Added to the base charge (after its minimum and maximum).",
    )
    note = fields.Html()

    @api.depends("partner_id", "partner_category_id")
    def _compute_scope(self):
        for card in self:
            if card.partner_id:
                card.scope = "customer"
            elif card.partner_category_id:
                card.scope = "group"
            else:
                card.scope = "default"

    @api.constrains("partner_id", "partner_category_id")
    def _check_partner_or_group(self):
        for card in self:
            if card.partner_id and card.partner_category_id:
                raise ValidationError(
                    _(
                        "Rate card %(card)s is for a customer or for a customer "
                        "group, not both: clear one of them.",
                        card=card.display_name,
                    )
                )

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for card in self:
            if card.date_start and card.date_end and card.date_end < card.date_start:
                raise ValidationError(
                    _(
                        "Rate card %(card)s ends before it starts: set its end "
                        "date on or after its start date.",
                        card=card.display_name,
                    )
                )

    @api.constrains(
        "free_waiting_minutes",
        "waiting_increment",
        "fuel_surcharge_percent",
        "after_hours_start",
        "after_hours_end",
    )
    def _check_numbers(self):
        for card in self:
            if card.free_waiting_minutes < 0 or card.waiting_increment < 0:
                raise ValidationError(
                    _(
                        "Rate card %(card)s: free waiting minutes and the waiting "
                        "increment cannot be negative.",
                        card=card.display_name,
                    )
                )
            if card.fuel_surcharge_percent < 0:
                raise ValidationError(
                    _(
                        "Rate card %(card)s: the fuel surcharge cannot be negative.",
                        card=card.display_name,
                    )
                )
            for hour in (card.after_hours_start, card.after_hours_end):
                if not 0 <= hour <= 24:
                    raise ValidationError(
                        _(
                            "Rate card %(card)s: the after-hours window takes hours "
                            "between 00:00 and 24:00.",
                            card=card.display_name,
                        )
                    )

    def action_open_simulator(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Rate Simulator"),
            "res_model": "logistics.rate.card.simulate",
            "view_mode": "form",
            "target": "new",
            "context": {"default_card_id": self.id},
        }

    # ------------------------------------------------------------------
    # Choice of the card
    # ------------------------------------------------------------------

    @api.model
    def _find_rate_card(self, partner, date, company, usage="sale"):
        """Return the most specific rate card of ``company`` valid on ``date``
        for ``partner`` (a customer or one of its addresses), or an empty
        recordset. ``usage`` "purchase" looks among the subcontractors' cards
        (``partner`` is then the subcontractor).

        The order, most specific first:

        1. a card of the customer (the partner or its commercial entity);
        2. a card of one of the customer's categories (or of a parent
           category of one of them);
        3. the company default (no customer, no group).

        Among valid cards of the same level, the one starting last wins (a
        card with a start date beats an open one), then the lower sequence,
        then the newest.

        Reads with the caller's access rights.
        """
        if isinstance(date, datetime):
            date = date.date()
        date = fields.Date.to_date(date) or fields.Date.context_today(self)
        partners = partner | partner.commercial_partner_id
        categories = partners.category_id
        cards = self.search(
            [
                ("company_id", "=", company.id),
                ("usage", "=", usage),
                "|",
                ("date_start", "=", False),
                ("date_start", "<=", date),
                "|",
                ("date_end", "=", False),
                ("date_end", ">=", date),
                "|",
                "|",
                ("partner_id", "in", partners.ids),
                ("partner_category_id", "parent_of", categories.ids),
                ("scope", "=", "default"),
            ]
        )
        if not cards:
            return cards
        return min(cards, key=self._rate_card_rank)

    @api.model
    def _rate_card_rank(self, card):
        """Sort key of a valid card: lower is more specific (override me)."""
        level = {"customer": 0, "group": 1, "default": 2}[card.scope]
        start = card.date_start.toordinal() if card.date_start else 0
        return (level, -start, card.sequence, -card.id)

    # ------------------------------------------------------------------
    # Pricing from plain values
    # ------------------------------------------------------------------

    def _compute_waiting_minutes(self, arrival, departure):
        """Billable waiting minutes of one stop: time on site minus the free
        minutes, rounded up to the billing increment. 0 without both times."""
        self.ensure_one()
        if not arrival or not departure:
            return 0
        arrival = fields.Datetime.to_datetime(arrival)
        departure = fields.Datetime.to_datetime(departure)
        if departure < arrival:
            raise UserError(
                _(
                    "The departure (%(departure)s) is before the arrival "
                    "(%(arrival)s): correct the time stamps.",
                    departure=departure,
                    arrival=arrival,
                )
            )
        on_site = (departure - arrival).total_seconds() / 60
        billable = on_site - self.free_waiting_minutes
        if billable <= 0:
            return 0
        increment = self.waiting_increment or 1
        # The tolerance keeps 65.0000001 minutes from becoming 90.
        return int(math.ceil(billable / increment - 1e-9) * increment)

    def _is_after_hours(self, delivery_time):
        """True when ``delivery_time`` (UTC) falls in the after-hours window
        read in the card's timezone."""
        self.ensure_one()
        start, end = self.after_hours_start, self.after_hours_end
        if not delivery_time or start == end:
            return False
        local = (
            pytz.utc.localize(fields.Datetime.to_datetime(delivery_time))
            .astimezone(pytz.timezone(self.tz or "UTC"))
            .replace(tzinfo=None)
        )
        hour = local.hour + local.minute / 60 + local.second / 3600
        if start < end:
            return start <= hour < end
        return hour >= start or hour < end

    def _find_base_line(self, product, origin, destination):
        """The base rate line for a service and a lane: a line naming the
        service beats one for any service, then the origin, then the
        destination; ties go to the lower sequence."""
        self.ensure_one()
        candidates = self.line_ids.filtered(
            lambda line: (
                line.product_id in (product, line.product_id.browse())
                and line.origin_zone_id in (origin, line.origin_zone_id.browse())
                and line.destination_zone_id
                in (destination, line.destination_zone_id.browse())
            )
        )
        if not candidates:
            return candidates
        return min(
            candidates,
            key=lambda line: (
                -(
                    4 * bool(line.product_id)
                    + 2 * bool(line.origin_zone_id)
                    + bool(line.destination_zone_id)
                ),
                line.sequence,
                line.id,
            ),
        )

    def _accessorial_quantity(self, accessorial_type, values, waiting_minutes):
        """Quantity of one accessorial for a job described by ``values``
        (override me for new kinds of events)."""
        code = accessorial_type.code
        if code == WAIT:
            return waiting_minutes
        if code == AFTER_HOURS:
            return 1 if self._is_after_hours(values.get("delivery_time")) else 0
        if code == REDELIVERY and values.get("redelivery"):
            return 1
        codes = values.get("accessorial_codes") or {}
        if isinstance(codes, dict):
            return codes.get(code) or 0
        return 1 if code in codes else 0

    def _price_job_values(self, values):
        """Price a job from plain values, without any job record.

        ``values`` keys (all optional): ``product_id`` (the service type: a
        product record or id), ``origin_zone_id``, ``destination_zone_id``
        (records or ids), ``quantity`` (km or pallets when the base rate is
        per km or per pallet; default 1), ``arrival``, ``departure``,
        ``delivery_time`` (UTC datetimes), ``redelivery`` (bool),
        ``accessorial_codes`` (codes flagged on the job, or a dict code ->
        quantity).

        Returns a dict: ``card_id``, ``currency_id``, ``base_line_id``,
        ``base_amount`` (within the line's minimum and maximum),
        ``fuel_amount`` (the surcharge on the base amount),
        ``waiting_minutes``, ``accessorial_lines`` (a list of dicts with
        ``type_id``, ``code``, ``product_id``, ``name``, ``quantity``,
        ``price_unit``, ``amount``) and ``total``. Accessorials the card has
        no rate for, or whose type is archived, are not charged.
        """
        self.ensure_one()
        product = self._as_record("product.product", values.get("product_id"))
        origin = self._as_record(
            "logistics.dispatch.zone", values.get("origin_zone_id")
        )
        destination = self._as_record(
            "logistics.dispatch.zone", values.get("destination_zone_id")
        )
        currency = self.currency_id
        line = self._find_base_line(product, origin, destination)
        base_amount = (
            line._compute_base_amount(values.get("quantity", 1)) if line else 0.0
        )
        fuel_amount = currency.round(base_amount * self.fuel_surcharge_percent / 100)
        waiting_minutes = self._compute_waiting_minutes(
            values.get("arrival"), values.get("departure")
        )
        accessorial_lines = []
        for rate in self.accessorial_line_ids.filtered("type_id.active"):
            quantity = self._accessorial_quantity(rate.type_id, values, waiting_minutes)
            if not quantity:
                continue
            accessorial_lines.append(
                {
                    "type_id": rate.type_id.id,
                    "code": rate.type_id.code,
                    "product_id": rate.type_id.product_id.id,
                    "name": rate.type_id.name,
                    "quantity": quantity,
                    "price_unit": rate.price_unit,
                    "amount": currency.round(quantity * rate.price_unit),
                }
            )
        total = base_amount + fuel_amount + sum(a["amount"] for a in accessorial_lines)
        return {
            "card_id": self.id,
            "currency_id": currency.id,
            "base_line_id": line.id,
            "base_amount": base_amount,
            "fuel_amount": fuel_amount,
            "waiting_minutes": waiting_minutes,
            "accessorial_lines": accessorial_lines,
            "total": currency.round(total),
        }

    def _as_record(self, model, value):
        if isinstance(value, models.BaseModel):
            return value
        return self.env[model].browse(value or [])
