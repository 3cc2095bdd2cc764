# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    dispatch_job_ids = fields.One2many(
        "logistics.dispatch.job", "sale_id", string="Dispatch Jobs"
    )
    dispatch_job_count = fields.Integer(
        compute="_compute_dispatch_job_count",
        groups="logistics_dispatch_billing.group_dispatch_driver,"
        "account.group_account_invoice",
    )

    def _compute_dispatch_job_count(self):
        counts = dict(
            self.env["logistics.dispatch.job"]._read_group(
                [("sale_id", "in", self.ids)], ["sale_id"], ["__count"]
            )
        )
        for order in self:
            order.dispatch_job_count = counts.get(order, 0)

    def _action_confirm(self):
        result = super()._action_confirm()
        self._create_dispatch_jobs()
        return result

    def _dispatch_service_product(self):
        """The transport service the order is sold with, if any."""
        self.ensure_one()
        return self.order_line.product_id.filtered("dispatch_service")[:1]

    def _needs_dispatch_jobs(self):
        self.ensure_one()
        return bool(
            self._dispatch_service_product()
            or self.partner_id.commercial_partner_id.dispatch_auto_job
        )

    def _prepare_dispatch_job_values(self, picking):
        self.ensure_one()
        return {
            "sale_id": self.id,
            "picking_id": picking.id,
            "company_id": self.company_id.id,
            "partner_id": self.partner_id.id,
            "partner_shipping_id": (picking.partner_id or self.partner_shipping_id).id,
            "service_product_id": self._dispatch_service_product().id,
            "planned_start": picking.scheduled_date,
        }

    def _create_dispatch_jobs(self):
        """A dispatch job for each open outgoing transfer of the orders sold
        with a dispatch service, or of customers who want them, that has
        none yet."""
        orders = self.filtered(lambda o: o._needs_dispatch_jobs())
        if not orders:
            return self.env["logistics.dispatch.job"]
        # sudo: the salesperson confirming the order may not be a dispatcher;
        # the jobs only mirror the order's own transfers.
        Job = self.env["logistics.dispatch.job"].sudo()
        covered = Job.search([("sale_id", "in", orders.ids)]).picking_id
        vals_list = [
            order._prepare_dispatch_job_values(picking)
            for order in orders
            for picking in order.picking_ids
            if picking.picking_type_code == "outgoing"
            and picking.state not in ("done", "cancel")
            and picking not in covered
        ]
        return Job.create(vals_list)

    def action_view_dispatch_jobs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "logistics_dispatch_billing.logistics_dispatch_job_action"
        )
        action["domain"] = [("sale_id", "=", self.id)]
        action["context"] = {"default_sale_id": self.id}
        return action

    # ------------------------------------------------------------------
    # Invoice gate: billing readiness of the orders with dispatch jobs
    # ------------------------------------------------------------------
    billing_ready = fields.Boolean(
        string="Ready to Invoice",
        compute="_compute_billing_ready",
        search="_search_billing_ready",
        help="Every dispatch job of the order is delivered with its proof, no "
        "charge is left to approve, no exception holds its billing, and "
        "something is left to invoice.",
    )
    billing_blocker = fields.Text(
        string="Not Ready Because",
        compute="_compute_billing_ready",
        help="What keeps the order's dispatch jobs from being invoiced.",
    )

    @api.depends(
        "invoice_status",
        "dispatch_job_ids.state",
        "dispatch_job_ids.replan_job_ids.state",
        "dispatch_job_ids.charge_ids.state",
    )
    def _compute_billing_ready(self):
        by_order = self.env["logistics.dispatch.job"]._billing_blockers_by_order(self)
        for order in self:
            items = by_order.get(order)
            if items is None:
                order.billing_ready = False
                order.billing_blocker = False
                continue
            reasons = [item["label"] for item in items]
            if not reasons and order.invoice_status != "to invoice":
                reasons.append(_("Nothing left to invoice."))
            order.billing_ready = not reasons
            order.billing_blocker = "\n".join(reasons)

    def _search_billing_ready(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(_("Unsupported search on Ready to Invoice."))
        # sudo: salespeople search their orders by readiness without reading
        # the jobs; only the orders' ids come out.
        jobs = (
            self.env["logistics.dispatch.job"]
            .sudo()
            .search([("sale_id", "!=", False), ("date_invoiced", "=", False)])
        )
        candidates = self.search(
            [("id", "in", jobs.sale_id.ids), ("invoice_status", "=", "to invoice")]
        )
        by_order = self.env["logistics.dispatch.job"]._billing_blockers_by_order(
            candidates
        )
        ready = candidates.filtered(lambda o: o in by_order and not by_order[o])
        wanted = (operator == "=") == value
        return [("id", "in" if wanted else "not in", ready.ids)]
