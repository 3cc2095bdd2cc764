"""Cost of the SLA clocks, escalation and routing (issue 8 targets), printed
as figures.

1. An idle run of the SLA job over 1,000,000 open exceptions, none due:
   time and SQL queries (target: under 1 second, a handful of queries
   whatever the number of rows).
2. 100,000 of them newly breached (their at-risk and breached levels both
   due): the scheduled job escalates them in batches with a commit per batch
   (target: under 5 minutes), then every one is checked to have climbed each
   level exactly once, and a second run does nothing.
3. Creating 1,000 exceptions in one ``create`` with routing and SLA clocks:
   time and queries per record (target: under 2 seconds).

Works on a scratch copy of the template database (createdb -T), dropped at
the end: the template is left as it was. Usage:
python3 bench/bench_sla.py [template database] (default: the test database
that `make test` creates, logistics_test). Needs a few GB of disk and about
ten minutes.
"""

import os
import subprocess
import sys
import time

from bench_detection import connect

import odoo
from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

SCRATCH = "logistics_bench_sla"
IDLE_ROWS = 1_000_000
BREACHED_ROWS = 100_000
CREATED_ROWS = 1_000


def pg(*args):
    env = dict(os.environ)
    env.setdefault("PGHOST", "localhost")
    env.setdefault("PGUSER", "odoo")
    env.setdefault("PGPASSWORD", "odoo")
    subprocess.run(args, check=True, env=env, stdin=subprocess.DEVNULL)


def insert_open_exceptions(env, count):
    """``count`` open exceptions of the main company, in SQL: realistic
    columns, deadlines spread over the next weeks, nothing due."""
    company = env.ref("base.main_company")
    categories = env["logistics.exception.category"].search(
        [("company_id", "in", (False, company.id))]
    )
    teams = env["logistics.exception.team"].search([("company_id", "=", company.id)])
    users = env["res.users"].search([("share", "=", False)], limit=10)
    policy = env.ref("logistics_exception.sla_policy_medium")
    env.cr.execute(
        SQL(
            """
            INSERT INTO logistics_exception (
                name, summary, company_id, category_id, team_id, user_id,
                severity, priority, state, is_open, active, detected_by,
                date_detected, date_first_response, sla_policy_id,
                sla_response_deadline, sla_warning_date, sla_deadline,
                sla_response_status, sla_status, sla_next_check,
                escalation_level, create_uid, write_uid, create_date, write_date)
            SELECT 'BENCH/' || n, 'Bench exception ' || n, %(company)s,
                   (%(categories)s)[1 + mod(n, %(n_categories)s)],
                   (%(teams)s)[1 + mod(n, %(n_teams)s)],
                   (%(users)s)[1 + mod(n, %(n_users)s)],
                   'medium', '1', 'in_progress', TRUE, TRUE, 'rule',
                   now() at time zone 'utc' - interval '1 hour',
                   now() at time zone 'utc' - interval '30 minutes',
                   %(policy)s,
                   now() at time zone 'utc' + interval '1 hour',
                   now() at time zone 'utc' + (1 + mod(n, 40000)) * %(minute)s,
                   now() at time zone 'utc' + (60 + mod(n, 40000)) * %(minute)s,
                   'met', 'on_track',
                   now() at time zone 'utc' + (1 + mod(n, 40000)) * %(minute)s,
                   1, 1, 1, now() at time zone 'utc', now() at time zone 'utc'
              FROM generate_series(1, %(count)s) AS n
            """,
            company=company.id,
            categories=categories.ids,
            n_categories=len(categories),
            teams=teams.ids,
            n_teams=len(teams),
            users=users.ids,
            n_users=len(users),
            policy=policy.id,
            count=count,
            minute=SQL("interval '1 minute'"),
        )
    )
    env.cr.execute("ANALYZE logistics_exception")


def idle_run(registry):
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        Exception_ = env["logistics.exception"]
        timings, queries = [], []
        for _round in range(5):
            env.invalidate_all()
            before = cr.sql_log_count
            start = time.perf_counter()
            Exception_._cron_sla(commit=True)
            timings.append(time.perf_counter() - start)
            queries.append(cr.sql_log_count - before)
        open_count = Exception_.search_count([("is_open", "=", True)])
    runs = ", ".join(
        f"{seconds:.3f} s/{count} queries"
        for seconds, count in zip(timings, queries, strict=True)
    )
    print(
        f"idle SLA run over {open_count:,} open exceptions, 5 runs: {runs} "
        f"(target < 1 s, a handful of queries)"
    )


