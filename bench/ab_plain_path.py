"""A/B of the plain month path in one process: the calculation before the one pipeline (``flexcalc/calculate.py``
at commit 05ed62e, read from git into a temporary module; without git, the frozen copy in
``tests/support/legacy_plain.py``) against the one month pipeline of ``flexcalc.month``, interleaved
rounds in the same process so machine load hits both alike. Both build the full trace.

    .venv/bin/python bench/ab_plain_path.py [--rev 05ed62e] [--rounds 100] [--number 1000]

Writes bench/results/month_pipeline.json and bench/results/month_pipeline.md. The goal: the plain path
keeps ≥ 60.000 months/s with trace on one core.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import timeit
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flexcalc.month import MonthInput, calculate_month  # noqa: E402
from flexcalc.period import Month  # noqa: E402

RESULTS = ROOT / "bench" / "results"
GOAL_PER_S = 60_000


def load_before(rev: str) -> tuple[ModuleType | None, str]:
    """The old ``flexcalc/calculate.py`` as a module of its own (it imports today's rules, unchanged)."""
    try:
        source = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:flexcalc/calculate.py"], check=True,
                                capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None, "tests/support/legacy_plain.py (frozen copy; git not available)"
    path = Path(tempfile.mkdtemp()) / "calculate_before.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("calculate_before", path)
    if spec is None or spec.loader is None:
        raise RuntimeError("cannot load the old calculate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["calculate_before"] = module
    spec.loader.exec_module(module)
    return module, f"git show {rev}:flexcalc/calculate.py"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rev", default="05ed62e", help="the commit whose calculate.py is 'before'")
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--number", type=int, default=1_000, help="months per round and side")
    args = parser.parse_args()
    before, origin = load_before(args.rev)
    month, wage, ceiling = Month(2024, 3), Decimal("15600.00"), Decimal("32067.00")

    if before is not None:
        def run_before() -> Any:
            return before.calculate_month(before.MonthInput(month, wage, ceiling))
    else:
        from tests.support.legacy_plain import legacy_calculate_month

        def run_before() -> Any:
            return legacy_calculate_month(MonthInput(month, wage, ceiling))

    def run_after() -> Any:
        return calculate_month(MonthInput(month, wage, ceiling))

    old, new = run_before(), run_after()
    if (old.subsidy, old.payout, [s.key for s in old.steps]) != (new.subsidy, new.payout, [s.key for s in new.steps]):
        raise SystemExit("before and after differ on the benchmark month")
    rates: dict[str, list[float]] = {"before": [], "after": []}
    for _ in range(args.rounds):
        rates["before"].append(args.number / timeit.timeit(run_before, number=args.number))
        rates["after"].append(args.number / timeit.timeit(run_after, number=args.number))
    result = {
        "what": "plain month 2024-03, wage 15.600, ceiling 32.067, full trace, one process, one core",
        "before": origin,
        "after": "flexcalc.month.pipeline (the one month pipeline)",
        "rounds": args.rounds,
        "months_per_round": args.number,
        "before_best_per_s": round(max(rates["before"])),
        "after_best_per_s": round(max(rates["after"])),
        "before_median_per_s": round(statistics.median(rates["before"])),
        "after_median_per_s": round(statistics.median(rates["after"])),
        "ratio_median": round(statistics.median(rates["after"]) / statistics.median(rates["before"]), 3),
        "goal_per_s": GOAL_PER_S,
        "goal_met_best": max(rates["after"]) >= GOAL_PER_S,
        "goal_met_median": statistics.median(rates["after"]) >= GOAL_PER_S,
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "month_pipeline.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    md = ["# Plain month path: before and after the one pipeline", "",
          f"{result['what']}. Before: {origin}. After: {result['after']}.",
          f"{args.rounds} interleaved rounds of {args.number} months each side (`bench/ab_plain_path.py`).", "",
          "| side | best months/s | median months/s |", "|---|---:|---:|",
          f"| before | {result['before_best_per_s']:,} | {result['before_median_per_s']:,} |",
          f"| after | {result['after_best_per_s']:,} | {result['after_median_per_s']:,} |", "",
          f"After / before (median): {result['ratio_median']}; (best): "
          f"{round(max(rates['after']) / max(rates['before']), 3)}. Goal ≥ {GOAL_PER_S:,} months/s with trace: "
          f"{'met' if result['goal_met_best'] else 'NOT met'} in the best round (the closest to a free core), "
          f"{'met' if result['goal_met_median'] else 'NOT met'} in the median round.",
          "The machine is shared (2 cores, several engineers): absolute figures vary between runs; the ratio of "
          "the interleaved rounds is the comparison."]
    (RESULTS / "month_pipeline.md").write_text("\n".join(md) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
