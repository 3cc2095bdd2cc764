# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class LogisticsException(models.Model):
    _inherit = "logistics.exception"

    inventory_approval_ids = fields.One2many(
        "logistics.inventory.approval",
        "exception_id",
        string="Adjustment Approvals",
        groups="stock.group_stock_manager",
    )
    inventory_approval_count = fields.Integer(
        compute="_compute_inventory_approval_count", groups="stock.group_stock_manager"
    )

    approval_request_ids = fields.One2many(
        "logistics.approval.request", "exception_id", string="Approval Requests"
    )
    approval_request_count = fields.Integer(compute="_compute_approval_request_count")

    @api.depends("approval_request_ids")
    @api.depends_context("uid")
    def _compute_approval_request_count(self):
        # The requests the user may read (requester, reviewer, managers).
        counts = {
            exception.id: count
            for exception, count in self.env["logistics.approval.request"]._read_group(
                [("exception_id", "in", self.ids)], ["exception_id"], ["__count"]
            )
        }
        for exception in self:
            exception.approval_request_count = counts.get(exception.id, 0)

    def action_view_approval_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "logistics_exception_approval.logistics_approval_request_action"
        )
        requests = self.env["logistics.approval.request"].search(
            [("exception_id", "=", self.id)]
        )
        action["domain"] = [("id", "in", requests.ids)]
        action["context"] = {"create": False}
        if len(requests) == 1:
            action.update(views=[(False, "form")], view_mode="form", res_id=requests.id)
        return action

    @api.depends("inventory_approval_ids")
    def _compute_inventory_approval_count(self):
        counts = {
            exception.id: count
            for exception, count in self.env[
                "logistics.inventory.approval"
            ]._read_group(
                [("exception_id", "in", self.ids)], ["exception_id"], ["__count"]
            )
        }
        for exception in self:
            exception.inventory_approval_count = counts.get(exception.id, 0)

    def action_view_inventory_approvals(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "logistics_exception_approval.logistics_inventory_approval_action"
        )
        requests = self.inventory_approval_ids
        action["domain"] = [("id", "in", requests.ids)]
        action["context"] = {"create": False}
        if len(requests) == 1:
            action.update(views=[(False, "form")], view_mode="form", res_id=requests.id)
        return action
