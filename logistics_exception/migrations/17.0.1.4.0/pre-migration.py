"""17.0.1.4.0: exceptions have a stored vendor.

The dashboards' period index carries the vendor instead of the purchase order:
the old index is dropped here so that the module creates the new one.
"""

from odoo.tools import SQL


def migrate(cr, version):
    cr.execute(
        SQL(
            "DROP INDEX IF EXISTS %s",
            SQL.identifier("logistics_exception_period_dims_idx"),
        )
    )
