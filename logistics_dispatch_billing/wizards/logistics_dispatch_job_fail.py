# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class LogisticsDispatchJobFail(models.TransientModel):
    _name = "logistics.dispatch.job.fail"
    _description = "Failed Delivery"

    job_ids = fields.Many2many("logistics.dispatch.job", string="Jobs", required=True)
    reason_id = fields.Many2one(
        "logistics.exception.reason",
        string="Reason",
        required=True,
        domain=[("category_id.code", "=", "FAILED_DELIVERY")],
    )
    note = fields.Text(help="What happened at the door, for the exception.")

    def action_confirm(self):
        self.ensure_one()
        self.job_ids._fail(self.reason_id, self.note or "")
        return {"type": "ir.actions.act_window_close"}
