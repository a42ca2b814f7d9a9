"""A national month end to end on PostgreSQL: the income register's answers of ``--people`` persons ingested,
the payment run, the payouts after A-skat, the payment file and the income report written; writes
bench/results/national_month.md and .json with the total and each step's wall time, CPU time and peak memory.

Reuses the generators of the two part benchmarks (not copies): the caseload and the register answer of
``bench/eindkomst_ingest.py`` (``fixtures.eindkomst.national_month``: one March report each, every 50th person a
second employer) and the tax cards of ``bench/payout_outputs.py``. Not timed: the caseload (bulk insert) and
writing the answer file. The tax card import is timed but shown apart: it is an input of its own (eSkattekort),
not a step of the register → payment → files chain the goal names.

Each step runs in a fresh process (spawn), so its peak resident memory (ru_maxrss) is its own; the CPU time is
that process's (the database server's CPU is not in it). Goal: the chain under 30 s.

Usage: python bench/national_month.py [--people 90000] [--runs 1] [--postgres URL]
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import multiprocessing
import os
import platform
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.eindkomst_ingest import answer, caseload
from bench.ledger_bench import postgres_database
from bench.payout_outputs import tax_cards_csv
from flexcalc.ledger.db import dispose_all
from flexcalc.period import Month

UTC = dt.UTC
RESULTS = Path(__file__).resolve().parent / "results"
MONTH = Month(2024, 4)  # benefit month of the March wages in the answer
AS_OF = dt.datetime(2024, 4, 8, tzinfo=UTC)
GOAL_S = 30.0


def _ingest(url: str, tmp: str) -> dict[str, Any]:
    from flexcalc.ledger.register_import import ingest_register
    from flexcalc.ledger.store import open_ledger

    path = next(Path(tmp).glob("answer-*.xml"))
    return ingest_register(open_ledger(url), functools.partial(path.open, "rb")).to_dict()


def _pay(url: str, tmp: str) -> dict[str, Any]:
    from flexcalc.ledger.payments import pay_month
    from flexcalc.ledger.store import open_ledger

    run = pay_month(open_ledger(url), MONTH, AS_OF)
    summary = {**run.summary(), **run.totals}
    return {k: summary[k] for k in ("paid", "held", "total_subsidy", "total_atp_own", "total_payout")}


def _cards(url: str, tmp: str) -> dict[str, Any]:
    from flexcalc.ledger.store import open_ledger, transaction
    from flexcalc.ledger.tax_cards import import_tax_cards

    text = (Path(tmp) / "cards.csv").read_text(encoding="utf-8")
    with transaction(open_ledger(url)) as session:
        return {"cards": import_tax_cards(session, text, "bench", "bench")}


def _outputs(url: str, tmp: str) -> dict[str, Any]:
    from flexcalc.formats.income_report import write_income_report
    from flexcalc.formats.payment_file import write_payment_file
    from flexcalc.ledger.payouts import month_payouts
    from flexcalc.ledger.store import open_ledger

    t0 = time.perf_counter()
    with open_ledger(url)() as session:
        payouts = month_payouts(session, MONTH)
    t1 = time.perf_counter()
    with (Path(tmp) / "pay.txt").open("w", encoding="utf-8") as handle:
        payees = write_payment_file(payouts, handle, "11223344")
    t2 = time.perf_counter()
    with (Path(tmp) / "report.txt").open("w", encoding="utf-8") as handle:
        reported = write_income_report(payouts, handle, "11223344", dt.date(2024, 4, 30))
    t3 = time.perf_counter()
    totals = payouts.totals()
    return {"payees": payees, "reported": reported, "payouts_s": round(t1 - t0, 2),
            "payment_file_s": round(t2 - t1, 2), "income_report_s": round(t3 - t2, 2),
            "gross": totals["gross"], "a_skat": totals["a_skat"], "net": totals["net"],
            "run_total_payout": totals["run_total_payout"],
            "payment_file_mb": round((Path(tmp) / "pay.txt").stat().st_size / 1e6, 1),
            "income_report_mb": round((Path(tmp) / "report.txt").stat().st_size / 1e6, 1)}


STEPS: dict[str, Callable[[str, str], dict[str, Any]]] = {"ingest": _ingest, "pay": _pay, "tax_cards": _cards,
                                                          "outputs": _outputs}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _child(name: str, url: str, tmp: str, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    start, cpu, children = time.perf_counter(), time.process_time(), _children_cpu()
    try:
        result = STEPS[name](url, tmp)
    except BaseException as error:  # the parent waits on the queue: tell it
        out.put({"step": name, "error": repr(error)})
        raise
    elapsed, cpu_used = time.perf_counter() - start, time.process_time() - cpu
    dispose_all()
    reader = _children_cpu() - children  # the register reader's process (parsing), where one was started
    out.put({"step": name, "s": round(elapsed, 2), "cpu_s": round(cpu_used + reader, 2),
             "reader_cpu_s": round(reader, 2),
             "reader_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
             "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
             "load": round(os.getloadavg()[0], 1), **result})


def step(name: str, url: str, tmp: str) -> dict[str, Any]:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_child, args=(name, url, tmp, queue))
    process.start()
    result = dict(queue.get())
    process.join()
    if "error" in result or process.exitcode:
        raise SystemExit(f"step {name} failed: {result.get('error')} (exit {process.exitcode})")
    print(json.dumps(result), flush=True)
    return result


BEFORE = """\
## Before: one process parses and stores (2026-12-07 23:25 UTC, same command, one run)

