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


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port of the API.")] = 8000,
    explainer_port: Annotated[int, typer.Option(help="Port of the Streamlit explainer.")] = 8501,
    explainer: Annotated[bool, typer.Option(help="Start the explainer too.")] = True,
    workers: Annotated[int, typer.Option(help="API worker processes.")] = 1,
) -> None:
    """Start the API (OpenAPI docs at /docs) and the Danish explainer."""
    processes: list[subprocess.Popen[bytes]] = []
    api_cmd = [sys.executable, "-m", "uvicorn", "api.app:app", "--host", host, "--port", str(port),
               "--workers", str(workers), "--no-access-log"]
    processes.append(subprocess.Popen(api_cmd))
    typer.echo(f"API:        http://{host}:{port}/docs")
    if explainer and EXPLAINER.exists():
        ui_cmd = [sys.executable, "-m", "streamlit", "run", str(EXPLAINER), "--server.address", host,
                  "--server.port", str(explainer_port), "--server.headless", "true",
                  "--browser.gatherUsageStats", "false"]
        processes.append(subprocess.Popen(ui_cmd, env={**os.environ, "FLEXCALC_API": f"http://{host}:{port}"}))
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
