# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict
from datetime import date, datetime, timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import SQL

from odoo.addons.logistics_exception.models.logistics_exception_category import (
    SEVERITIES,
)
from odoo.addons.logistics_exception.models.logistics_exception_sla import (
    WorkingTime,
)

PERIODS = (7, 30, 90, 365)
DEFAULT_PERIOD = 30
# Working hours ahead in which an exception's resolution deadline makes it
# "at risk".
AT_RISK_WORKING_HOURS = 4
MTTR_WINDOWS = (7, 30)
# SLA compliance, the same everywhere in the suite (this dashboard, the weekly
# digest, the scorecards): of the exceptions detected in a period whose SLA is
# decided, the share that met it. An exception still open past its deadline
# counts against it: leaving a breach open must not look better than
# resolving it late.
# The dashboard counts an open breach from the deadline (as its breached
# tile); the scorecards' SQL reads the status the SLA cron keeps.
SLA_MET = ("met",)
CLOSED_SLA_NOT_MET = ("missed",)
SLA_NOT_MET = (*CLOSED_SLA_NOT_MET, "breached")
TOP_LIMIT = 10
# (key, lower bound in days, upper bound in days or None); labels in
# _get_age_labels.
AGE_BUCKETS = (
    ("lt1", 0, 1),
    ("d1_3", 1, 3),
    ("d3_7", 3, 7),
    ("d7_30", 7, 30),
    ("gt30", 30, None),
)
# The dimensions of the "top" charts: the exception's field path and the
# model it points to.
DIMENSIONS = {
    "vendor": (("vendor_id",), "res.partner"),
    "product": (("product_id",), "product.product"),
    "location": (("location_id",), "stock.location"),
    "customer": (("customer_id",), "res.partner"),
}
TILES = (
    "open",
    "breached",
    "at_risk",
    "mttr_respond",
    "mttr_resolve",
    "sla_compliance",
    "per_1000_transfers",
    "per_1000_orders",
    "cost_month",
)
CHARTS = (
    "trend_by_category",
    "aging",
    "top_root_causes",
    *(f"top_{dimension}_count" for dimension in DIMENSIONS),
    *(f"top_{dimension}_cost" for dimension in DIMENSIONS),
)
# What each role sees first; the rest of the dashboard follows.
PRESETS = {
    "warehouse_lead": (
        ("open", "breached", "at_risk", "per_1000_transfers", "mttr_resolve"),
        ("aging", "trend_by_category", "top_location_count", "top_product_count"),
    ),
    "transport_coordinator": (
        ("breached", "at_risk", "mttr_respond", "open", "sla_compliance"),
        ("trend_by_category", "top_vendor_count", "top_customer_count", "aging"),
    ),
    "customer_service": (
        ("at_risk", "breached", "mttr_respond", "per_1000_orders", "sla_compliance"),
        ("top_customer_count", "trend_by_category", "top_product_count"),
    ),
    "finance": (
        ("cost_month", "per_1000_orders", "sla_compliance", "open"),
        (
            "top_customer_cost",
            "top_vendor_cost",
            "top_product_cost",
            "top_root_causes",
        ),
    ),
    "executive": (
        ("sla_compliance", "cost_month", "open", "mttr_resolve", "per_1000_orders"),
        ("trend_by_category", "top_root_causes", "aging", "top_customer_cost"),
    ),
}


