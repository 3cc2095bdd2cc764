from odoo import models


class PurchaseOrderLine(models.Model):
    _inherit = "purchase.order.line"

    def write(self, vals):
        res = super().write(vals)
        if "date_planned" in vals and not self.env.context.get(
            "logistics_exception_skip_detection"
        ):
            self.env["logistics.exception.engine"]._dispatch(
                "purchase_date_changed", self
            )
        return res
