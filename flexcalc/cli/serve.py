"""``flexcalc serve``: the API (and the explainer, where it is installed) on one machine."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

from flexcalc.cli.common import app

EXPLAINER = Path(__file__).resolve().parents[2] / "explainer" / "app.py"


EXPLAINER_SETTINGS = ["--client.toolbarMode", "minimal", "--client.showErrorDetails", "none",
                      "--client.showSidebarNavigation", "false",
                      "--theme.base", "light", "--runner.magicEnabled", "false"]
"""Streamlit settings of the explainer, as in .streamlit/config.toml, on the command line so they hold
wherever ``flexcalc serve`` is started: no "Deploy" button or English menu."""

LOOPBACK = "127.0.0.1"
"""Where ``flexcalc serve`` listens unless told otherwise (``--host`` or ``FLEXCALC_HOST``): this machine
only. Streamlit alone would listen on every interface."""


UVICORN_LIMITS = ["--http", "h11", "--h11-max-incomplete-event-size", "16384", "--limit-concurrency", "512",
                  "--timeout-keep-alive", "5", "--no-server-header"]
"""What uvicorn itself can limit: h11 refuses a request head that stays incomplete past 16 KiB, at most
512 connections and tasks at once per worker (then 503), idle keep-alive connections closed after 5 s.
uvicorn has no header or body read timeout and accepts a large head sent at once: the reverse proxy in
front (deploy/nginx.conf.template, scripts/stack, compose.yaml) sets those limits."""


def commands(host: str, port: int, explainer_port: int, workers: int, access_log: bool,
             explainer: bool, api: bool = True, forwarded_allow_ips: str | None = None) -> list[list[str]]:
    """The processes ``serve`` starts: the API (uvicorn) and, where installed, the explainer (Streamlit)."""
    out = []
    if api:
        api_cmd = [sys.executable, "-m", "uvicorn", "api.app:app", "--host", host, "--port", str(port),
                   "--workers", str(workers), *UVICORN_LIMITS]
        if forwarded_allow_ips:
            api_cmd += ["--proxy-headers", "--forwarded-allow-ips", forwarded_allow_ips]
        else:
            api_cmd.append("--no-proxy-headers")
        if not access_log:
            api_cmd.append("--no-access-log")
        out.append(api_cmd)
    if explainer and EXPLAINER.exists():
        out.append([sys.executable, "-m", "streamlit", "run", str(EXPLAINER), "--server.address", host,
                    "--server.port", str(explainer_port), "--server.headless", "true",
                    "--browser.gatherUsageStats", "false", *EXPLAINER_SETTINGS])
    return out


@app.command()
def serve(
    host: Annotated[str, typer.Option(envvar="FLEXCALC_HOST", help="Address to listen on (API and explainer); "
                                      "default loopback only. Use 0.0.0.0 only behind a TLS proxy.")] = LOOPBACK,
    port: Annotated[int, typer.Option(help="Port of the API.")] = 8000,
    explainer_port: Annotated[int, typer.Option(help="Port of the Streamlit explainer.")] = 8501,
    explainer: Annotated[bool, typer.Option(help="Start the explainer too.")] = True,
    workers: Annotated[int, typer.Option(help="API worker processes.")] = 1,
    api: Annotated[bool, typer.Option(help="Start the API (--no-api: only the explainer, which then reaches "
                                      "the API at FLEXCALC_API).")] = True,
    forwarded_allow_ips: Annotated[str | None, typer.Option(help="Behind a reverse proxy: its address(es), "
                                                            "trusted for X-Forwarded-For (the client address "
                                                            "rate limits count).")] = None,
    access_log: Annotated[bool, typer.Option(help="uvicorn's access log (CPR numbers in paths are redacted).")]
    = True,
) -> None:
    """Start the API (OpenAPI docs at /docs) and the Danish explainer, on loopback unless told otherwise."""
    processes: list[subprocess.Popen[bytes]] = []
    cmds = commands(host, port, explainer_port, workers, access_log, explainer, api, forwarded_allow_ips)
    if api:
        processes.append(subprocess.Popen(cmds.pop(0)))
        typer.echo(f"API:        http://{host}:{port}/docs")
    if cmds:
        env = {**os.environ, "FLEXCALC_API": f"http://{host}:{port}"} if api else None
        processes.append(subprocess.Popen(cmds[0], env=env))
        typer.echo(f"Explainer:  http://{host}:{explainer_port}")

    def stop(*_: object) -> None:
        for process in processes:
            process.terminate()

    signal.signal(signal.SIGTERM, stop)
    try:
        for process in processes:
            process.wait()
    except KeyboardInterrupt:
        stop()
