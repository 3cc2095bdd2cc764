from datetime import timedelta

from odoo import _, api, models
from odoo.tools import SQL

from ..engine import SCAN


class PoUnacknowledgedDetector(models.AbstractModel):
    """Requests for quotation sent and not confirmed, and confirmed orders
    whose vendor was asked to acknowledge the receipt date and has not,
    after the grace period. Cleared when the vendor confirms."""

    _name = "logistics.exception.detector.po_unacknowledged"
    _inherit = "logistics.exception.detector"
    _description = "Purchase order not confirmed by the vendor"
    _area = "purchase"
    _scheduled = True

    @api.model
    def _scan(self, rule, batch_size, cursor):
        limit = rule._grace_limit()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT po.id
                  FROM purchase_order po
                 WHERE po.id > %(cursor)s %(companies)s
                   AND (
                        (po.state = 'sent' AND po.date_order < %(limit)s)
                        OR (po.state = 'purchase'
                            AND NOT COALESCE(po.mail_reception_confirmed, FALSE)
                            AND po.date_approve < %(limit)s
                            AND po.date_approve >= %(window)s)
                   )
                   AND NOT EXISTS (
                        SELECT 1 FROM logistics_exception e
                         WHERE e.rule_id = %(rule)s AND e.purchase_id = po.id
                   )
              ORDER BY po.id
                 LIMIT %(rows)s
                """,
                cursor=cursor or 0,
                companies=rule._company_filter(SQL("po.company_id")),
                limit=limit,
                window=limit - timedelta(days=7),
                rule=rule.id,
                rows=batch_size,
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        # Confirmed orders only count when the vendor was asked to acknowledge
        # (a per-vendor setting, not stored on the order): looked at for a
        # week after confirmation, then left alone.
        orders = (
            self.env["purchase.order"]
            .browse(ids)
            .filtered(
                lambda po: (
                    (po.state == "sent" or po.receipt_reminder_email)
                    and rule._applies_to(po.company_id, po.picking_type_id.warehouse_id)
                )
            )
        )
        vals_list = [
            rule._prepare_exception_values(
                order,
                order.company_id,
                summary=_(
                    "%(vendor)s has not confirmed %(order)s",
                    vendor=order.partner_id.display_name,
                    order=order.name,
                ),
                purchase_id=order.id,
                partner_id=order.partner_id.id,
                warehouse_id=order.picking_type_id.warehouse_id.id,
            )
            for order in orders
        ]
        return vals_list, self._next_cursor(ids, batch_size)

    @api.model
    def _clear(self, rules, event):
        if event.name != SCAN:
            return []
        acknowledged = self._open_exceptions(
            rules, [("purchase_id.state", "in", ("purchase", "done", "cancel"))]
        ).filtered(
            lambda e: (
                e.purchase_id.state == "cancel"
                or e.purchase_id.mail_reception_confirmed
                or not e.purchase_id.receipt_reminder_email
            )
        )
        return [
            (acknowledged, _("The vendor confirmed the order (or it was cancelled)."))
        ]
