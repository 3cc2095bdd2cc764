"""Speed of the handheld Exception Scanner as a phone sees it (issue 9
targets), printed as figures.

1. Step 1 of a report: scanning a 50-line transfer (``scan_document``: its
   partner, date, lines and the reasons that fit), round-trip over JSON-RPC
   (target: under 100 ms at the 95th percentile).
2. Submit: ``submit_report`` with a 200 KB photo, creating the exception with
   its routing, SLA clocks, playbook and notices, round-trip over JSON-RPC
   (target: under 150 ms at the 95th percentile).

Both are measured from the client side: a real Odoo server is started on a
scratch copy of the template database (createdb -T, dropped at the end) and
called through /web/dataset/call_kw with a logged-in session, as the OWL app's
ORM service calls it. Usage: python3 bench/bench_scanner.py [template database]
(default: the test database that `make test` creates, logistics_test).
"""

import base64
import os
import random
import socket
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

import requests
from bench_detection import connect
from bench_sla import pg

from odoo import SUPERUSER_ID, Command, api

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = "logistics_bench_scanner"
PORT = int(os.environ.get("BENCH_HTTP_PORT", "8075"))
LINES = 50
WARMUP = 20
ROUNDS = 300
PHOTO_BYTES = 200 * 1024
LOGIN = "bench_dock"


