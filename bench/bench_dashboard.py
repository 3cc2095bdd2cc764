"""The dashboards' reads on 1,000,000 exceptions (issue 10 targets).

Builds (once) a scratch database with a million exceptions and a cost line
for one exception in five, by set-based SQL (INSERT ... SELECT over
generate_series: about a minute, where the ORM would take hours), then
measures, as a manager working in one company, the reads the screens make:

- a grouped read by two fields over every exception (target < 300 ms);
- the kanban's progress bar on the open exceptions (target < 300 ms);
- a 2-by-1 pivot over every exception: the six grouped reads the pivot view
  makes (target < 1.5 s);
- the open-exception counts behind the dashboard's tiles (< 50 ms each);
- the dashboard's full load, ``get_dashboard_data({})`` (< 1 s), when the
  model ``logistics.exception.dashboard`` is installed.

Each figure is the median of several runs after one warm-up run; the query
plans (EXPLAIN ANALYZE) of the SQL each read sends are printed after it.

The database is never a test or demo database: ``--database`` (default
``logistics_bench_dashboard``) is created as a copy of ``--template`` (default
``logistics_demo``, which must have logistics_exception installed) when it
does not exist. Drop it when done: ``dropdb logistics_bench_dashboard``.

Usage: python3 bench/bench_dashboard.py [--database NAME] [--template NAME]
       [--rows 1000000] [--rounds 7] [--no-plans] [--no-init]
"""

import argparse
import os
import re
import statistics
import time
from contextlib import contextmanager
from pathlib import Path

import psycopg2

import odoo
from odoo import api
from odoo.sql_db import Cursor
from odoo.tools import SQL

ROOT = Path(__file__).resolve().parent.parent
OPEN_STATES = ("new", "assigned", "in_progress", "waiting")
PROGRESS_BAR = {
    "field": "sla_status",
    "colors": {"on_track": "success", "at_risk": "warning", "breached": "danger"},
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--database", default="logistics_bench_dashboard")
    parser.add_argument("--template", default="logistics_demo")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--no-plans", action="store_true")
    parser.add_argument(
        "--no-init",
        action="store_true",
        help="do not create the module's indexes (to compare without them)",
    )
    # scripts/bench.sh passes its own arguments to every script: a bare
    # database name there means the test database, never this one.
    args, _unknown = parser.parse_known_args()
    return args


def load_config(database):
    odoo.tools.config.parse_config(
        [
            f"--config={ROOT / 'odoo.conf'}",
            f"--addons-path={ROOT}",
            f"--database={database}",
            "--log-level=warn",
        ]
    )


@contextmanager
def pg_connect(database):
    """A cursor in autocommit (VACUUM and CREATE DATABASE need it; psycopg2's
    ``with connection`` would open a transaction)."""
    config = odoo.tools.config
    connection = psycopg2.connect(
        dbname=database,
        host=config["db_host"] or None,
        port=config["db_port"] or None,
        user=config["db_user"] or None,
        password=config["db_password"] or None,
    )
    connection.autocommit = True
    try:
        with connection.cursor() as cr:
            yield cr
    finally:
        connection.close()


def ensure_database(database, template):
    with pg_connect("postgres") as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database])
        if cr.fetchone():
            return
        print(f"Creating {database} as a copy of {template}...")
        cr.execute(
            SQL(
                "CREATE DATABASE %s TEMPLATE %s",
                SQL.identifier(database),
                SQL.identifier(template),
            ).code
        )


