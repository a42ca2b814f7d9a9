"""The income register's answers of a national month, ingested on PostgreSQL; writes
bench/results/eindkomst_ingest.md.

A caseload of ``--people`` cases (each with a synthetic CPR number of the test series 0101xx-xxxx) is
bulk-inserted (not timed); the register's answer for all of them (``fixtures.eindkomst.national_month``:
one March report each, every 50th person a second employer) is written to a file; then, each in a fresh
process so its peak memory is its own:

1. the first reading (every record new: ``stored``);
2. the same answer read again (every record ``unchanged``: the re-read is a no-op);
3. the first reading of a tenth of the people into a fresh database, for the memory comparison: the
   peak resident memory of the reading process should not grow with the file (streamed parsing), only
   with the caseload's CPR index.

Usage: python bench/eindkomst_ingest.py [--people 90000] [--postgres URL]
(FLEXCALC_TEST_POSTGRES_URL or --postgres; a fresh database is made and dropped per run.)
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import multiprocessing
import os
import platform
import resource
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert

from bench.ledger_bench import postgres_database
from fixtures.eindkomst import national_month, test_cpr, write_answer
from flexcalc.ledger.db import dispose_all, make_engine
from flexcalc.ledger.models import Case, Ceiling, Employment
from flexcalc.ledger.store import open_ledger

RESULTS = Path(__file__).resolve().parent / "results" / "eindkomst_ingest.md"
UTC = dt.UTC


def caseload(url: str, people: int, employers: int = 20000) -> None:
    """The cases with their CPR numbers, ceilings and fleksjob employments (bulk insert, not timed)."""
    open_ledger(url)
    engine = make_engine(url)
    stamp = dt.datetime(2024, 1, 1, tzinfo=UTC)
    with engine.begin() as conn:
        for lo in range(0, people, 10000):
            hi = min(people, lo + 10000)
            conn.execute(insert(Case), [{"id": f"c{n:06d}", "cpr": test_cpr(n), "first_month": "2024-04",
                                         "last_month": None, "created_at": stamp, "revision": 0}
                                        for n in range(lo, hi)])
            conn.execute(insert(Ceiling), [{"case_id": f"c{n:06d}", "effective_month": "2024-04",
                                            "amount": Decimal(28000 + n % 9000), "recorded_at": stamp, "note": None}
                                           for n in range(lo, hi)])
            conn.execute(insert(Employment), [{"case_id": f"c{n:06d}", "employer_id": f"{30000000 + n % employers}",
                                               "first_basis_month": "2024-03", "last_basis_month": None,
                                               "created_at": stamp} for n in range(lo, hi)])
    engine.dispose()


def _read(url: str, path: str, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    """One reading in its own process: wall and CPU time, the summary and the peak resident memory."""
    from flexcalc.ledger.register_import import ingest_register

    factory = open_ledger(url)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start, cpu = time.perf_counter(), time.process_time()
    result = ingest_register(factory, functools.partial(Path(path).open, "rb"))
    elapsed, cpu_used = time.perf_counter() - start, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    dispose_all()
    out.put({"s": elapsed, "cpu": cpu_used, "summary": result.to_dict(), "rss_before_mb": before / 1024,
             "rss_peak_mb": peak / 1024, "load": os.getloadavg()[0]})


def reading(url: str, path: Path) -> dict[str, object]:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_read, args=(url, str(path), queue))
    process.start()
    result = queue.get()
    process.join()
    return dict(result)


def answer(tmp: str, people: int) -> tuple[Path, float]:
    path = Path(tmp) / f"answer-{people}.xml"
    start = time.perf_counter()
    with path.open("w", encoding="utf-8") as out:
        write_answer(out, national_month(people))
    return path, time.perf_counter() - start


def row(label: str, people: int, size_mb: float, r: dict[str, object]) -> str:
    s = r["summary"]
    assert isinstance(s, dict)
    return (f"| {label} | {people:,} | {s['read']:,} | {size_mb:.0f} MB | {r['s']:.1f} s ({r['cpu']:.1f} s) | "
            f"{s['stored']:,} | {s['unchanged']:,} | {s['held']:,} | {s['unknown_cpr']:,} | "
            f"{r['rss_peak_mb']:.0f} MB (start {r['rss_before_mb']:.0f} MB) | {r['load']:.1f} |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=90_000)
    parser.add_argument("--postgres", default=os.environ.get("FLEXCALC_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    if not args.postgres:
        raise SystemExit("a PostgreSQL server is needed: --postgres URL or FLEXCALC_TEST_POSTGRES_URL")
    lines = ["# Income register ingest (eIndkomst) on PostgreSQL", "",
             f"Run {dt.datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()}, {os.cpu_count()} CPUs, "
             f"Python {platform.python_version()}, `python bench/eindkomst_ingest.py --people {args.people}`.", "",
             "The register's answer (IndkomstOplysningPersonHent_O, fixtures/eindkomst) of every person of the "
             "caseload for March; every 50th person has a second employer. The caseload (cases with CPR, "
             "ceilings, employments) is bulk-inserted first, not timed. Each reading runs in a fresh process: "
             "the time is wall time with the process's CPU time in brackets (the server's CPU is not in it); "
             "the memory is the process's peak resident set (ru_maxrss) and what it had before reading (the "
             "interpreter and libraries). The last row reads a tenth of the people: a streamed reading's peak "
             "should not grow with the file, only with the caseload's CPR index held in memory.", "",
             "| reading | people | records | file | time | stored | unchanged | held | unknown CPR | peak memory "
             "| load |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    with tempfile.TemporaryDirectory() as tmp:
        path, made = answer(tmp, args.people)
        size = path.stat().st_size / 1e6
        url, drop = postgres_database(args.postgres)
        try:
            caseload(url, args.people)
            for label in ("first reading", "same answer again"):
                lines.append(row(label, args.people, size, reading(url, path)))
                print(lines[-1], flush=True)
        finally:
            dispose_all()
            drop()
        tenth = max(1, args.people // 10)
        small, _ = answer(tmp, tenth)
        url, drop = postgres_database(args.postgres)
        try:
            caseload(url, tenth)
            lines.append(row("first reading, a tenth", tenth, small.stat().st_size / 1e6, reading(url, small)))
            print(lines[-1], flush=True)
        finally:
            dispose_all()
            drop()
    lines += ["", f"Writing the {size:.0f} MB answer took {made:.1f} s (not part of the ingest). The issue's goal "
              "(ingest + payment run + payment file + income reports under 30 s) covers the whole chain; this "
              "is the ingest's share.", ""]
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"written to {RESULTS}")


if __name__ == "__main__":
    main()