def prepare(registry):
    """A dock user and a 50-line receipt whose products have barcodes."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        company = env.ref("base.main_company")
        warehouse = env["stock.warehouse"].search(
            [("company_id", "=", company.id)], limit=1
        )
        env["res.users"].with_context(no_reset_password=True).create(
            {
                "name": "Bench Dock Hand",
                "login": LOGIN,
                "password": LOGIN,
                "company_id": company.id,
                "company_ids": [Command.set(company.ids)],
                "groups_id": [
                    Command.set(
                        [
                            env.ref("base.group_user").id,
                            env.ref(
                                "logistics_exception.logistics_exception_group_user"
                            ).id,
                            env.ref("stock.group_stock_user").id,
                        ]
                    )
                ],
            }
        )
        products = env["product.product"].create(
            [
                {
                    "name": f"Bench pallet item {index:02d}",
                    "type": "product",
                    "barcode": f"BENCH-{index:04d}",
                    "default_code": f"BENCH_{index:04d}",
                }
                for index in range(LINES)
            ]
        )
        picking_type = warehouse.in_type_id
        source = env.ref("stock.stock_location_suppliers")
        picking = env["stock.picking"].create(
            {
                "picking_type_id": picking_type.id,
                "partner_id": env.ref("base.res_partner_12").id,
                "location_id": source.id,
                "location_dest_id": picking_type.default_location_dest_id.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom_qty": 10 + index,
                            "product_uom": product.uom_id.id,
                            "location_id": source.id,
                            "location_dest_id": (
                                picking_type.default_location_dest_id.id
                            ),
                        }
                    )
                    for index, product in enumerate(products)
                ],
            }
        )
        picking.action_confirm()
        reason = env.ref("logistics_exception.reason_damaged_in_transfer")
        return picking.name, picking.id, products[0].id, reason.id


def start_server():
    # A server left on the port (an earlier run that was killed) would answer
    # instead of this one, with its own code: refuse to measure it.
    with socket.socket() as probe:
        if probe.connect_ex(("localhost", PORT)) == 0:
            raise RuntimeError(
                f"Port {PORT} is taken: stop what listens there or set BENCH_HTTP_PORT."
            )
    python = sys.executable
    log = open(f"/tmp/{SCRATCH}.log", "w")  # noqa: SIM115 - closed with the server
    server = subprocess.Popen(
        [
            python,
            "-m",
            "odoo",
            f"--config={ROOT / 'odoo.conf'}",
            f"--addons-path={ROOT}",
            f"--database={SCRATCH}",
            f"--db-filter=^{SCRATCH}$",
            f"--http-port={PORT}",
            "--max-cron-threads=0",
            "--log-level=warn",
            # Each request's own figures: queries, SQL time, Python time.
            "--log-handler=werkzeug:INFO",
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
    raise RuntimeError(f"The server did not start: see /tmp/{SCRATCH}.log")


class Client:
    """A logged-in session calling model methods as the web client does."""

    def __init__(self):
        self.session = requests.Session()
        self.url = f"http://localhost:{PORT}"
        self.call("/web/session/authenticate", db=SCRATCH, login=LOGIN, password=LOGIN)

    def call(self, path, **params):
        response = self.session.post(
            self.url + path,
            json={"jsonrpc": "2.0", "method": "call", "id": 1, "params": params},
            timeout=60,
        )
        response.raise_for_status()
        data = response.json()
        if "error" in data:
            raise RuntimeError(data["error"]["data"]["message"])
        return data["result"]

    def call_kw(self, method, *args):
        model = "logistics.exception.scanner"
        return self.call(
            f"/web/dataset/call_kw/{model}/{method}",
            model=model,
            method=method,
            args=list(args),
            kwargs={},
        )


def timed(function, rounds):
    figures = []
    for index in range(rounds):
        start = time.perf_counter()
        function(index)
        figures.append((time.perf_counter() - start) * 1000)
    return figures


def report(label, figures, target):
    ordered = sorted(figures)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    verdict = "ok" if p95 < target else "OVER TARGET"
    print(
        f"{label}: {len(figures)} calls, median {statistics.median(figures):.1f} ms, "
        f"p95 {p95:.1f} ms, max {ordered[-1]:.1f} ms (target p95 < {target} ms: "
        f"{verdict})"
    )


def server_figures(method):
    """Median and p95 of the server's own time (SQL + Python) and the median
    number of queries of ``method``'s requests, from werkzeug's log lines
    ('"POST /web/dataset/call_kw/<model>/<method> ..." 200 - <queries> <sql s>
    <python s>')."""
    times, queries = [], []
    with open(f"/tmp/{SCRATCH}.log") as log:
        for line in log:
            if f"/{method} HTTP" not in line:
                continue
            parts = line.split('"')[-1].split()
            if len(parts) >= 5 and parts[0] == "200":
                queries.append(int(parts[2]))
                times.append((float(parts[3]) + float(parts[4])) * 1000)
    times = times[WARMUP:]
    if not times:
        return "no server figures"
    ordered = sorted(times)
    return (
        f"server side: median {statistics.median(times):.1f} ms, p95 "
        f"{ordered[int(len(ordered) * 0.95) - 1]:.1f} ms, "
        f"{statistics.median(queries[WARMUP:]):.0f} queries"
    )


def main():
    template = sys.argv[1] if len(sys.argv) > 1 else "logistics_test"
    pg("dropdb", "--if-exists", "--force", SCRATCH)
    pg("createdb", "-T", template, SCRATCH)
    server = None
    try:
        registry = connect(SCRATCH)
        name, picking_id, product_id, reason_id = prepare(registry)
        server = start_server()
        client = Client()
        # Realistic photo bytes: random data does not compress.
        photo = base64.b64encode(
            b"\xff\xd8\xff\xe0" + random.randbytes(PHOTO_BYTES - 4)
        ).decode()

        def scan(_index):
            data = client.call_kw("scan_document", name)
            assert len(data["lines"]) == LINES, len(data["lines"])

        def submit(_index):
            result = client.call_kw(
                "submit_report",
                {
                    "device_uuid": str(uuid.uuid4()),
                    "model": "stock.picking",
                    "res_id": picking_id,
                    "product_id": product_id,
                    "reason_id": reason_id,
                    "quantity": 1,
                    "note": "Carton crushed on the left side",
                    "photos": [
                        {"name": "dock.jpg", "mimetype": "image/jpeg", "data": photo}
                    ],
                },
            )
            assert result["name"] and not result["duplicate"], result

        timed(scan, WARMUP)
        report(f"Scan a {LINES}-line transfer", timed(scan, ROUNDS), 100)
        print(f"  {server_figures('scan_document')}")
        timed(submit, WARMUP)
        report("Submit a report with a 200 KB photo", timed(submit, ROUNDS), 150)
        print(f"  {server_figures('submit_report')}")
    finally:
        if server:
            server.terminate()
            server.wait(timeout=30)
        registry = None
        pg("dropdb", "--if-exists", "--force", SCRATCH)


if __name__ == "__main__":
    main()
