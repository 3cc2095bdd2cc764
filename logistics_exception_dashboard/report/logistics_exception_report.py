# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models, tools
from odoo.tools import SQL

from odoo.addons.logistics_exception.models.logistics_exception import (
    DETECTED_BY,
    STATES,
)
from odoo.addons.logistics_exception.models.logistics_exception_category import (
    SEVERITIES,
)
from odoo.addons.logistics_exception.models.logistics_exception_sla import (
    SLA_STATUSES,
)
from odoo.addons.logistics_exception.models.res_partner import SERVICE_TIERS

AGE_BUCKETS = [
    ("0_1d", "Under 1 day"),
    ("1_3d", "1-3 days"),
    ("3_7d", "3-7 days"),
    ("7_30d", "7-30 days"),
    ("30d_plus", "Over 30 days"),
]
SLA_RESULTS = [
    ("running", "Running"),
    ("met", "Met"),
    ("missed", "Missed"),
]


class LogisticsExceptionReport(models.Model):
    """Exceptions and their costs, for pivot and graph analysis.

    Two kinds of rows carry the same dimensions (those of the exception):
    one row per exception (``nbr`` = 1, no amount) and one row per cost line
    (``nbr`` = 0, its amount and cost type). Counting sums ``nbr`` and the
    cost sums ``amount``, so grouping by cost type gives the cost by type
    while the exception counts stay right.
    """

    _name = "logistics.exception.report"
    _description = "Logistics Exception Analysis"
    _auto = False
    _rec_name = "exception_id"
    _order = "date desc, id desc"

    exception_id = fields.Many2one("logistics.exception", readonly=True)
    row_type = fields.Selection(
        [("exception", "Exception"), ("cost", "Cost Line")], readonly=True
    )
    nbr = fields.Integer(
        string="# Exceptions",
        readonly=True,
        help="1 on the row of an exception, 0 on the rows of its cost lines.",
    )
    date = fields.Datetime(
        readonly=True,
        help="Detection date for an exception, the cost's date for a cost line.",
    )
    date_detected = fields.Datetime(string="Detected On", readonly=True)
    date_resolved = fields.Datetime(string="Resolved On", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    state = fields.Selection(STATES, readonly=True)
    is_open = fields.Boolean(string="Open", readonly=True)
    severity = fields.Selection(SEVERITIES, readonly=True)
    category_id = fields.Many2one("logistics.exception.category", readonly=True)
    reason_id = fields.Many2one(
        "logistics.exception.reason", string="Reason Code", readonly=True
    )
    root_cause_id = fields.Many2one("logistics.exception.root.cause", readonly=True)
    team_id = fields.Many2one("logistics.exception.team", readonly=True)
    user_id = fields.Many2one("res.users", string="Owner", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", readonly=True)
    location_id = fields.Many2one("stock.location", readonly=True)
    customer_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    customer_tier = fields.Selection(SERVICE_TIERS, readonly=True)
    vendor_id = fields.Many2one(
        "res.partner",
        string="Vendor",
        readonly=True,
        help="The supplier at stake: the vendor of the purchase order, else "
        "the partner of the receipt (their commercial entity).",
    )
    product_id = fields.Many2one("product.product", readonly=True)
    detected_by = fields.Selection(DETECTED_BY, readonly=True)
    sla_status = fields.Selection(SLA_STATUSES, string="Resolution SLA", readonly=True)
    sla_result = fields.Selection(
        SLA_RESULTS,
        string="SLA Met or Missed",
        readonly=True,
        help="Met: resolved in time. Missed: resolved late or breached now. "
        "Running: the clock still runs (or is paused) within its deadline.",
    )
    escalation_level = fields.Integer(readonly=True, group_operator="max")
    age_days = fields.Float(
        string="Age (Days)",
        readonly=True,
        group_operator="avg",
        help="Days from detection to resolution (or closing), or until now "
        "while the exception is open.",
    )
    age_bucket = fields.Selection(AGE_BUCKETS, readonly=True)
    response_hours = fields.Float(
        readonly=True,
        group_operator="avg",
        help="Hours from detection to the first response.",
    )
    resolution_hours = fields.Float(
        readonly=True,
        group_operator="avg",
        help="Hours from detection to resolution.",
    )
    cost_type_id = fields.Many2one("logistics.exception.cost.type", readonly=True)
    amount = fields.Monetary(string="Cost", currency_field="currency_id", readonly=True)

    def _select_exception_dimensions(self):
        """The exception's columns every row carries. Override me (with
        the same columns in both parts of the union) to add a dimension."""
        return SQL(
            """
            e.id AS exception_id,
            e.date_detected AS date_detected,
            e.date_resolved AS date_resolved,
            e.company_id AS company_id,
            company.currency_id AS currency_id,
            e.state AS state,
            e.is_open AS is_open,
            e.severity AS severity,
            e.category_id AS category_id,
            e.reason_id AS reason_id,
            e.root_cause_id AS root_cause_id,
            e.team_id AS team_id,
            e.user_id AS user_id,
            e.warehouse_id AS warehouse_id,
            e.location_id AS location_id,
            e.customer_id AS customer_id,
            customer.logistics_service_tier AS customer_tier,
            e.vendor_id AS vendor_id,
            e.product_id AS product_id,
            e.detected_by AS detected_by,
            e.sla_status AS sla_status,
            CASE
                WHEN e.sla_status = 'met' THEN 'met'
                WHEN e.sla_status IN ('missed', 'breached') THEN 'missed'
                WHEN e.sla_status IS NOT NULL THEN 'running'
            END AS sla_result,
            age.days AS age_days,
            CASE
                WHEN age.days < 1 THEN '0_1d'
                WHEN age.days < 3 THEN '1_3d'
                WHEN age.days < 7 THEN '3_7d'
                WHEN age.days < 30 THEN '7_30d'
                ELSE '30d_plus'
            END AS age_bucket
            """
        )

    def _from_exception(self):
        return SQL(
            """
            logistics_exception e
            JOIN res_company company ON company.id = e.company_id
            LEFT JOIN res_partner customer ON customer.id = e.customer_id
            CROSS JOIN LATERAL (
                SELECT EXTRACT(EPOCH FROM (
                    COALESCE(
                        e.date_resolved,
                        e.date_closed,
                        NOW() AT TIME ZONE 'UTC'
                    ) - e.date_detected
                )) / 86400.0 AS days
            ) age
            """
        )

    def _query(self):
        dimensions = self._select_exception_dimensions()
        source = self._from_exception()
        return SQL(
            """
            SELECT
                e.id * 2 AS id,
                'exception' AS row_type,
                1 AS nbr,
                e.date_detected AS date,
                %(dimensions)s,
                e.escalation_level AS escalation_level,
                EXTRACT(EPOCH FROM (e.date_first_response - e.date_detected))
                    / 3600.0 AS response_hours,
                CASE WHEN e.date_resolved IS NOT NULL
                    THEN e.resolution_hours END AS resolution_hours,
                NULL::integer AS cost_type_id,
                NULL::numeric AS amount
            FROM %(source)s
            WHERE e.active
            UNION ALL
            SELECT
                cost.id * 2 + 1 AS id,
                'cost' AS row_type,
                0 AS nbr,
                cost.date::timestamp AS date,
                %(dimensions)s,
                NULL::integer AS escalation_level,
                NULL::numeric AS response_hours,
                NULL::numeric AS resolution_hours,
                cost.cost_type_id AS cost_type_id,
                cost.amount AS amount
            FROM logistics_exception_cost cost
            JOIN %(source)s ON e.id = cost.exception_id
            WHERE e.active
            """,
            dimensions=dimensions,
            source=source,
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._query(),
            )
        )
