"""A/B of the house redesign: the plain month and the batch kernel, before and after, in separate processes.

    .venv/bin/python bench/ab_redesign.py [--rev 8b276b1] [--rounds 15] [--number 2000] [--people 1000000]

Side A ("before") runs from a temporary detached worktree of ``--rev`` (``git worktree add --detach
/tmp/ab-before REV``, removed at the end); side B ("after") runs from this tree. Every round starts one
child process per side (the order alternates round by round), with this tree's ``.venv`` Python and the
side's tree first on ``sys.path`` (``PYTHONPATH`` and ``sys.path[0]``); the child refuses to measure
unless ``flexcalc.__file__`` lies in its side's tree. Each child measures:

- the plain month with its full trace: ``flexcalc.calculate_month(flexcalc.MonthInput(2024-03, 15.600,
  32.067))`` (the public API in both trees), months/s over ``--number`` calls, best of ``--repeat``
  timings after a warm-up;
- the batch kernel as bench/bench_batch.py calls it (``flexcalc.batch.kernel.KernelRates.for_month`` and
  ``compute_month``) on the synthetic population (fixtures/population.py, seed 8, generated once by this
  tree and handed to both sides as the same int64 øre arrays), person-months/s, best of ``--repeat``.

Before measuring, it waits until the 1-minute load average is below ``--load-below`` (polling every
20 s), but not past ``--wait-until`` (UTC, HH:MM); then it measures anyway and says the load.
Writes bench/results/ab_redesign.json and bench/results/ab_redesign.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
BEFORE_TREE = Path("/tmp/ab-before")
MONTH = "2024-03"
WAGE, CEILING = "15600.00", "32067.00"
SEED = 8
TOLERANCE = 0.05
COLUMNS = ("wage", "ceiling", "other_wage", "other_income")


# ---------------------------------------------------------------------------------------------------
# The child (one side, one round)


def child(tree: str, population: str, number: int, repeat: int) -> dict[str, Any]:
    """Measure one side in this process; ``tree`` must be the tree that ``flexcalc`` is imported from."""
    sys.path.insert(0, tree)
    import timeit
    from decimal import Decimal

    import numpy as np

    import flexcalc
    from flexcalc.batch.kernel import KernelRates, compute_month

    where = Path(flexcalc.__file__).resolve()
    if not where.is_relative_to(Path(tree).resolve()):
        raise SystemExit(f"flexcalc imported from {where}, not from {tree}")
    month = flexcalc.Month.parse(MONTH)

    def plain() -> Any:
        return flexcalc.calculate_month(flexcalc.MonthInput(month, Decimal(WAGE), Decimal(CEILING)))

    first = plain()
    timeit.timeit(plain, number=number)  # warm-up: rates read and cached, code paths hot
    plain_rates = [number / timeit.timeit(plain, number=number) for _ in range(repeat)]

    data = np.load(population)
    cols = [np.ascontiguousarray(data[name]) for name in COLUMNS]

    def kernel() -> Any:
        return compute_month(KernelRates.for_month(month), *cols)

    out = kernel()  # warm-up
    kernel_seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        kernel()
        kernel_seconds.append(time.perf_counter() - started)
    people = len(cols[0])
    return {
        "flexcalc_file": str(where),
        "plain_per_s": max(plain_rates), "plain_per_s_all": plain_rates,
        "kernel_per_s": people / min(kernel_seconds), "kernel_seconds_all": kernel_seconds,
        "check": {"subsidy": str(first.subsidy), "payout": str(first.payout),
                  "steps": [getattr(s, "key", None) for s in first.steps],
                  "kernel_subsidy_sum": int(out.subsidy.sum()), "kernel_payout_sum": int(out.payout.sum())},
    }


def child_profile(tree: str, number: int) -> dict[str, Any]:
    """cProfile of ``number`` plain months on one side: every function's own and cumulative time."""
    sys.path.insert(0, tree)
    import cProfile
    import pstats
    from decimal import Decimal

    import flexcalc

    month = flexcalc.Month.parse(MONTH)

    def plain() -> Any:
        return flexcalc.calculate_month(flexcalc.MonthInput(month, Decimal(WAGE), Decimal(CEILING)))

    for _ in range(number):
        plain()
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(number):
        plain()
    profile.disable()
    stats: Any = pstats.Stats(profile).stats
    # Keyed by file name and function: a module moved to another folder by the redesign stays one row.
    rows = [{"function": f"{Path(file).name}:{name}", "calls": calls, "own_s": own, "cum_s": cum}
            for (file, _, name), (_, calls, own, cum, _) in stats.items()]
    total = sum(row["own_s"] for row in rows)
    # Without the profiler: the whole month, and the pipeline's choice of stages where the tree has one.
    import timeit

    from flexcalc.month import pipeline

    plain_us = 1e6 * min(timeit.repeat(plain, number=number, repeat=5)) / number
    stages_us = None
    if hasattr(pipeline, "stages_for"):
        stages_us = 1e6 * min(timeit.repeat(lambda: pipeline.stages_for(month, False), number=number,
                                            repeat=5)) / number
    return {"calls": number, "total_s": total, "functions": sorted(rows, key=lambda row: -row["own_s"]),
            "plain_us": plain_us, "stages_for_us": stages_us}


