# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError


class LogisticsDispatchInvoiceReady(models.TransientModel):
    """Billing invoices the ready jobs of a customer (or the jobs it picked)
    at once: one invoice of all their sales orders."""

    _name = "logistics.dispatch.invoice.ready"
    _description = "Invoice Ready Dispatch Jobs"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        check_company=True,
        help="Invoice every ready job of this customer (and its contacts).",
    )
    job_ids = fields.Many2many(
        "logistics.dispatch.job",
        string="Jobs",
        check_company=True,
        help="Invoice these jobs only (those of them that are ready).",
    )
    ready_job_ids = fields.Many2many(
        "logistics.dispatch.job", compute="_compute_ready", string="Ready Jobs"
    )
    order_ids = fields.Many2many(
        "sale.order", compute="_compute_ready", string="Orders to Invoice"
    )
    ready_count = fields.Integer(string="Jobs Ready", compute="_compute_ready")
    skipped = fields.Text(
        compute="_compute_ready",
        string="Left Out",
        help="Jobs left out and why: an order is invoiced only when all its "
        "jobs are ready.",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        if context.get("active_model") == "logistics.dispatch.job" and context.get(
            "active_ids"
        ):
            values["job_ids"] = [fields.Command.set(context["active_ids"])]
        return values

    @api.depends("partner_id", "job_ids", "company_id")
    def _compute_ready(self):
        for wizard in self:
            jobs, orders, skipped = wizard._get_ready()
            wizard.ready_job_ids = jobs
            wizard.order_ids = orders
            wizard.ready_count = len(jobs)
            wizard.skipped = "\n".join(skipped)

    def _get_ready(self):
        """The ready jobs, the orders to invoice (every job of the order is
        ready) and the jobs left out, in words."""
        self.ensure_one()
        Job = self.env["logistics.dispatch.job"]
        if self.job_ids:
            jobs = self.job_ids._origin
        elif self.partner_id:
            jobs = Job.search(
                [
                    ("company_id", "=", self.company_id.id),
                    (
                        "partner_id",
                        "child_of",
                        self.partner_id.commercial_partner_id.id,
                    ),
                    ("state", "=", "delivered"),
                    ("date_invoiced", "=", False),
                    ("sale_id", "!=", False),
                ]
            )
        else:
            return Job, self.env["sale.order"], []
        ready = jobs.filtered("billing_ready")
        skipped = [
            _("%(job)s: %(why)s", job=job.name, why=job.billing_blocker)
            for job in jobs - ready
        ]
        orders = ready.sale_id
        not_ready = orders.filtered(lambda o: not o.billing_ready)
        skipped.extend(
            _(
                "%(order)s (jobs %(jobs)s): %(why)s",
                order=order.name,
                jobs=", ".join(
                    ready.filtered(lambda j, o=order: j.sale_id == o).mapped("name")
                ),
                why=order.billing_blocker,
            )
            for order in not_ready
        )
        orders -= not_ready
        ready = ready.filtered(lambda j: j.sale_id in orders)
        return ready, orders, skipped

    def action_create_invoice(self):
        self.ensure_one()
        _jobs, orders, skipped = self._get_ready()
        if not orders:
            raise UserError(
                _(
                    "No job is ready to invoice.%(why)s",
                    why=("\n" + "\n".join(skipped)) if skipped else "",
                )
            )
        invoices = orders._create_invoices()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        if len(invoices) == 1:
            action.update(
                {"views": [(False, "form")], "view_mode": "form", "res_id": invoices.id}
            )
        else:
            action["domain"] = [("id", "in", invoices.ids)]
        return action
