# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import SQL

AGE_BUCKETS = [
    ("0_1", "0-1 days"),
    ("2_3", "2-3 days"),
    ("4_7", "4-7 days"),
    ("over_7", "Over 7 days"),
]


class LogisticsDispatchUnbilledReport(models.Model):
    """Completed but unbilled: the delivered jobs no posted customer invoice
    bills yet, aged from their delivery, with what they are worth (the
    order's amount of the job's service and its approved charges)."""

    _name = "logistics.dispatch.unbilled.report"
    _description = "Completed but Unbilled Jobs"
    _auto = False
    _order = "date_delivered, id"
    _rec_name = "job_id"
    # What the query reads: flushed before the report is read.
    _depends = {
        "logistics.dispatch.job": [
            "state",
            "date_invoiced",
            "date_delivered",
            "company_id",
            "partner_id",
            "sale_id",
            "picking_id",
            "subcontractor_id",
            "service_product_id",
        ],
        "logistics.dispatch.charge": ["job_id", "state", "amount"],
        "sale.order": ["currency_rate"],
        "sale.order.line": ["order_id", "product_id", "price_subtotal"],
        "stock.picking": ["picking_type_id"],
        "stock.picking.type": ["warehouse_id"],
        "res.partner": ["commercial_partner_id"],
        "res.company": ["currency_id"],
    }

    job_id = fields.Many2one("logistics.dispatch.job", string="Job", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", string="Branch", readonly=True)
    sale_id = fields.Many2one("sale.order", string="Sales Order", readonly=True)
    subcontractor_id = fields.Many2one(
        "res.partner", string="Subcontractor", readonly=True
    )
    date_delivered = fields.Datetime(string="Delivered On", readonly=True)
    age_days = fields.Integer(string="Age (Days)", readonly=True, group_operator="max")
    age_bucket = fields.Selection(AGE_BUCKETS, string="Age", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    service_amount = fields.Monetary(string="Service", readonly=True)
    charge_amount = fields.Monetary(string="Approved Charges", readonly=True)
    amount = fields.Monetary(string="Value", readonly=True)
    job_count = fields.Integer(string="Jobs", readonly=True)

    @property
    def _table_query(self):
        # Built at each read with the server's clock (not the database's):
        # the age is the one the scheduled escalation sees.
        return self._unbilled_query(fields.Datetime.now())

    def _unbilled_query(self, now):
        # Parenthesized: the ORM puts it as is in its FROM clause.
        return SQL(
            """(
            WITH unbilled AS (
                SELECT j.id, j.company_id, j.sale_id, j.subcontractor_id,
                       j.service_product_id, j.date_delivered, j.picking_id,
                       j.partner_id,
                       FLOOR(EXTRACT(EPOCH FROM (%(now)s - j.date_delivered))
                             / 86400)::integer AS age_days
                  FROM logistics_dispatch_job j
                 WHERE j.state = 'delivered'
                   AND j.date_invoiced IS NULL
                   AND j.date_delivered IS NOT NULL
            )
            SELECT u.id AS id,
                   u.id AS job_id,
                   p.commercial_partner_id AS partner_id,
                   u.company_id,
                   pt.warehouse_id,
                   u.sale_id,
                   u.subcontractor_id,
                   u.date_delivered,
                   u.age_days,
                   CASE WHEN u.age_days <= 1 THEN '0_1'
                        WHEN u.age_days <= 3 THEN '2_3'
                        WHEN u.age_days <= 7 THEN '4_7'
                        ELSE 'over_7' END AS age_bucket,
                   c.currency_id,
                   COALESCE(service.amount, 0) AS service_amount,
                   COALESCE(charge.amount, 0) AS charge_amount,
                   COALESCE(service.amount, 0) + COALESCE(charge.amount, 0)
                       AS amount,
                   1 AS job_count
              FROM unbilled u
              JOIN res_company c ON c.id = u.company_id
              JOIN res_partner p ON p.id = u.partner_id
         LEFT JOIN stock_picking sp ON sp.id = u.picking_id
         LEFT JOIN stock_picking_type pt ON pt.id = sp.picking_type_id
         LEFT JOIN LATERAL (
                -- The order's lines of the job's service, in the company's
                -- currency, shared among the order's jobs of that service.
                SELECT SUM(sol.price_subtotal
                           / COALESCE(NULLIF(so.currency_rate, 0), 1))
                       / GREATEST((
                            SELECT COUNT(*) FROM logistics_dispatch_job sj
                             WHERE sj.sale_id = u.sale_id
                               AND sj.service_product_id = u.service_product_id
                               AND sj.state != 'cancelled'
                       ), 1) AS amount
                  FROM sale_order_line sol
                  JOIN sale_order so ON so.id = sol.order_id
                 WHERE sol.order_id = u.sale_id
                   AND sol.product_id = u.service_product_id
         ) service ON TRUE
         LEFT JOIN LATERAL (
                SELECT SUM(ch.amount) AS amount
                  FROM logistics_dispatch_charge ch
                 WHERE ch.job_id = u.id AND ch.state = 'approved'
         ) charge ON TRUE
            )""",
            now=now,
        )