# One statement: each row draws its dimensions from the configuration the
# database has (categories and their reason codes, the teams, warehouses,
# stock locations and users of each company, products, customers, vendors).
# 90 % of the rows belong to the first company. 4 % are open, detected in the
# last 30 days; the rest spread over three years and were resolved, closed or
# cancelled.
BUILD_EXCEPTIONS = """
CREATE TEMP TABLE bench_company AS
SELECT c.id AS company_id,
       row_number() OVER (ORDER BY c.id) AS rank,
       (SELECT array_agg(t.id) FROM logistics_exception_team t
         WHERE t.company_id = c.id) AS teams,
       (SELECT array_agg(w.id) FROM stock_warehouse w
         WHERE w.company_id = c.id) AS warehouses,
       (SELECT array_agg(l.id) FROM stock_location l
         WHERE l.company_id = c.id AND l.usage = 'internal') AS locations,
       (SELECT array_agg(u.id) FROM res_users u
         WHERE u.company_id = c.id AND u.share IS NOT TRUE AND u.active) AS users
  FROM res_company c
 WHERE EXISTS (SELECT 1 FROM logistics_exception_team t WHERE t.company_id = c.id)
   AND EXISTS (SELECT 1 FROM stock_warehouse w WHERE w.company_id = c.id);

CREATE TEMP TABLE bench_ref AS
SELECT (SELECT array_agg(r.category_id ORDER BY r.id)
          FROM logistics_exception_reason r WHERE r.active) AS reason_categories,
       (SELECT array_agg(r.id ORDER BY r.id)
          FROM logistics_exception_reason r WHERE r.active) AS reasons,
       (SELECT array_agg(c.id) FROM logistics_exception_category c
         WHERE c.active) AS categories,
       (SELECT array_agg(id) FROM logistics_exception_root_cause) AS root_causes,
       (SELECT array_agg(id) FROM product_product WHERE active) AS products,
       (SELECT array_agg(id) FROM res_partner
         WHERE is_company AND active) AS partners,
       (SELECT array_agg(id ORDER BY id) FROM purchase_order) AS purchases,
       (SELECT array_agg(vendor.commercial_partner_id ORDER BY po.id)
          FROM purchase_order po
          JOIN res_partner vendor ON vendor.id = po.partner_id) AS vendors,
       (SELECT count(*) FROM bench_company) AS companies;

INSERT INTO logistics_exception (
    name, summary, company_id, category_id, reason_id, team_id, user_id,
    partner_id, customer_id, warehouse_id, location_id, product_id,
    purchase_id, vendor_id, root_cause_id, severity, priority, state,
    is_open, active, detected_by, sla_status, sla_response_status, escalation_level,
    sla_escalation_stage, date_detected, date_first_response, date_resolved,
    date_closed, resolution_hours, sla_deadline, quantity_expected,
    quantity_actual, financial_impact, customer_impact, billing_hold,
    priority_locked, sla_outdated, sla_paused_hours, create_uid, write_uid,
    create_date, write_date
)
SELECT 'LEX/BENCH/' || lpad(g::text, 7, '0'),
       'Bench exception ' || g,
       co.company_id,
       CASE WHEN x.r_reason < 0.6
            THEN ref.reason_categories[1 + (x.r_pick * 997)::int
                 % array_length(ref.reasons, 1)]
            ELSE ref.categories[1 + (x.r_pick * 991)::int
                 % array_length(ref.categories, 1)] END,
       CASE WHEN x.r_reason < 0.6
            THEN ref.reasons[1 + (x.r_pick * 997)::int
                 % array_length(ref.reasons, 1)] END,
       co.teams[1 + (x.r_pick * 983)::int % array_length(co.teams, 1)],
       CASE WHEN x.r_state >= 0.02
            THEN co.users[1 + (x.r_pick * 977)::int % array_length(co.users, 1)]
       END,
       p.partner_id,
       CASE WHEN x.r_customer < 0.5 THEN p.partner_id END,
       co.warehouses[1 + (x.r_pick * 971)::int % array_length(co.warehouses, 1)],
       co.locations[1 + (x.r_pick * 967)::int % array_length(co.locations, 1)],
       ref.products[1 + (x.r_pick * 953)::int % array_length(ref.products, 1)],
       CASE WHEN x.r_customer >= 0.7 AND ref.purchases IS NOT NULL
            THEN ref.purchases[1 + (x.r_pick * 947)::int
                 % array_length(ref.purchases, 1)] END,
       CASE WHEN x.r_customer >= 0.7 AND ref.purchases IS NOT NULL
            THEN ref.vendors[1 + (x.r_pick * 947)::int
                 % array_length(ref.purchases, 1)] END,
       CASE WHEN s.is_open THEN NULL
            ELSE ref.root_causes[1 + (x.r_pick * 941)::int
                 % array_length(ref.root_causes, 1)] END,
       CASE WHEN x.r_severity < 0.30 THEN 'low'
            WHEN x.r_severity < 0.75 THEN 'medium'
            WHEN x.r_severity < 0.95 THEN 'high'
            ELSE 'critical' END,
       floor(x.r_severity * 4)::int::text,
       s.state,
       s.is_open,
       TRUE,
       (ARRAY['manual', 'scanner', 'rule', 'email', 'api'])
           [1 + (x.r_pick * 937)::int % 5],
       CASE WHEN s.state = 'cancelled' THEN NULL
            WHEN s.state = 'waiting' THEN 'paused'
            WHEN s.is_open AND x.r_sla < 0.70 THEN 'on_track'
            WHEN s.is_open AND x.r_sla < 0.85 THEN 'at_risk'
            WHEN s.is_open THEN 'breached'
            WHEN x.r_sla < 0.85 THEN 'met'
            ELSE 'missed' END,
       CASE WHEN s.state = 'cancelled' THEN NULL
            WHEN x.r_sla < 0.9 THEN 'met' ELSE 'missed' END,
       CASE WHEN x.r_sla >= 0.85 THEN 1 ELSE 0 END,
       -1.0,
       d.detected,
       CASE WHEN s.state <> 'new'
            THEN d.detected + interval '1 hour' * (1 + x.r_sla * 8) END,
       CASE WHEN s.state IN ('resolved', 'closed') THEN d.detected + d.duration END,
       CASE WHEN s.state = 'closed' THEN d.detected + d.duration + interval '1 day' END,
       CASE WHEN s.state IN ('resolved', 'closed')
            THEN extract(epoch FROM d.duration) / 3600.0 END,
       d.detected + interval '2 days',
       10, 10 - (x.r_severity * 5)::int, 0,
       x.r_customer < 0.5, FALSE, FALSE, FALSE, 0, 2, 2,
       d.detected, d.detected
  FROM (SELECT g, random() AS r_company, random() AS r_pick, random() AS r_reason,
               random() AS r_state, random() AS r_severity, random() AS r_sla,
               random() AS r_customer, random() AS r_age, random() AS r_duration
          FROM generate_series(1, %(rows)s) g) x
 CROSS JOIN bench_ref ref
  JOIN bench_company co
    ON co.rank = CASE WHEN ref.companies = 1 OR x.r_company < 0.9 THEN 1 ELSE 2 END
 CROSS JOIN LATERAL (
       SELECT CASE WHEN x.r_state < 0.02 THEN 'new'
                   WHEN x.r_state < 0.025 THEN 'assigned'
                   WHEN x.r_state < 0.035 THEN 'in_progress'
                   WHEN x.r_state < 0.04 THEN 'waiting'
                   WHEN x.r_state < 0.55 THEN 'resolved'
                   WHEN x.r_state < 0.97 THEN 'closed'
                   ELSE 'cancelled' END AS state,
              x.r_state < 0.04 AS is_open) s
 CROSS JOIN LATERAL (
       SELECT (NOW() AT TIME ZONE 'UTC')
              - CASE WHEN s.is_open THEN interval '30 days'
                     ELSE interval '1095 days' END * x.r_age AS detected,
              interval '1 hour' * (1 + 200 * x.r_duration ^ 3) AS duration) d
 CROSS JOIN LATERAL (
       SELECT ref.partners[1 + (x.r_pick * 929)::int
              % array_length(ref.partners, 1)] AS partner_id) p;

SELECT setval('logistics_exception_id_seq', (SELECT max(id) FROM logistics_exception));
"""

