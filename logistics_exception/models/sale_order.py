from odoo import models


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "logistics.exception.source.mixin"]
    _logistics_exception_field = "sale_id"

    def _get_logistics_exception_defaults(self):
        values = super()._get_logistics_exception_defaults()
        values["warehouse_id"] = self.warehouse_id.id
        return values
