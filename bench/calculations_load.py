"""Benchmark: ``POST /v1/calculations`` under load, authentication on.

uvicorn with 2 workers on 127.0.0.1; every request carries a valid API key, which the security
middleware verifies (``Authorization: Bearer``). Load: ``wrk`` (C, event loop) with 8 connections
for a fixed time, POST via a Lua script; it reports throughput and the latency distribution. Also the
sequential median (one client, one request at a time, httpx) and, for comparison, the same load
without a key. Results: ``bench/results/security.md`` (section "calculations").

Run: ``python bench/calculations_load.py [--seconds 10]``.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.results_file import write_section
from bench.server import Server
from flexcalc.ledger.db import session_factory, upgrade
from flexcalc.security import keys

BODY = '{"month": "2024-03", "wage": "15600", "ceiling": "32067"}'
LUA = """
wrk.method = "POST"
wrk.body = '%s'
wrk.headers["Content-Type"] = "application/json"
%s
""".strip()


def _ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_wrk(base: str, secret: str | None, seconds: int, connections: int = 8, threads: int = 1) -> dict[str, float]:
    header = f'wrk.headers["Authorization"] = "Bearer {secret}"' if secret else ""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA % (BODY, header))
    # fixed time (bounded), fixed connections; --latency prints the percentiles
    out = subprocess.run(["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--latency",
                          "-s", script.name, f"{base}/v1/calculations"], capture_output=True, text=True,
                         timeout=seconds + 30, check=True).stdout
    os.unlink(script.name)
    percentiles = {int(p): _ms(v) for p, v in re.findall(r"^\s+(\d+)%\s+(\S+)$", out, re.M)}
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": percentiles[50], "p75": percentiles[75], "p90": percentiles[90],
            "p99": percentiles[99], "requests": total, "non_2xx": int(errors.group(1)) if errors else 0}


def sequential(base: str, secret: str, n: int = 500) -> float:
    times = []
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {secret}",
                                              "content-type": "application/json"}) as client:
        for i in range(n + 50):
            start = time.perf_counter()
            response = client.post("/v1/calculations", content=BODY)
            elapsed = time.perf_counter() - start
            assert response.status_code == 200 and response.json()["subsidy"] == "15272.00"
            if i >= 50:  # warm-up excluded
                times.append(elapsed * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed (apt-get install wrk)")
    tmp = Path(tempfile.mkdtemp(prefix="flexcalc-bench-"))
    url = f"sqlite:///{tmp / 'bench.sqlite'}"
    upgrade(url)
    with session_factory(url).begin() as session:
        _, secret = keys.create_key(session, "caseworker", label="benchmark")
    with Server(url, workers=2) as server:
        check = httpx.post(f"{server.base}/v1/calculations", content=BODY,
                           headers={"Authorization": f"Bearer {secret}", "content-type": "application/json"})
        assert check.status_code == 200 and check.json()["subsidy"] == "15272.00", check.text
        bad = httpx.post(f"{server.base}/v1/calculations", content=BODY,
                         headers={"Authorization": "Bearer fck_kbad_bad", "content-type": "application/json"})
        assert bad.status_code == 401  # authentication is really on
        run_wrk(server.base, secret, 2)  # warm-up
        seq = sequential(server.base, secret)
        authed = run_wrk(server.base, secret, args.seconds)
        anonymous = run_wrk(server.base, None, args.seconds)
    # client overhead: wrk's CPU time for the same run against a trivial endpoint is not separable
    # here; report the machine and that wrk shares its CPUs with the server.
    cpus = os.cpu_count()
    load_avg = os.getloadavg()[0]
    lines = [
        f"Load average when the run ended: {load_avg:.1f} on {cpus} CPUs (other work on the machine competes for "
        "them; the figures are lower bounds for a dedicated machine).",
        f"Machine: {cpus} CPUs (the load generator `wrk` runs on the same CPUs as the 2 uvicorn workers); "
        f"Python {sys.version.split()[0]}; {args.seconds} s per run, 8 connections, 1 wrk thread.",
        "",
        "| run | requests | throughput (req/s) | p50 ms | p90 ms | p99 ms | non-2xx |",
        "|---|---|---|---|---|---|---|",
        f"| with API key (verified by the middleware) | {authed['requests']} | {authed['rps']:.0f} | "
        f"{authed['p50']:.2f} | {authed['p90']:.2f} | {authed['p99']:.2f} | {authed['non_2xx']:.0f} |",
        f"| without a key (open endpoint) | {anonymous['requests']} | {anonymous['rps']:.0f} | "
        f"{anonymous['p50']:.2f} | {anonymous['p90']:.2f} | {anonymous['p99']:.2f} | {anonymous['non_2xx']:.0f} |",
        "",
        f"Sequential median latency (one httpx client, 500 requests, with key): {seq:.2f} ms.",
        "",
        "Targets: at least 1,500 calculations per second and p99 under 10 ms at 8 concurrent "
        f"clients with authentication on: throughput {'met' if authed['rps'] >= 1500 else 'NOT met'}, "
        f"p99 {'met' if authed['p99'] < 10 else 'NOT met'}.",
    ]
    write_section("calculations", "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