def breach(registry):
    with registry.cursor() as cr:
        cr.execute(
            SQL(
                """
                UPDATE logistics_exception
                   SET sla_warning_date = now() at time zone 'utc' - interval '3 hours',
                       sla_deadline = now() at time zone 'utc' - interval '10 minutes',
                       sla_next_check = now() at time zone 'utc' - interval '3 hours'
                 WHERE id IN (SELECT id FROM logistics_exception
                               WHERE name LIKE %s ORDER BY id LIMIT %s)
                """,
                "BENCH/%",
                BREACHED_ROWS,
            )
        )
        cr.execute("ANALYZE logistics_exception")
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        before = cr.sql_log_count
        start = time.perf_counter()
        env["logistics.exception"]._cron_sla(commit=True, time_budget=3600)
        elapsed = time.perf_counter() - start
        queries = cr.sql_log_count - before
    with registry.cursor() as cr:
        cr.execute(
            """
            SELECT escalation_level, sla_status, count(*) FROM logistics_exception
             WHERE name LIKE 'BENCH/%' AND sla_deadline < now() at time zone 'utc'
             GROUP BY 1, 2
            """
        )
        levels = cr.fetchall()
        cr.execute(
            """
            SELECT count(*), count(DISTINCT res_id) FROM mail_message
             WHERE model = 'logistics.exception' AND body LIKE '%SLA escalation%'
            """
        )
        notes, escalated = cr.fetchone()
        env = api.Environment(cr, SUPERUSER_ID, {})
        start = time.perf_counter()
        env["logistics.exception"]._cron_sla(commit=True)
        again = time.perf_counter() - start
        cr.execute(
            "SELECT count(*) FROM mail_message WHERE model = 'logistics.exception' "
            "AND body LIKE '%SLA escalation%'"
        )
        notes_after = cr.fetchone()[0]
    print(
        f"{BREACHED_ROWS:,} newly breached exceptions escalated in {elapsed:.1f} s "
        f"({queries / BREACHED_ROWS:.1f} queries each; target < 300 s)"
    )
    print(
        f"  levels reached (level, status, count): {levels}; "
        f"{notes:,} escalation notes on {escalated:,} exceptions "
        f"(2 levels each expected); a second run: {again:.2f} s, "
        f"{notes_after - notes} new notes"
    )


def create_batch(registry):
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env.ref("base.main_company")
        categories = env["logistics.exception.category"].search(
            [("company_id", "in", (False, company.id)), ("child_ids", "=", False)]
        )
        warehouses = env["stock.warehouse"].search([("company_id", "=", company.id)])
        customers = env["res.partner"].search(
            [("customer_rank", ">", 0), ("company_id", "in", (False, company.id))],
            limit=20,
        ) or env["res.partner"].search([("is_company", "=", True)], limit=20)
        vals_list = [
            {
                "summary": f"Created in bulk {index}",
                "category_id": categories[index % len(categories)].id,
                "warehouse_id": warehouses[index % len(warehouses)].id,
                "partner_id": customers[index % len(customers)].id,
                "company_id": company.id,
                "detected_by": "rule",
            }
            for index in range(CREATED_ROWS)
        ]
        env.invalidate_all()
        before = cr.sql_log_count
        start = time.perf_counter()
        exceptions = env["logistics.exception"].create(vals_list)
        env.flush_all()
        elapsed = time.perf_counter() - start
        queries = cr.sql_log_count - before
        with_team = len(exceptions.filtered("team_id"))
        with_deadline = len(exceptions.filtered("sla_deadline"))
        with_owner = len(exceptions.filtered("user_id"))
        cr.rollback()
    print(
        f"{CREATED_ROWS:,} exceptions created in one create with routing and SLA: "
        f"{elapsed:.2f} s, {queries / CREATED_ROWS:.1f} queries per record "
        f"(target < 2 s); {with_team} routed to a team, {with_owner} with an "
        f"owner, {with_deadline} with deadlines"
    )


def main():
    template = sys.argv[1] if len(sys.argv) > 1 else "logistics_test"
    pg("dropdb", "--if-exists", "--force", SCRATCH)
    pg("createdb", "-T", template, SCRATCH)
    try:
        registry = connect(SCRATCH)
        create_batch(registry)
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            # What the demo data left due is escalated first, out of the figures.
            env["logistics.exception"]._cron_sla(commit=True, time_budget=3600)
            start = time.perf_counter()
            insert_open_exceptions(env, IDLE_ROWS)
            print(
                f"({IDLE_ROWS:,} rows inserted in {time.perf_counter() - start:.0f} s)"
            )
        idle_run(registry)
        breach(registry)
    finally:
        odoo.sql_db.close_all()
        pg("dropdb", "--if-exists", "--force", SCRATCH)


if __name__ == "__main__":
    main()
