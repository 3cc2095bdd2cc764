# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

# The events the escalation of unbilled jobs fires (detectors of this module
# listen).
EVENT_UNBILLED = "dispatch_job_unbilled"
EVENT_VENDOR_UNBILLED = "dispatch_job_vendor_unbilled"
EVENT_VENDOR_BILLED = "dispatch_job_vendor_billed"
EVENT_INVOICED = "dispatch_job_invoiced"


class LogisticsDispatchJob(models.Model):
    """Subcontracting: a job run by a carrier is bought from them on a draft
    purchase order of the transport service, at the rate of their card.

    Completed but unbilled: delivered jobs not invoiced, and subcontracted
    ones without a posted vendor bill, are escalated once after the
    company's delay.

    Zones: a job created without a zone gets its delivery address's."""

    _inherit = "logistics.dispatch.job"

    subcontract_purchase_ref = fields.Char(
        string="Subcontract PO",
        compute="_compute_subcontract_purchase",
        help="The purchase order the job is bought on from its subcontractor.",
    )
    subcontract_purchase_state = fields.Char(
        string="Subcontract PO Status", compute="_compute_subcontract_purchase"
    )
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

    _sql_constraints = [
        (
            "purchase_line_uniq",
            "unique (purchase_line_id)",
            "A purchase order line buys one dispatch job only.",
        ),
    ]

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

    @api.model_create_multi
    def create(self, vals_list):
        self._set_zone_from_address(vals_list)
        return super().create(vals_list)

    @api.onchange("partner_shipping_id")
    def _onchange_partner_shipping_id_zone(self):
        """A new delivery address brings its zone (when it is in one)."""
        for job in self.filtered("partner_shipping_id"):
            zones = self.env["logistics.dispatch.zone"]._find_zones(
                job.partner_shipping_id, job.company_id or self.env.company
            )
            job.zone_id = zones.get(job.partner_shipping_id, job.zone_id)

    def write(self, vals):
        moved = self._subcontractor_moves(vals)
        result = super().write(vals)
        if moved:
            moved._release_subcontract_purchase(
                reason=_("the job went to another subcontractor")
            )
            moved.filtered("subcontractor_id")._create_subcontract_purchase()
        engine = self.env["logistics.exception.engine"]
        if vals.get("date_invoiced") and engine._listens(EVENT_INVOICED):
            # The invoice answers the escalation of these jobs.
            engine._dispatch(EVENT_INVOICED, self.sudo())
        return result

    def action_plan(self):
        result = super().action_plan()
        self.filtered("subcontractor_id")._create_subcontract_purchase()
        return result

    def action_cancel(self):
        result = super().action_cancel()
        self._release_subcontract_purchase()
        return result

    # ------------------------------------------------------------------
    # Business methods
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

    def _subcontract_price(self):
        """Unit price of the job on the subcontractor's card (usage
        purchase): its base rate and fuel surcharge; None without a card."""
        self.ensure_one()
        card = (
            self.env["logistics.rate.card"]
            .sudo()
            ._find_rate_card(
                self.subcontractor_id,
                self.planned_start,
                self.company_id,
                usage="purchase",
            )
        )
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
            .create([job._prepare_subcontract_line(orders) for job in jobs])
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

    def _prepare_subcontract_line(self, orders):
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
        price = self._subcontract_price()
        if price is not None:
            vals["price_unit"] = price
        return vals

    def _subcontractor_moves(self, vals):
        """The planned jobs ``vals`` gives to another subcontractor (or
        takes from theirs); refused for a job a confirmed order buys."""
        if "subcontractor_id" not in vals:
            return self.browse()
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
