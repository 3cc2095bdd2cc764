# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from .logistics_rate_card import AFTER_HOURS, REDELIVERY, WAIT

# Fields a driver may write on the jobs assigned to them: the proof of delivery.
DRIVER_FIELDS = {
    "pod_receiver_name",
    "pod_signature",
    "pod_photo_ids",
    "pod_temperature_log",
    "pod_temperature_log_name",
    "pod_customs_document",
    "pod_customs_document_name",
    "pod_note",
}
# Time stamps the actions set and only a dispatcher corrects by hand.
STAMP_FIELDS = {"date_arrival", "date_departure", "date_delivered"}
# What the actions, the invoicing and the escalation set, never a person by
# hand (not even a dispatcher, by RPC): the gate trusts that a delivered job
# was delivered with its proof.
PROTECTED_FIELDS = {
    "state",
    "date_delivered",
    "pod_date",
    "origin_job_id",
    "fail_reason_id",
    "purchase_line_id",
    "invoice_ids",
    "date_invoiced",
    "date_unbilled_escalated",
    "date_vendor_bill_escalated",
}
# Who reads what a job is billed: dispatchers and billing, not drivers.
BILLING_READERS = (
    "logistics_dispatch_billing.group_dispatch_user,account.group_account_invoice"
)
# Writing one of these on a delivered job recomputes its draft charges.
CHARGE_TRIGGER_FIELDS = STAMP_FIELDS | {
    "accessorial_type_ids",
    "service_product_id",
    "zone_id",
    "origin_job_id",
}
# Accessorial types the job's events charge: not ticked by hand.
EVENT_CODES = [WAIT, REDELIVERY, AFTER_HOURS]
# States of a job that do not hold the billing of its order: a cancelled job
# is not billed; a failed job is billed through the job that re-plans it.
OPEN_STATES = ("draft", "planned", "in_transit")

# The events the escalation of unbilled jobs fires (detectors of this module
# listen).
EVENT_UNBILLED = "dispatch_job_unbilled"
EVENT_VENDOR_UNBILLED = "dispatch_job_vendor_unbilled"
EVENT_VENDOR_BILLED = "dispatch_job_vendor_billed"
EVENT_INVOICED = "dispatch_job_invoiced"


def values_set_on_create(vals):
    """What the values of a new job or charge really set: a form sends the
    empty defaults of every field, and a new record starts as a draft."""
    return {
        key: value
        for key, value in vals.items()
        if value and not (key == "state" and value == "draft")
    }


