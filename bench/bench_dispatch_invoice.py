"""Speed of invoicing dispatch jobs (issue 11 target), printed as figures.

1,000 delivered jobs of one customer, each on its own confirmed sales order
(the transport service and an approved waiting charge on its sales order
line), all ready to invoice. A billing clerk runs "Invoice Ready Jobs" for the
customer (one invoice of the 1,000 orders) and posts it: the invoice gate
checks every job, the jobs are linked to the invoice and their proofs of
delivery are rendered as one PDF attached to it. Target: under 30 seconds
for "invoice them all + post".

The jobs are written delivered directly (with their POD): how they got there
is not measured. The PDF engine loads the report's styles from an Odoo server,
as in production: one is started on the same database for the run (port
BENCH_HTTP_PORT, default 8077) and stopped at the end.
Runs inside one transaction that is rolled back: the database is left as it
was. Usage: python3 bench/bench_dispatch_invoice.py [database]
[jobs] (default: the test database that `make test` creates, logistics_test,
and 1,000 jobs); the database needs logistics_dispatch_billing installed.
"""

import os
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import requests
from bench_detection import connect

from odoo import SUPERUSER_ID, Command, api, fields

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("BENCH_HTTP_PORT", "8077"))
JOBS = 1000
TARGET = 30.0
SIGNATURE = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
    "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def build(env, count):
    """``count`` ready jobs of one new customer, and a billing clerk."""
    company = env.ref("base.main_company")
    clerk = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            {
                "name": "Bench Billing Clerk",
                "login": "bench_dispatch_billing",
                "company_id": company.id,
                "company_ids": [Command.set(company.ids)],
                "groups_id": [
                    Command.set(
                        [
                            env.ref("base.group_user").id,
                            env.ref("account.group_account_invoice").id,
                        ]
                    )
                ],
            }
        )
    )
    customer = env["res.partner"].create({"name": "Bench Dispatch Customer"})
    transport = env["product.product"].create(
        {
            "name": "Bench pallet delivery",
            "type": "service",
            "dispatch_service": True,
            "list_price": 80.0,
            "invoice_policy": "order",
        }
    )
    wait = env.ref("logistics_dispatch_billing.accessorial_type_wait")
    orders = env["sale.order"].create(
        [
            {
                "partner_id": customer.id,
                "company_id": company.id,
                "order_line": [
                    Command.create({"product_id": transport.id}),
                    Command.create(
                        {
                            "product_id": wait.product_id.id,
                            "product_uom_qty": 15,
                            "price_unit": 1.0,
                        }
                    ),
                ],
            }
            for _index in range(count)
        ]
    )
    orders.action_confirm()
    # Delivered this morning (or yesterday's) at 10:00 UTC: no after-hours
    # charge left to approve, whatever the time the bench runs.
    now = fields.Datetime.now().replace(hour=10, minute=0, second=0, microsecond=0)
    if now > fields.Datetime.now():
        now -= timedelta(days=1)
    jobs = env["logistics.dispatch.job"].create(
        [
            {
                "sale_id": order.id,
                "company_id": company.id,
                "partner_id": customer.id,
                "service_product_id": transport.id,
                "planned_start": now,
            }
            for order in orders
        ]
    )
    jobs.write(
        {
            "state": "delivered",
            "date_arrival": now,
            "date_departure": now,
            "date_delivered": now,
            "pod_date": now,
            "pod_receiver_name": "R. Receiver",
            "pod_signature": SIGNATURE,
        }
    )
    charges = env["logistics.dispatch.charge"].create(
        [
            {
                "job_id": job.id,
                "accessorial_type_id": wait.id,
                "product_id": wait.product_id.id,
                "name": "Waiting time",
                "quantity": 15,
                "price_unit": 1.0,
                "sale_line_id": job.sale_id.order_line[1].id,
            }
            for job in jobs
        ]
    )
    charges.write({"state": "approved"})
    env.flush_all()
    env.invalidate_all()
    return clerk, customer, jobs


def bench(env, count):
    clerk, customer, jobs = build(env, count)
    cr = env.cr
    # The clerk's own rights, with the chatter tracking as in real use.
    env = env(user=clerk.id, su=False, context={})
    queries = cr.sql_log_count
    start = time.perf_counter()
    wizard = env["logistics.dispatch.invoice.ready"].create({"partner_id": customer.id})
    ready = wizard.ready_count
    checked = time.perf_counter()
    action = wizard.action_create_invoice()
    invoice = env["account.move"].browse(action["res_id"])
    env.flush_all()
    created = time.perf_counter()
    invoice.action_post()
    env.flush_all()
    posted = time.perf_counter()
    queries = cr.sql_log_count - queries
    assert ready == count, f"{ready} jobs ready out of {count}"
    assert invoice.state == "posted"
    linked = env["logistics.dispatch.job"].search_count(
        [("id", "in", jobs.ids), ("invoice_ids", "=", invoice.id)]
    )
    assert linked == count, f"{linked} jobs linked out of {count}"
    pod = env["ir.attachment"].search(
        [("res_model", "=", "account.move"), ("res_id", "=", invoice.id)]
    )
    total = posted - start
    verdict = "ok" if total < TARGET else "OVER TARGET"
    if pod:
        pdf = f"POD PDF of {len(pod.raw) // 1024} KB attached"
    else:
        pdf = "POD PDF NOT made: the PDF engine failed (see the invoice's chatter)"
    print(
        f"Invoice Ready Jobs, {count} jobs of one customer: readiness shown in "
        f"{checked - start:.1f} s, one invoice of {len(invoice.invoice_line_ids)} "
        f"lines made in {created - checked:.1f} s; "
        f"posted (gate, job links, {pdf}) in {posted - created:.1f} s; "
        f"in all {total:.1f} s, {queries} queries (target < {TARGET:.0f} s: "
        f"{verdict})"
    )


def start_server(database):
    """An Odoo server on ``database`` that serves the report styles."""
    with socket.socket() as probe:
        if probe.connect_ex(("localhost", PORT)) == 0:
            raise RuntimeError(
                f"Port {PORT} is taken: stop what listens there or set BENCH_HTTP_PORT."
            )
    log = open("/tmp/bench_dispatch_invoice.log", "w")  # noqa: SIM115 - closed with the server
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "odoo",
            f"--config={ROOT / 'odoo.conf'}",
            f"--addons-path={ROOT}",
            f"--database={database}",
            f"--db-filter=^{database}$",
            f"--http-port={PORT}",
            "--max-cron-threads=0",
            "--log-level=warn",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    for _attempt in range(120):
        try:
            if requests.get(f"http://localhost:{PORT}/web/login", timeout=30).ok:
                return server
        except requests.RequestException:
            pass
        time.sleep(0.5)
    server.terminate()
    raise RuntimeError("The server did not start: see /tmp/bench_dispatch_invoice.log")


def main():
    database = sys.argv[1] if len(sys.argv) > 1 else "logistics_test"
    count = int(sys.argv[2]) if len(sys.argv) > 2 else JOBS
    registry = connect(database)
    server = start_server(database)
    try:
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            env["ir.config_parameter"].set_param(
                "report.url", f"http://localhost:{PORT}"
            )
            try:
                bench(env, count)
            finally:
                cr.rollback()
    finally:
        server.terminate()
        server.wait(timeout=60)


if __name__ == "__main__":
    main()
