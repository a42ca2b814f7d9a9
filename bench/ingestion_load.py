"""Benchmarks: concurrent wage-report ingestion on PostgreSQL, and a SIGKILL.

uvicorn with 2 workers on 127.0.0.1, a fresh PostgreSQL database (``FLEXCALC_TEST_POSTGRES_URL``, e.g.
the one ``scripts/pg-test-server start`` prints). Each case gets an original February report (received
before the payment run) and a correction of it (received after), sent one report per request by the
employer's own key with ``Idempotency-Key: <report id>``. Several client threads share the cases (a
case's reports stay in order within one client). A request that fails (connection refused, reset,
timeout, 409 in progress) is retried with the same key and body, bounded in count and time.

* 6b (``python bench/ingestion_load.py``): every acknowledged report is stored, none twice;
  throughput.
* 6c (``python bench/ingestion_crash.py``): the same load; when about 40 % of the reports are
  acknowledged the whole server (supervisor and workers) is killed with SIGKILL and started again;
  the clients retry. Then: every acknowledged report is stored, none twice, and the payment run and
  reconciliation give the same result as a run of the same data without a crash.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.results_file import write_section
from bench.server import Server
from flexcalc.ledger.db import database_url, dispose_all, session_factory, upgrade
from flexcalc.security import keys

EMPLOYERS = ["11111111", "22222222", "33333333", "44444444"]
DEADLINE_SECONDS = 300
MAX_ATTEMPTS = 200


def fresh_database(admin_url: str) -> str:
    admin_url = database_url(admin_url)
    name = f"flexcalc_bench_{uuid.uuid4().hex[:10]}"
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


def drop_database(admin_url: str, url: str) -> None:
    dispose_all()
    engine = create_engine(database_url(admin_url), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)'))
    engine.dispose()


def reports_of(case: str, employer: str, n: int) -> list[dict[str, Any]]:
    wage = 12000 + (n * 37) % 9000
    base = {"case_id": case, "employer_id": employer, "payment_date": "2024-02-29", "period_start": "2024-02-01",
            "period_end": "2024-02-29", "pension_own": "0", "pension_employer": "0", "hours": "64"}
    return [
        {**base, "report_id": f"{case}-feb", "wage": f"{wage}.00", "received_at": "2024-03-04T10:00:00+01:00",
         "kind": "original", "corrects": None},
        {**base, "report_id": f"{case}-feb-c", "wage": f"{wage + 500 + n % 7 * 100}.00",
         "received_at": "2024-03-20T10:00:00+01:00", "kind": "correction", "corrects": f"{case}-feb"},
    ]


class Load:
    def __init__(self, cases: int, clients: int) -> None:
        self.cases = [(f"B-{i:05d}", EMPLOYERS[i % len(EMPLOYERS)]) for i in range(cases)]
        self.clients = clients
        self.acked: list[str] = []
        self.retries = 0
        self.applied_unacked: list[str] = []
        self.lock = threading.Lock()
        self.base = ""

    def setup(self, url: str) -> tuple[dict[str, str], str]:
        upgrade(url)
        secrets: dict[str, str] = {}
        with session_factory(url).begin() as session:
            _, caseworker = keys.create_key(session, "caseworker", label="bench")
            for cvr in EMPLOYERS:
                _, secrets[cvr] = keys.create_key(session, "employer", employer_cvr=cvr, label="bench")
        return secrets, caseworker

    def post(self, client: httpx.Client, path: str, body: dict[str, Any], headers: dict[str, str],
             deadline: float) -> httpx.Response:
        for attempt in range(MAX_ATTEMPTS):
            if time.monotonic() > deadline:
                raise RuntimeError("deadline passed")
            try:
                response = client.post(f"{self.base}{path}", json=body, headers=headers)
                if response.status_code < 500 and response.status_code != 409:
                    return response
                if response.status_code == 409 and "idempotency-applied" in response.text:
                    return response  # made before the crash, its answer lost: stored, not acknowledged
            except httpx.HTTPError:
                pass
            with self.lock:
                self.retries += 1
            time.sleep(min(0.05 * (attempt + 1), 1.0))
        raise RuntimeError(f"gave up on {path}")

    def create_cases(self, caseworker: str) -> None:
        deadline = time.monotonic() + DEADLINE_SECONDS
        with httpx.Client(timeout=10) as client:
            for case, employer in self.cases:
                r = self.post(client, "/v1/cases", {"case_id": case, "ceiling": "32067", "first_month": "2024-03",
                                                    "employers": [employer]},
                              {"Authorization": f"Bearer {caseworker}", "Idempotency-Key": f"case-{case}"}, deadline)
                assert r.status_code == 201, r.text

    def run_clients(self, secrets: dict[str, str]) -> float:
        deadline = time.monotonic() + DEADLINE_SECONDS
        errors: list[BaseException] = []

        def client_loop(index: int) -> None:
            try:
                with httpx.Client(timeout=10) as client:
                    for n, (case, employer) in enumerate(self.cases):
                        if n % self.clients != index:
                            continue
                        for report in reports_of(case, employer, n):
                            r = self.post(client, "/v1/employer/wage-reports", {"reports": [report]},
                                          {"Authorization": f"Bearer {secrets[employer]}",
                                           "Idempotency-Key": report["report_id"]}, deadline)
                            assert r.status_code in (200, 201, 409), r.text
                            if r.status_code in (200, 201):
                                with self.lock:
                                    self.acked.append(report["report_id"])
                            else:
                                with self.lock:
                                    self.applied_unacked.append(report["report_id"])
            except BaseException as error:  # surfaced below
                errors.append(error)

        start = time.perf_counter()
        threads = [threading.Thread(target=client_loop, args=(i,)) for i in range(self.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(DEADLINE_SECONDS + 30)
        if errors:
            raise errors[0]
        return time.perf_counter() - start

    def runs(self, caseworker: str) -> dict[str, Any]:
        h = {"Authorization": f"Bearer {caseworker}"}
        with httpx.Client(timeout=120) as client:
            pay = client.post(f"{self.base}/v1/payment-runs", headers=h,
                              json={"month": "2024-03", "as_of": "2024-03-06T12:00:00+01:00"})
            assert pay.status_code == 201, pay.text
            rec = client.post(f"{self.base}/v1/reconciliations", headers=h, json={"as_of": "2024-04-30T23:59:59+02:00"})
            assert rec.status_code == 201, rec.text
        corrections = sorted((c.get("case_id"), c.get("benefit_month"), c.get("difference"), c.get("status"))
                             for c in rec.json()["corrections"])
        return {"summary": rec.json()["summary"], "corrections": corrections}


def stored_reports(url: str) -> Counter[str]:
    engine = create_engine(url)
    with engine.connect() as connection:
        ids = [row[0] for row in connection.execute(text("SELECT report_id FROM ledger_report"))]
    engine.dispose()
    return Counter(ids)


def one_run(admin_url: str, cases: int, clients: int, crash_at: float | None,
            register_path: bool = True) -> dict[str, Any]:
    url = fresh_database(admin_url)
    try:
        load = Load(cases, clients)
        secrets, caseworker = load.setup(url)
        server = Server(url, workers=2).start()
        load.base = server.base
        load.create_cases(caseworker)
        killed_after: int | None = None
        restart_seconds = 0.0
        if crash_at is not None:
            total = 2 * cases

            def killer() -> None:
                nonlocal killed_after, restart_seconds
                while len(load.acked) < crash_at * total:
                    time.sleep(0.005)
                server.kill()
                killed_after = len(load.acked)
                t0 = time.perf_counter()
                server.start()
                restart_seconds = time.perf_counter() - t0

            thread = threading.Thread(target=killer)
            thread.start()
        # The reports carry the income register's own timestamps (a payment run on 6 March, corrections
        # later), so they come in through the register's path, a caseworker key: an employer key's
        # reports are stamped with the server's instant of receipt instead.
        sender = {cvr: caseworker for cvr in secrets} if register_path else secrets
        seconds = load.run_clients(sender)
        if crash_at is not None:
            thread.join()
        result = load.runs(caseworker)
        server.stop()
        stored = stored_reports(url)
        acked = set(load.acked)
        expected = {r["report_id"] for n, (c, e) in enumerate(load.cases) for r in reports_of(c, e, n)}
        return {"cases": cases, "clients": clients, "reports": len(expected), "acked": len(acked),
                "applied_unacked": len(load.applied_unacked), "stored": sum(stored.values()),
                "seconds": seconds, "rate": len(acked) / seconds, "retries": load.retries,
                "lost": sorted(acked - set(stored)), "twice": sorted(k for k, v in stored.items() if v > 1),
                "unexpected": sorted(set(stored) - expected), "killed_after": killed_after,
                "restart_seconds": restart_seconds, "result": result}
    finally:
        drop_database(admin_url, url)


def admin() -> str:
    url = os.environ.get("FLEXCALC_TEST_POSTGRES_URL")
    if not url:
        sys.exit("set FLEXCALC_TEST_POSTGRES_URL (bash scripts/pg-test-server start prints it)")
    return url


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=400)
    parser.add_argument("--clients", type=int, default=6)
    args = parser.parse_args()
    run = one_run(admin(), args.cases, args.clients, None)
    ok = not run["lost"] and not run["twice"] and run["acked"] == run["reports"]
    lines = [
        f"PostgreSQL, uvicorn 2 workers on 127.0.0.1, {run['clients']} client threads, {run['cases']} cases, "
        f"{run['reports']} reports (one per request, each with an Idempotency-Key, sent with the register's "
        "timestamps through a caseworker key).",
        "",
        f"- acknowledged: {run['acked']} of {run['reports']}; stored: lost {len(run['lost'])}, "
        f"twice {len(run['twice'])}, unexpected {len(run['unexpected'])} — {'OK' if ok else 'FAILED'}",
        f"- ingestion time {run['seconds']:.1f} s, {run['rate']:.0f} reports/s; retries {run['retries']}",
        f"- reconciliation summary: {run['result']['summary']}",
    ]
    write_section("ingestion", "\n".join(lines))
    print("\n".join(lines))
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
