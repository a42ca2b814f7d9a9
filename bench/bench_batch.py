"""Benchmark of the batch path: person-months per second, peak memory and exactness.

    python bench/bench_batch.py                        # 10.000, 100.000 and 1.000.000 people
    python bench/bench_batch.py --sizes 10000,100000   # quicker

    # with OpenFisca, from PyPI into an environment of its own (flexcalc does not depend on it):
    python -m venv /tmp/ofvenv && /tmp/ofvenv/bin/pip install "openfisca-core==46.*" pyarrow
    python bench/bench_batch.py --openfisca-python /tmp/ofvenv/bin/python

Writes bench/results/batch.md and bench/results/batch.json. Every measurement runs in a fresh
subprocess, so its peak resident memory (``ru_maxrss``, from ``os.wait4``) is its own; inside it,
``tracemalloc`` gives the peak of the Python/NumPy allocations of the measured call alone.

Measured, on the same synthetic population (fixtures/population.py, seed 8, benefit month 2024-03):

- ``decimal``: the reference, ``flexcalc.month.calculate_month`` once per person (with its
  trace), amounts in and out as integer øre. It also checks the kernel against every row.
- ``kernel``: ``flexcalc.batch.compute_month`` on int64 øre arrays (input range check included),
  best of several runs after a warm-up, one thread.
- ``float64`` / ``float32``: a **measurement, not a product**: the same formula written the naive way
  in NumPy floats (kroner as float, ``np.round`` to øre and to kroner), counting the people whose
  subsidy or payout differs from the exact result by at least 1 øre. ``float32`` imitates how
  OpenFisca stores money (its ``float`` variables are float32); it is our own NumPy code, not OpenFisca.
- ``cli``: ``python -m flexcalc batch`` from a Parquet file to a Parquet file, the whole process
  (interpreter start, imports, reading the rates, reading, computing, writing, summary).
- ``openfisca``: the same formula as an OpenFisca model (bench/openfisca_flex.py: variables, dated
  parameters, float32 storage, ``np.round``), run with the Python given by ``--openfisca-python`` (a
  separate environment with ``openfisca-core`` and ``pyarrow``; flexcalc does not depend on it). Its
  time is ``calculate`` after ``set_input``, best of several fresh simulations after a warm-up; the
  time to build a simulation is reported apart. Without ``--openfisca-python`` it is skipped.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

MONTH = "2024-03"
SEED = 8
RESULTS = ROOT / "bench" / "results"


# ---------------------------------------------------------------------------------------------------
# Workers (run in a subprocess each)


def _load(path: str) -> dict[str, np.ndarray]:
    import pyarrow.parquet as pq

    table = pq.read_table(path, columns=["wage_ore", "ceiling_ore", "other_wage_ore", "other_income_ore"])
    return {name.removesuffix("_ore"): table.column(name).to_numpy() for name in table.column_names}


def _kernel(cols: dict[str, np.ndarray]) -> Any:
    from flexcalc.batch.kernel import KernelRates, compute_month
    from flexcalc.period import Month

    rates = KernelRates.for_month(Month.parse(MONTH))
    return compute_month(rates, cols["wage"], cols["ceiling"], cols["other_wage"], cols["other_income"])


def worker_kernel(path: str, repeat: int) -> dict[str, Any]:
    cols = _load(path)
    _kernel(cols)  # warm-up (rates loaded, code paths hot)
    times, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        _kernel(cols)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    tracemalloc.start()
    _kernel(cols)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"seconds": min(times), "seconds_median": float(np.median(times)), "cpu_seconds": min(cpu),
            "tracemalloc_peak": peak}


def worker_decimal(path: str, repeat: int) -> dict[str, Any]:
    from flexcalc.law.params import rates_for
    from flexcalc.money import to_ore
    from flexcalc.month import MonthInput, calculate_month
    from flexcalc.period import Month

    cols = _load(path)
    month = Month.parse(MONTH)
    rates = rates_for(month)
    n = len(cols["wage"])

    def run() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        subsidy, atp, payout = np.empty(n, np.int64), np.empty(n, np.int64), np.empty(n, np.int64)
        rows = zip(cols["wage"].tolist(), cols["ceiling"].tolist(), cols["other_wage"].tolist(),
                   cols["other_income"].tolist(), strict=True)
        for i, (w, c, o, x) in enumerate(rows):
            r = calculate_month(MonthInput(month, Decimal(w) / 100, Decimal(c) / 100, Decimal(o) / 100,
                                           Decimal(x) / 100), rates)
            subsidy[i], atp[i], payout[i] = to_ore(r.subsidy), to_ore(r.atp_own), to_ore(r.payout)
        return subsidy, atp, payout

    started, started_cpu = time.perf_counter(), time.process_time()
    subsidy, atp, payout = run()
    seconds, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    kernel = _kernel(cols)
    differences = int(np.count_nonzero((kernel.subsidy != subsidy) | (kernel.atp_own != atp)
                                       | (kernel.payout != payout)))
    return {"seconds": seconds, "cpu_seconds": cpu, "kernel_rows_differing": differences,
            "note": "one run, no tracemalloc"}


def _float_formula(cols: dict[str, np.ndarray], dtype: type) -> tuple[np.ndarray, np.ndarray]:
    """The naive float implementation: kroner as floats, np.round to øre and to whole kroner."""
    from flexcalc.law.params import rates_for
    from flexcalc.period import Month

    r = rates_for(Month.parse(MONTH))
    f = lambda d: dtype(float(d))  # noqa: E731
    m, t, low, high = f(r.max_subsidy), f(r.threshold), f(r.reduction_rate_low), f(r.reduction_rate_high)
    w = ((cols["wage"] + cols["other_wage"] + cols["other_income"]) / 100).astype(dtype)
    c = (cols["ceiling"] / 100).astype(dtype)
    reduction = low * np.minimum(w, t) + high * np.maximum(w - t, dtype(0))
    before = np.round(np.maximum(m - reduction, dtype(0)), 2)
    subsidy = np.maximum(np.minimum(before, c - w), dtype(0))
    atp = np.round(np.minimum(f(r.atp_own_share_rate) * subsidy, f(r.atp_own_share_cap)))
    return subsidy, subsidy - atp


def worker_float(path: str, repeat: int, dtype_name: str) -> dict[str, Any]:
    dtype = {"float64": np.float64, "float32": np.float32}[dtype_name]
    cols = _load(path)
    _float_formula(cols, dtype)
    times, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        subsidy, payout = _float_formula(cols, dtype)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    exact = _kernel(cols)
    # Read each float result to the nearest øre (as a report or a JSON export would) and compare.
    got_subsidy = np.rint(subsidy.astype(np.float64) * 100).astype(np.int64)
    got_payout = np.rint(payout.astype(np.float64) * 100).astype(np.int64)
    wrong_subsidy = np.count_nonzero(got_subsidy != exact.subsidy)
    wrong_payout = np.count_nonzero(got_payout != exact.payout)
    wrong = (got_subsidy != exact.subsidy) | (got_payout != exact.payout)
    wrong_any = np.count_nonzero(wrong)
    # Where the exact amount ends in exactly ½ øre (subsidy) or ½ krone (ATP share), which the rule rounds up.
    scale = exact.rates.scale
    half = (exact.reduction_scaled % scale == scale // 2) & (exact.subsidy_before_ceiling > 0)
    half |= (exact.subsidy * exact.rates.atp_num) % (100 * exact.rates.atp_scale) == 50 * exact.rates.atp_scale
    n = len(exact)
    return {"seconds": min(times), "cpu_seconds": min(cpu), "rows_wrong_subsidy": int(wrong_subsidy),
            "rows_wrong_payout": int(wrong_payout),
            "rows_wrong_any": int(wrong_any), "share_wrong_any": wrong_any / n,
            "rows_exact_half": int(np.count_nonzero(half)),
            "rows_wrong_at_exact_half": int(np.count_nonzero(wrong & half)),
            "max_error_ore": int(np.max(np.abs(got_payout - exact.payout), initial=0))}


def worker_baseline(path: str, repeat: int) -> dict[str, Any]:
    """What a measuring process holds before any calculation: imports and the input arrays."""
    import flexcalc.batch.kernel
    import flexcalc.month  # noqa: F401

    cols = _load(path)
    return {"input_bytes": int(sum(a.nbytes for a in cols.values()))}


WORKERS = {"baseline": worker_baseline, "kernel": worker_kernel, "decimal": worker_decimal}


def peak_rss() -> int:
    """This process's peak resident memory in bytes: VmHWM of /proc/self/status.

    Not ``ru_maxrss``: Linux carries the parent's high-water mark over ``fork``/``exec`` into the child's
    ``ru_maxrss``, so a child of a big driver process would report the driver's memory.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


