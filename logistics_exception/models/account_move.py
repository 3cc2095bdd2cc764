from odoo import models


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "logistics.exception.source.mixin"]
    _logistics_exception_field = "move_id"

    def _get_logistics_exception_defaults(self):
        values = super()._get_logistics_exception_defaults()
        sale_orders = self.line_ids.sale_line_ids.order_id
        if len(sale_orders) == 1:
            values["sale_id"] = sale_orders.id
        purchase_orders = self.line_ids.purchase_line_id.order_id
        if len(purchase_orders) == 1:
            values["purchase_id"] = purchase_orders.id
        return values
