# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from .logistics_exception_dashboard import SLA_MET, SLA_NOT_MET

# How far back a scorecard looks, unless the context says otherwise
# (``logistics_exception_scorecard_days``).
SCORECARD_DAYS = 90


class LogisticsExceptionScorecard(models.AbstractModel):
    """Figures shared by the vendor and warehouse scorecards, read in SQL in
    one grouped query per kind of figure. Their fields are for exception
    managers only, who see every exception of their companies: the queries
    are limited to the company of the scorecard."""

    _name = "logistics.exception.scorecard"
    _description = "Logistics Exception Scorecard Figures"

    @api.model
    def _get_days(self):
        return max(
            int(self.env.context.get("logistics_exception_scorecard_days") or 0)
            or SCORECARD_DAYS,
            1,
        )

    @api.model
    def _get_date_from(self):
        return fields.Datetime.now() - timedelta(days=self._get_days())

    @api.model
    def _exception_figures(self, key_sql, key_ids, company_ids):
        """{key: {count, met, missed, cost}} of the exceptions detected in
        the period, per value of ``key_sql`` (an expression over the
        exceptions ``e`` and the joins of the review's ``_review_from_sql``).

        SLA: as on the dashboard (SLA_MET, SLA_NOT_MET): met or missed once
        resolved; an open exception past its deadline (breached) counts as
        missed."""
        if not key_ids or not company_ids:
            return {}
        exceptions = self.env["logistics.exception"]
        exceptions.flush_model()
        self.env["logistics.exception.cost"].flush_model()
        self.env["stock.picking"].flush_model(["picking_type_id", "partner_id"])
        self.env["purchase.order"].flush_model(["partner_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT %(key)s AS key,
                       count(*),
                       count(*) FILTER (WHERE e.sla_status IN %(met)s),
                       count(*) FILTER (WHERE e.sla_status IN %(not_met)s),
                       COALESCE(sum(cost.amount), 0)
                  FROM %(from)s
                  LEFT JOIN LATERAL (
                        SELECT sum(line.amount) AS amount
                          FROM logistics_exception_cost line
                         WHERE line.exception_id = e.id
                       ) cost ON TRUE
                 WHERE %(key)s IN %(key_ids)s
                   AND e.company_id IN %(company_ids)s
                   AND e.active
                   AND e.state != 'cancelled'
                   AND e.date_detected >= %(date_from)s
                 GROUP BY 1
                """,
                key=key_sql,
                key_ids=tuple(key_ids),
                company_ids=tuple(company_ids),
                date_from=self._get_date_from(),
                met=SLA_MET,
                not_met=SLA_NOT_MET,
                **{"from": exceptions._review_from_sql()},
            )
        )
        return {
            key: {"count": count, "met": met, "missed": missed, "cost": cost}
            for key, count, met, missed, cost in self.env.cr.fetchall()
        }

    @api.model
    def _transfer_counts(self, key_sql, key_ids, company_ids, picking_type_code=None):
        """{key: number of transfers validated in the period}, per value of
        ``key_sql`` (over the transfers ``sp``, their operation type ``spt``
        and partner ``rp``)."""
        if not key_ids or not company_ids:
            return {}
        self.env["stock.picking"].flush_model(
            ["picking_type_id", "partner_id", "state", "date_done", "company_id"]
        )
        code_clause = (
            SQL("AND spt.code = %s", picking_type_code) if picking_type_code else SQL()
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT %(key)s, count(*)
                  FROM stock_picking sp
                  JOIN stock_picking_type spt ON spt.id = sp.picking_type_id
                  LEFT JOIN res_partner rp ON rp.id = sp.partner_id
                 WHERE sp.state = 'done'
                   AND sp.date_done >= %(date_from)s
                   AND sp.company_id IN %(company_ids)s
                   AND %(key)s IN %(key_ids)s
                   %(code_clause)s
                 GROUP BY 1
                """,
                key=key_sql,
                key_ids=tuple(key_ids),
                company_ids=tuple(company_ids),
                date_from=self._get_date_from(),
                code_clause=code_clause,
            )
        )
        return dict(self.env.cr.fetchall())

    @api.model
    def _figures_to_values(self, figures, transfers):
        """The scorecard fields' values from the figures of one key."""
        count = figures.get("count", 0)
        met = figures.get("met", 0)
        missed = figures.get("missed", 0)
        return {
            "logistics_scorecard_exception_count": count,
            "logistics_scorecard_transfer_count": transfers,
            "logistics_scorecard_exception_rate": (
                count * 1000.0 / transfers if transfers else 0.0
            ),
            "logistics_scorecard_sla_met": met,
            "logistics_scorecard_sla_missed": missed,
            "logistics_scorecard_sla_compliance": (
                met * 100.0 / (met + missed) if met + missed else 0.0
            ),
            "logistics_scorecard_cost": figures.get("cost", 0.0),
        }