PEAK_RSS_CODE = ("open('/proc/self/status').read().split('VmHWM:')[1].split()[0]")


def worker_main(kind: str, path: str, repeat: int) -> None:
    result = worker_float(path, repeat, kind) if kind.startswith("float") else WORKERS[kind](path, repeat)
    result["self_maxrss"] = peak_rss()
    print(json.dumps(result))


# ---------------------------------------------------------------------------------------------------
# Driver


def measure_openfisca(python: str | None, path: Path, repeat: int) -> dict[str, Any]:
    """Run bench/openfisca_flex.py with another Python and compare its results with the exact kernel."""
    if not python:
        return {"skipped": "no --openfisca-python given"}
    from flexcalc.law.params import rates_for
    from flexcalc.period import Month

    month = Month.parse(MONTH)
    rates = rates_for(month)
    names = ("max_subsidy", "threshold", "reduction_rate_low", "reduction_rate_high", "atp_own_share_rate",
             "atp_own_share_cap")
    spec = {"rates": {name: str(getattr(rates, name)) for name in names},
            "start": f"{month.year}-01-01", "month": MONTH}
    workdir = path.parent
    (workdir / "rates.json").write_text(json.dumps(spec))
    out = workdir / "openfisca.npz"
    wall, _ = run_child([python, str(ROOT / "bench" / "openfisca_flex.py"), str(path), str(workdir / "rates.json"),
                         str(out), str(repeat)])
    data = np.load(out)
    exact = _kernel(_load(str(path)))
    got_subsidy = np.rint(data["subsidy"].astype(np.float64) * 100).astype(np.int64)
    got_payout = np.rint(data["payout"].astype(np.float64) * 100).astype(np.int64)
    wrong = (got_subsidy != exact.subsidy) | (got_payout != exact.payout)
    version = subprocess.run([python, "-c", "import importlib.metadata as m; print(m.version('openfisca-core'))"],
                             capture_output=True, text=True).stdout.strip()
    return {"seconds": float(data["seconds"]), "cpu_seconds": float(data["cpu_seconds"]),
            "build_seconds": float(data["build_seconds"]),
            "with_build": {"seconds": float(data["total_seconds"]), "cpu_seconds": float(data["total_cpu_seconds"]),
                           "self_maxrss": int(data["maxrss"])},
            "dtype": str(data["dtype"]), "self_maxrss": int(data["maxrss"]), "wall": wall,
            "rows_wrong_any": int(np.count_nonzero(wrong)), "share_wrong_any": float(np.mean(wrong)),
            "max_error_ore": int(np.max(np.abs(got_payout - exact.payout), initial=0)),
            "openfisca_core": version}


