"""In-process A/B of the plain path: the calculate.py of another checkout (the commit before the events)
against this one, interleaved 15 rounds in the same process, so machine load hits both alike.

    git archive <commit> flexcalc | tar -x -C /tmp/baseline
    python bench/ab_plain_path.py /tmp/baseline/flexcalc/calculate.py

Appends its result to bench/results/month_events.json under "ab_in_process".
"""

from __future__ import annotations

import importlib.util
import json
import statistics
import sys
import timeit
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flexcalc import calculate as current  # noqa: E402
from flexcalc.period import Month  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "month_events.json"


def main(path: str) -> None:
    spec = importlib.util.spec_from_file_location("baseline_calculate", path)
    assert spec and spec.loader
    baseline = importlib.util.module_from_spec(spec)
    sys.modules["baseline_calculate"] = baseline
    spec.loader.exec_module(baseline)
    month, wage, ceiling = Month(2024, 3), Decimal("15600.00"), Decimal("32067.00")

    def run_baseline() -> object:
        return baseline.calculate_month(baseline.MonthInput(month, wage, ceiling))

    def run_current() -> object:
        return current.calculate_month(current.MonthInput(month, wage, ceiling))

    assert run_baseline().subsidy == run_current().subsidy  # type: ignore[attr-defined]
    rates: dict[str, list[float]] = {"baseline": [], "current": []}
    for _ in range(15):
        rates["baseline"].append(20_000 / timeit.timeit(run_baseline, number=20_000))
        rates["current"].append(20_000 / timeit.timeit(run_current, number=20_000))
    result = {
        "baseline_best_per_s": round(max(rates["baseline"])),
        "current_best_per_s": round(max(rates["current"])),
        "baseline_median_per_s": round(statistics.median(rates["baseline"])),
        "current_median_per_s": round(statistics.median(rates["current"])),
        "ratio_best": round(max(rates["current"]) / max(rates["baseline"]), 3),
        "ratio_median": round(statistics.median(rates["current"]) / statistics.median(rates["baseline"]), 3),
    }
    data = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    data["ab_in_process"] = result
    RESULTS.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main(sys.argv[1])
