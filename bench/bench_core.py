"""Benchmark: month calculations per second in the Decimal core, with the full trace.

Run: ``python -m bench.bench_core``. Writes ``bench/results/core.md``. One process, one core.
Compares with a bare Decimal loop of the same formula (no trace, no rules split), the ceiling of
what the core can reach in pure Python.
"""

from __future__ import annotations

import platform
import random
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from flexcalc.law.params import rates_for
from flexcalc.month import MonthInput, calculate_month
from flexcalc.period import Month

N = 200_000
RESULTS = Path(__file__).parent / "results" / "core.md"


def inputs(n: int, seed: int = 1) -> list[MonthInput]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        month = Month(rng.randint(2014, 2026), rng.randint(1, 12))
        wage = Decimal(rng.randint(0, 4_500_000)) / 100
        ceiling = Decimal(rng.randint(1_500_000, 6_000_000)) / 100
        out.append(MonthInput(month, wage, ceiling))
    return out


def bare_loop(items: list[MonthInput]) -> None:
    low, high, ore, cap = Decimal("0.30"), Decimal("0.55"), Decimal("0.01"), Decimal(500)
    for inp in items:
        r = rates_for(inp.benefit_month)
        w = inp.wage
        red = low * w if w <= r.threshold else low * r.threshold + high * (w - r.threshold)
        s = max(Decimal(0), r.max_subsidy - red).quantize(ore, ROUND_HALF_UP)
        s = max(Decimal(0), min(s, inp.ceiling - w))
        atp = min(s * Decimal("0.05"), cap).quantize(Decimal(1), ROUND_HALF_UP)
        _ = s - atp


def best_of(fn, items, repeat: int = 3) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn(items)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    items = inputs(N)
    for inp in items[:1000]:
        calculate_month(inp)  # warm the rates cache

    def core(batch: list[MonthInput]) -> None:
        for inp in batch:
            calculate_month(inp)

    def core_json(batch: list[MonthInput]) -> None:
        for inp in batch[: N // 10]:
            calculate_month(inp).to_dict()

    t_core = best_of(core, items)
    t_bare = best_of(bare_loop, items)
    t_json = best_of(core_json, items)
    rows = [
        ("core with trace (`calculate_month`)", N / t_core),
        ("core with trace, serialised to the JSON dict", (N // 10) / t_json),
        ("bare Decimal loop of the formula (no trace)", N / t_bare),
    ]
    lines = [
        "# Core benchmark: month calculations per second (one process, one core)",
        "",
        f"- machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}",
        f"- inputs: {N:,} random months 2014–2026, wages 0–45.000 kr. with øre, ceilings 15.000–60.000 kr.",
        "- best of 3 runs; `python -m bench.bench_core`",
        "",
        "| what | calculations per second |",
        "|---|---:|",
    ]
    lines += [f"| {name} | {rate:,.0f} |" for name, rate in rows]
    lines += ["", "Target: at least 50,000 per second per core in the core with its trace."]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
