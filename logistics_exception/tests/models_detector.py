"""A detector as another module would add it, for test_detector_protocol.py.

Loaded into the registry by that test with odoo-test-helper, and only there:
the package's ``__init__`` must not import this file.
"""

from odoo import _, api, models
from odoo.tools import SQL


class IncompleteAddressDetector(models.AbstractModel):
    """Confirmed orders whose goods are still to ship to an address without a
    street or a city: raised when the order is confirmed, and by the scan for
    orders whose delivery address changed since. Cleared at the scan once the
    address is complete or nothing is left to ship."""

    _name = "logistics.exception.detector.incomplete_address"
    _inherit = "logistics.exception.detector"
    _description = "Order shipping to an incomplete address"
    _area = "sales"
    _events = ("order_confirmed",)
    _scheduled = True

    @api.model
    def _detect(self, rules, event):
        orders = event.records.filtered(self._is_due)
        return [
            self._order_values(rule, order)
            for rule in rules
            for order in orders
            if rule._applies_to(order.company_id, order.warehouse_id)
        ]

    @api.model
    def _scan(self, rule, batch_size, cursor):
        warehouse_filter = (
            SQL("AND so.warehouse_id IN %s", tuple(rule.warehouse_ids.ids))
            if rule.warehouse_ids
            else SQL()
        )
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT so.id
                  FROM sale_order so
                  JOIN res_partner rp ON rp.id = so.partner_shipping_id
                 WHERE so.id > %(cursor)s
                   AND so.state = 'sale'
                   AND (COALESCE(rp.street, '') = '' OR COALESCE(rp.city, '') = '')
                   AND EXISTS (
                        SELECT 1 FROM stock_picking p
                         WHERE p.sale_id = so.id
                           AND p.state NOT IN ('done', 'cancel')
                   )
                   %(companies)s
                   %(warehouse_filter)s
                   AND NOT EXISTS (
                        SELECT 1 FROM logistics_exception e
                         WHERE e.rule_id = %(rule)s
                           AND e.sale_id = so.id
                   )
              ORDER BY so.id
                 LIMIT %(rows)s
                """,
                cursor=cursor or 0,
                companies=rule._company_filter(SQL("so.company_id")),
                warehouse_filter=warehouse_filter,
                rule=rule.id,
                rows=batch_size,
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        orders = self.env["sale.order"].browse(ids)
        vals_list = [self._order_values(rule, order) for order in orders]
        return vals_list, self._next_cursor(ids, batch_size)

    @api.model
    def _clear(self, rules, event):
        if event.name != "scan":
            return []
        exceptions = self._open_exceptions(rules, [("sale_id", "!=", False)])
        return [
            (
                exceptions.filtered(lambda e: not self._is_due(e.sale_id)),
                _("The order no longer ships to an incomplete address."),
            )
        ]

    @api.model
    def _is_due(self, order):
        address = order.partner_shipping_id
        return (
            order.state == "sale"
            and not (address.street and address.city)
            and any(p.state not in ("done", "cancel") for p in order.picking_ids)
        )

    @api.model
    def _order_values(self, rule, order):
        return rule._prepare_exception_values(
            order,
            order.company_id,
            summary=_(
                "%(order)s ships to an incomplete address: %(address)s",
                order=order.name,
                address=order.partner_shipping_id.display_name,
            ),
            sale_id=order.id,
            partner_id=order.partner_id.id,
            warehouse_id=order.warehouse_id.id,
            customer_impact=True,
        )
