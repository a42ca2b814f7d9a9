"""Benchmark: hour scenarios (37 monthly calculations each), the estimate after tax and the
month-to-month explanation. Writes bench/results/scenarios.json.

    python bench/bench_scenarios.py
"""

from __future__ import annotations

import json
import platform
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flexcalc.citizen.month_change import MonthSide, explain_month_change  # noqa: E402
from flexcalc.citizen.scenarios import Job, hour_scenario  # noqa: E402
from flexcalc.citizen.tax_estimate import scenario_after_tax  # noqa: E402
from flexcalc.month import MonthInput  # noqa: E402
from flexcalc.period import Month  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "scenarios.json"


def timed(function, repeat: int) -> list[float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {"calls": len(times), "median_ms": round(statistics.median(ordered) * 1000, 3),
            "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1] * 1000, 3)}


def main() -> None:
    rng = random.Random(4)
    months = [Month(y, m) for y in range(2024, 2027) for m in range(1, 13)]
    jobs = [(rng.choice(months), Job(hourly=Decimal(rng.randint(9000, 40000)) / 100)) for _ in range(300)]
    it = iter(jobs * 10)
    scenario = summary(timed(lambda: hour_scenario(*next(it)), 300))
    sample = hour_scenario(Month(2024, 3), Job(hourly=Decimal(200)))
    after_tax = summary(timed(lambda: scenario_after_tax(sample, Decimal("0.25")), 300))
    pairs = [(MonthSide(MonthInput(rng.choice(months), Decimal(rng.randint(0, 4_000_000)) / 100,
                                   Decimal(rng.randint(1_000_000, 6_000_000)) / 100)),
              MonthSide(MonthInput(rng.choice(months), Decimal(rng.randint(0, 4_000_000)) / 100,
                                   Decimal(rng.randint(1_000_000, 6_000_000)) / 100))) for _ in range(1000)]
    pit = iter(pairs)
    change = summary(timed(lambda: explain_month_change(*next(pit)), 1000))
    result = {
        "what": "per call: hour_scenario (37 calculate_month), scenario_after_tax (37 estimates), "
                "explain_month_change (up to 4 calculate_month)",
        "hour_scenario": scenario, "scenario_after_tax": after_tax, "explain_month_change": change,
        "python": platform.python_version(), "machine": platform.machine(),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
