"""Start and stop the API under uvicorn (loopback only) for the security benchmarks."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


class Server:
    """``uvicorn api.app:app --workers N`` on 127.0.0.1, with the database URL in its environment."""

    def __init__(self, database_url: str, workers: int = 2, port: int | None = None) -> None:
        self.database_url = database_url
        self.workers = workers
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self, timeout: float = 30) -> Server:
        env = {"FLEXCALC_IDEMPOTENCY_LEASE_SECONDS": "5", **os.environ, "FLEXCALC_DATABASE_URL": self.database_url,
               "PYTHONPATH": str(ROOT)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "api.app:app", "--host", HOST, "--port", str(self.port),
             "--workers", str(self.workers), "--no-access-log", "--log-level", "warning"],
            cwd=ROOT, env=env, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.base}/health", timeout=1).status_code == 200:
                    time.sleep(0.5)  # let the second worker come up too
                    return self
            except httpx.HTTPError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("the server did not start")

    def kill(self) -> None:
        """SIGKILL the whole process group (the uvicorn supervisor and its workers): a crash."""
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            self.process = None

    def stop(self) -> None:
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
            self.process = None

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()