class LogisticsExceptionDashboard(models.AbstractModel):
    """The KPI dashboard's figures, read under the user's rights.

    Everything is computed with grouped queries on ``logistics.exception``
    and ``logistics.exception.cost`` built by ``_search``: the access rights
    and record rules of the user apply (a user sees the figures of the
    exceptions they may read, in their allowed companies only). Each tile,
    segment and chart point carries the domain and the action that open the
    records behind its number."""

    _name = "logistics.exception.dashboard"
    _description = "Logistics Exception Dashboard"

    # ------------------------------------------------------------------
    # Entry point
    # ------------------------------------------------------------------
    @api.model
    def get_dashboard_data(self, filters=None):
        """Tiles, charts and filter options of the dashboard.

        ``filters``: ``period`` (days), ``company_ids``, ``warehouse_id``,
        ``team_id``, ``preset`` (a key of PRESETS)."""
        self.env["logistics.exception"].check_access_rights("read")
        filters = self._parse_filters(filters or {})
        now = fields.Datetime.now()
        ctx = {
            "filters": filters,
            "now": now,
            "start": now - timedelta(days=filters["period"]),
            "domain": self._get_base_domain(filters),
            "cost_domain": self._get_cost_base_domain(filters),
            "can_read_costs": self.env["logistics.exception.cost"].check_access_rights(
                "read", raise_exception=False
            ),
        }
        tiles = {}
        tiles.update(self._get_open_tiles(ctx))
        tiles.update(self._get_mttr_tiles(ctx))
        tiles["sla_compliance"] = self._get_sla_compliance_tile(ctx)
        tiles.update(self._get_rate_tiles(ctx))
        tiles["cost_month"] = self._get_cost_month_tile(ctx)
        charts = {}
        charts["trend_by_category"] = self._get_trend_chart(ctx)
        charts["aging"] = self._get_aging_chart(ctx)
        charts["top_root_causes"] = self._get_root_cause_chart(ctx)
        for dimension in DIMENSIONS:
            charts[f"top_{dimension}_count"] = self._get_top_count_chart(ctx, dimension)
            charts[f"top_{dimension}_cost"] = self._get_top_cost_chart(ctx, dimension)
        tiles = {key: tile for key, tile in tiles.items() if tile}
        charts = {key: chart for key, chart in charts.items() if chart}
        return {
            "filters": filters,
            "options": self._get_filter_options(),
            "currency": self._get_currency_info(),
            "layout": self._get_layout(filters["preset"], tiles, charts),
            "tiles": tiles,
            "charts": charts,
            "date": fields.Datetime.to_string(now),
        }

    # ------------------------------------------------------------------
    # Filters
    # ------------------------------------------------------------------
    @api.model
    def _get_default_preset(self):
        """The preset a user starts on, from what they do: override to map
        your own roles."""
        user = self.env.user
        if user.has_group("logistics_exception.logistics_exception_group_admin"):
            return "executive"
        if user.has_group("account.group_account_invoice"):
            return "finance"
        if user.has_group("sales_team.group_sale_salesman") and not user.has_group(
            "stock.group_stock_user"
        ):
            return "customer_service"
        return "warehouse_lead"

    @api.model
    def _parse_filters(self, filters):
        def to_id(value):
            if isinstance(value, list | tuple):
                value = value and value[0]
            try:
                return int(value or 0) or False
            except (TypeError, ValueError) as error:
                raise UserError(
                    _("The dashboard's filter %(value)s is not valid.", value=value)
                ) from error

        try:
            period = int(filters.get("period") or DEFAULT_PERIOD)
        except (TypeError, ValueError) as error:
            raise UserError(
                _(
                    "The period must be a number of days, not %(value)s.",
                    value=filters["period"],
                )
            ) from error
        if not 1 <= period <= 3660:
            raise UserError(_("The period must be between 1 day and 10 years."))
        preset = filters.get("preset") or self._get_default_preset()
        if preset not in PRESETS:
            raise UserError(_("Unknown dashboard preset %(preset)s.", preset=preset))
        # The figures are read in the companies the user works in: another
        # company is simply ignored (its records are not readable anyway).
        allowed = self.env.companies.ids
        company_ids = [to_id(company) for company in (filters.get("company_ids") or [])]
        company_ids = [cid for cid in company_ids if cid in allowed] or allowed
        return {
            "period": period,
            "company_ids": company_ids,
            "warehouse_id": to_id(filters.get("warehouse_id")),
            "team_id": to_id(filters.get("team_id")),
            "preset": preset,
        }

    @api.model
    def _get_base_domain(self, filters):
        domain = [("company_id", "in", filters["company_ids"])]
        if filters["warehouse_id"]:
            domain.append(("warehouse_id", "=", filters["warehouse_id"]))
        if filters["team_id"]:
            domain.append(("team_id", "=", filters["team_id"]))
        return domain

    @api.model
    def _get_cost_base_domain(self, filters):
        domain = [("company_id", "in", filters["company_ids"])]
        if filters["warehouse_id"]:
            domain.append(("exception_id.warehouse_id", "=", filters["warehouse_id"]))
        if filters["team_id"]:
            domain.append(("exception_id.team_id", "=", filters["team_id"]))
        # Only the costs of exceptions the user may read (``any`` applies the
        # exceptions' record rules).
        domain.append(
            ("exception_id", "any", [("company_id", "in", filters["company_ids"])])
        )
        return domain

    @api.model
    def _get_filter_options(self):
        companies = self.env.companies
        options = {
            "periods": [
                {"value": days, "label": _("%(days)s days", days=days)}
                for days in PERIODS
            ],
            "companies": [
                {"id": company.id, "name": company.name} for company in companies
            ],
            "presets": [
                {"value": key, "label": label}
                for key, label in self._get_preset_labels().items()
            ],
            "warehouses": [],
            "teams": [],
        }
        Warehouse = self.env["stock.warehouse"]
        if Warehouse.check_access_rights("read", raise_exception=False):
            options["warehouses"] = [
                {"id": warehouse.id, "name": warehouse.display_name}
                for warehouse in Warehouse.search([("company_id", "in", companies.ids)])
            ]
        Team = self.env["logistics.exception.team"]
        if Team.check_access_rights("read", raise_exception=False):
            options["teams"] = [
                {"id": team.id, "name": team.display_name}
                for team in Team.search([("company_id", "in", companies.ids)])
            ]
        return options

    @api.model
    def _get_preset_labels(self):
        return {
            "warehouse_lead": _("Warehouse lead"),
            "transport_coordinator": _("Transport coordinator"),
            "customer_service": _("Customer service"),
            "finance": _("Finance"),
            "executive": _("Executive"),
        }

    @api.model
    def _get_layout(self, preset, tiles, charts):
        """Tiles and charts in the order the preset shows them: its own first
        (``primary``), then the others."""
        first_tiles, first_charts = PRESETS[preset]
        tile_keys = [key for key in first_tiles if key in tiles]
        chart_keys = [key for key in first_charts if key in charts]
        return {
            "tiles": tile_keys
            + [key for key in TILES if key in tiles and key not in tile_keys],
            "charts": chart_keys
            + [key for key in CHARTS if key in charts and key not in chart_keys],
            "primary_tiles": tile_keys,
            "primary_charts": chart_keys,
        }

    @api.model
    def _get_currency_info(self):
        currency = self.env.company.currency_id
        return {
            "id": currency.id,
            "symbol": currency.symbol,
            "position": currency.position,
            "digits": currency.decimal_places,
        }

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    @api.model
    def _action(self, name, domain, model="logistics.exception"):
        """The window action opening the records behind a number."""
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "views": [[False, "list"], [False, "form"]],
            "view_mode": "list,form",
            "domain": self._jsonable_domain(domain),
            "context": {"create": False},
            "target": "current",
        }

    @api.model
    def _jsonable_domain(self, domain):
        result = []
        for leaf in domain:
            if isinstance(leaf, tuple | list) and len(leaf) == 3:
                field, operator, value = leaf
                if (
                    isinstance(value, list)
                    and value
                    and isinstance(value[0], tuple | list)
                ):
                    value = self._jsonable_domain(value)
                elif isinstance(value, datetime):
                    value = fields.Datetime.to_string(value)
                elif isinstance(value, date):
                    value = fields.Date.to_string(value)
                result.append([field, operator, value])
            else:
                result.append(leaf)
        return result

    @api.model
    def _query(self, domain, model="logistics.exception"):
        """The Query of ``domain`` on ``model`` under the user's access rights
        and record rules."""
        return self.env[model]._search(domain)

    @api.model
    def _fetch(self, query, *select, group_by=None, order_by=None, limit=None):
        sql = query.select(*select)
        if group_by:
            sql = SQL("%s GROUP BY %s", sql, group_by)
        if order_by:
            sql = SQL("%s ORDER BY %s", sql, order_by)
        if limit:
            sql = SQL("%s LIMIT %s", sql, limit)
        self.env.cr.execute(sql)
        return self.env.cr.fetchall()

    @api.model
    def _display_names(self, model, ids):
        # sudo: only the names of records the user's readable exceptions link
        # to, as Odoo shows them on a many2one of a readable record.
        records = self.env[model].sudo().browse([rid for rid in ids if rid])
        return {record.id: record.display_name for record in records}

    @api.model
    def _convert_amounts(self, amounts_by_company):
        """{company id: amount} -> the amounts in the current company's
        currency, summed."""
        target = self.env.company.currency_id
        today = fields.Date.context_today(self)
        total = 0.0
        for company in self.env["res.company"].browse(list(amounts_by_company)):
            amount = amounts_by_company[company.id] or 0.0
            if company.currency_id != target:
                amount = company.currency_id._convert(amount, target, company, today)
            total += amount
        return target.round(total)

    # ------------------------------------------------------------------
    # Tiles
    # ------------------------------------------------------------------
    @api.model
    def _get_breached_domain(self, now):
        """Open exceptions whose resolution deadline passed (a waiting one
        only when its clock ran out before the pause, see the SLA mixin)."""
        return [
            ("is_open", "=", True),
            ("sla_deadline", "!=", False),
            "|",
            "&",
            ("state", "!=", "waiting"),
            ("sla_deadline", "<", now),
            "&",
            ("state", "=", "waiting"),
            ("sla_status", "=", "breached"),
        ]

    @api.model
    def _get_at_risk_domain(self, ctx):
        """Open running exceptions whose resolution deadline falls within the
        next AT_RISK_WORKING_HOURS working hours of their own calendar (the
        team's, else the company's)."""
        now = ctx["now"]
        running = [
            ("is_open", "=", True),
            ("state", "!=", "waiting"),
            ("sla_deadline", ">=", now),
        ]
        domain = expression.AND([ctx["domain"], running])
        Exception_ = self.env["logistics.exception"]
        groups = Exception_._read_group(domain, ["team_id", "company_id"])
        horizons = {}
        by_horizon = defaultdict(lambda: {"teams": set(), "companies": set()})
        for team, company in groups:
            calendar = team._get_calendar() if team else company.resource_calendar_id
            if calendar.id not in horizons:
                horizons[calendar.id] = WorkingTime(calendar).plan(
                    now, AT_RISK_WORKING_HOURS
                )
            horizon = horizons[calendar.id]
            if not horizon:
                continue
            if team:
                by_horizon[horizon]["teams"].add(team.id)
            else:
                by_horizon[horizon]["companies"].add(company.id)
        alternatives = []
        for horizon, scope in sorted(by_horizon.items()):
            if scope["teams"]:
                alternatives.append(
                    [
                        ("team_id", "in", sorted(scope["teams"])),
                        ("sla_deadline", "<", horizon),
                    ]
                )
            if scope["companies"]:
                alternatives.append(
                    [
                        ("team_id", "=", False),
                        ("company_id", "in", sorted(scope["companies"])),
                        ("sla_deadline", "<", horizon),
                    ]
                )
        if not alternatives:
            return expression.FALSE_DOMAIN
        return expression.AND([running, expression.OR(alternatives)])

    @api.model
    def _get_open_tiles(self, ctx):
        Exception_ = self.env["logistics.exception"]
        base = ctx["domain"]
        open_domain = expression.AND([base, [("is_open", "=", True)]])
        counts = dict(Exception_._read_group(open_domain, ["severity"], ["__count"]))
        labels = dict(SEVERITIES)
        segments = []
        for severity, _label in reversed(SEVERITIES):
            domain = expression.AND([open_domain, [("severity", "=", severity)]])
            segments.append(
                {
                    "key": severity,
                    "label": labels[severity],
                    "value": counts.get(severity, 0),
                    "action": self._action(
                        _("Open exceptions: %(severity)s", severity=labels[severity]),
                        domain,
                    ),
                }
            )
        breached_domain = expression.AND([base, self._get_breached_domain(ctx["now"])])
        at_risk_domain = expression.AND([base, self._get_at_risk_domain(ctx)])
        return {
            "open": {
                "key": "open",
                "title": _("Open exceptions"),
                "value": sum(counts.values()),
                "unit": "count",
                "action": self._action(_("Open exceptions"), open_domain),
                "segments": segments,
            },
            "breached": {
                "key": "breached",
                "title": _("SLA breached now"),
                "value": Exception_.search_count(breached_domain),
                "unit": "count",
                "alert": True,
                "action": self._action(_("SLA breached"), breached_domain),
            },
            "at_risk": {
                "key": "at_risk",
                "title": _(
                    "At risk in the next %(hours)s working hours",
                    hours=AT_RISK_WORKING_HOURS,
                ),
                "value": Exception_.search_count(at_risk_domain),
                "unit": "count",
                "alert": True,
                "action": self._action(_("SLA at risk"), at_risk_domain),
            },
        }

    @api.model
    def _get_mttr_tiles(self, ctx):
        """Mean hours from detection to first response and to resolution of
        the exceptions answered (resolved) in the last 7 and 30 days, and in
        the period before each, in one query per clock."""
        now = ctx["now"]
        # One query per clock, each filtered on its own date: an index-only
        # scan of that date's index, where an OR of both would read the rows.
        horizon = now - timedelta(days=2 * max(MTTR_WINDOWS))
        values = {}
        for kind, column in (
            ("respond", "date_first_response"),
            ("resolve", "date_resolved"),
        ):
            query = self._query(
                expression.AND([ctx["domain"], [(column, ">=", horizon)]])
            )
            done = SQL.identifier(query.table, column)
            detected = SQL.identifier(query.table, "date_detected")
            selects, keys = [], []
            for days in MTTR_WINDOWS:
                for offset in (0, 1):
                    start = now - timedelta(days=days * (offset + 1))
                    end = now - timedelta(days=days * offset)
                    selects.append(
                        SQL(
                            "AVG(EXTRACT(EPOCH FROM %s - %s) / 3600.0) "
                            "FILTER (WHERE %s >= %s AND %s < %s)",
                            done,
                            detected,
                            done,
                            start,
                            done,
                            end,
                        )
                    )
                    keys.append((kind, days, offset))
            row = self._fetch(query, *selects)[0]
            values.update(zip(keys, row, strict=True))
        titles = {
            "respond": _("Mean time to respond"),
            "resolve": _("Mean time to resolve"),
        }
        tiles = {}
        for kind, column in (
            ("respond", "date_first_response"),
            ("resolve", "date_resolved"),
        ):
            segments = []
            for days in MTTR_WINDOWS:
                current = values[(kind, days, 0)]
                previous = values[(kind, days, 1)]
                change = None
                if current is not None and previous:
                    change = round((current - previous) / previous * 100.0, 1)
                domain = expression.AND(
                    [
                        ctx["domain"],
                        [
                            (column, ">=", now - timedelta(days=days)),
                            (column, "<", now),
                        ],
                    ]
                )
                segments.append(
                    {
                        "key": f"{days}d",
                        "label": _("%(days)s days", days=days),
                        "value": None if current is None else round(current, 1),
                        "previous": None if previous is None else round(previous, 1),
                        "change": change,
                        # Less time is better.
                        "lower_is_better": True,
                        "unit": "hours",
                        "action": self._action(
                            _(
                                "%(title)s: last %(days)s days",
                                title=titles[kind],
                                days=days,
                            ),
                            domain,
                        ),
                    }
                )
            tiles[f"mttr_{kind}"] = {
                "key": f"mttr_{kind}",
                "title": titles[kind],
                "value": segments[0]["value"],
                "change": segments[0]["change"],
                "lower_is_better": True,
                "unit": "hours",
                "action": segments[0]["action"],
                "segments": segments,
            }
        return tiles

    @api.model
    def _get_sla_compliance(self, domain, now):
        """SLA compliance of the exceptions of ``domain`` at ``now`` (see
        SLA_MET): {"value": percent or None, "domain": the exceptions whose
        SLA is decided, "domains" and "counts": per verdict (met, missed,
        breached: open past the deadline, as the breached tile counts)}."""
        Exception_ = self.env["logistics.exception"]
        domain = expression.AND([domain, [("state", "!=", "cancelled")]])
        domains = {
            "met": expression.AND([domain, [("sla_status", "in", SLA_MET)]]),
            "missed": expression.AND(
                [domain, [("sla_status", "in", CLOSED_SLA_NOT_MET)]]
            ),
            "breached": expression.AND([domain, self._get_breached_domain(now)]),
        }
        counts = dict(
            Exception_._read_group(
                expression.OR([domains["met"], domains["missed"]]),
                ["sla_status"],
                ["__count"],
            )
        )
        counts = {
            "met": sum(counts.get(status, 0) for status in SLA_MET),
            "missed": sum(counts.get(status, 0) for status in CLOSED_SLA_NOT_MET),
            "breached": Exception_.search_count(domains["breached"]),
        }
        total = sum(counts.values())
        return {
            "value": round(counts["met"] * 100.0 / total, 1) if total else None,
            "domain": expression.OR(list(domains.values())),
            "domains": domains,
            "counts": counts,
        }

    @api.model
    def _get_sla_compliance_tile(self, ctx):
        """SLA compliance of the exceptions detected in the period: met /
        (met + missed + still open past their deadline)."""
        compliance = self._get_sla_compliance(
            expression.AND([ctx["domain"], [("date_detected", ">=", ctx["start"])]]),
            ctx["now"],
        )
        return {
            "key": "sla_compliance",
            "title": _("SLA compliance"),
            "value": compliance["value"],
            "unit": "percent",
            "action": self._action(_("Detected, SLA decided"), compliance["domain"]),
            "segments": [
                {
                    "key": verdict,
                    "label": label,
                    "value": compliance["counts"][verdict],
                    "unit": "count",
                    "action": self._action(
                        _("SLA %(status)s", status=label),
                        compliance["domains"][verdict],
                    ),
                }
                for verdict, label in (
                    ("met", _("Met")),
                    ("missed", _("Missed")),
                    ("breached", _("Breached, open")),
                )
            ],
        }

    @api.model
    def _get_rate_tiles(self, ctx):
        """Exceptions per 1,000 transfers validated and per 1,000 sales
        orders confirmed in the period (each counting the exceptions linked
        to such a document, detected in the period)."""
        filters = ctx["filters"]
        start = ctx["start"]
        tiles = {}
        specs = (
            (
                "per_1000_transfers",
                _("Exceptions per 1,000 transfers"),
                "stock.picking",
                "picking_id",
                [("state", "=", "done"), ("date_done", ">=", start)],
                "picking_type_id.warehouse_id",
            ),
            (
                "per_1000_orders",
                _("Exceptions per 1,000 orders"),
                "sale.order",
                "sale_id",
                [("state", "=", "sale"), ("date_order", ">=", start)],
                "warehouse_id",
            ),
        )
        Exception_ = self.env["logistics.exception"]
        for key, title, model, field, doc_domain, warehouse_path in specs:
            Document = self.env[model]
            if not Document.check_access_rights("read", raise_exception=False):
                continue
            doc_domain = [*doc_domain, ("company_id", "in", filters["company_ids"])]
            if filters["warehouse_id"]:
                doc_domain.append((warehouse_path, "=", filters["warehouse_id"]))
            documents = Document.search_count(doc_domain)
            domain = expression.AND(
                [
                    ctx["domain"],
                    [(field, "!=", False), ("date_detected", ">=", start)],
                ]
            )
            count = Exception_.search_count(domain)
            tiles[key] = {
                "key": key,
                "title": title,
                "value": round(count * 1000.0 / documents, 1) if documents else None,
                "unit": "rate",
                "lower_is_better": True,
                "detail": _(
                    "%(count)s exceptions, %(documents)s documents",
                    count=count,
                    documents=documents,
                ),
                "action": self._action(title, domain),
            }
        return tiles

    @api.model
    def _get_cost_month_tile(self, ctx):
        if not ctx["can_read_costs"]:
            return None
        month_start = fields.Date.context_today(self).replace(day=1)
        domain = expression.AND([ctx["cost_domain"], [("date", ">=", month_start)]])
        groups = self.env["logistics.exception.cost"]._read_group(
            domain, ["cost_type_id", "company_id"], ["amount:sum"]
        )
        by_type = defaultdict(lambda: defaultdict(float))
        for cost_type, company, amount in groups:
            by_type[cost_type][company.id] += amount
        segments = []
        total = 0.0
        types = sorted(by_type, key=lambda t: (t.sequence, t.id))
        for cost_type in types:
            amount = self._convert_amounts(by_type[cost_type])
            total += amount
            segments.append(
                {
                    "key": cost_type.code,
                    "label": cost_type.name,
                    "value": amount,
                    "unit": "money",
                    "action": self._action(
                        _("Costs this month: %(type)s", type=cost_type.name),
                        expression.AND([domain, [("cost_type_id", "=", cost_type.id)]]),
                        model="logistics.exception.cost",
                    ),
                }
            )
        return {
            "key": "cost_month",
            "title": _("Cost this month"),
            "value": self.env.company.currency_id.round(total),
            "unit": "money",
            "action": self._action(
                _("Costs this month"), domain, model="logistics.exception.cost"
            ),
            "segments": segments,
        }

    # ------------------------------------------------------------------
    # Charts
    # ------------------------------------------------------------------
    @api.model
    def _get_trend_chart(self, ctx):
        """Exceptions detected per week (7-day windows ending now) and
        category, over the period (4 weeks at least)."""
        now = ctx["now"]
        weeks = max(-(-ctx["filters"]["period"] // 7), 4)
        start = now - timedelta(weeks=weeks)
        domain = expression.AND(
            [
                ctx["domain"],
                [("date_detected", ">", start), ("date_detected", "<=", now)],
            ]
        )
        query = self._query(domain)
        detected = SQL.identifier(query.table, "date_detected")
        rows = self._fetch(
            query,
            SQL.identifier(query.table, "category_id"),
            SQL("FLOOR(EXTRACT(EPOCH FROM %s - %s) / 604800)::int", now, detected),
            SQL("COUNT(*)"),
            group_by=SQL("1, 2"),
        )
        counts = defaultdict(dict)
        for category_id, week, count in rows:
            # Week 0 is the last 7 days, (now - 7 days, now]; the chart reads
            # left to right.
            counts[category_id][weeks - 1 - week] = count
        names = self._display_names("logistics.exception.category", counts)
        windows = [
            (
                now - timedelta(weeks=weeks - index),
                now - timedelta(weeks=weeks - index - 1),
            )
            for index in range(weeks)
        ]
        labels = [fields.Date.to_string(begin.date()) for begin, _end in windows]
        datasets = []
        for category_id in sorted(counts, key=lambda cid: names.get(cid, "")):
            datasets.append(
                {
                    "label": names.get(category_id, ""),
                    "data": [
                        counts[category_id].get(index, 0) for index in range(weeks)
                    ],
                    "actions": [
                        self._action(
                            _(
                                "%(category)s, week of %(week)s",
                                category=names.get(category_id, ""),
                                week=labels[index],
                            ),
                            expression.AND(
                                [
                                    ctx["domain"],
                                    [
                                        ("category_id", "=", category_id),
                                        ("date_detected", ">", begin),
                                        ("date_detected", "<=", end),
                                    ],
                                ]
                            ),
                        )
                        for index, (begin, end) in enumerate(windows)
                    ],
                }
            )
        return {
            "key": "trend_by_category",
            "title": _("Weekly trend by category"),
            "type": "bar",
            "stacked": True,
            "labels": labels,
            "datasets": datasets,
        }

    @api.model
    def _get_aging_chart(self, ctx):
        """Open exceptions by age (time since detection), in one query."""
        now = ctx["now"]
        open_domain = expression.AND([ctx["domain"], [("is_open", "=", True)]])
        query = self._query(open_domain)
        detected = SQL.identifier(query.table, "date_detected")
        selects = []
        bucket_domains = []
        for _key, low, high in AGE_BUCKETS:
            newest = now - timedelta(days=low)
            condition = SQL("%s <= %s", detected, newest)
            leaf = [("date_detected", "<=", newest)]
            if high is not None:
                oldest = now - timedelta(days=high)
                condition = SQL("%s AND %s > %s", condition, detected, oldest)
                leaf.append(("date_detected", ">", oldest))
            selects.append(SQL("COUNT(*) FILTER (WHERE %s)", condition))
            bucket_domains.append(expression.AND([open_domain, leaf]))
        row = self._fetch(query, *selects)[0]
        age_labels = self._get_age_labels()
        labels = [age_labels[key] for key, _low, _high in AGE_BUCKETS]
        return {
            "key": "aging",
            "title": _("Open exceptions by age"),
            "type": "bar",
            "labels": labels,
            "datasets": [
                {
                    "label": _("Open exceptions"),
                    "data": list(row),
                    "actions": [
                        self._action(
                            _("Open exceptions aged %(age)s", age=label), domain
                        )
                        for label, domain in zip(labels, bucket_domains, strict=True)
                    ],
                }
            ],
        }

    @api.model
    def _get_age_labels(self):
        return {
            "lt1": _("< 1 day"),
            "d1_3": _("1-3 days"),
            "d3_7": _("3-7 days"),
            "d7_30": _("7-30 days"),
            "gt30": _("> 30 days"),
        }

    @api.model
    def _get_root_cause_chart(self, ctx):
        domain = expression.AND(
            [
                ctx["domain"],
                [("date_detected", ">=", ctx["start"]), ("root_cause_id", "!=", False)],
            ]
        )
        groups = self.env["logistics.exception"]._read_group(
            domain,
            ["root_cause_id"],
            ["__count"],
            order="__count desc, root_cause_id",
            limit=TOP_LIMIT,
        )
        return self._bar_chart(
            "top_root_causes",
            _("Top recurring root causes"),
            _("Exceptions"),
            [
                (
                    cause.display_name,
                    count,
                    self._action(
                        _("Root cause: %(cause)s", cause=cause.display_name),
                        expression.AND([domain, [("root_cause_id", "=", cause.id)]]),
                    ),
                )
                for cause, count in groups
            ],
        )

    @api.model
    def _bar_chart(self, key, title, label, points, unit="count"):
        return {
            "key": key,
            "title": title,
            "type": "bar",
            "horizontal": True,
            "unit": unit,
            "labels": [name for name, _value, _action in points],
            "datasets": [
                {
                    "label": label,
                    "data": [value for _name, value, _action in points],
                    "actions": [action for _name, _value, action in points],
                }
            ],
        }

    @api.model
    def _get_dimension_titles(self):
        return {
            "vendor": (_("Top vendors by exceptions"), _("Top vendors by cost")),
            "product": (_("Top products by exceptions"), _("Top products by cost")),
            "location": (_("Top locations by exceptions"), _("Top locations by cost")),
            "customer": (_("Top customers by exceptions"), _("Top customers by cost")),
        }

    @api.model
    def _join_dimension(self, query, alias, path):
        """The SQL column of the exception's field ``path`` (one or two
        many2one hops) from the exception table ``alias`` of ``query``."""
        model = self.env["logistics.exception"]
        for field_name in path[:-1]:
            field = model._fields[field_name]
            comodel = self.env[field.comodel_name]
            alias = query.left_join(alias, field_name, comodel._table, "id", field_name)
            model = comodel
        return SQL.identifier(alias, path[-1])

    @api.model
    def _get_top_count_chart(self, ctx, dimension):
        path, comodel = DIMENSIONS[dimension]
        fpath = ".".join(path)
        domain = expression.AND(
            [
                ctx["domain"],
                [("date_detected", ">=", ctx["start"]), (fpath, "!=", False)],
            ]
        )
        query = self._query(domain)
        column = self._join_dimension(query, query.table, path)
        rows = self._fetch(
            query,
            column,
            SQL("COUNT(*)"),
            group_by=SQL("1"),
            order_by=SQL("2 DESC, 1"),
            limit=TOP_LIMIT,
        )
        names = self._display_names(comodel, [row[0] for row in rows])
        title = self._get_dimension_titles()[dimension][0]
        return self._bar_chart(
            f"top_{dimension}_count",
            title,
            _("Exceptions"),
            [
                (
                    names.get(rid, ""),
                    count,
                    self._action(
                        f"{title}: {names.get(rid, '')}",
                        expression.AND([domain, [(fpath, "=", rid)]]),
                    ),
                )
                for rid, count in rows
            ],
        )

    @api.model
    def _get_top_cost_chart(self, ctx, dimension):
        """Cost lines dated in the period, summed by the dimension of their
        exception, in the current company's currency."""
        if not ctx["can_read_costs"]:
            return None
        path, comodel = DIMENSIONS[dimension]
        fpath = "exception_id." + ".".join(path)
        domain = expression.AND(
            [
                ctx["cost_domain"],
                [("date", ">=", ctx["start"].date()), (fpath, "!=", False)],
            ]
        )
        query = self._query(domain, model="logistics.exception.cost")
        exception_alias = query.join(
            query.table, "exception_id", "logistics_exception", "id", "exception_id"
        )
        column = self._join_dimension(query, exception_alias, path)
        rows = self._fetch(
            query,
            column,
            SQL.identifier(query.table, "company_id"),
            SQL("SUM(%s)", SQL.identifier(query.table, "amount")),
            group_by=SQL("1, 2"),
        )
        amounts = defaultdict(dict)
        for rid, company_id, amount in rows:
            amounts[rid][company_id] = amount
        totals = {
            rid: self._convert_amounts(by_company)
            for rid, by_company in amounts.items()
        }
        top = sorted(totals, key=lambda rid: (-totals[rid], rid))[:TOP_LIMIT]
        names = self._display_names(comodel, top)
        title = self._get_dimension_titles()[dimension][1]
        return self._bar_chart(
            f"top_{dimension}_cost",
            title,
            _("Cost"),
            [
                (
                    names.get(rid, ""),
                    totals[rid],
                    self._action(
                        f"{title}: {names.get(rid, '')}",
                        expression.AND([domain, [(fpath, "=", rid)]]),
                        model="logistics.exception.cost",
                    ),
                )
                for rid in top
            ],
            unit="money",
        )
