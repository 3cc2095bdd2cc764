from odoo import _, api, models
from odoo.tools import SQL


class LateTransferDetector(models.AbstractModel):
    """Outgoing and internal transfers still not done past their scheduled
    date plus the grace period. Cleared when they are done."""

    _name = "logistics.exception.detector.late_transfer"
    _inherit = "logistics.exception.detector"
    _description = "Transfer not done past its scheduled date"
    _area = "inventory"
    _scheduled = True

    @api.model
    def _scan(self, rule, batch_size, cursor):
        pickings, cursor = self._due_pickings(
            rule, ("outgoing", "internal"), SQL("p.scheduled_date"), batch_size, cursor
        )
        vals_list = []
        for picking in pickings:
            warehouse = picking.picking_type_id.warehouse_id
            vals_list.append(
                rule._prepare_exception_values(
                    picking,
                    picking.company_id,
                    summary=_(
                        "%(picking)s is not done: it was scheduled for %(date)s",
                        picking=picking.name,
                        date=self._local_datetime(picking.scheduled_date, warehouse),
                    ),
                    picking_id=picking.id,
                    sale_id=picking.sale_id.id,
                    partner_id=picking.partner_id.id,
                    warehouse_id=warehouse.id,
                    location_id=picking.location_id.id,
                    customer_impact=picking.picking_type_code == "outgoing",
                )
            )
        return vals_list, cursor

    @api.model
    def _clear(self, rules, event):
        return self._cleared_when_done(rules, event)
