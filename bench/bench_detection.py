"""Cost of automatic detection (issue 3 targets), printed as figures.

1. Validating a 10-line delivery with every detector active against the same
   validation with detection switched off (context key
   ``logistics_exception_skip_detection``), side by side, alternating, on
   identical transfers: extra SQL queries (target <= 5, flat in lines and
   transfers) and time ratio (target <= 1.15).
2. The time-based scan over 100,000 open transfers, of which 1,000 are late:
   first run (raises 1,000 exceptions), then a run where nothing changed
   (target: under a minute in all, and close to nothing when nothing changed).

Runs inside one transaction that is rolled back: the database is left as it
was. Usage: python3 bench/bench_detection.py [database] (default: the test
database that `make test` creates, logistics_test).
"""

import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import odoo
from odoo import Command, api

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 15


def connect(database):
    odoo.tools.config.parse_config(
        [
            f"--config={ROOT / 'odoo.conf'}",
            f"--addons-path={ROOT}",
            f"--database={database}",
            "--log-level=warn",
        ]
    )
    return odoo.registry(database)


def make_delivery(env, products, warehouse, customer):
    order = env["sale.order"].create(
        {
            "partner_id": customer.id,
            "warehouse_id": warehouse.id,
            "order_line": [
                Command.create({"product_id": product.id, "product_uom_qty": 2})
                for product in products
            ],
        }
    )
    order.action_confirm()
    pickings = order.picking_ids
    for move in pickings.move_ids:
        move.quantity = move.product_uom_qty
        move.picked = True
    env.flush_all()
    env.invalidate_all()
    return pickings


def measure(env, pickings, detection):
    cr = env.cr
    pickings = pickings.with_context(logistics_exception_skip_detection=not detection)
    queries = cr.sql_log_count
    start = time.perf_counter()
    pickings.button_validate()
    env.flush_all()
    return time.perf_counter() - start, cr.sql_log_count - queries


def bench_validation(env):
    warehouse = env.ref("stock.warehouse0")
    customer = env["res.partner"].create({"name": "Bench customer"})
    products = env["product.product"].create(
        [{"name": f"Bench product {i}", "type": "product"} for i in range(50)]
    )
    for product in products:
        env["stock.quant"]._update_available_quantity(
            product, warehouse.lot_stock_id, 100000
        )
    env["logistics.exception.rule"]._get_event_rule_ids("picking_done")
    print("== Validating transfers: all detectors on vs detection off ==")
    print(
        f"{'lines':>6} {'transfers':>9} {'queries off':>11} {'queries on':>10} "
        f"{'extra':>5} {'ms off':>8} {'ms on':>8} {'ratio':>6}"
    )
    for lines, together in ((10, 1), (20, 1), (10, 5)):
        times = {True: [], False: []}
        queries = {True: [], False: []}
        for round_ in range(ROUNDS):
            order = (True, False) if round_ % 2 else (False, True)
            for detection in order:
                pickings = env["stock.picking"]
                for _i in range(together):
                    pickings |= make_delivery(
                        env, products[:lines], warehouse, customer
                    )
                elapsed, count = measure(env, pickings, detection)
                times[detection].append(elapsed)
                queries[detection].append(count)
        off, on = statistics.median(times[False]), statistics.median(times[True])
        q_off, q_on = (
            statistics.median(queries[False]),
            statistics.median(queries[True]),
        )
        print(
            f"{lines:>6} {together:>9} {q_off:>11.0f} {q_on:>10.0f} "
            f"{q_on - q_off:>5.0f} {off * 1000:>8.1f} {on * 1000:>8.1f} "
            f"{on / off:>6.2f}"
        )


def bench_scan(env, total=100000, late=1000):
    cr = env.cr
    picking_type = env.ref("stock.picking_type_out")
    now = datetime.now()
    cr.execute(
        """
        INSERT INTO stock_picking (name, picking_type_id, location_id,
                                   location_dest_id, company_id, state, move_type,
                                   scheduled_date, priority)
        SELECT 'BENCH/' || n, %s, %s, %s, %s, 'confirmed', 'direct',
               CASE WHEN n <= %s THEN %s ELSE %s END, '0'
          FROM generate_series(1, %s) AS n
        """,
        (
            picking_type.id,
            picking_type.default_location_src_id.id,
            env.ref("stock.stock_location_customers").id,
            picking_type.company_id.id,
            late,
            now - timedelta(days=2),
            now + timedelta(days=30),
            total,
        ),
    )
    cr.execute("ANALYZE stock_picking")
    Rule = env["logistics.exception.rule"]
    print(
        f"\n== Scheduled scan over {total:,} open transfers, {late:,} of them late =="
    )
    for label in ("first run", "nothing changed"):
        env.invalidate_all()
        queries = cr.sql_log_count
        start = time.perf_counter()
        batches = 1
        while Rule._cron_scan(batch_size=500):
            batches += 1
        env.flush_all()
        elapsed = time.perf_counter() - start
        raised = env["logistics.exception"].search_count(
            [("rule_id", "=", env.ref("logistics_exception.rule_late_transfer").id)]
        )
        print(
            f"{label:>16}: {elapsed:7.2f} s, {cr.sql_log_count - queries:6d} queries, "
            f"{batches} batch(es), {raised} late-transfer exceptions in all"
        )


def main():
    database = sys.argv[1] if len(sys.argv) > 1 else "logistics_test"
    registry = connect(database)
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        try:
            bench_validation(env)
            bench_scan(env)
        finally:
            cr.rollback()


if __name__ == "__main__":
    main()
