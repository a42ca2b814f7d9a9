"""The production stack: compose.yaml/Dockerfile and scripts/stack run the same steps, and scripts/stack,
driven end to end through nginx (health, a calculation, a payment run), holds a slow-client attack."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
STACK = ROOT / "scripts" / "stack"
#: options whose value differs between a container and a process on one machine (addresses, ports, sizes)
PLACE_OPTIONS = {"--host", "--port", "--explainer-port", "--workers", "--forwarded-allow-ips"}


def _stack_steps() -> dict[str, list[str]]:
    """The command after each ``# step: NAME`` line of scripts/stack (continuation lines joined)."""
    lines = STACK.read_text(encoding="utf-8").splitlines()
    steps: dict[str, list[str]] = {}
    for i, line in enumerate(lines):
        found = re.match(r"\s*# step: (\w+)", line)
        if not found:
            continue
        text, j = "", i + 1
        while True:
            part = lines[j].strip()
            text += " " + part.rstrip("\\")
            if not part.endswith("\\"):
                break
            j += 1
        steps[found.group(1)] = shlex.split(text.split(">", 1)[0])
    return steps


def _shape(argv: list[str]) -> list[str]:
    """A flexcalc command without its environment prefix and the values of PLACE_OPTIONS."""
    words = [w for w in argv if not re.match(r"^[A-Z_]+=", w) and w != "setsid"]
    out: list[str] = []
    skip = False
    for word in words:
        if skip:
            skip = False
            continue
        out.append(word)
        if word in PLACE_OPTIONS:
            skip = True
    return out


def test_compose_and_scripts_stack_run_the_same_steps() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))["services"]
    steps = _stack_steps()
    assert set(steps) == set(compose) == {"db", "migrate", "api", "explainer", "proxy"}
    for name in ("migrate", "api", "explainer"):
        assert _shape(steps[name]) == _shape(compose[name]["command"]), name
    assert compose["migrate"]["command"] == ["flexcalc", "db", "upgrade"]
    assert compose["api"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    # the API never migrates; the explainer never starts an API of its own
    assert "--no-explainer" in compose["api"]["command"] and "--no-api" in compose["explainer"]["command"]
    # the proxy: the same template, every placeholder filled in, in both
    template = (ROOT / "deploy" / "nginx.conf.template").read_text(encoding="utf-8")
    placeholders = set(re.findall(r"@[A-Z_]+@", template))
    proxy_compose = " ".join(compose["proxy"]["command"])
    stack_text = STACK.read_text(encoding="utf-8")
    for placeholder in placeholders:
        assert f"s|{placeholder}|" in proxy_compose and f"s|{placeholder}|" in stack_text, placeholder
    assert "deploy/nginx.conf.template" in compose["proxy"]["volumes"][0]


def test_the_dockerfile_is_slim_non_root_and_installs_the_wheel_with_weasyprint_libraries() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.11-slim$", dockerfile, re.M)
    user = re.findall(r"^USER (\S+)$", dockerfile, re.M)
    assert user and user[-1] not in ("root", "0")
    assert "pip wheel" in dockerfile and "-c /tmp/requirements.lock" in dockerfile
    assert "[api,explainer,letters]" in dockerfile
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".venv/", "build/", "var/"} <= set(ignored)  # COPY . . takes no local venv, stale build or data
    deps = (ROOT / "scripts" / "ci-system-deps").read_text(encoding="utf-8")
    weasyprint = re.search(r"for package in ([^;]+);", deps)
    assert weasyprint is not None
    for package in weasyprint.group(1).split():
        assert package in dockerfile, package
    # the image's default command is the compose API step's
    cmd = re.search(r"^CMD (\[.*\])$", dockerfile, re.M)
    assert cmd is not None
    import json

    assert _shape(json.loads(cmd.group(1))) == _shape(_stack_steps()["api"])


# --- end to end ------------------------------------------------------------------------------------