def run_child(args: list[str]) -> tuple[float, str]:
    """Run a subprocess (one thread for any math library); return its wall time and its stdout."""
    wall, _, out = run_child_cpu(args)
    return wall, out


def run_child_cpu(args: list[str]) -> tuple[float, float, str]:
    """Run a subprocess; return its wall time, its CPU time (user + system) and its stdout."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
    process = subprocess.run(args, capture_output=True, cwd=ROOT, env=env)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{process.stderr.decode()}")
    return wall, cpu, process.stdout.decode()


def measure(kind: str, path: Path, repeat: int) -> dict[str, Any]:
    wall, out = run_child([sys.executable, __file__, "--worker", kind, str(path), "--repeat", str(repeat)])
    result = json.loads(out.strip().splitlines()[-1])
    result["wall"] = wall
    return result


def cli_rss(path: Path, workdir: Path) -> int:
    code = ("import sys\nfrom flexcalc.cli import app\n"
            "try:\n    app(standalone_mode=False)\nfinally:\n"
            f"    print(int({PEAK_RSS_CODE}) * 1024, file=sys.stderr)\n")
    process = subprocess.run([sys.executable, "-c", code, "batch", "--month", MONTH, "--input", str(path),
                              "--output", str(workdir / "cli-rss.parquet")], cwd=ROOT, capture_output=True,
                             text=True, check=True)
    return int(process.stderr.strip().splitlines()[-1])


def fmt_rate(n: int, seconds: float) -> str:
    rate = n / seconds
    return f"{rate / 1e6:,.1f} M/s" if rate >= 1e6 else f"{rate / 1e3:,.1f} k/s"


def mib(n: int | float) -> str:
    return f"{n / 2**20:,.1f} MiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--decimal-max", type=int, default=1_000_000, help="largest size for the Decimal core")
    parser.add_argument("--cli-people", type=int, default=100_000)
    parser.add_argument("--cli-runs", type=int, default=7)
    parser.add_argument("--out", default=str(RESULTS / "batch.md"))
    parser.add_argument("--openfisca-python", default=os.environ.get("FLEXCALC_OPENFISCA_PYTHON"),
                        help="a Python with openfisca-core and pyarrow (default: $FLEXCALC_OPENFISCA_PYTHON)")
    parser.add_argument("--worker", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker_main(args.worker[0], args.worker[1], args.repeat)
        return

    from fixtures.population import generate, write

    sizes = [int(s) for s in args.sizes.split(",")]
    results: dict[str, Any] = {
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": {"python": platform.python_version(), "numpy": np.__version__, "cpus": os.cpu_count(),
                    "platform": platform.platform(), "load_average_at_start": os.getloadavg()},
        "month": MONTH, "seed": SEED, "sizes": {},
    }
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        biggest = generate(max([*sizes, args.cli_people]), SEED)
        for n in sizes:
            path = write(biggest.slice(0, n), workdir / f"people-{n}.parquet")
            entry: dict[str, Any] = {}
            for kind in ("baseline", "kernel", "float64", "float32"):
                print(f"{n:>9} {kind} …", file=sys.stderr, flush=True)
                entry[kind] = measure(kind, path, args.repeat)
            print(f"{n:>9} openfisca …", file=sys.stderr, flush=True)
            entry["openfisca"] = measure_openfisca(args.openfisca_python, path, args.repeat)
            if n <= args.decimal_max:
                print(f"{n:>9} decimal …", file=sys.stderr, flush=True)
                entry["decimal"] = measure("decimal", path, 1)
            results["sizes"][str(n)] = entry
        cli_path = write(biggest.slice(0, args.cli_people), workdir / "cli-people.parquet")
        print(f"{args.cli_people:>9} cli …", file=sys.stderr, flush=True)
        results["cli"] = {"people": args.cli_people, **measure_cli(cli_path, workdir, args.cli_runs)}
        results["cli"]["peak_rss"] = cli_rss(cli_path, workdir)
        largest = max(sizes)
        if largest > args.cli_people:
            print(f"{largest:>9} cli …", file=sys.stderr, flush=True)
            large_path = workdir / f"people-{largest}.parquet"
            results["cli_large"] = {"people": largest, **measure_cli(large_path, workdir, 3),
                                    "peak_rss": cli_rss(large_path, workdir)}
    results["machine"]["load_average_at_end"] = os.getloadavg()

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(results, indent=2) + "\n")
    out.write_text(report(results))
    print(report(results))


def measure_cli(path: Path, workdir: Path, runs: int) -> dict[str, Any]:
    walls, cpus, inside = [], [], []
    for i in range(runs):
        target = workdir / f"cli-out-{i}.parquet"
        wall, cpu, out = run_child_cpu([sys.executable, "-m", "flexcalc", "batch", "--month", MONTH, "--input",
                                        str(path), "--output", str(target), "--json"])
        walls.append(wall)
        cpus.append(cpu)
        inside.append(json.loads(out)["seconds"])
    return {"runs": runs, "wall_seconds": min(walls), "wall_seconds_median": float(np.median(walls)),
            "cpu_seconds": min(cpus), "in_process_seconds": min(inside)}


def openfisca_note(r: dict[str, Any]) -> str:
    skipped = {e["openfisca"]["skipped"] for e in r["sizes"].values() if "skipped" in e["openfisca"]}
    if skipped:
        return f"OpenFisca: not measured ({'; '.join(sorted(skipped))}); no OpenFisca figure is given here."
    return ("OpenFisca: openfisca-core from PyPI in a separate virtual environment with the same NumPy, running "
            "bench/openfisca_flex.py, the same formula as an OpenFisca model (its money variables are float32). "
            "It is timed twice on a fresh simulation each run: `calculate` alone, and building the simulation "
            "(`SimulationBuilder().build_default_simulation`, `set_input` of the two input arrays) plus `calculate`; "
            "the batch kernel's time has no such set-up (its input is the int64 arrays).")


def report(r: dict[str, Any]) -> str:
    m = r["machine"]
    lines = [
        "# Batch benchmark",
        "",
        f"Run {r['when']} by `python bench/bench_batch.py` on {m['cpus']} CPUs (Python {m['python']}, NumPy "
        f"{m['numpy']}; {m['platform']}). Benefit month {r['month']}, synthetic population seed {r['seed']} "
        f"(fixtures/population.py). Load average at start {m['load_average_at_start'][0]:.2f}, at end "
        f"{m['load_average_at_end'][0]:.2f}: other work shared this 2-CPU machine, so wall times are noisy. "
        "Each figure is the best of several runs; *CPU* is the process's own CPU time for the same call "
        "(`time.process_time`), which waiting for a shared CPU does not inflate. Everything runs in one thread.",
        "",
        "## Speed and memory",
        "",
        "*RSS* is the peak resident memory (VmHWM) of the whole measuring process (interpreter, NumPy, pyarrow, the "
        "input arrays and the results; the baseline row is the same process before any calculation); "
        "*traced* is the `tracemalloc` peak of the measured call alone.",
        "",
        "| people | implementation | wall s | CPU s | person-months/s (wall) | person-months/s (CPU) "
        "| RSS peak | traced peak |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]

    def row(n: int, label: str, e: dict[str, Any], traced: str = "–") -> str:
        return (f"| {n:,} | {label} | {e['seconds']:.4f} | {e['cpu_seconds']:.4f} | {fmt_rate(n, e['seconds'])} | "
                f"{fmt_rate(n, e['cpu_seconds'])} | {mib(e['self_maxrss'])} | {traced} |")

    for size, entry in r["sizes"].items():
        n = int(size)
        lines.append(f"| {n:,} | baseline: imports + input arrays | – | – | – | – | "
                     f"{mib(entry['baseline']['self_maxrss'])} | – |")
        k = entry["kernel"]
        lines.append(row(n, "**batch kernel** (int64 øre, exact)", k, mib(k["tracemalloc_peak"])))
        if "decimal" in entry:
            lines.append(row(n, "Decimal core (`calculate_month` with trace, one call per person)", entry["decimal"]))
        lines.append(row(n, "float64 NumPy (measurement)", entry["float64"]))
        lines.append(row(n, "float32 NumPy (measurement)", entry["float32"]))
        o = entry["openfisca"]
        if "skipped" not in o:
            lines.append(row(n, f"OpenFisca {o['openfisca_core']}, same formula (`calculate` only)", o))
            lines.append(row(n, f"OpenFisca {o['openfisca_core']}, building the simulation + `set_input` + "
                                "`calculate`", o["with_build"]))
    lines += [
        "",
        "## Exactness (against the Decimal core)",
        "",
        "A row is wrong when its subsidy or its payout, read to the nearest øre, differs from the Decimal core's.",
        "",
        "| people | implementation | rows wrong | share | largest error | note |",
        "|---:|---|---:|---:|---:|---|",
    ]
    for size, entry in r["sizes"].items():
        n = int(size)
        if "decimal" in entry:
            lines.append(f"| {n:,} | batch kernel | **{entry['decimal']['kernel_rows_differing']}** | – | – | "
                         "every row compared with `calculate_month` (subsidy, ATP share, payout) |")
        for kind in ("float64", "float32"):
            f = entry[kind]
            lines.append(f"| {n:,} | {kind} NumPy | {f['rows_wrong_any']:,} | {100 * f['share_wrong_any']:.2f} % | "
                         f"{f['max_error_ore']} øre | {f['rows_wrong_at_exact_half']:,} of them among the "
                         f"{f['rows_exact_half']:,} rows whose exact amount ends in exactly ½ øre or ½ krone |")
        o = entry["openfisca"]
        if "skipped" not in o:
            lines.append(f"| {n:,} | OpenFisca {o['openfisca_core']} ({o['dtype']}) | {o['rows_wrong_any']:,} | "
                         f"{100 * o['share_wrong_any']:.2f} % | {o['max_error_ore']} øre | building the simulation "
                         f"took {o['build_seconds']:.4f} s more |")
    c = r["cli"]
    lines += [
        "",
        "## The whole command",
        "",
        f"`flexcalc batch --month {r['month']}` from Parquet to Parquet, {c['people']:,} people, the whole process "
        f"(start-up, imports, rates, read, compute, write, summary): **{c['wall_seconds']:.2f} s** wall "
        f"(best of {c['runs']}; median {c['wall_seconds_median']:.2f} s), {c['cpu_seconds']:.2f} s CPU; "
        f"{c['in_process_seconds']:.2f} s of it timed inside the command (lazy imports of NumPy and pyarrow, "
        f"rates, read, compute, write); peak RSS {mib(c['peak_rss'])}.",
        "",
    ]
    if "cli_large" in r:
        big = r["cli_large"]
        lines += [
            f"The same for {big['people']:,} people (chunks of 131.072 rows): {big['wall_seconds']:.2f} s wall "
            f"(best of {big['runs']}), {big['cpu_seconds']:.2f} s CPU; peak RSS {mib(big['peak_rss'])}.",
            "",
        ]
    lines += [
        "## Notes",
        "",
        "- " + openfisca_note(r),
        "- The float rows are the same formula written the naive way in NumPy floats (kroner as floats, "
        "`np.round`), read to the nearest øre: a measurement of what floats get wrong, not a product. "
        "float32 imitates how OpenFisca stores money; it is our NumPy code.",
        "- The population has øre in its wages, so about one person in ten has a reduction that ends in "
        "exactly ½ øre; the rule rounds it up, and binary floats land on either side.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