| step | wall | CPU | peak memory | load | what |
|---|---|---|---|---|---|
| register ingest | 28.27 s | 16.38 s | 137 MB | 3.8 | 91,800 records of 90,000 people (346 MB XML): \
91,800 stored, 0 held |
| payment run 2024-04 | 8.27 s | 4.07 s | 159 MB | 3.7 | 90,000 paid, 0 held; payout 1279648216.43 |
| payouts after A-skat + payment file + income report | 7.86 s | 4.18 s | 275 MB | 4.2 | payouts 4.97 s, \
payment file 0.62 s (90,000 payees, 7.7 MB), income report 1.99 s (90,000 persons, 13.5 MB) |
| **chain total (goal < 30 s)** | **44.4 s** | **24.6 s** | max 275 MB | | slowest step: ingest |
| tax card import (an input of its own, not in the total) | 10.61 s | 4.97 s | 184 MB | 4.1 | 90,000 cards |
"""


def chain_total(steps: dict[str, dict[str, Any]]) -> tuple[float, float]:
    chain = [steps[k] for k in ("ingest", "pay", "outputs")]
    return sum(x["s"] for x in chain), sum(x["cpu_s"] for x in chain)


def table(people: int, size_mb: float, steps: dict[str, dict[str, Any]]) -> list[str]:
    chain = [steps[k] for k in ("ingest", "pay", "outputs")]
    total, cpu = chain_total(steps)
    ing, pay, out, cards = steps["ingest"], steps["pay"], steps["outputs"], steps["tax_cards"]
    slowest = max(chain, key=lambda x: x["s"])["step"]
    return [
        "| step | wall | CPU | peak memory | load | what |", "|---|---|---|---|---|---|",
        f"| register ingest | {ing['s']} s | {ing['cpu_s']} s (reader process {ing.get('reader_cpu_s', 0)} s) | "
        f"{ing['peak_rss_mb']} MB (reader process {ing.get('reader_peak_rss_mb', 0)} MB) | {ing['load']} | "
        f"{ing['read']:,} records of {people:,} people ({size_mb:.0f} MB XML): {ing['stored']:,} stored, "
        f"{ing['held']:,} held |",
        f"| payment run {MONTH} | {pay['s']} s | {pay['cpu_s']} s | {pay['peak_rss_mb']} MB | {pay['load']} | "
        f"{pay['paid']:,} paid, {pay['held']:,} held; payout {pay['total_payout']} |",
        f"| payouts after A-skat + payment file + income report | {out['s']} s | {out['cpu_s']} s | "
        f"{out['peak_rss_mb']} MB | {out['load']} | payouts {out['payouts_s']} s, "
        f"payment file {out['payment_file_s']} s "
        f"({out['payees']:,} payees, {out['payment_file_mb']} MB), income report {out['income_report_s']} s "
        f"({out['reported']:,} persons, {out['income_report_mb']} MB) |",
        f"| **chain total (goal < {GOAL_S:.0f} s)** | **{total:.1f} s** | **{cpu:.1f} s** | "
        f"max {max(x['peak_rss_mb'] for x in chain)} MB | | slowest step: {slowest} |",
        f"| tax card import (an input of its own, not in the total) | {cards['s']} s | {cards['cpu_s']} s | "
        f"{cards['peak_rss_mb']} MB | {cards['load']} | {cards['cards']:,} cards |", "",
        f"Totals: gross {out['gross']} = the run's payout {out['run_total_payout']}; A-skat {out['a_skat']}; "
        f"net {out['net']}.", "",
    ]


def report(people: int, size_mb: float, runs: list[dict[str, dict[str, Any]]], load_before: float) -> list[str]:
    lines = [
        "# A national month end to end: register in, payment run, payment file and income report out (PostgreSQL)",
        "",
        f"Measured {dt.datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `bench/national_month.py --people {people} "
        f"--runs {len(runs)}` (Python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.machine()}; "
        f"{len(runs)} run(s), each on a fresh database, on a machine shared with other work: the 1-minute load "
        f"average was {load_before:.1f} before the first run; the load column is the load when the step ended).", "",
        "Each step in a fresh process: wall time, CPU time of flexcalc's processes (the step's process and, for the "
        "ingest, the register reader's process that parses the XML beside it; the PostgreSQL server's CPU is not "
        "in it) and the step process's peak resident memory (ru_maxrss, the interpreter and libraries included, "
        "about 100 MB; for the ingest also the reader process's own peak).", "",
    ]
    for number, steps in enumerate(runs, 1):
        lines += [f"## Run {number}", "", *table(people, size_mb, steps)]
    walls = [chain_total(steps)[0] for steps in runs]
    lines += [f"Chain total over the runs: {', '.join(f'{w:.1f} s' for w in walls)} (best {min(walls):.1f} s; "
              f"goal < {GOAL_S:.0f} s).", "", BEFORE]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=90_000)
    parser.add_argument("--runs", type=int, default=1, help="the chain this many times, each on a fresh database")
    parser.add_argument("--postgres", default=os.environ.get("FLEXCALC_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    if not args.postgres:
        raise SystemExit("a PostgreSQL server is needed: --postgres URL or FLEXCALC_TEST_POSTGRES_URL")
    load_before = os.getloadavg()[0]
    runs: list[dict[str, dict[str, Any]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        path, _ = answer(tmp, args.people)
        size = path.stat().st_size / 1e6
        (Path(tmp) / "cards.csv").write_text(tax_cards_csv(args.people), encoding="utf-8")
        for _run in range(args.runs):
            url, drop = postgres_database(args.postgres)
            try:
                caseload(url, args.people)
                runs.append({name: step(name, url, tmp) for name in ("ingest", "pay", "tax_cards", "outputs")})
            finally:
                dispose_all()
                drop()
    lines = report(args.people, size, runs, load_before)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "national_month.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (RESULTS / "national_month.json").write_text(json.dumps({"people": args.people, "load_before": load_before,
                                                             "runs": runs}, indent=2) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
