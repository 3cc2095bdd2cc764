# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

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
# Who reads what a job is billed: dispatchers and billing, not drivers.
BILLING_READERS = (
    "logistics_dispatch_billing.group_dispatch_user,account.group_account_invoice"
)


class LogisticsDispatchJob(models.Model):
    """A delivery stop: goods of a customer taken to an address in a planned
    window by a vehicle and a driver, closed with a proof of delivery."""

    _name = "logistics.dispatch.job"
    _description = "Dispatch Job"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "planned_start, sequence, id"
    _check_company_auto = True

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

    @api.model_create_multi
    def create(self, vals_list):
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
        self._check_write_allowed(vals)
        return super().write(vals)

    def _check_write_allowed(self, vals):
        """Drivers write the proof of delivery only; time stamps are set by
        the actions and corrected by dispatchers."""
        if self.env.su or self.env.user.has_group(
            "logistics_dispatch_billing.group_dispatch_user"
        ):
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
        new_job = self.copy(
            {"origin_job_id": self.id, "planned_start": False, "planned_end": False}
        )
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
