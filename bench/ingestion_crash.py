"""Benchmark: SIGKILL the server during ingestion, restart, retry — nothing acknowledged
is lost, nothing is stored twice, and reconciliation equals a run without the crash.
See ``bench/ingestion_load.py``. Run: ``python bench/ingestion_crash.py [--cases 300]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.ingestion_load import admin, one_run
from bench.results_file import write_section


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--clients", type=int, default=6)
    args = parser.parse_args()
    clean = one_run(admin(), args.cases, args.clients, None)
    crashed = one_run(admin(), args.cases, args.clients, 0.4)
    same = clean["result"] == crashed["result"]
    ok = (not crashed["lost"] and not crashed["twice"] and not crashed["unexpected"]
          and crashed["stored"] == crashed["reports"] and same)
    lines = [
        f"PostgreSQL, uvicorn 2 workers on 127.0.0.1, {args.clients} client threads, {args.cases} cases, "
        f"{crashed['reports']} reports. The whole server (supervisor and both workers) was killed with SIGKILL "
        f"after {crashed['killed_after']} acknowledged reports and started again ({crashed['restart_seconds']:.1f} s); "
        f"clients retried with the same Idempotency-Key ({crashed['retries']} retries).",
        "",
        f"- acknowledged {crashed['acked']} of {crashed['reports']} (made before the kill but answer lost, 409 "
        f"'applied' on retry: {crashed['applied_unacked']}); stored {crashed['stored']}; lost acknowledged "
        f"{len(crashed['lost'])}, stored twice "
        f"{len(crashed['twice'])}, unexpected {len(crashed['unexpected'])}",
        f"- payment run + reconciliation identical to the run without a crash: {same} "
        f"(summary {crashed['result']['summary']}, {len(crashed['result']['corrections'])} corrections)",
        f"- verdict: {'OK' if ok else 'FAILED'}",
    ]
    write_section("crash", "\n".join(lines))
    print("\n".join(lines))
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
