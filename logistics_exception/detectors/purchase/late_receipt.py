from odoo import _, api, models
from odoo.tools import SQL


class LateReceiptDetector(models.AbstractModel):
    """Receipts of purchase orders not received past the date the vendor
    promised (the expected date of the receipt) plus the grace period.
    Cleared when they are received."""

    _name = "logistics.exception.detector.late_receipt"
    _inherit = "logistics.exception.detector"
    _description = "Receipt late against the vendor's promised date"
    _area = "purchase"
    _scheduled = True

    @api.model
    def _scan(self, rule, batch_size, cursor):
        pickings, cursor = self._due_pickings(
            rule,
            ("incoming",),
            SQL("COALESCE(p.date_deadline, p.scheduled_date)"),
            batch_size,
            cursor,
            extra=SQL(
                "AND EXISTS (SELECT 1 FROM stock_move m WHERE m.picking_id = p.id"
                " AND m.purchase_line_id IS NOT NULL)"
            ),
        )
        vals_list = []
        for picking in pickings:
            warehouse = picking.picking_type_id.warehouse_id
            products = picking.move_ids.product_id
            vals_list.append(
                rule._prepare_exception_values(
                    picking,
                    picking.company_id,
                    summary=_(
                        "%(vendor)s is late: %(picking)s was due %(date)s",
                        vendor=picking.partner_id.display_name,
                        picking=picking.name,
                        date=self._local_datetime(
                            picking.date_deadline or picking.scheduled_date, warehouse
                        ),
                    ),
                    picking_id=picking.id,
                    purchase_id=picking.purchase_id.id,
                    partner_id=picking.partner_id.id,
                    warehouse_id=warehouse.id,
                    location_id=picking.location_dest_id.id,
                    product_id=products.id if len(products) == 1 else False,
                )
            )
        return vals_list, cursor

    @api.model
    def _clear(self, rules, event):
        return self._cleared_when_done(rules, event)
