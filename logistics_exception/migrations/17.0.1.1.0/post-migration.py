"""17.0.1.1.0: detectors became a protocol of their own.

- The billing gate is no longer a detection rule but a company setting: it
  stays on where an active "billing hold" rule covered the company (or every
  company), and the obsolete rules go (they never raised an exception).
- The vendor date slips and their consequences link their purchase line.
"""

import logging

from odoo.tools import SQL

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    cr.execute(
        SQL(
            """
            UPDATE res_company c
               SET logistics_billing_hold = EXISTS (
                    SELECT 1 FROM logistics_exception_rule r
                     WHERE r.detector = 'billing_hold' AND r.active
                       AND (NOT EXISTS (
                            SELECT 1 FROM logistics_exception_rule_res_company_rel rel
                             WHERE rel.logistics_exception_rule_id = r.id)
                        OR EXISTS (
                            SELECT 1 FROM logistics_exception_rule_res_company_rel rel
                             WHERE rel.logistics_exception_rule_id = r.id
                               AND rel.res_company_id = c.id))
               )
            """
        )
    )
    cr.execute(
        SQL(
            """
            SELECT r.id FROM logistics_exception_rule r
             WHERE r.detector = 'billing_hold' AND r.active
               AND EXISTS (
                    SELECT 1 FROM logistics_exception_rule_stock_warehouse_rel rel
                     WHERE rel.logistics_exception_rule_id = r.id)
            """
        )
    )
    if cr.rowcount:
        _logger.warning(
            "Billing hold rules %s were limited to some warehouses: the billing "
            "gate is now a company setting and holds invoices of every warehouse "
            "of the companies it is on for. Switch it off per company in "
            "Settings > Logistics Exceptions > Billing if needed.",
            [row[0] for row in cr.fetchall()],
        )
    cr.execute(
        SQL(
            "DELETE FROM ir_model_data WHERE model = 'logistics.exception.rule' "
            "AND res_id IN (SELECT id FROM logistics_exception_rule "
            "WHERE detector = 'billing_hold')"
        )
    )
    cr.execute(
        SQL("DELETE FROM logistics_exception_rule WHERE detector = 'billing_hold'")
    )
    _logger.info("Billing hold rules replaced by the company setting: %s", cr.rowcount)
    # Slips are keyed rule:R:purchase.order.line:L:slip:..., their consequences
    # rule:R:sale.order:S:rule:R:purchase.order.line:L.
    cr.execute(
        SQL(
            """
            UPDATE logistics_exception e
               SET purchase_line_id = pol.id
              FROM purchase_order_line pol
             WHERE e.purchase_line_id IS NULL
               AND e.rule_id IN (SELECT id FROM logistics_exception_rule
                                  WHERE detector = 'vendor_date_slip')
               AND e.source_key LIKE %(like)s
               AND substring(e.source_key FROM %(pattern)s)::integer = pol.id
            """,
            like="rule:%purchase.order.line:%",
            pattern=r"purchase\.order\.line:([0-9]+)",
        )
    )
