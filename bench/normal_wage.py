"""Benchmark of the normal-wage check: time per form for ``check_form`` (ceiling, every check, and the effect
for the employee, which calls ``calculate_month`` about 50–60 times). Writes ``bench/results/normal_wage.json``.

Run from the worktree root: ``python bench/normal_wage.py``.
"""

from __future__ import annotations

import json
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from flexcalc.normal_wage import build_ceiling, check_form, load_form  # noqa: E402

FORMS = sorted((ROOT / "fixtures" / "normal_wage").glob("*.json"))
ROUNDS = 50


def main() -> None:
    forms = {path.stem: load_form(path.read_text(encoding="utf-8")) for path in FORMS}
    results: dict[str, dict[str, float]] = {}
    for name, form in forms.items():
        check_form(form)  # warm the rates cache
        samples = []
        for _ in range(ROUNDS):
            start = time.perf_counter()
            check_form(form)
            samples.append(time.perf_counter() - start)
        start = time.perf_counter()
        for _ in range(ROUNDS):
            build_ceiling(form)
        results[name] = {
            "check_form_median_ms": round(statistics.median(samples) * 1000, 3),
            "check_form_max_ms": round(max(samples) * 1000, 3),
            "build_ceiling_mean_ms": round((time.perf_counter() - start) / ROUNDS * 1000, 4),
            "with_employee_effect": form.employee is not None,
        }
    out = {
        "benchmark": "normal_wage.check_form",
        "rounds_per_form": ROUNDS,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "forms": results,
    }
    target = ROOT / "bench" / "results" / "normal_wage.json"
    target.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