# ---------------------------------------------------------------------------------------------------
# The driver


def wait_for_quiet(below: float, until: str) -> dict[str, Any]:
    """Poll the 1-minute load average every 20 s until it is below ``below`` or the clock passes ``until``."""
    started = time.time()
    hour, minute = (int(x) for x in until.split(":"))
    now = datetime.now(UTC)
    deadline = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if (now - deadline).total_seconds() > 12 * 3600:  # HH:MM is after the coming midnight
        deadline += timedelta(days=1)
    while os.getloadavg()[0] >= below and datetime.now(UTC) < deadline:
        print(f"{datetime.now(UTC):%H:%M:%S} load {os.getloadavg()[0]:.2f} ≥ {below}: waiting", file=sys.stderr,
              flush=True)
        time.sleep(20)
    load = os.getloadavg()[0]
    return {"waited_seconds": round(time.time() - started), "load_1min": load, "quiet": load < below,
            "deadline_utc": deadline.strftime("%Y-%m-%d %H:%M")}


def make_population(people: int, path: Path) -> None:
    sys.path.insert(0, str(ROOT))
    import numpy as np

    from fixtures.population import generate

    table = generate(people, SEED)
    np.savez(path, **{name: table.column(f"{name}_ore").to_numpy().astype(np.int64) for name in COLUMNS})


def python() -> str:
    venv = ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def run_side(tree: Path, population: Path, number: int, repeat: int, *extra: str) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(tree), "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    process = subprocess.run([python(), str(Path(__file__).resolve()), "--child", str(tree), str(population),
                              "--number", str(number), "--repeat", str(repeat), *extra],
                             cwd=tree, env=env, capture_output=True, text=True)
    if process.returncode != 0:
        raise RuntimeError(f"side {tree} failed:\n{process.stderr}")
    result: dict[str, Any] = json.loads(process.stdout.strip().splitlines()[-1])
    result["load_1min"] = os.getloadavg()[0]
    return result


def summary(rounds: list[dict[str, Any]], key: str) -> dict[str, Any]:
    before = [r["before"][key] for r in rounds]
    after = [r["after"][key] for r in rounds]
    paired = [a / b for a, b in zip(after, before, strict=True)]
    out = {"before_median": statistics.median(before), "before_best": max(before),
           "after_median": statistics.median(after), "after_best": max(after),
           "ratio_median": statistics.median(after) / statistics.median(before),
           "ratio_best": max(after) / max(before), "ratio_paired_median": statistics.median(paired)}
    out["within_5_percent"] = out["ratio_median"] >= 1 - TOLERANCE and out["ratio_best"] >= 1 - TOLERANCE
    return out


def profile_both(population: Path) -> dict[str, Any]:
    print("plain month slower by more than 5 %: profiling both sides", file=sys.stderr, flush=True)
    trees = {"before": BEFORE_TREE, "after": ROOT}
    return {side: run_side(trees[side], population, 20_000, 1, "--profile") for side in trees}


def git_worktree(*args: str) -> None:
    subprocess.run(["git", "-C", str(ROOT), "worktree", *args], check=True, capture_output=True)


