# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL

JOB_STATES = [
    ("draft", "Draft"),
    ("planned", "Planned"),
    ("in_transit", "In Transit"),
    ("delivered", "Delivered"),
    ("failed", "Failed"),
    ("cancelled", "Cancelled"),
]


class LogisticsDispatchJobReport(models.Model):
    """Dispatch-to-cash figures, one row per job (cancelled jobs left out):
    when it was delivered and invoiced, whether its proof of delivery
    complied, what it earns (its share of the order's transport service and
    its approved or invoiced charges) and what a subcontractor costs.

    Amounts are in the job's company currency: the sales and purchase lines
    are converted at their order's rate."""

    _name = "logistics.dispatch.job.report"
    _description = "Dispatch Job Figures"
    _auto = False
    _rec_name = "job_id"
    _order = "date_delivered desc, id desc"

    job_id = fields.Many2one("logistics.dispatch.job", string="Job", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    sale_id = fields.Many2one("sale.order", string="Sales Order", readonly=True)
    service_product_id = fields.Many2one(
        "product.product", string="Service Type", readonly=True
    )
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        readonly=True,
        help="The warehouse of the job's transfer: the branch that ships it.",
    )
    zone_id = fields.Many2one("logistics.dispatch.zone", readonly=True)
    vehicle_id = fields.Many2one("fleet.vehicle", readonly=True)
    user_id = fields.Many2one("res.users", string="Driver", readonly=True)
    subcontractor_id = fields.Many2one("res.partner", readonly=True)
    state = fields.Selection(JOB_STATES, readonly=True)
    date_delivered = fields.Datetime(string="Delivered On", readonly=True)
    date_invoiced = fields.Datetime(string="Invoiced On", readonly=True)
    job_count = fields.Integer(string="# Jobs", readonly=True)
    invoice_cycle_days = fields.Float(
        string="Invoice Cycle (Days)",
        readonly=True,
        group_operator="avg",
        help="Days from delivery to the first posted invoice (0 for a job "
        "invoiced before it was delivered).",
    )
    is_unbilled = fields.Boolean(
        string="Completed but Unbilled",
        readonly=True,
        help="Delivered, and no posted customer invoice bills it yet.",
    )
    unbilled_count = fields.Integer(string="# Unbilled", readonly=True)
    unbilled_value = fields.Monetary(readonly=True)
    pod_compliant = fields.Boolean(
        string="POD Compliant",
        readonly=True,
        help="Delivered with the receiver's name, a signature and the POD "
        "time, and not invoiced before it was delivered (an override of the "
        "invoice gate).",
    )
    pod_compliant_count = fields.Integer(string="# POD Compliant", readonly=True)
    service_revenue = fields.Monetary(
        readonly=True,
        help="The job's share of the untaxed transport service lines of its "
        "confirmed sales order (shared among the order's jobs of that service "
        "that are not failed or cancelled).",
    )
    charge_revenue = fields.Monetary(
        string="Accessorial Revenue",
        readonly=True,
        help="Approved and invoiced charges of the job.",
    )
    revenue = fields.Monetary(readonly=True)
    subcontract_cost = fields.Monetary(
        readonly=True, help="Untaxed amount of the job's subcontract purchase line."
    )
    margin = fields.Monetary(readonly=True)

    @property
    def _table_query(self):
        return SQL("(%s)", self._query())

    def _query(self):
        """The rows of the report. Override me (keep the columns) to count
        revenue or costs otherwise."""
        return SQL(
            """
            SELECT
                j.id AS id,
                j.id AS job_id,
                j.company_id AS company_id,
                company.currency_id AS currency_id,
                j.partner_id AS partner_id,
                j.sale_id AS sale_id,
                j.service_product_id AS service_product_id,
                picking_type.warehouse_id AS warehouse_id,
                j.zone_id AS zone_id,
                j.vehicle_id AS vehicle_id,
                j.user_id AS user_id,
                j.subcontractor_id AS subcontractor_id,
                j.state AS state,
                j.date_delivered AS date_delivered,
                j.date_invoiced AS date_invoiced,
                1 AS job_count,
                CASE WHEN j.date_delivered IS NOT NULL
                      AND j.date_invoiced IS NOT NULL
                    THEN GREATEST(
                        EXTRACT(EPOCH FROM j.date_invoiced - j.date_delivered)
                        / 86400.0,
                        0.0
                    )
                END AS invoice_cycle_days,
                (j.state = 'delivered' AND j.date_invoiced IS NULL) AS is_unbilled,
                CASE WHEN j.state = 'delivered' AND j.date_invoiced IS NULL
                    THEN 1 ELSE 0 END AS unbilled_count,
                CASE WHEN j.state = 'delivered' AND j.date_invoiced IS NULL
                    THEN amounts.revenue ELSE 0 END AS unbilled_value,
                pod.compliant AS pod_compliant,
                CASE WHEN pod.compliant THEN 1 ELSE 0 END AS pod_compliant_count,
                amounts.service AS service_revenue,
                amounts.charges AS charge_revenue,
                amounts.revenue AS revenue,
                amounts.cost AS subcontract_cost,
                amounts.revenue - amounts.cost AS margin
            FROM logistics_dispatch_job j
            JOIN res_company company ON company.id = j.company_id
            LEFT JOIN stock_picking picking ON picking.id = j.picking_id
            LEFT JOIN stock_picking_type picking_type
                   ON picking_type.id = picking.picking_type_id
            LEFT JOIN LATERAL (
                SELECT COUNT(*) AS count
                  FROM logistics_dispatch_job other
                 WHERE other.sale_id = j.sale_id
                   AND other.service_product_id = j.service_product_id
                   AND other.state NOT IN ('failed', 'cancelled')
            ) share ON TRUE
            LEFT JOIN LATERAL (
                SELECT SUM(
                           line.price_subtotal
                           / COALESCE(NULLIF(so.currency_rate, 0), 1.0)
                       ) AS amount
                  FROM sale_order_line line
                  JOIN sale_order so ON so.id = line.order_id
                 WHERE line.order_id = j.sale_id
                   AND line.product_id = j.service_product_id
                   AND so.state = 'sale'
                   AND NOT EXISTS (
                       SELECT 1 FROM logistics_dispatch_charge billed
                        WHERE billed.sale_line_id = line.id
                   )
            ) service ON TRUE
            LEFT JOIN LATERAL (
                SELECT SUM(charge.amount) AS amount
                  FROM logistics_dispatch_charge charge
                 WHERE charge.job_id = j.id
                   AND charge.state IN ('approved', 'invoiced')
            ) charges ON TRUE
            LEFT JOIN purchase_order_line pol ON pol.id = j.purchase_line_id
            LEFT JOIN purchase_order po
                   ON po.id = pol.order_id AND po.state != 'cancel'
            CROSS JOIN LATERAL (
                SELECT
                    CASE WHEN j.state = 'failed' OR share.count = 0 THEN 0.0
                        ELSE COALESCE(service.amount, 0.0) / share.count
                    END AS service,
                    COALESCE(charges.amount, 0.0) AS charges,
                    CASE WHEN j.state = 'failed' OR share.count = 0 THEN 0.0
                        ELSE COALESCE(service.amount, 0.0) / share.count
                    END + COALESCE(charges.amount, 0.0) AS revenue,
                    CASE WHEN po.id IS NULL THEN 0.0
                        ELSE pol.price_subtotal
                             / COALESCE(NULLIF(po.currency_rate, 0), 1.0)
                    END AS cost
            ) amounts
            CROSS JOIN LATERAL (
                SELECT j.state = 'delivered'
                   AND j.pod_date IS NOT NULL
                   AND COALESCE(j.pod_receiver_name, '') != ''
                   AND EXISTS (
                       SELECT 1 FROM ir_attachment signature
                        WHERE signature.res_model = 'logistics.dispatch.job'
                          AND signature.res_field = 'pod_signature'
                          AND signature.res_id = j.id
                   )
                   AND NOT COALESCE(j.date_invoiced < j.date_delivered, FALSE)
                   AS compliant
            ) pod
            WHERE j.state != 'cancelled'
            """
        )

    # ------------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------------
    @api.model
    def _get_dispatch_figures(
        self, date_from, date_to=None, company_ids=None, warehouse_id=None
    ):
        """The dispatch-to-cash KPIs of the jobs the user may read, in one
        grouped query (record rules applied), amounts in the current
        company's currency:

        - ``invoice_cycle``: mean days from delivery to invoice of the jobs
          invoiced in the period;
        - ``unbilled``: delivered jobs not invoiced now (count, value);
        - ``pod_compliance``: share of the jobs delivered in the period whose
          POD complied;
        - ``accessorial_revenue``: approved and invoiced charges of the jobs
          delivered in the period;
        - ``margin``: revenue, subcontract cost and margin of the jobs
          delivered in the period, and the mean margin per job.

        Each figure carries the domain on this model of the jobs behind it.
        ``warehouse_id`` keeps the jobs of that warehouse's transfers.
        """
        self.check_access_rights("read")
        # The view reads jobs, charges, sales and purchase lines in SQL.
        self.env.flush_all()
        company_ids = company_ids or self.env.companies.ids
        period = [("date_delivered", ">=", date_from)]
        invoiced = [("date_invoiced", ">=", date_from)]
        if date_to:
            period.append(("date_delivered", "<", date_to))
            invoiced.append(("date_invoiced", "<", date_to))
        base = [("company_id", "in", company_ids)]
        if warehouse_id:
            base.append(("warehouse_id", "=", warehouse_id))
        domains = {
            "invoice_cycle": expression.AND(
                [base, invoiced, [("date_delivered", "!=", False)]]
            ),
            "unbilled": expression.AND([base, [("is_unbilled", "=", True)]]),
            "delivered": expression.AND([base, period, [("state", "=", "delivered")]]),
        }
        domains["pod_compliance"] = domains["delivered"]
        domains["pod_compliant"] = expression.AND(
            [domains["delivered"], [("pod_compliant", "=", True)]]
        )
        domains["accessorial_revenue"] = expression.AND(
            [domains["delivered"], [("charge_revenue", "!=", 0)]]
        )
        domains["margin"] = domains["delivered"]
        query = self._search(
            expression.AND(
                [
                    base,
                    expression.OR(
                        [
                            expression.AND([period, [("state", "=", "delivered")]]),
                            invoiced,
                            [("is_unbilled", "=", True)],
                        ]
                    ),
                ]
            )
        )
        query.order = None

        def col(name):
            return SQL.identifier(query.table, name)

        in_cycle = SQL(
            "%s IS NOT NULL AND %s",
            col("date_delivered"),
            self._period_sql(col("date_invoiced"), date_from, date_to),
        )
        delivered = SQL(
            "%s = 'delivered' AND %s",
            col("state"),
            self._period_sql(col("date_delivered"), date_from, date_to),
        )
        self.env.cr.execute(
            SQL(
                "%s GROUP BY %s",
                query.select(
                    col("company_id"),
                    SQL("COUNT(*) FILTER (WHERE %s)", in_cycle),
                    SQL(
                        "SUM(%s) FILTER (WHERE %s)", col("invoice_cycle_days"), in_cycle
                    ),
                    SQL("COUNT(*) FILTER (WHERE %s)", col("is_unbilled")),
                    SQL(
                        "SUM(%s) FILTER (WHERE %s)",
                        col("unbilled_value"),
                        col("is_unbilled"),
                    ),
                    SQL("COUNT(*) FILTER (WHERE %s)", delivered),
                    SQL(
                        "COUNT(*) FILTER (WHERE %s AND %s)",
                        delivered,
                        col("pod_compliant"),
                    ),
                    SQL("SUM(%s) FILTER (WHERE %s)", col("charge_revenue"), delivered),
                    SQL("SUM(%s) FILTER (WHERE %s)", col("revenue"), delivered),
                    SQL(
                        "SUM(%s) FILTER (WHERE %s)", col("subcontract_cost"), delivered
                    ),
                ),
                col("company_id"),
            )
        )
        rows = self.env.cr.fetchall()
        counts = defaultdict(int)
        amounts = defaultdict(dict)
        cycle_days = 0.0
        for (
            company_id,
            cycle_count,
            cycle_sum,
            unbilled_count,
            unbilled_value,
            delivered_count,
            compliant_count,
            charges,
            revenue,
            cost,
        ) in rows:
            counts["cycle"] += cycle_count
            cycle_days += cycle_sum or 0.0
            counts["unbilled"] += unbilled_count
            counts["delivered"] += delivered_count
            counts["compliant"] += compliant_count
            amounts["unbilled"][company_id] = unbilled_value or 0.0
            amounts["charges"][company_id] = charges or 0.0
            amounts["revenue"][company_id] = revenue or 0.0
            amounts["cost"][company_id] = cost or 0.0
        totals = {
            key: self._convert_amounts(amounts[key])
            for key in ("unbilled", "charges", "revenue", "cost")
        }
        currency = self.env.company.currency_id
        margin = currency.round(totals["revenue"] - totals["cost"])
        return {
            "invoice_cycle": {
                "value": round(cycle_days / counts["cycle"], 1)
                if counts["cycle"]
                else None,
                "count": counts["cycle"],
                "domain": domains["invoice_cycle"],
            },
            "unbilled": {
                "count": counts["unbilled"],
                "value": totals["unbilled"],
                "domain": domains["unbilled"],
            },
            "pod_compliance": {
                "value": round(counts["compliant"] * 100.0 / counts["delivered"], 1)
                if counts["delivered"]
                else None,
                "compliant": counts["compliant"],
                "count": counts["delivered"],
                "domain": domains["pod_compliance"],
                "compliant_domain": domains["pod_compliant"],
            },
            "accessorial_revenue": {
                "value": totals["charges"],
                "domain": domains["accessorial_revenue"],
            },
            "margin": {
                "value": margin,
                "revenue": totals["revenue"],
                "cost": totals["cost"],
                "count": counts["delivered"],
                "per_job": currency.round(margin / counts["delivered"])
                if counts["delivered"]
                else None,
                "domain": domains["margin"],
            },
        }

    @api.model
    def _period_sql(self, column, date_from, date_to):
        if date_to:
            return SQL("%s >= %s AND %s < %s", column, date_from, column, date_to)
        return SQL("%s >= %s", column, date_from)

    @api.model
    def _convert_amounts(self, amounts_by_company):
        """{company id: amount} -> their sum in the current company's
        currency."""
        target = self.env.company.currency_id
        today = fields.Date.context_today(self)
        total = 0.0
        for company in self.env["res.company"].browse(list(amounts_by_company)):
            amount = amounts_by_company[company.id]
            if company.currency_id != target:
                amount = company.currency_id._convert(amount, target, company, today)
            total += amount
        return target.round(total)
