# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class AccountMove(models.Model):
    """Dispatch charges follow the customer invoices that bill their sales
    order lines: invoiced when posted, approved again when reset or
    cancelled."""

    _inherit = "account.move"

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted._sync_dispatch_charges()
        return posted

    def button_draft(self):
        result = super().button_draft()
        self._sync_dispatch_charges()
        return result

    def button_cancel(self):
        result = super().button_cancel()
        self._sync_dispatch_charges()
        return result

    def _sync_dispatch_charges(self):
        sale_lines = self.filtered(
            lambda m: m.move_type in ("out_invoice", "out_refund")
        ).invoice_line_ids.sale_line_ids
        if not sale_lines:
            return
        # sudo: whoever posts the invoice moves the state of the charges it
        # bills, without rights on dispatch charges.
        charges = (
            self.env["logistics.dispatch.charge"]
            .sudo()
            .search([("sale_line_id", "in", sale_lines.ids)])
        )
        charges._sync_invoiced_state()
