# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from .logistics_dispatch_job import BILLING_READERS, STAMP_FIELDS
from .logistics_rate_card import AFTER_HOURS, REDELIVERY, WAIT

# Writing one of these on a delivered job recomputes its draft charges.
CHARGE_TRIGGER_FIELDS = STAMP_FIELDS | {
    "accessorial_type_ids",
    "service_product_id",
    "zone_id",
    "origin_job_id",
}
# Accessorial types the job's events charge: not ticked by hand.
EVENT_CODES = [WAIT, REDELIVERY, AFTER_HOURS]


class LogisticsDispatchJob(models.Model):
    """Charges of a job: computed from its events at the rates of the
    customer's card, as drafts billing approves."""

    _inherit = "logistics.dispatch.job"

    accessorial_type_ids = fields.Many2many(
        "logistics.accessorial.type",
        "logistics_dispatch_job_accessorial_type_rel",
        "job_id",
        "type_id",
        string="Special Handling",
        domain=[("code", "not in", EVENT_CODES)],
        groups=BILLING_READERS,
        help="Services the job needs on top of the transport (temperature "
        "control, special equipment, tail lift...): each is charged once "
        "at the rate of the customer's card.",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    charge_total = fields.Monetary(
        string="Charge Total",
        compute="_compute_charge_total",
        store=True,
        groups=BILLING_READERS,
        help="Charges of the job that are not rejected.",
    )
    charge_to_approve_count = fields.Integer(
        string="Charges to Approve",
        compute="_compute_charge_total",
        store=True,
        groups=BILLING_READERS,
    )

    @api.depends("charge_ids.amount", "charge_ids.state")
    def _compute_charge_total(self):
        for job in self:
            charges = job.charge_ids.filtered(lambda c: c.state != "rejected")
            job.charge_total = sum(charges.mapped("amount"))
            job.charge_to_approve_count = len(
                charges.filtered(lambda c: c.state == "draft")
            )

    def write(self, vals):
        result = super().write(vals)
        if CHARGE_TRIGGER_FIELDS & set(vals) or vals.get("state") == "delivered":
            delivered = self.filtered(lambda j: j.state == "delivered")
            if delivered:
                delivered._compute_dispatch_charges()
        return result

    def action_compute_charges(self):
        """Recompute the draft charges of delivered jobs (a dispatcher's
        button)."""
        if not self.env.user.has_group(
            "logistics_dispatch_billing.group_dispatch_user"
        ):
            raise AccessError(_("Only a dispatcher can compute the charges of jobs."))
        self._check_state(("delivered",), _("compute the charges of"))
        self._compute_dispatch_charges()
        return True

    def action_view_charges(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "logistics_dispatch_billing.logistics_dispatch_charge_action"
        )
        action["domain"] = [("job_id", "=", self.id)]
        action["context"] = {"default_job_id": self.id}
        return action

    # ------------------------------------------------------------------
    # Computation of the charges
    # ------------------------------------------------------------------

    def _compute_dispatch_charges(self):
        """Create or update the draft charges of these jobs from their
        events at the rates of their rate card. Approved, rejected and
        invoiced charges and charges added by hand are left alone; a draft
        computed charge the events no longer justify is removed.

        Runs for any user who may read the jobs (a driver delivering their
        job included), though drivers read neither cards nor charges.
        """
        self.check_access_rights("read")
        self.check_access_rule("read")
        # sudo: drivers deliver jobs but may not read cards or charges; the
        # check above proves the user acts on jobs they may read.
        jobs = self.sudo()
        Charge = self.env["logistics.dispatch.charge"].sudo()
        existing = Charge.search([("job_id", "in", jobs.ids)])
        to_create = []
        to_unlink = Charge
        cards = {}
        for job in jobs:
            key = (job.partner_id, job._get_dispatch_charge_date(), job.company_id)
            if key not in cards:
                cards[key] = (
                    self.env["logistics.rate.card"].sudo()._find_rate_card(*key)
                )
            job_charges = existing.filtered(lambda c, job=job: c.job_id == job)
            by_type = {c.accessorial_type_id: c for c in job_charges}
            wanted = job._get_dispatch_charge_values(cards[key])
            wanted_types = set()
            for vals in wanted:
                charge_type = self.env["logistics.accessorial.type"].browse(
                    vals["accessorial_type_id"]
                )
                wanted_types.add(charge_type)
                charge = by_type.get(charge_type)
                if not charge:
                    to_create.append(vals)
                elif charge.state == "draft" and charge.computed:
                    changed = {
                        fname: value
                        for fname, value in vals.items()
                        if charge._fields[fname].convert_to_write(charge[fname], charge)
                        != value
                    }
                    if changed:
                        charge.write(changed)
            to_unlink |= job_charges.filtered(
                lambda c, wanted_types=wanted_types: (
                    c.state == "draft"
                    and c.computed
                    and c.accessorial_type_id not in wanted_types
                )
            )
        to_unlink.unlink()
        return Charge.create(to_create)

    def _get_dispatch_charge_date(self):
        """The date whose rate card prices the job's charges."""
        self.ensure_one()
        stamp = self.date_delivered or self.date_arrival or self.planned_start
        return stamp.date() if stamp else fields.Date.context_today(self)

    def _get_dispatch_charge_values(self, card):
        """Values of the charges the job's events justify at the rates of
        ``card``, one dict per accessorial type (override me to add kinds
        of events)."""
        self.ensure_one()
        if not card:
            return []
        priced = card._price_job_values(self._get_pricing_values())
        return [
            {
                "job_id": self.id,
                "accessorial_type_id": line["type_id"],
                "product_id": line["product_id"],
                "name": line["name"],
                "quantity": line["quantity"],
                "price_unit": line["price_unit"],
                "rate_card_id": card.id,
                "computed": True,
            }
            for line in priced["accessorial_lines"]
        ]

    def _get_pricing_values(self):
        """The job's events as the plain values rate cards price."""
        self.ensure_one()
        return {
            "product_id": self.service_product_id,
            "destination_zone_id": self.zone_id,
            "arrival": self.date_arrival,
            "departure": self.date_departure,
            "delivery_time": self.date_delivered,
            "redelivery": bool(self.origin_job_id),
            "accessorial_codes": self.accessorial_type_ids.mapped("code"),
        }
