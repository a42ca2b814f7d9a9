"""Write one section of ``bench/results/security.md``, keeping the other sections."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results" / "security.md"
TITLES = {
    "calculations": "Calculations under load (6a)",
    "ingestion": "Concurrent report ingestion on PostgreSQL (6b)",
    "crash": "SIGKILL during ingestion, restart, retry (6c)",
}


def write_section(name: str, body: str) -> None:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    text = RESULTS.read_text() if RESULTS.exists() else "# Security benchmarks\n\n"
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    section = f"<!-- {name} -->\n## {TITLES[name]}\n\nMeasured {stamp} by `bench/"
    section += {"calculations": "calculations_load.py", "ingestion": "ingestion_load.py",
                "crash": "ingestion_crash.py"}[name] + f"`.\n\n{body}\n<!-- /{name} -->\n"
    pattern = re.compile(rf"<!-- {name} -->.*?<!-- /{name} -->\n", re.S)
    text = pattern.sub(lambda _: section, text) if pattern.search(text) else text + "\n" + section
    RESULTS.write_text(text)
