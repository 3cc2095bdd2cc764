# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    dispatch_subcontract = fields.Boolean(
        string="Dispatch Subcontracting",
        readonly=True,
        copy=False,
        help="Made by dispatch to buy subcontracted jobs: planning a job of "
        "this carrier adds it to the order while it is a draft.",
    )
    dispatch_job_ids = fields.One2many(
        "logistics.dispatch.job",
        compute="_compute_dispatch_job_ids",
        string="Subcontracted Jobs",
        groups="logistics_dispatch_billing.group_dispatch_user,"
        "account.group_account_invoice",
    )
    dispatch_job_count = fields.Integer(
        compute="_compute_dispatch_job_ids",
        groups="logistics_dispatch_billing.group_dispatch_user,"
        "account.group_account_invoice",
    )

    @api.depends("order_line")
    def _compute_dispatch_job_ids(self):
        jobs = self.env["logistics.dispatch.job"].search(
            [("purchase_line_id", "in", self.order_line.ids)]
        )
        for order in self:
            order.dispatch_job_ids = jobs.filtered(
                lambda j, order=order: j.purchase_line_id.order_id == order
            )
            order.dispatch_job_count = len(order.dispatch_job_ids)

    def action_view_dispatch_jobs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "logistics_dispatch_billing.logistics_dispatch_job_action"
        )
        action["domain"] = [("id", "in", self.dispatch_job_ids.ids)]
        action["context"] = {}
        return action
