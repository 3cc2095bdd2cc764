from odoo import models


class PurchaseOrder(models.Model):
    _name = "purchase.order"
    _inherit = ["purchase.order", "logistics.exception.source.mixin"]
    _logistics_exception_field = "purchase_id"

    def _get_logistics_exception_defaults(self):
        values = super()._get_logistics_exception_defaults()
        values["warehouse_id"] = self.picking_type_id.warehouse_id.id
        return values
