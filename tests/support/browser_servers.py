"""The API (uvicorn) and the explainer (Streamlit) served on loopback as ``flexcalc serve`` starts them (the
explainer finds the API through FLEXCALC_API), on a given database: for the browser tests."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"


def free_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while True:
        if process.poll() is not None:
            pytest.fail(f"{process.args} exited with {process.returncode}; see {log}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"{url} did not answer within 90 s; see {log}")
        time.sleep(0.3)


@contextmanager
def api_and_explainer(database_url: str, label: str) -> Iterator[str]:
    """Serve the API and the explainer on ``database_url``; yields the explainer's address. Logs go to
    ``test-artifacts/<label>-api.log`` and ``…-explainer.log``."""
    with served(database_url, label) as (app_url, _):
        yield app_url


@contextmanager
def served(database_url: str, label: str, env: dict[str, str] | None = None) -> Iterator[tuple[str, str]]:
    """``api_and_explainer`` with ``env`` added to the servers' environment; yields the explainer's and
    the API's addresses."""
    api_port, app_port = free_port(), free_port()
    api_url = f"http://127.0.0.1:{api_port}"
    env = {**os.environ, **(env or {}), "FLEXCALC_DATABASE_URL": database_url, "FLEXCALC_API": api_url}
    ARTIFACTS.mkdir(exist_ok=True)
    commands = {
        "api": [sys.executable, "-m", "uvicorn", "api.app:app", "--host", "127.0.0.1", "--port", str(api_port)],
        "explainer": [sys.executable, "-m", "streamlit", "run", str(ROOT / "explainer" / "app.py"), "--server.address",
                      "127.0.0.1", "--server.port", str(app_port), "--server.headless", "true",
                      "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
    }
    processes: list[subprocess.Popen[bytes]] = []
    try:
        for name, command in commands.items():
            log = ARTIFACTS / f"{label}-{name}.log"
            with log.open("wb") as out:
                processes.append(subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT))
            health = f"{api_url}/health" if name == "api" else f"http://127.0.0.1:{app_port}/_stcore/health"
            wait_for(health, processes[-1], log)
        yield f"http://127.0.0.1:{app_port}", api_url
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
