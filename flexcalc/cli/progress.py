"""The progress bar of a chunked file run (``flexcalc batch``, ``flexcalc reform run``), on standard error."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn


class ChunkProgress:
    """The run's ``on_start(total)`` and ``on_chunk(rows)`` hooks: the bar is shown when ``show`` says so, else
    (``show`` None) when the file has more rows than one chunk; transient on a terminal."""

    def __init__(self, label: str, name: str, chunk_rows: int, show: bool | None) -> None:
        console = Console(stderr=True)
        self._bar = Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TextColumn("personer"),
                             TimeElapsedColumn(), console=console, transient=console.is_terminal)
        self._name = name
        self._chunk_rows = chunk_rows
        self._show = show
        self._task: TaskID | None = None

    def on_start(self, total: int | None) -> None:
        if self._show if self._show is not None else (total or 0) > self._chunk_rows:
            self._bar.start()
            self._task = self._bar.add_task(self._name, total=total)

    def on_chunk(self, rows: int) -> None:
        if self._task is not None:
            self._bar.advance(self._task, rows)

    def stop(self) -> None:
        if self._task is not None:
            self._bar.stop()


@contextmanager
def chunk_progress(label: str, name: str, chunk_rows: int, show: bool | None) -> Iterator[ChunkProgress]:
    """A ``ChunkProgress`` that is stopped however the run ends."""
    progress = ChunkProgress(label, name, chunk_rows, show)
    try:
        yield progress
    finally:
        progress.stop()
