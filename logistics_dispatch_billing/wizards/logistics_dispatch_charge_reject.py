# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class LogisticsDispatchChargeReject(models.TransientModel):
    _name = "logistics.dispatch.charge.reject"
    _description = "Reject Dispatch Charges"

    charge_ids = fields.Many2many(
        "logistics.dispatch.charge", string="Charges", required=True
    )
    reason = fields.Text(
        required=True, help="Why the charges are not billed, for the record."
    )

    def action_confirm(self):
        self.ensure_one()
        self.charge_ids._reject(self.reason)
        return {"type": "ir.actions.act_window_close"}