BUILD_COSTS = """
INSERT INTO logistics_exception_cost (
    exception_id, company_id, cost_type_id, amount, date, name,
    create_uid, write_uid, create_date, write_date
)
SELECT e.id, e.company_id,
       types.ids[1 + (e.id * 7) % array_length(types.ids, 1)],
       round((10 + random() * 990)::numeric, 2),
       e.date_detected::date + 1, 'Bench cost', 2, 2, e.date_detected, e.date_detected
  FROM logistics_exception e
 CROSS JOIN (SELECT array_agg(id) AS ids FROM logistics_exception_cost_type
              WHERE active AND company_id IS NULL) types
 WHERE e.name LIKE 'LEX/BENCH/%' AND e.id % 5 = 0;
"""


def build(database, rows):
    with pg_connect(database) as cr:
        cr.execute("SELECT count(*) FROM logistics_exception")
        existing = cr.fetchone()[0]
        if existing >= rows:
            print(f"{database}: {existing:,} exceptions already there.")
            return
        print(f"Building {rows:,} exceptions in {database} (set-based SQL)...")
        start = time.perf_counter()
        cr.execute("SELECT setseed(0.42)")
        cr.execute(BUILD_EXCEPTIONS.replace("%(rows)s", str(int(rows))))
        print(f"  exceptions: {time.perf_counter() - start:.0f} s")
        cr.execute("SELECT to_regclass('logistics_exception_cost') IS NOT NULL")
        if cr.fetchone()[0]:
            step = time.perf_counter()
            cr.execute(BUILD_COSTS)
            print(f"  {cr.rowcount:,} cost lines: {time.perf_counter() - step:.0f} s")
        step = time.perf_counter()
        cr.execute("VACUUM ANALYZE logistics_exception")
        cr.execute("SELECT to_regclass('logistics_exception_cost') IS NOT NULL")
        if cr.fetchone()[0]:
            cr.execute("VACUUM ANALYZE logistics_exception_cost")
        print(f"  vacuum analyze: {time.perf_counter() - step:.0f} s")
        print(f"  total: {time.perf_counter() - start:.0f} s")


