from odoo import _, api, models


class ScrapDetector(models.AbstractModel):
    """Goods scrapped, from a transfer or from stock."""

    _name = "logistics.exception.detector.scrap"
    _inherit = "logistics.exception.detector"
    _description = "Goods scrapped, from a transfer or from stock"
    _area = "inventory"
    _events = ("scrap_done",)

    @api.model
    def _detect(self, rules, event):
        def detect_one(rule, scrap):
            warehouse = scrap.location_id.warehouse_id
            if rule._applies_to(scrap.company_id, warehouse):
                return self._scrap_values(rule, scrap, warehouse)
            return None

        return self._detect_each(rules, event.records, detect_one)

    @api.model
    def _scrap_values(self, rule, scrap, warehouse):
        picking = scrap.picking_id
        values = {
            "qty": f"{scrap.scrap_qty:g}",
            "uom": scrap.product_uom_id.name,
            "product": scrap.product_id.display_name,
            "picking": picking.name,
        }
        if picking:
            summary = _("%(qty)s %(uom)s of %(product)s scrapped from %(picking)s")
        else:
            summary = _("%(qty)s %(uom)s of %(product)s scrapped")
        return rule._prepare_exception_values(
            scrap,
            scrap.company_id,
            summary=summary % values,
            picking_id=picking.id,
            sale_id=picking.sale_id.id,
            purchase_id=picking.purchase_id.id,
            partner_id=picking.partner_id.id,
            warehouse_id=warehouse.id,
            location_id=scrap.location_id.id,
            product_id=scrap.product_id.id,
            lot_id=scrap.lot_id.id,
            quantity_expected=scrap.product_uom_id._compute_quantity(
                scrap.scrap_qty, scrap.product_id.uom_id
            ),
            quantity_actual=0.0,
        )