def measure(args: argparse.Namespace, population: Path) -> dict[str, Any]:
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], check=True,
                          capture_output=True, text=True).stdout.strip()
    quiet = wait_for_quiet(args.load_below, args.wait_until)
    load_start = os.getloadavg()
    trees = {"before": BEFORE_TREE, "after": ROOT}
    rounds: list[dict[str, Any]] = []
    for i in range(args.rounds):
        order = ("before", "after") if i % 2 == 0 else ("after", "before")
        entry: dict[str, Any] = {"order": list(order)}
        for side in order:
            entry[side] = run_side(trees[side], population, args.number, args.repeat)
        print(f"round {i + 1}: plain {entry['before']['plain_per_s']:,.0f} → {entry['after']['plain_per_s']:,.0f}"
              f" /s, kernel {entry['before']['kernel_per_s'] / 1e6:.2f} → {entry['after']['kernel_per_s'] / 1e6:.2f}"
              f" M/s, load {os.getloadavg()[0]:.2f}", file=sys.stderr, flush=True)
        rounds.append(entry)
    checks = {side: rounds[0][side]["check"] for side in trees}
    if checks["before"]["subsidy"] != checks["after"]["subsidy"] or \
            checks["before"]["payout"] != checks["after"]["payout"] or \
            checks["before"]["kernel_payout_sum"] != checks["after"]["kernel_payout_sum"]:
        raise SystemExit(f"the two sides compute different amounts: {checks}")
    plain, kernel = summary(rounds, "plain_per_s"), summary(rounds, "kernel_per_s")
    profile = None if plain["within_5_percent"] else profile_both(population)
    return {
        "what": f"plain month {MONTH}, wage {WAGE}, ceiling {CEILING}, full trace; batch kernel on "
                f"{args.people:,} people (fixtures/population.py, seed {SEED}), one thread",
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "before": {"rev": args.rev, "tree": str(BEFORE_TREE), "flexcalc_file": rounds[0]["before"]["flexcalc_file"]},
        "after": {"rev": head, "tree": str(ROOT), "flexcalc_file": rounds[0]["after"]["flexcalc_file"]},
        "rounds": args.rounds, "months_per_timing": args.number, "timings_per_child": args.repeat,
        "people": args.people, "tolerance": TOLERANCE,
        "plain_months_per_s": plain,
        "kernel_person_months_per_s": kernel,
        "profile_plain": profile,
        "check": checks,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "load": {"wait": quiet, "load_average_at_start": load_start, "load_average_at_end": os.getloadavg(),
                 "per_child_1min": [[r["before"]["load_1min"], r["after"]["load_1min"]] for r in rounds]},
        "per_round": [{"order": r["order"], **{side: {"plain_per_s": round(r[side]["plain_per_s"]),
                                                      "kernel_per_s": round(r[side]["kernel_per_s"])}
                                               for side in trees}} for r in rounds],
    }