@contextmanager
def record_queries():
    """The SQL statements sent meanwhile, as (query, params)."""
    queries = []
    execute = Cursor.execute

    def recording_execute(self, query, params=None, log_exceptions=True):
        queries.append((query, params))
        return execute(self, query, params, log_exceptions)

    Cursor.execute = recording_execute
    try:
        yield queries
    finally:
        Cursor.execute = execute


def timed(env, function, rounds):
    function()  # warm-up: caches of the registry, the view, PostgreSQL
    durations = []
    for _round in range(rounds):
        env.invalidate_all()
        start = time.perf_counter()
        function()
        durations.append((time.perf_counter() - start) * 1000)
    return statistics.median(durations), max(durations)


def explain(env, queries):
    cr = env.cr
    for query, params in queries:
        if isinstance(query, SQL):
            query, params = query.code, query.params
        text = cr._obj.mogrify(query, params).decode()
        if not re.match(r"\s*SELECT", text, re.IGNORECASE):
            continue
        # The raw cursor: the statement is complete, with its values.
        cr._obj.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + text)
        print("    " + re.sub(r"\s+", " ", text)[:400])
        for (line,) in cr._obj.fetchall():
            print("      " + line)


def report(env, label, function, target_ms, rounds, plans):
    """Print the median and worst time of ``function``; ``target_ms`` None:
    a figure the issue sets no target for."""
    median, worst = timed(env, function, rounds)
    if target_ms is None:
        verdict = "(no target)"
    else:
        verdict = f"(target < {target_ms} ms: "
        verdict += "ok)" if median < target_ms else "OVER TARGET)"
    print(f"{label:<58} median {median:7.1f} ms  max {worst:7.1f} ms  {verdict}")
    if plans:
        with record_queries() as queries:
            env.invalidate_all()
            function()
        explain(env, queries)
    return median


