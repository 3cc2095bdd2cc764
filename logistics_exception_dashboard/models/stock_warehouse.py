# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, models
from odoo.tools import SQL


class StockWarehouse(models.Model):
    """Warehouse scorecard: the warehouse's exceptions against the transfers
    validated through its operation types."""

    _name = "stock.warehouse"
    _inherit = ["stock.warehouse", "logistics.exception.scorecard.mixin"]

    @api.depends_context("logistics_exception_scorecard_days")
    def _compute_logistics_scorecard(self):
        scorecard = self.env["logistics.exception.scorecard"]
        warehouse_ids = [wid for wid in self.ids if isinstance(wid, int)]
        company_ids = self.company_id.ids
        figures = scorecard._exception_figures(
            SQL("e.warehouse_id"), warehouse_ids, company_ids
        )
        transfers = scorecard._transfer_counts(
            SQL("spt.warehouse_id"), warehouse_ids, company_ids
        )
        for warehouse in self:
            self._set_logistics_scorecard(
                warehouse,
                warehouse.company_id,
                figures.get(warehouse.id, {}),
                transfers.get(warehouse.id, 0),
            )

    def action_open_logistics_scorecard(self):
        return self._get_logistics_scorecard_action(
            _("Warehouse Scorecard"),
            "logistics_exception_dashboard.stock_warehouse_view_form_logistics_scorecard",
        )

    def action_open_logistics_exceptions(self):
        self.ensure_one()
        return self._get_logistics_exceptions_action(
            _("Exceptions of %(warehouse)s", warehouse=self.display_name),
            [("warehouse_id", "=", self.id)],
        )