class LogisticsExceptionScorecardMixin(models.AbstractModel):
    """The scorecard fields of a vendor or a warehouse."""

    _name = "logistics.exception.scorecard.mixin"
    _description = "Logistics Exception Scorecard"

    logistics_scorecard_days = fields.Integer(
        string="Scorecard Period (days)",
        compute="_compute_logistics_scorecard",
        groups="logistics_exception.logistics_exception_group_manager",
    )
    logistics_scorecard_company_id = fields.Many2one(
        "res.company",
        string="Scorecard Company",
        compute="_compute_logistics_scorecard",
        groups="logistics_exception.logistics_exception_group_manager",
    )
    logistics_scorecard_currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_logistics_scorecard",
        groups="logistics_exception.logistics_exception_group_manager",
    )
    logistics_scorecard_exception_count = fields.Integer(
        string="Exceptions",
        compute="_compute_logistics_scorecard",
        groups="logistics_exception.logistics_exception_group_manager",
        help="Exceptions detected in the period (cancelled ones excepted).",
    )
    logistics_scorecard_transfer_count = fields.Integer(
        string="Transfers",
        compute="_compute_logistics_scorecard",
        groups="logistics_exception.logistics_exception_group_manager",
        help="Transfers validated in the period.",
    )
    logistics_scorecard_exception_rate = fields.Float(
        string="Exceptions per 1,000 Transfers",
        digits=(16, 1),
        compute="_compute_logistics_scorecard",
        groups="logistics_exception.logistics_exception_group_manager",
    )
    logistics_scorecard_sla_met = fields.Integer(
        string="SLA Met",
        compute="_compute_logistics_scorecard",
        groups="logistics_exception.logistics_exception_group_manager",
    )
    logistics_scorecard_sla_missed = fields.Integer(
        string="SLA Missed",
        compute="_compute_logistics_scorecard",
        groups="logistics_exception.logistics_exception_group_manager",
        help="Resolved after their deadline, or open and past it.",
    )
    logistics_scorecard_sla_compliance = fields.Float(
        string="SLA Compliance (%)",
        digits=(16, 1),
        compute="_compute_logistics_scorecard",
        groups="logistics_exception.logistics_exception_group_manager",
        help="Share of met among the exceptions of the period whose SLA is "
        "decided (met, missed, or breached while open).",
    )
    logistics_scorecard_cost = fields.Monetary(
        string="Cost",
        currency_field="logistics_scorecard_currency_id",
        compute="_compute_logistics_scorecard",
        groups="logistics_exception.logistics_exception_group_manager",
        help="Sum of the cost lines of the exceptions of the period.",
    )

    def _compute_logistics_scorecard(self):
        raise NotImplementedError()

    def _set_logistics_scorecard(self, record, company, figures, transfers):
        scorecard = self.env["logistics.exception.scorecard"]
        record.update(
            {
                "logistics_scorecard_days": scorecard._get_days(),
                "logistics_scorecard_company_id": company,
                "logistics_scorecard_currency_id": company.currency_id,
                **scorecard._figures_to_values(figures, transfers),
            }
        )

    def _get_logistics_scorecard_action(self, name, view_xmlid):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(self.env.ref(view_xmlid).id, "form")],
            "target": "current",
            "context": dict(self.env.context, create=False),
        }

    def _get_logistics_exceptions_action(self, name, domain):
        date_from = self.env["logistics.exception.scorecard"]._get_date_from()
        return self.env["logistics.exception"]._get_list_action(
            name,
            [
                *domain,
                ("state", "!=", "cancelled"),
                ("date_detected", ">=", fields.Datetime.to_string(date_from)),
            ],
        )