def main():
    args = parse_args()
    load_config(args.database)
    ensure_database(args.database, args.template)
    build(args.database, args.rows)
    registry = odoo.registry(args.database)
    if not args.no_init:
        with registry.cursor() as cr:
            # The indexes of the module's code (init), were the database older.
            api.Environment(cr, odoo.SUPERUSER_ID, {})["logistics.exception"].init()
    with pg_connect(args.database) as cr:
        # Statistics of every table, as after a restore or autovacuum: a table
        # of two warehouses never analyzed is estimated at hundreds of rows, and
        # a grouped read joining it would then sort instead of hashing.
        cr.execute("VACUUM ANALYZE logistics_exception")
        cr.execute("ANALYZE")
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        manager = env.ref("logistics_exception.user_lex_manager", False)
        if not manager:
            manager = env.ref("base.user_admin")
        company = manager.company_id
        env = env(user=manager.id, context={"allowed_company_ids": company.ids})
        Exception_ = env["logistics.exception"]
        total = Exception_.search_count([])
        opened = Exception_.search_count([("is_open", "=", True)])
        print(
            f"\nAs {manager.login} in {company.name}: {total:,} exceptions visible, "
            f"{opened:,} open. PostgreSQL {env.cr.connection.server_version}, "
            f"{os.cpu_count()} cores, load average %.1f %.1f %.1f (others' work "
            "on the machine slows the figures down)." % os.getloadavg()
        )
        rounds, plans = args.rounds, not args.no_plans
        year = time.gmtime().tm_year
        figures = {}

        figures["group2"] = report(
            env,
            "Grouped read by category and status (all exceptions)",
            lambda: Exception_.read_group(
                [], ["__count"], ["category_id", "state"], lazy=False
            ),
            300,
            rounds,
            plans,
        )
        open_domain = [("is_open", "=", True)]
        figures["progress"] = report(
            env,
            "Kanban progress bar (open exceptions, by status and SLA)",
            lambda: Exception_.read_progress_bar(open_domain, "state", PROGRESS_BAR),
            300,
            rounds,
            plans,
        )
        figures["kanban"] = report(
            env,
            "Kanban columns (open exceptions by status)",
            lambda: Exception_.web_read_group(
                open_domain, ["state"], ["state"], limit=80, lazy=True
            ),
            300,
            rounds,
            plans,
        )

        rows_, cols = ["warehouse_id", "category_id"], ["severity"]

        def pivot():
            # The pivot view's requests: every prefix of the rows by every
            # prefix of the columns.
            for i in range(len(rows_) + 1):
                for j in range(len(cols) + 1):
                    Exception_.read_group(
                        [], ["__count"], rows_[:i] + cols[:j], lazy=False
                    )

        figures["pivot"] = report(
            env,
            "Pivot 2x1: warehouse > category by severity (6 reads)",
            pivot,
            1500,
            rounds,
            plans,
        )

        def pivot_open():
            # The same pivot on the Exceptions menu, which opens on the open ones.
            for i in range(len(rows_) + 1):
                for j in range(len(cols) + 1):
                    Exception_.read_group(
                        open_domain, ["__count"], rows_[:i] + cols[:j], lazy=False
                    )

        figures["pivot open"] = report(
            env,
            "Pivot 2x1 on the open exceptions (6 reads)",
            pivot_open,
            1500,
            rounds,
            False,
        )
        tiles = {
            "open by severity": lambda: Exception_.read_group(
                open_domain, ["__count"], ["severity"], lazy=False
            ),
            "breached now": lambda: Exception_.search_count(
                [*open_domain, ("sla_status", "=", "breached")]
            ),
            "at risk": lambda: Exception_.search_count(
                [*open_domain, ("sla_status", "=", "at_risk")]
            ),
            "open, unassigned": lambda: Exception_.search_count(
                [*open_domain, ("user_id", "=", False)]
            ),
            "open, high or critical": lambda: Exception_.search_count(
                [*open_domain, ("severity", "in", ("high", "critical"))]
            ),
        }
        for name, function in tiles.items():
            figures[f"tile {name}"] = report(
                env, f"Tile: {name}", function, 50, rounds, plans
            )
        env.cr.execute("SELECT to_regclass('logistics_exception_report')")
        if env.cr.fetchone()[0] is None:
            print(
                "Analysis: skipped, update logistics_exception_dashboard in this "
                "database to create its SQL view."
            )
        else:
            Report = env["logistics.exception.report"]
            # As the menu opens it: this year's exceptions (its default filter).
            figures["analysis"] = report(
                env,
                "Analysis as opened: this year, by category and status",
                lambda: Report.read_group(
                    [("date_detected", ">=", f"{year}-01-01")],
                    ["nbr", "amount"],
                    ["category_id", "state"],
                    lazy=False,
                ),
                1500,
                rounds,
                plans,
            )
            figures["analysis all"] = report(
                env,
                "Analysis, filter removed: every year, category x status",
                lambda: Report.read_group(
                    [], ["nbr", "amount"], ["category_id", "state"], lazy=False
                ),
                None,
                rounds,
                plans,
            )
            figures["analysis cost"] = report(
                env,
                "Analysis (SQL view): cost by type this year",
                lambda: Report.read_group(
                    [("row_type", "=", "cost"), ("date", ">=", f"{year}-01-01")],
                    ["amount"],
                    ["cost_type_id"],
                    lazy=False,
                ),
                1500,
                rounds,
                plans,
            )
        if "logistics.exception.dashboard" in env:
            figures["dashboard"] = report(
                env,
                "Dashboard full load: get_dashboard_data({})",
                lambda: env["logistics.exception.dashboard"].get_dashboard_data({}),
                1000,
                rounds,
                False,
            )
        else:
            print(
                "Dashboard full load: skipped, logistics.exception.dashboard is "
                "not installed in this database (issue 10's KPI dashboard)."
            )
        print("Load average at the end: %.1f %.1f %.1f" % os.getloadavg())
        cr.rollback()


if __name__ == "__main__":
    main()
