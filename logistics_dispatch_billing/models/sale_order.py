# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


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
