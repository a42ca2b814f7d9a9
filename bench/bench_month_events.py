"""Speed of the plain monthly calculation (with trace) and of months with events.

The plain path is benchmarked at ≥ 50.000 calculations a second; the events must not slow it down.
Run from the worktree root: ``python bench/bench_month_events.py`` (writes
``bench/results/month_events.json``). ``--baseline DIR`` also times the flexcalc package found in DIR
(e.g. the commit before the events, unpacked with ``git archive``) in a subprocess, for a before/after.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import subprocess
import sys
import timeit
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "month_events.json"
NUMBER = 20_000
REPEAT = 7
ROUNDS = 5

PLAIN = """
from decimal import Decimal as D
from flexcalc.month import MonthInput, calculate_month
from flexcalc.period import Month
m = Month(2024, 3)
wage, ceiling = D("15600.00"), D("32067.00")
calculate_month(MonthInput(m, wage, ceiling))
"""


def _best(stmt: str, setup: str, number: int) -> float:
    times = timeit.repeat(stmt, setup=setup, number=number, repeat=REPEAT)
    return number / min(times)


def plain_rate() -> float:
    return _best("calculate_month(MonthInput(m, wage, ceiling))", PLAIN, NUMBER)


def events_rates() -> dict[str, float]:
    setup = PLAIN + """
import datetime as dt
from flexcalc.month.events import MonthEvents, Period, Income
empty = MonthEvents()
mixed = MonthEvents(periods=(Period("sickness_unpaid", dt.date(2024, 2, 12), dt.date(2024, 2, 23)),
                             Period("holiday_ledighedsydelse", dt.date(2024, 3, 4), dt.date(2024, 3, 8))),
                    sickness_benefit=D("8000"), incomes=(Income("ferietillaeg", D("1200")),),
                    paid_hours=D("60"), paid_hours_before_sickness=D("78"))
"""
    return {
        "empty_events_per_s": _best("calculate_month(MonthInput(m, wage, ceiling, events=empty))", setup, NUMBER // 4),
        "mixed_events_per_s": _best("calculate_month(MonthInput(m, wage, ceiling, events=mixed))", setup, NUMBER // 10),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--baseline", type=Path, help="directory holding the flexcalc package before the events")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(plain_rate())
        return
    sys.path.insert(0, str(ROOT))
    result: dict[str, object] = {
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "method": f"best of {REPEAT} × {NUMBER} calls of calculate_month (plain, with trace), timeit",
        "plain_per_s": round(plain_rate()),
        **{k: round(v) for k, v in events_rates().items()},
        "goal_plain_per_s": 50_000,
    }
    if args.baseline:
        # interleaved, each in a fresh process, so that the machine's drift hits both alike
        rates: dict[str, list[float]] = {"baseline": [], "current": []}
        for _ in range(ROUNDS):
            for name, path in (("baseline", args.baseline), ("current", ROOT)):
                out = subprocess.run([sys.executable, __file__, "--child"], capture_output=True, text=True,
                                     check=True, env={"PYTHONPATH": str(path)}, cwd=str(path))
                rates[name].append(float(out.stdout))
        result["baseline"] = str(args.baseline)
        result["interleaved_rounds"] = ROUNDS
        result["baseline_plain_per_s_best"] = round(max(rates["baseline"]))
        result["current_plain_per_s_best"] = round(max(rates["current"]))
        result["baseline_plain_per_s_all"] = [round(r) for r in rates["baseline"]]
        result["current_plain_per_s_all"] = [round(r) for r in rates["current"]]
        result["current_vs_baseline"] = round(max(rates["current"]) / max(rates["baseline"]), 3)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