class LogisticsDispatchJob(models.Model):
    """A delivery stop: goods of a customer taken to an address in a planned
    window by a vehicle and a driver, closed with a proof of delivery.

    A job created without a zone gets its delivery address's. A job run by a
    carrier is bought from them on a draft purchase order of the transport
    service, at the rate of their card. Its charges are computed from its
    events at the rates of the customer's card, as drafts billing approves;
    the invoice gate tells what holds its billing. Delivered jobs not
    invoiced, and subcontracted ones without a posted vendor bill, are
    escalated once after the company's delay."""

    _name = "logistics.dispatch.job"
    _description = "Dispatch Job"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "planned_start, sequence, id"
    _check_company_auto = True

    _sql_constraints = [
        (
            "purchase_line_uniq",
            "unique (purchase_line_id)",
            "A purchase order line buys one dispatch job only.",
        ),
    ]

    name = fields.Char(
        required=True, readonly=True, copy=False, default="/", index="trigram"
    )
    sequence = fields.Integer(
        default=10, help="Order of the stop among the jobs of a vehicle's day."
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("planned", "Planned"),
            ("in_transit", "In Transit"),
            ("delivered", "Delivered"),
            ("failed", "Failed"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        group_expand="_group_expand_states",
    )
    sale_id = fields.Many2one(
        "sale.order", string="Sales Order", index="btree_not_null", check_company=True
    )
    picking_id = fields.Many2one(
        "stock.picking", string="Transfer", index="btree_not_null", check_company=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
    )
    partner_shipping_id = fields.Many2one(
        "res.partner",
        string="Delivery Address",
        compute="_compute_partner_shipping_id",
        store=True,
        readonly=False,
        check_company=True,
    )
    zone_id = fields.Many2one(
        "logistics.dispatch.zone", string="Zone", tracking=True, check_company=True
    )
    service_product_id = fields.Many2one(
        "product.product",
        string="Service Type",
        domain=[("type", "=", "service")],
        check_company=True,
        help="The transport service the job is sold and priced as.",
    )
    planned_start = fields.Datetime(tracking=True, index=True)
    planned_end = fields.Datetime(tracking=True)
    vehicle_id = fields.Many2one(
        "fleet.vehicle", string="Vehicle", tracking=True, check_company=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Driver",
        tracking=True,
        index=True,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    date_arrival = fields.Datetime(
        string="Arrival", tracking=True, copy=False, help="Stamped by the driver."
    )
    date_departure = fields.Datetime(
        string="Departure", tracking=True, copy=False, help="Stamped by the driver."
    )
    date_delivered = fields.Datetime(
        string="Delivered On", tracking=True, copy=False, readonly=True
    )
    origin_job_id = fields.Many2one(
        "logistics.dispatch.job",
        string="Re-planned From",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
    )
    replan_job_ids = fields.One2many(
        "logistics.dispatch.job", "origin_job_id", string="Re-planned Jobs"
    )
    fail_reason_id = fields.Many2one(
        "logistics.exception.reason",
        string="Failure Reason",
        readonly=True,
        copy=False,
        tracking=True,
    )
    # Computed rather than a one2many: the registry of a module that adds
    # models to logistics_exception's may be set up without this module's
    # field on the exception (test helpers that reload it do).
    exception_ids = fields.Many2many(
        "logistics.exception",
        string="Exceptions",
        compute="_compute_exception_ids",
        groups="logistics_exception.logistics_exception_group_user",
    )
    exception_count = fields.Integer(
        compute="_compute_exception_ids",
        groups="logistics_exception.logistics_exception_group_user",
    )
    notes = fields.Html()
    # Subcontracting: a vendor carries the job, bought through a purchase
    # order line of the transport service.
    subcontractor_id = fields.Many2one(
        "res.partner",
        string="Subcontractor",
        tracking=True,
        check_company=True,
        help="The carrier who runs this job for us: the job is bought from "
        "them through a purchase order at the rate of their card.",
    )
    purchase_line_id = fields.Many2one(
        "purchase.order.line",
        string="Purchase Line",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
        groups="purchase.group_purchase_user,account.group_account_invoice",
    )
    subcontract_purchase_ref = fields.Char(
        string="Subcontract PO",
        compute="_compute_subcontract_purchase",
        help="The purchase order the job is bought on from its subcontractor.",
    )
    subcontract_purchase_state = fields.Char(
        string="Subcontract PO Status", compute="_compute_subcontract_purchase"
    )
    # Billing
    charge_ids = fields.One2many(
        "logistics.dispatch.charge",
        "job_id",
        string="Charges",
        copy=False,
        groups=BILLING_READERS,
    )
    invoice_ids = fields.Many2many(
        "account.move",
        "logistics_dispatch_job_invoice_rel",
        "job_id",
        "move_id",
        string="Invoices",
        readonly=True,
        copy=False,
        groups="account.group_account_invoice",
        help="Posted customer invoices that bill this job.",
    )
    date_invoiced = fields.Datetime(
        string="Invoiced On",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="When the first customer invoice billing this job was posted.",
    )
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
    # Invoice gate
    billing_ready = fields.Boolean(
        string="Ready to Invoice",
        compute="_compute_billing_ready",
        search="_search_billing_ready",
        help="Delivered with its proof, not invoiced yet, no charge left to "
        "approve and no open exception holding its billing.",
    )
    billing_blocker = fields.Text(
        string="Not Ready Because",
        compute="_compute_billing_ready",
        help="What keeps the job from being invoiced.",
    )
    # Escalation of completed but unbilled jobs
    date_unbilled_escalated = fields.Datetime(
        string="Unbilled Escalated On",
        readonly=True,
        copy=False,
        help="When billing was told the delivered job is still not invoiced.",
    )
    date_vendor_bill_escalated = fields.Datetime(
        string="Vendor Bill Escalated On",
        readonly=True,
        copy=False,
        help="When billing was told the subcontractor's bill of the delivered "
        "job is still not posted.",
    )
    # Proof of delivery
    pod_receiver_name = fields.Char(string="Received By", tracking=True, copy=False)
    pod_signature = fields.Binary(string="Signature", copy=False, attachment=True)
    pod_date = fields.Datetime(
        string="POD Time", copy=False, readonly=True, tracking=True
    )
    pod_photo_ids = fields.Many2many(
        "ir.attachment",
        "logistics_dispatch_job_pod_photo_rel",
        "job_id",
        "attachment_id",
        string="Photos and Documents",
        copy=False,
    )
    pod_temperature_log = fields.Binary(string="Temperature Log", copy=False)
    pod_temperature_log_name = fields.Char(copy=False)
    pod_customs_document = fields.Binary(string="Customs Document", copy=False)
    pod_customs_document_name = fields.Char(copy=False)
    pod_note = fields.Text(string="Driver Note", copy=False)
    pod_min_photos = fields.Integer(
        string="Minimum Photos", compute="_compute_pod_requirements"
    )
    pod_requires_temperature_log = fields.Boolean(compute="_compute_pod_requirements")
    pod_requires_customs_document = fields.Boolean(compute="_compute_pod_requirements")
    pod_missing = fields.Char(
        string="POD Missing",
        compute="_compute_pod_missing",
        help="What the proof of delivery still lacks.",
    )
    is_dispatcher = fields.Boolean(compute="_compute_is_dispatcher")

    @api.model
    def _group_expand_states(self, states, domain, order):
        return [key for key, _label in self._fields["state"].selection]

    @api.depends("partner_id")
    def _compute_partner_shipping_id(self):
        for job in self:
            if job.partner_id and not job.partner_shipping_id:
                job.partner_shipping_id = job.partner_id.address_get(["delivery"])[
                    "delivery"
                ]

    def _compute_exception_ids(self):
        exceptions = (
            self.env["logistics.exception"]
            .with_context(active_test=False)
            .search([("dispatch_job_id", "in", self.ids)])
        )
        for job in self:
            job.exception_ids = exceptions.filtered(
                lambda e, job=job: e.dispatch_job_id == job
            )
            job.exception_count = len(job.exception_ids)

    @api.depends(
        "partner_id",
        "partner_id.commercial_partner_id.dispatch_pod_min_photos",
        "partner_id.commercial_partner_id.dispatch_pod_temperature_log",
        "partner_id.commercial_partner_id.dispatch_pod_customs_document",
        "partner_id.commercial_partner_id.category_id",
    )
    def _compute_pod_requirements(self):
        for job in self:
            needs = job.partner_id._get_dispatch_pod_requirements()
            job.pod_min_photos = needs["min_photos"]
            job.pod_requires_temperature_log = needs["temperature_log"]
            job.pod_requires_customs_document = needs["customs_document"]

    @api.depends(
        "pod_receiver_name",
        "pod_signature",
        "pod_photo_ids",
        "pod_temperature_log",
        "pod_customs_document",
        "pod_min_photos",
        "pod_requires_temperature_log",
        "pod_requires_customs_document",
    )
    def _compute_pod_missing(self):
        for job in self:
            job.pod_missing = ", ".join(job._get_pod_missing())

    def _compute_is_dispatcher(self):
        self.is_dispatcher = self.env.user.has_group(
            "logistics_dispatch_billing.group_dispatch_user"
        )

    @api.depends("purchase_line_id")
    def _compute_subcontract_purchase(self):
        # sudo: dispatchers without purchase rights see which order buys the
        # job (its reference and status), nothing more of it.
        states = dict(
            self.env["purchase.order"]._fields["state"]._description_selection(self.env)
        )
        for job, sudo_job in zip(self, self.sudo(), strict=True):
            order = sudo_job.purchase_line_id.order_id
            job.subcontract_purchase_ref = order.name or False
            job.subcontract_purchase_state = states.get(order.state, False)

    @api.depends("charge_ids.amount", "charge_ids.state")
    def _compute_charge_total(self):
        for job in self:
            charges = job.charge_ids.filtered(lambda c: c.state != "rejected")
            job.charge_total = sum(charges.mapped("amount"))
            job.charge_to_approve_count = len(
                charges.filtered(lambda c: c.state == "draft")
            )

    # Not stored (an exception elsewhere may hold the job), but recomputed
    # within a transaction when what the job shows changes.
    @api.depends(
        "state",
        "date_invoiced",
        "sale_id",
        "replan_job_ids.state",
        "charge_ids.state",
    )
    def _compute_billing_ready(self):
        blockers = self._get_billing_blockers()
        for job in self:
            reasons = [item["label"] for item in blockers.get(job, [])]
            if not reasons:
                if job.date_invoiced:
                    reasons.append(_("Invoiced already."))
                elif job.state == "cancelled":
                    reasons.append(_("Cancelled: nothing to invoice."))
                elif job.state == "failed":
                    reasons.append(_("Failed: billed through its re-planned job."))
                elif not job.sale_id:
                    reasons.append(
                        _("No sales order: invoice this job by hand if it is billed.")
                    )
            job.billing_ready = not reasons
            job.billing_blocker = "\n".join(reasons)

    def _search_billing_ready(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(_("Unsupported search on Ready to Invoice."))
        candidates = self.search(
            [
                ("state", "=", "delivered"),
                ("date_invoiced", "=", False),
                ("sale_id", "!=", False),
            ]
        )
        blocked = candidates._get_billing_blockers()
        ready = candidates.filtered(lambda job: job not in blocked)
        wanted = (operator == "=") == value
        return [("id", "in" if wanted else "not in", ready.ids)]

    @api.constrains("planned_start", "planned_end")
    def _check_planned_window(self):
        for job in self:
            if (
                job.planned_start
                and job.planned_end
                and job.planned_end < job.planned_start
            ):
                raise ValidationError(
                    _(
                        "The planned window of %(job)s ends before it starts.",
                        job=job.name,
                    )
                )

    @api.constrains("user_id", "company_id")
    def _check_driver_company(self):
        for job in self.filtered("user_id"):
            if job.company_id not in job.user_id.company_ids:
                raise ValidationError(
                    _(
                        "%(driver)s cannot drive job %(job)s: they have no "
                        "access to %(company)s.",
                        driver=job.user_id.name,
                        job=job.name,
                        company=job.company_id.name,
                    )
                )

    @api.onchange("partner_shipping_id")
    def _onchange_partner_shipping_id_zone(self):
        """A new delivery address brings its zone (when it is in one)."""
        for job in self.filtered("partner_shipping_id"):
            zones = self.env["logistics.dispatch.zone"]._find_zones(
                job.partner_shipping_id, job.company_id or self.env.company
            )
            job.zone_id = zones.get(job.partner_shipping_id, job.zone_id)

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                self._check_protected_fields(values_set_on_create(vals))
        # Jobs created without a zone (those of sales orders) get their
        # delivery address's.
        self._set_zone_from_address(vals_list)
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                company = self.env["res.company"].browse(
                    vals.get("company_id") or self.env.company.id
                )
                vals["name"] = self.env["ir.sequence"].with_company(
                    company
                ).next_by_code("logistics.dispatch.job") or _("New")
        return super().create(vals_list)

    def write(self, vals):
        # Giving a job a confirmed order buys to another subcontractor is
        # refused before anything else.
        moved = self._subcontractor_moves(vals)
        self._check_write_allowed(vals)
        result = super().write(vals)
        # Subcontracting: the jobs given to another subcontractor leave the
        # order of the former and are bought from the new one.
        if moved:
            moved._release_subcontract_purchase(
                reason=_("the job went to another subcontractor")
            )
            moved.filtered("subcontractor_id")._create_subcontract_purchase()
        engine = self.env["logistics.exception.engine"]
        if vals.get("date_invoiced") and engine._listens(EVENT_INVOICED):
            # The invoice answers the escalation of these jobs.
            engine._dispatch(EVENT_INVOICED, self.sudo())
        # Charges: the events of a delivered job price its draft charges.
        if CHARGE_TRIGGER_FIELDS & set(vals) or vals.get("state") == "delivered":
            delivered = self.filtered(lambda j: j.state == "delivered")
            if delivered:
                delivered._compute_dispatch_charges()
        return result

    @api.model
    def _check_protected_fields(self, vals):
        protected = PROTECTED_FIELDS & set(vals)
        if protected:
            labels = sorted(self._fields[name].string for name in protected)
            raise AccessError(
                _(
                    "%(fields)s of a job are set by its buttons (Plan, Start, "
                    "Arrive, Deliver, Failed, Cancel) and by invoicing, not by "
                    "hand.",
                    fields=", ".join(labels),
                )
            )

    def _check_write_allowed(self, vals):
        """Drivers write the proof of delivery only; time stamps are set by
        the actions and corrected by dispatchers; the state and what follows
        from it by the actions only."""
        if self.env.su:
            return
        self._check_protected_fields(vals)
        if self.env.user.has_group("logistics_dispatch_billing.group_dispatch_user"):
            return
        forbidden = set(vals) - DRIVER_FIELDS
        if forbidden:
            labels = sorted(self._fields[name].string for name in forbidden)
            raise AccessError(
                _(
                    "Only a dispatcher can change %(fields)s on a job.",
                    fields=", ".join(labels),
                )
            )
        if self.filtered(lambda j: j.state in ("delivered", "cancelled")):
            raise UserError(
                _("The proof of delivery of a delivered job cannot be changed.")
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def _check_state(self, allowed, action):
        wrong = self.filtered(lambda j: j.state not in allowed)
        if wrong:
            raise UserError(
                _(
                    "Cannot %(action)s %(jobs)s: the job is %(state)s.",
                    action=action,
                    jobs=", ".join(wrong.mapped("name")),
                    state=", ".join(
                        sorted(
                            {
                                dict(self._fields["state"].selection)[s]
                                for s in wrong.mapped("state")
                            }
                        )
                    ),
                )
            )

    def _set_as_actor(self, vals):
        """Write ``vals`` (states and time stamps, which the user may not
        write by hand) for a user who may act on these jobs."""
        self.check_access_rights("write")
        self.check_access_rule("write")
        # sudo: the state and the stamps are read-only to drivers; the check
        # above proves the user acts on their own jobs.
        self.sudo().write(vals)

    def action_plan(self):
        if not self.env.user.has_group(
            "logistics_dispatch_billing.group_dispatch_user"
        ):
            raise AccessError(_("Only a dispatcher can plan jobs."))
        self._check_state(("draft",), _("plan"))
        unplanned = self.filtered(
            lambda j: not (j.planned_start and j.user_id and j.vehicle_id)
        )
        if unplanned:
            raise UserError(
                _(
                    "Give %(jobs)s a planned start, a driver and a vehicle "
                    "before planning.",
                    jobs=", ".join(unplanned.mapped("name")),
                )
            )
        self._set_as_actor({"state": "planned"})
        self.filtered("subcontractor_id")._create_subcontract_purchase()
        return True

    def action_start(self):
        self._check_state(("planned",), _("start"))
        self._set_as_actor({"state": "in_transit"})
        return True

    def action_arrive(self):
        self._check_state(("in_transit",), _("stamp the arrival of"))
        already = self.filtered("date_arrival")
        if already:
            raise UserError(
                _(
                    "The arrival of %(jobs)s is stamped already; a dispatcher "
                    "can correct it.",
                    jobs=", ".join(already.mapped("name")),
                )
            )
        self._set_as_actor({"date_arrival": fields.Datetime.now()})
        return True

    def action_deliver(self):
        self._check_state(("in_transit",), _("deliver"))
        missing = [(job, job._get_pod_missing()) for job in self]
        missing = [(job, items) for job, items in missing if items]
        if missing:
            raise UserError(
                _(
                    "The proof of delivery is incomplete:\n%(lines)s",
                    lines="\n".join(
                        _(
                            "%(job)s: %(items)s",
                            job=job.name,
                            items=", ".join(items),
                        )
                        for job, items in missing
                    ),
                )
            )
        now = fields.Datetime.now()
        for job in self:
            vals = {"state": "delivered", "date_delivered": now, "pod_date": now}
            if not job.date_arrival:
                vals["date_arrival"] = now
            if not job.date_departure:
                vals["date_departure"] = now
            job._set_as_actor(vals)
        return True

    def action_fail(self):
        """Ask the reason of the failed delivery (a wizard)."""
        self._check_state(("planned", "in_transit"), _("fail"))
        return {
            "type": "ir.actions.act_window",
            "name": _("Failed Delivery"),
            "res_model": "logistics.dispatch.job.fail",
            "view_mode": "form",
            "target": "new",
            "context": {"default_job_ids": self.ids},
        }

    def action_cancel(self):
        if not self.env.user.has_group(
            "logistics_dispatch_billing.group_dispatch_user"
        ):
            raise AccessError(_("Only a dispatcher can cancel jobs."))
        self._check_state(("draft", "planned"), _("cancel"))
        self._set_as_actor({"state": "cancelled"})
        self._release_subcontract_purchase()
        return True

    def action_draft(self):
        if not self.env.user.has_group(
            "logistics_dispatch_billing.group_dispatch_user"
        ):
            raise AccessError(_("Only a dispatcher can reset jobs to draft."))
        self._check_state(("cancelled",), _("reset to draft"))
        self._set_as_actor({"state": "draft"})
        return True

    def action_replan(self):
        """A new job for a failed one, linked to it."""
        self.ensure_one()
        if not self.env.user.has_group(
            "logistics_dispatch_billing.group_dispatch_user"
        ):
            raise AccessError(_("Only a dispatcher can re-plan jobs."))
        self._check_state(("failed",), _("re-plan"))
        new_job = self.copy({"planned_start": False, "planned_end": False})
        # sudo: the link is what re-planning sets (checked above), not a
        # field anyone writes by hand.
        new_job.sudo().origin_job_id = self
        self.message_post(
            body=Markup("%s") % _("Re-planned as %(job)s.", job=new_job.name)
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": new_job.id,
            "view_mode": "form",
        }

    def action_view_exceptions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "logistics_exception.logistics_exception_action"
        )
        action["domain"] = [("dispatch_job_id", "=", self.id)]
        action["context"] = {}
        return action

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
    # Business methods
    # ------------------------------------------------------------------
    def _get_pod_missing(self):
        """The items the proof of delivery of this job lacks, in words."""
        self.ensure_one()
        missing = []
        if not self.pod_receiver_name:
            missing.append(_("the receiver's name"))
        if not self.pod_signature:
            missing.append(_("the signature"))
        if len(self.pod_photo_ids) < self.pod_min_photos:
            missing.append(
                _(
                    "%(missing)s more photo(s) (%(required)s required)",
                    missing=self.pod_min_photos - len(self.pod_photo_ids),
                    required=self.pod_min_photos,
                )
            )
        if self.pod_requires_temperature_log and not self.pod_temperature_log:
            missing.append(_("the temperature log"))
        if self.pod_requires_customs_document and not self.pod_customs_document:
            missing.append(_("the customs document"))
        return missing

    def _fail(self, reason, note=""):
        """Mark the jobs failed for ``reason`` and raise their exceptions
        through the detection engine."""
        self._check_state(("planned", "in_transit"), _("fail"))
        if reason.category_id.code != "FAILED_DELIVERY":
            raise UserError(
                _(
                    "%(reason)s is not a reason for a failed delivery.",
                    reason=reason.display_name,
                )
            )
        now = fields.Datetime.now()
        for job in self:
            vals = {"state": "failed", "fail_reason_id": reason.id}
            if job.date_arrival and not job.date_departure:
                vals["date_departure"] = now
            job._set_as_actor(vals)
        if note:
            for job in self:
                job.message_post(body=note)
        return self.env["logistics.exception.engine"]._dispatch(
            "dispatch_job_failed", self.sudo(), reason=reason, note=note
        )

    # ------------------------------------------------------------------
    # Zones and subcontracting
    # ------------------------------------------------------------------
    @api.model
    def _set_zone_from_address(self, vals_list):
        """Jobs created without a zone (those of sales orders) get the zone
        of their delivery address (see ``logistics.dispatch.zone._find_zones``)."""
        Partner = self.env["res.partner"]
        by_company = {}
        for vals in vals_list:
            address_id = vals.get("partner_shipping_id") or vals.get("partner_id")
            if vals.get("zone_id") or not address_id:
                continue
            company_id = vals.get("company_id") or self.env.company.id
            by_company.setdefault(company_id, []).append((vals, address_id))
        for company_id, pending in by_company.items():
            addresses = Partner.browse(
                list(dict.fromkeys(address_id for _vals, address_id in pending))
            )
            zones = self.env["logistics.dispatch.zone"]._find_zones(
                addresses, self.env["res.company"].browse(company_id)
            )
            for vals, address_id in pending:
                zone = zones.get(Partner.browse(address_id))
                if zone:
                    vals["zone_id"] = zone.id

    def _subcontract_price(self, cards=None):
        """Unit price of the job on the subcontractor's card (usage
        purchase), in the company's currency: its base rate and fuel
        surcharge; None without a card. ``cards`` caches the cards found
        per (subcontractor, date, company) across a batch of jobs."""
        self.ensure_one()
        if cards is None:
            cards = {}
        date = (
            self.planned_start.date()
            if self.planned_start
            else fields.Date.context_today(self)
        )
        key = (self.subcontractor_id, date, self.company_id)
        if key not in cards:
            cards[key] = (
                self.env["logistics.rate.card"]
                .sudo()
                ._find_rate_card(*key, usage="purchase")
            )
        card = cards[key]
        if not card:
            return None
        priced = card._price_job_values(
            {
                "product_id": self.service_product_id,
                "destination_zone_id": self.zone_id,
            }
        )
        return priced["base_amount"] + priced["fuel_amount"]

    def _create_subcontract_purchase(self):
        """Buy the subcontracted jobs that have no purchase line yet: a line
        each on the vendor's draft subcontracting order (created if none)."""
        # The caller planned these jobs: it may write them. The purchase is
        # made with sudo so that dispatchers without purchase rights can
        # subcontract, after this check on the jobs themselves.
        self.check_access_rights("write")
        self.check_access_rule("write")
        jobs = self.sudo().filtered(
            lambda j: j.subcontractor_id and not j.purchase_line_id
        )
        if not jobs:
            return
        no_service = jobs.filtered(lambda j: not j.service_product_id)
        if no_service:
            raise UserError(
                _(
                    "Give %(jobs)s a service type: a subcontracted job is bought "
                    "as its transport service.",
                    jobs=", ".join(no_service.mapped("name")),
                )
            )
        Order = self.env["purchase.order"].sudo()
        vendors = jobs.subcontractor_id.commercial_partner_id
        drafts = Order.search(
            [
                ("dispatch_subcontract", "=", True),
                ("state", "=", "draft"),
                ("partner_id", "in", vendors.ids),
                ("company_id", "in", jobs.company_id.ids),
            ],
            order="id",
        )
        orders = {}
        cards = {}
        for order in drafts:
            orders.setdefault((order.partner_id, order.company_id), order)
        missing = {
            (job.subcontractor_id.commercial_partner_id, job.company_id) for job in jobs
        } - set(orders)
        if missing:
            new_orders = Order.create(
                [
                    {
                        "partner_id": vendor.id,
                        "company_id": company.id,
                        # The vendor's purchase currency, as in the form.
                        "currency_id": (
                            vendor.with_company(company).property_purchase_currency_id
                            or company.currency_id
                        ).id,
                        "dispatch_subcontract": True,
                        "origin": _("Dispatch subcontracting"),
                    }
                    for vendor, company in sorted(
                        missing, key=lambda key: (key[0].id, key[1].id)
                    )
                ]
            )
            for order in new_orders:
                orders[order.partner_id, order.company_id] = order
        lines = (
            self.env["purchase.order.line"]
            .sudo()
            .create([job._prepare_subcontract_line(orders, cards) for job in jobs])
        )
        for job, line in zip(jobs, lines, strict=True):
            job.purchase_line_id = line
            job.message_post(
                body=Markup("%s")
                % _(
                    "Subcontracted to %(vendor)s on %(order)s.",
                    vendor=job.subcontractor_id.display_name,
                    order=line.order_id.name,
                )
            )

    def _prepare_subcontract_line(self, orders, cards=None):
        """Values of the purchase line that buys the job on its
        subcontractor's order in ``orders``; ``cards`` caches the
        subcontractors' rate cards across the batch."""
        self.ensure_one()
        order = orders[self.subcontractor_id.commercial_partner_id, self.company_id]
        vals = {
            "order_id": order.id,
            "product_id": self.service_product_id.id,
            "product_qty": 1.0,
            "name": _(
                "%(service)s: %(job)s, %(partner)s",
                service=self.service_product_id.display_name,
                job=self.name,
                partner=self.partner_shipping_id.display_name
                or self.partner_id.display_name,
            ),
            "date_planned": self.planned_start or fields.Datetime.now(),
        }
        price = self._subcontract_price(cards)
        if price is not None:
            # The card prices in the company's currency, the order buys in
            # the vendor's.
            vals["price_unit"] = self.company_id.currency_id._convert(
                price,
                order.currency_id,
                self.company_id,
                order.date_order or fields.Date.context_today(self),
            )
        return vals

    def _subcontractor_moves(self, vals):
        """The planned jobs ``vals`` gives to another subcontractor (or
        takes from theirs); refused for a job a confirmed order buys."""
        if "subcontractor_id" not in vals:
            return self.browse()
        under_way = self.filtered(
            lambda j: (
                j.state not in ("draft", "planned")
                and j.subcontractor_id.id != vals["subcontractor_id"]
            )
        )
        # Superuser code (an import, a data fix) may record who ran it.
        if under_way and not self.env.su:
            raise UserError(
                _(
                    "%(jobs)s is under way or done: its subcontractor cannot "
                    "change any more (the purchase follows the carrier who "
                    "runs it).",
                    jobs=", ".join(under_way.mapped("name")),
                )
            )
        moved = self.filtered(
            lambda j: (
                j.state == "planned"
                and j.subcontractor_id.id != vals["subcontractor_id"]
            )
        )
        locked = moved.sudo().filtered(
            lambda j: j.purchase_line_id.order_id.state not in (False, "draft", "sent")
        )
        if locked:
            raise UserError(
                _(
                    "%(jobs)s is bought on a confirmed purchase order "
                    "(%(orders)s): ask purchasing to settle it before you give "
                    "the job to another subcontractor.",
                    jobs=", ".join(locked.mapped("name")),
                    orders=", ".join(locked.purchase_line_id.order_id.mapped("name")),
                )
            )
        return moved

    def _release_subcontract_purchase(self, reason=None):
        """Cancelled jobs (or jobs given to another subcontractor: say so in
        ``reason``) leave their subcontractor's order while it is not
        confirmed: their line goes (and an order left empty is cancelled).
        A confirmed order is the buyer's to settle: the job says so."""
        reason = reason or _("the job is cancelled")
        jobs = self.sudo().filtered("purchase_line_id")
        if not jobs:
            return
        open_jobs = jobs.filtered(
            lambda j: j.purchase_line_id.order_id.state in ("draft", "sent")
        )
        lines = open_jobs.purchase_line_id
        orders = lines.order_id
        for job in open_jobs:
            job.message_post(
                body=Markup("%s")
                % _(
                    "Removed from %(order)s: %(reason)s.",
                    order=job.purchase_line_id.order_id.name,
                    reason=reason,
                )
            )
        open_jobs.purchase_line_id = False
        lines.unlink()
        orders.filtered(lambda o: not o.order_line).button_cancel()
        for job in jobs - open_jobs:
            job.message_post(
                body=Markup("%s")
                % _(
                    "The job is cancelled but %(order)s is confirmed: settle "
                    "its line with %(vendor)s.",
                    order=job.purchase_line_id.order_id.name,
                    vendor=job.subcontractor_id.display_name,
                )
            )

    # ------------------------------------------------------------------
    # Computation of the charges
    # ------------------------------------------------------------------
    def _compute_dispatch_charges(self):
        """Create or update the draft charges of these jobs from their
        events at the rates of their rate card. Approved, rejected and
        invoiced charges and charges added by hand are left alone; a draft
        computed charge the events no longer justify is rejected with that
        reason (withdrawn), and reopened if they justify it again.

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
        to_withdraw = Charge
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
                elif charge.state == "rejected" and charge.withdrawn:
                    # Justified again: the withdrawn charge is to approve
                    # with the new figures (one charge per job and type).
                    charge.write(
                        dict(vals, state="draft", reject_reason=False, withdrawn=False)
                    )
            to_withdraw |= job_charges.filtered(
                lambda c, wanted_types=wanted_types: (
                    c.state == "draft"
                    and c.computed
                    and c.accessorial_type_id not in wanted_types
                )
            )
        # Billing may have discussed them: they are rejected with the
        # reason (tracked on the charge), not deleted.
        to_withdraw.write(
            {
                "state": "rejected",
                "reject_reason": _(
                    "No longer justified after the job's stamps or services "
                    "were corrected."
                ),
                "withdrawn": True,
            }
        )
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

    # ------------------------------------------------------------------
    # Invoice gate
    # ------------------------------------------------------------------
    def _get_billing_blockers(self):
        """What holds the billing of each of these jobs, as {job: [blocker]}
        (blockers as in ``account.move._get_logistics_billing_blockers``):
        a job not delivered with its proof of delivery (a delivered job has
        its POD: delivering without it is refused), a failed job nobody
        re-planned, a charge still to approve, an open exception that holds
        billing on the job or its sales order. Three queries, whatever the
        number of jobs."""
        if not self:
            return {}
        # sudo: billing users do not see the logistics queues, dispatchers
        # read charges but drivers do not; only labels are disclosed, for
        # jobs the user reads already.
        jobs = self.sudo()
        charges = (
            self.env["logistics.dispatch.charge"]
            .sudo()
            .search([("job_id", "in", jobs.ids), ("state", "=", "draft")])
        )
        # Open exceptions holding billing on the job, its order or the
        # order's transfers: the gate's own definition.
        holding = self.env["logistics.exception"]._get_billing_holds(
            [jobs, jobs.sale_id]
        )
        none = self.env["logistics.exception"].sudo().browse()
        charges_of = {}
        for charge in charges:
            charges_of.setdefault(charge.job_id.id, []).append(charge)
        states = dict(self._fields["state"]._description_selection(self.env))
        result = {}
        for job in jobs:
            items = []
            if job.state in OPEN_STATES:
                items.append(
                    {
                        "kind": "job",
                        "record": job,
                        "label": _(
                            "Job %(job)s is not delivered yet (%(state)s).",
                            job=job.name,
                            state=states[job.state],
                        ),
                        "threads": [job],
                    }
                )
            elif job.state == "failed" and not job.replan_job_ids.filtered(
                lambda r: r.state != "cancelled"
            ):
                items.append(
                    {
                        "kind": "job",
                        "record": job,
                        "label": _(
                            "Delivery of job %(job)s failed and it is not re-planned.",
                            job=job.name,
                        ),
                        "threads": [job],
                    }
                )
            items.extend(
                {
                    "kind": "charge",
                    "record": charge,
                    "label": _(
                        "Charge %(charge)s of job %(job)s is still to approve.",
                        charge=charge.name,
                        job=job.name,
                    ),
                    "threads": [job],
                }
                for charge in charges_of.get(job.id, [])
            )
            if job.state != "cancelled":
                items.extend(
                    {
                        "kind": "exception",
                        "record": exception,
                        "label": _(
                            "Exception %(exception)s holds billing.",
                            exception=exception.display_name,
                        ),
                        "threads": [exception, job],
                    }
                    for exception in holding.get(job, none)
                    | holding.get(job.sale_id, none)
                )
            if items:
                result[self.browse(job.id)] = items
        return result

    @api.model
    def _billing_blockers_by_order(self, orders):
        """{order: [blocker]} for the dispatch jobs of ``orders`` (each
        blocker once). Orders without jobs are left out."""
        jobs = self.sudo().search([("sale_id", "in", orders.ids)])
        job_blockers = jobs._get_billing_blockers()
        result = {}
        for job in jobs:
            order = orders.browse(job.sale_id.id)
            items = result.setdefault(order, [])
            self._merge_billing_blockers(items, job_blockers.get(job, []))
        return result

    @api.model
    def _merge_billing_blockers(self, items, new_items):
        """Add ``new_items`` to the blocker list ``items`` in place, each
        blocking record once (the chatters to tell of an override joined)."""
        known = {(item["record"]._name, item["record"].id): item for item in items}
        for new in new_items:
            key = (new["record"]._name, new["record"].id)
            item = known.get(key)
            if item is None:
                item = known[key] = dict(new, threads=list(new["threads"]))
                items.append(item)
            else:
                item["threads"] = item.get("threads", []) + [
                    t for t in new["threads"] if t not in item.get("threads", [])
                ]
        return items

    # ------------------------------------------------------------------
    # Completed but unbilled
    # ------------------------------------------------------------------
    @api.model
    def _cron_escalate_unbilled(self):
        """The scheduled job: escalate, once each, the delivered jobs older
        than their company's delay that no posted customer invoice bills,
        and the subcontracted ones no posted vendor bill matches."""
        unbilled = self._due_unbilled_jobs("customer")
        unbilled._escalate_unbilled()
        vendor_unbilled = self._due_unbilled_jobs("vendor")
        vendor_unbilled._escalate_vendor_unbilled()
        return True

    @api.model
    def _due_unbilled_jobs(self, kind):
        """Delivered jobs past their company's escalation delay and not
        escalated yet: without customer invoice (``kind`` "customer"), or
        subcontracted without posted vendor bill (``kind`` "vendor")."""
        now = fields.Datetime.now()
        if kind == "customer":
            condition = SQL(
                "j.date_invoiced IS NULL AND j.date_unbilled_escalated IS NULL"
            )
        else:
            condition = SQL(
                """j.purchase_line_id IS NOT NULL
                   AND j.date_vendor_bill_escalated IS NULL
                   AND NOT EXISTS (
                        SELECT 1 FROM account_move_line aml
                          JOIN account_move am ON am.id = aml.move_id
                         WHERE aml.purchase_line_id = j.purchase_line_id
                           AND am.state = 'posted'
                           AND am.move_type = 'in_invoice')"""
            )
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT j.id
                  FROM logistics_dispatch_job j
                  JOIN res_company c ON c.id = j.company_id
                 WHERE j.state = 'delivered'
                   AND j.date_delivered < %(now)s
                       - make_interval(days => c.dispatch_unbilled_escalation_days)
                   AND %(condition)s
              ORDER BY j.id
                """,
                now=now,
                condition=condition,
            )
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    def _escalate_unbilled(self):
        if not self:
            return self.env["logistics.exception"]
        self._schedule_unbilled_activities(
            lambda job: _("Invoice %(job)s", job=job.name),
            lambda job: _(
                "Delivered on %(date)s and still not invoiced.",
                date=job.date_delivered.date(),
            ),
            lambda job: job.company_id.dispatch_billing_user_id or job.sale_id.user_id,
        )
        self.write({"date_unbilled_escalated": fields.Datetime.now()})
        return self.env["logistics.exception.engine"]._dispatch(
            EVENT_UNBILLED, self.sudo()
        )

    def _escalate_vendor_unbilled(self):
        if not self:
            return self.env["logistics.exception"]
        self._schedule_unbilled_activities(
            lambda job: _("Match the vendor bill of %(job)s", job=job.name),
            lambda job: _(
                "Delivered on %(date)s by %(vendor)s: no posted vendor bill "
                "matches %(order)s yet.",
                date=job.date_delivered.date(),
                vendor=job.subcontractor_id.display_name,
                order=job.purchase_line_id.order_id.name,
            ),
            lambda job: (
                job.company_id.dispatch_billing_user_id
                or job.purchase_line_id.order_id.user_id
            ),
        )
        self.write({"date_vendor_bill_escalated": fields.Datetime.now()})
        return self.env["logistics.exception.engine"]._dispatch(
            EVENT_VENDOR_UNBILLED, self.sudo()
        )

    def _schedule_unbilled_activities(self, summary, note, responsible):
        """One to-do per job for ``responsible(job)`` (jobs with nobody to
        tell get none), with ``summary(job)`` and ``note(job)``."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        model = self.env["ir.model"]._get_id(self._name)
        vals_list = []
        for job in self:
            user = responsible(job)
            if not user:
                continue
            vals_list.append(
                {
                    "res_model_id": model,
                    "res_id": job.id,
                    "activity_type_id": todo.id,
                    "summary": summary(job),
                    "note": note(job),
                    "user_id": user.id,
                    "date_deadline": fields.Date.context_today(self),
                }
            )
        # sudo: the scheduled job tells billing about jobs it may not write.
        self.env["mail.activity"].sudo().create(vals_list)
