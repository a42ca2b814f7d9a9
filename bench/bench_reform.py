"""Benchmark of a reform run over 1.000.000 people on one core.

    python bench/bench_reform.py                 # 1.000.000 people, every example reform
    python bench/bench_reform.py --people 100000

For each example reform in fixtures/reforms/ it measures, in one thread, best of ``--repeat`` runs:

- ``file``: ``flexcalc.reforms.run.run_reform_file`` from a Parquet file (reading and checking every
  column, today's rules, the reform, and the month again with one more hour under both, all the
  breakdowns), no output file — what ``flexcalc reform run`` does after start-up;
- ``file+output``: the same writing the per-person Parquet file;
- ``memory``: ``compare_table`` on a table already in memory (one chunk).

Writes bench/results/reform.md and bench/results/reform.json. Wall and process CPU time are both
reported: the machine is shared, and CPU time is what waiting for a shared CPU does not inflate.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa

from fixtures.population import generate, write
from flexcalc.period import Month
from flexcalc.reforms import load_reform
from flexcalc.reforms.run import compare_table, run_reform_file

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
MONTH = Month(2024, 3)


def _best(call, repeat: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        call()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    pa.set_cpu_count(1)  # one core: Arrow's reader and compute run in this thread's pool of one
    pa.set_io_thread_count(1)
    reforms = sorted(p for p in (ROOT / "fixtures" / "reforms").glob("*.yaml") if p.name != "hand_computed.yaml")
    table = generate(args.people, seed=8)
    rows = []
    load_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        people = write(table, Path(tmp) / "people.parquet", row_group_rows=131_072)
        out = Path(tmp) / "out.parquet"
        for path in reforms:
            reform = load_reform(path)
            run_reform_file(MONTH, people, reform)  # warm-up
            file_wall, file_cpu = _best(lambda: run_reform_file(MONTH, people, reform), args.repeat)  # noqa: B023
            out_wall, out_cpu = _best(lambda: run_reform_file(MONTH, people, reform, out), args.repeat)  # noqa: B023
            mem_wall, mem_cpu = _best(lambda: compare_table(MONTH, table, reform), args.repeat)  # noqa: B023
            result = compare_table(MONTH, table, reform).to_dict()
            rows.append({"reform": path.stem, "people": args.people, "file_wall_s": round(file_wall, 3),
                         "file_cpu_s": round(file_cpu, 3), "file_output_wall_s": round(out_wall, 3),
                         "file_output_cpu_s": round(out_cpu, 3), "memory_wall_s": round(mem_wall, 3),
                         "memory_cpu_s": round(mem_cpu, 3), "difference": result["difference"],
                         "winners": result["winners"], "losers": result["losers"]})
            print(rows[-1], flush=True)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    meta = {"measured": stamp, "cpus": os.cpu_count(), "python": platform.python_version(),
            "numpy": np.__version__, "load_start": load_start, "load_end": os.getloadavg()[0], "month": str(MONTH),
            "seed": 8, "threads": 1}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "reform.json").write_text(json.dumps({"meta": meta, "rows": rows}, indent=2, ensure_ascii=False) + "\n")
    lines = [
        "# Reform run benchmark",
        "",
        f"Run {stamp} by `python bench/bench_reform.py --people {args.people}` on {os.cpu_count()} CPUs shared with "
        f"other work (load {load_start:.2f} at start, {os.getloadavg()[0]:.2f} at end), Python "
        f"{platform.python_version()}, NumPy {np.__version__}, one thread. Benefit month {MONTH}, synthetic "
        "population seed 8 (fixtures/population.py). Best of "
        f"{args.repeat} runs after a warm-up. *file*: `run_reform_file` from Parquet (read and check every column, "
        "today's rules, the reform, one more hour under both, all breakdowns), no output; *+output*: also "
        "writing the per-person Parquet file; *memory*: `compare_table` on a table in memory. "
        "Target: a reform run over 1.000.000 people under 2 s on one core.",
        "",
        "| reform | people | file wall s | file CPU s | +output wall s | +output CPU s | memory wall s | "
        "difference (kr.) | winners | losers |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(f"| {row['reform']} | {row['people']:,} | {row['file_wall_s']} | {row['file_cpu_s']} | "
                     f"{row['file_output_wall_s']} | {row['file_output_cpu_s']} | {row['memory_wall_s']} | "
                     f"{row['difference']} | {row['winners']:,} | {row['losers']:,} |")
    (RESULTS / "reform.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
