from odoo import models


class StockScrap(models.Model):
    _inherit = "stock.scrap"

    def do_scrap(self):
        res = super().do_scrap()
        if not self.env.context.get("logistics_exception_skip_detection"):
            self.env["logistics.exception.engine"]._dispatch("scrap_done", self)
        return res