def report(r: dict[str, Any]) -> str:
    p, k = r["plain_months_per_s"], r["kernel_person_months_per_s"]
    load = r["load"]
    wait = load["wait"]
    waited = (f"the 1-minute load average fell below the threshold after {wait['waited_seconds']} s of waiting"
              if wait["quiet"] else f"the load did not fall below the threshold by {wait['deadline_utc']} UTC, "
              f"so it was measured anyway at load {wait['load_1min']:.2f}")

    def verdict(s: dict[str, Any]) -> str:
        return "**within 5 %**" if s["within_5_percent"] else "**NOT within 5 %**"

    lines = [
        "# The house redesign: plain month and batch kernel, before and after",
        "",
        f"Measured {r['when']} by `bench/ab_redesign.py`. {r['what']}.",
        f"Before: commit {r['before']['rev']} (a detached worktree in {r['before']['tree']}). After: commit "
        f"{r['after']['rev']}. {r['rounds']} interleaved rounds; each round starts one fresh process per side "
        "(order alternating), with the same Python and the side's own tree first on `sys.path` (checked: "
        "`flexcalc.__file__` lies in the side's tree). Per process: the plain month is the best of "
        f"{r['timings_per_child']} timings of {r['months_per_timing']:,} calls after a warm-up; the kernel is the "
        f"best of {r['timings_per_child']} runs on the same {r['people']:,} people after a warm-up. Both sides "
        "give the same subsidy and payout for the month and the same kernel totals.",
        "",
        "| measure | before median | before best | after median | after best | after/before (median) "
        "| after/before (best) | verdict |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
        f"| plain month with trace, months/s | {p['before_median']:,.0f} | {p['before_best']:,.0f} | "
        f"{p['after_median']:,.0f} | {p['after_best']:,.0f} | {p['ratio_median']:.3f} | {p['ratio_best']:.3f} | "
        f"{verdict(p)} |",
        f"| batch kernel, person-months/s | {k['before_median'] / 1e6:,.2f} M | {k['before_best'] / 1e6:,.2f} M | "
        f"{k['after_median'] / 1e6:,.2f} M | {k['after_best'] / 1e6:,.2f} M | {k['ratio_median']:.3f} | "
        f"{k['ratio_best']:.3f} | {verdict(k)} |",
        "",
        f"Median of the per-round ratios: plain {p['ratio_paired_median']:.3f}, kernel "
        f"{k['ratio_paired_median']:.3f}. 'Within 5 %' means after/before ≥ 0,95 for both the median and the best.",
        "",
        f"Load: {waited}. 1-minute load average at the start {load['load_average_at_start'][0]:.2f}, at the end "
        f"{load['load_average_at_end'][0]:.2f} (2 CPUs, shared with other work). Absolute figures vary with the "
        "load; the interleaved ratio is the comparison.",
        "",
        "| round | order | plain before | plain after | kernel before | kernel after |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for i, row in enumerate(r["per_round"], 1):
        lines.append(f"| {i} | {' → '.join(row['order'])} | {row['before']['plain_per_s']:,} | "
                     f"{row['after']['plain_per_s']:,} | {row['before']['kernel_per_s'] / 1e6:.2f} M | "
                     f"{row['after']['kernel_per_s'] / 1e6:.2f} M |")
    if r["profile_plain"]:
        lines += ["", *profile_section(r["profile_plain"])]
    return "\n".join(lines) + "\n"


def profile_section(profile: dict[str, Any]) -> list[str]:
    """The plain month's cProfile on both sides: where the after side spends more (per call, µs)."""
    calls = profile["after"]["calls"]
    own = {side: {row["function"]: row for row in profile[side]["functions"]} for side in ("before", "after")}
    names = set(own["before"]) | set(own["after"])

    def us(side: str, name: str, key: str) -> float:
        row = own[side].get(name)
        return 0.0 if row is None else 1e6 * row[key] / calls

    def growth(name: str) -> float:
        return us("after", name, "own_s") - us("before", name, "own_s")

    grown = sorted((name for name in names if growth(name) > 0.05), key=growth, reverse=True)[:10]
    lines = [
        "## Where the time goes (plain month, cProfile)",
        "",
        f"{calls:,} plain months per side under cProfile (which inflates small calls; the A/B above is the speed). "
        f"Own time per month in all functions: before {1e6 * profile['before']['total_s'] / calls:.2f} µs, after "
        f"{1e6 * profile['after']['total_s'] / calls:.2f} µs. The functions whose own time per month grew most "
        "(– = not called on that side):",
        "",
        "| function (file:name) | before own µs | after own µs | after cumulative µs |",
        "|---|---:|---:|---:|",
    ]
    for name in grown:
        before = f"{us('before', name, 'own_s'):.2f}" if name in own["before"] else "–"
        after = f"{us('after', name, 'own_s'):.2f}" if name in own["after"] else "–"
        lines.append(f"| `{name}` | {before} | {after} | {us('after', name, 'cum_s'):.2f} |")
    b, a = profile["before"], profile["after"]
    lines += ["", f"Without the profiler (best of 5 × {calls:,}): the plain month takes {b['plain_us']:.2f} µs before "
              f"and {a['plain_us']:.2f} µs after (+{a['plain_us'] - b['plain_us']:.2f} µs)."]
    if a.get("stages_for_us") is not None and b.get("stages_for_us") is None:
        lines[-1] += (f" The after side's `stages_for(month, events=False)` alone takes {a['stages_for_us']:.2f} µs "
                      f"per call ({100 * a['stages_for_us'] / a['plain_us']:.0f} % of its month); the before side "
                      "has no such call (it loops over a fixed tuple of stages).")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rev", default="8b276b1", help="the commit before the redesign")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--number", type=int, default=2_000, help="plain months per timing")
    parser.add_argument("--repeat", type=int, default=3, help="timings per side and round")
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--load-below", type=float, default=1.5)
    parser.add_argument("--wait-until", default="00:25", help="UTC HH:MM; measure anyway after it")
    parser.add_argument("--out", default=str(RESULTS / "ab_redesign.md"))
    parser.add_argument("--profile", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--reprofile", action="store_true",
                        help="keep the rounds in the JSON next to --out; run only the profile again")
    parser.add_argument("--child", nargs=2, metavar=("TREE", "POPULATION"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        if args.profile:
            print(json.dumps(child_profile(args.child[0], args.number)))
        else:
            print(json.dumps(child(args.child[0], args.child[1], args.number, args.repeat)))
        return
    out = Path(args.out)
    if BEFORE_TREE.exists():
        git_worktree("remove", "--force", str(BEFORE_TREE))
    git_worktree("add", "--detach", str(BEFORE_TREE), args.rev)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            population = Path(tmp) / "population.npz"
            if args.reprofile:  # the rounds as they were measured; only the profile again
                result = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
                result["profile_plain"] = profile_both(population)
            else:
                make_population(args.people, population)
                result = measure(args, population)
    finally:
        git_worktree("remove", "--force", str(BEFORE_TREE))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    out.write_text(report(result), encoding="utf-8")
    print(report(result))


if __name__ == "__main__":
    main()