def _free_base_port() -> int:
    """A port P with P, P+1, P+10, P+11 and P+12 free (the proxy's two, the API's, the explainer's, PostgreSQL's)."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            base = probe.getsockname()[1]
        if base > 60000:
            continue
        free = True
        for offset in (1, 10, 11, 12):
            with socket.socket() as other:
                try:
                    other.bind(("127.0.0.1", base + offset))
                except OSError:
                    free = False
        if free:
            return base
    raise RuntimeError("no free ports")


@pytest.fixture(scope="module")
def stack() -> Iterator[dict[str, str]]:
    if shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists():
        if os.environ.get("CI"):
            pytest.fail("nginx is missing (scripts/ci-system-deps installs it)")
        pytest.skip("nginx is not installed (scripts/ci-system-deps)")
    import tempfile

    # not under pytest's own folder (mode 700): PostgreSQL's server runs as its own user when started by root
    folder = Path(tempfile.mkdtemp(prefix="flexcalc-stack-"))
    port = _free_base_port()
    env = {**os.environ, "FLEXCALC_STACK_DIR": str(folder), "FLEXCALC_STACK_PORT": str(port)}
    for name in list(env):
        if name.startswith("FLEXCALC_RATE_LIMIT_") or name == "FLEXCALC_DATABASE_URL":
            env.pop(name)  # the stack runs with its own database and the default limits
    started = subprocess.run(["bash", str(STACK), "start"], env=env, capture_output=True, text=True, timeout=180)
    try:
        assert started.returncode == 0, started.stdout + started.stderr
        yield {"api": f"http://127.0.0.1:{port}", "explainer": f"http://127.0.0.1:{port + 1}",
               "db": (folder / "database_url").read_text().strip(),
               "port": str(port)}
    finally:
        subprocess.run(["bash", str(STACK), "stop"], env=env, capture_output=True, timeout=60)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.slow
@pytest.mark.stack
def test_the_stack_serves_a_calculation_and_a_payment_run_through_the_proxy(stack: dict[str, str]) -> None:
    with httpx.Client(base_url=stack["api"], timeout=30) as client:
        health = client.get("/health")
        assert health.status_code == 200 and health.headers["server"] == "nginx"
        assert client.get("/ready").json()["status"] == "ready"
        calc = client.post("/v1/calculations", json={"month": "2024-03", "wage": "15600", "ceiling": "32067"})
        assert calc.json()["subsidy"] == "15272.00"  # LAB § 123: 19.952 − 0,30 × 15.600 = 15.272
        secret = subprocess.run([str(ROOT / ".venv/bin/flexcalc"), "keys", "create", "--role", "caseworker", "--db",
                                 stack["db"]], capture_output=True, text=True, check=True).stdout.strip()
        cw = {"Authorization": f"Bearer {secret}"}
        assert client.post("/v1/cases", headers=cw, json={"case_id": "S1", "ceiling": "32067", "first_month":
                                                          "2024-03", "employers": ["11111111"]}).status_code == 201
        report = client.post("/v1/employer/wage-reports", headers=cw, json={"reports": [
            {"report_id": "S1-02", "case_id": "S1", "employer_id": "11111111", "payment_date": "2024-02-29",
             "period_start": "2024-02-01", "period_end": "2024-02-29", "wage": "15600", "pension_own": "0",
             "pension_employer": "0", "hours": "64", "received_at": "2024-03-01", "kind": "original"}]})
        assert report.status_code in (200, 201), report.text
        run = client.post("/v1/payment-runs", headers=cw, json={"month": "2024-03", "as_of": "2024-03-06"})
        assert run.status_code == 201, run.text
        summary = run.json()["summary"]
        assert summary["total_subsidy"] == "15272.00" and summary["total_payout"] == "14772.00", summary
        # the request id goes through the proxy and back
        assert client.get("/health", headers={"X-Request-ID": "stack-1"}).headers["x-request-id"] == "stack-1"
        metrics = client.get("/metrics").text
        assert 'route="/v1/payment-runs"' in metrics
    explainer = httpx.get(stack["explainer"] + "/_stcore/health", timeout=10)
    assert explainer.status_code == 200 and explainer.text == "ok"


@pytest.mark.slow
@pytest.mark.stack
def test_slow_clients_and_huge_headers_do_not_take_the_service_down(stack: dict[str, str]) -> None:
    port = int(stack["port"])
    # 1.100 connections from one address, each sending a request head slowly and never finishing it
    attackers: list[socket.socket] = []
    for _ in range(1100):
        try:
            attacker = socket.create_connection(("127.0.0.1", port), timeout=2)
            attacker.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            attackers.append(attacker)
        except OSError:
            break
    try:
        # another client (another address) still gets its answer at once
        transport = httpx.HTTPTransport(local_address="127.0.0.2")
        started = time.perf_counter()
        with httpx.Client(transport=transport, timeout=5) as client:
            answer = client.get(f"http://127.0.0.1:{port}/health")
        assert answer.status_code == 200 and time.perf_counter() - started < 2
        assert len(attackers) == 1100  # nginx holds them all, cheaply
        # the proxy closes each unfinished request head after client_header_timeout (10 s)
        time.sleep(11)
        closed = 0
        for attacker in attackers[:100]:
            try:
                attacker.settimeout(2)
                closed += attacker.recv(200) == b""
            except (ConnectionResetError, BrokenPipeError):
                closed += 1
            except (TimeoutError, OSError):
                pass
        assert closed == 100
    finally:
        for attacker in attackers:
            attacker.close()
    # a 100 KB header is refused by the proxy (400: large_client_header_buffers); uvicorn alone would take it
    big = {"X-Big": "a" * 100_000}
    assert httpx.get(f"http://127.0.0.1:{port}/health", headers=big, timeout=5).status_code == 400
    assert httpx.get(f"http://127.0.0.1:{port}/health", headers={"X-Ok": "a" * 4000}, timeout=5).status_code == 200


def test_flexcalc_serve_sets_the_limits_uvicorn_has() -> None:
    from flexcalc.cli.serve import commands

    api = commands("127.0.0.1", 8000, 8501, 2, True, False)[0]
    for option, value in (("--limit-concurrency", "512"), ("--timeout-keep-alive", "5"),
                          ("--h11-max-incomplete-event-size", "16384"), ("--http", "h11")):
        assert api[api.index(option) + 1] == value
    assert "--no-proxy-headers" in api  # X-Forwarded-For is trusted only when the proxy is named
    behind = commands("127.0.0.1", 8000, 8501, 2, True, False, forwarded_allow_ips="10.0.0.2")[0]
    assert behind[behind.index("--forwarded-allow-ips") + 1] == "10.0.0.2" and "--proxy-headers" in behind
    assert commands("127.0.0.1", 8000, 8501, 2, True, True, api=False)[0][2] == "streamlit"
