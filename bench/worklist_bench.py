"""Benchmark of the caseworker's worklist; writes bench/results/worklist.md.

The constructed ledger of tests/support/workbench_ledger.py repeated ``--copies`` times (six cases
each: a held month, a possible repayment without a hearing, an overdue hearing, a reply awaiting a
decision, a decided repayment, a possible double submission and events registered after payment — six
items per copy), on SQLite and, given a URL, PostgreSQL. Timed: the whole list in the core
(``flexcalc.ledger.worklist.worklist``) and the first page of ``GET /v1/worklist`` (500 items) through the
API with a caseworker's key, median of five.

Usage: python bench/worklist_bench.py [--copies 400] [--postgres URL]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, text

from flexcalc.ledger.db import database_url, dispose_all
from tests.support.workbench_ledger import TODAY, build

RESULTS = Path(__file__).resolve().parent / "results" / "worklist.md"


def measure(url: str, copies: int) -> dict[str, float | int]:
    from fastapi.testclient import TestClient

    from api.app import create_app
    from flexcalc.ledger.db import session_factory
    from flexcalc.ledger.store import open_ledger
    from flexcalc.ledger.worklist import worklist
    from flexcalc.security.keys import create_key

    started = time.perf_counter()
    build(url, copies)
    built = time.perf_counter() - started
    factory = open_ledger(url)
    core = []
    for _ in range(5):
        t0 = time.perf_counter()
        with factory() as session:
            items = worklist(session, TODAY)
        core.append(time.perf_counter() - t0)
    with session_factory(url).begin() as session:
        key = create_key(session, "caseworker")[1]
    os.environ["FLEXCALC_DATABASE_URL"] = url
    api = []
    with TestClient(create_app()) as client:
        for _ in range(5):
            t0 = time.perf_counter()
            answer = client.get("/v1/worklist", params={"today": TODAY.isoformat(), "limit": 500},
                                headers={"Authorization": f"Bearer {key}"})
            api.append(time.perf_counter() - t0)
            assert answer.status_code == 200 and len(answer.json()) == min(500, len(items))
    return {"cases": copies * 6, "items": len(items), "build_s": built, "core_ms": statistics.median(core) * 1000,
            "api_ms": statistics.median(api) * 1000}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=400)
    parser.add_argument("--postgres", default=os.environ.get("FLEXCALC_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        rows.append(("SQLite", measure(f"sqlite:///{tmp}/worklist.sqlite", args.copies)))
        dispose_all()
    if args.postgres:
        admin_url = database_url(args.postgres)
        name = f"flexcalc_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            rows.append(("PostgreSQL", measure(admin_url.rsplit("/", 1)[0] + f"/{name}", args.copies)))
        finally:
            dispose_all()
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = ["# The caseworker's worklist", "",
             f"Measured {stamp} by `bench/worklist_bench.py --copies {args.copies}` on {platform.machine()}, "
             f"Python {platform.python_version()}, {os.cpu_count()} CPUs (a shared machine: other work ran at the "
             "same time). Median of five.", "",
             "| database | cases | items | whole list in the core | first page (500) via the API |",
             "|---|---:|---:|---:|---:|"]
    for name, r in rows:
        lines.append(f"| {name} | {r['cases']} | {r['items']} | {r['core_ms']:.0f} ms | {r['api_ms']:.0f} ms |")
    lines += ["", "No target was set by the issue; the list is computed on request from the stored holds, "
              "corrections, hearing events, duplicate candidates and event registrations (no table of its own), "
              "so it is always current."]
    RESULTS.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
