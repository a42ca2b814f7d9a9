"""``flexcalc batch``: one benefit month for a whole population, from file to file, exactly."""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from flexcalc.cli.common import app, input_errors, month, print_json
from flexcalc.cli.progress import chunk_progress
from flexcalc.errors import InputError
from flexcalc.period import Month
from flexcalc.text_da.format import number

if TYPE_CHECKING:
    from flexcalc.batch.run import Summary


@app.command()
def batch(
    month_: Annotated[str, typer.Option("--month", help="Benefit month (ydelsesmåned), YYYY-MM; its rates apply.")],
    input_path: Annotated[Path, typer.Option("--input", help="People: .parquet or .csv with wage and ceiling "
                                                             "(see README, 'Batch runs').")],
    output_path: Annotated[Path, typer.Option("--output", help="Results: .parquet or .csv.")],
    chunk_rows: Annotated[int, typer.Option(help="Rows per chunk.", min=1)] = 131_072,
    progress: Annotated[bool | None, typer.Option(
        "--progress/--no-progress", help="Show a progress bar (default: when the input is larger than a chunk).",
    )] = None,
    dask: Annotated[str | None, typer.Option(
        help="Run on Dask instead: 'local' for a local cluster or a scheduler address (tcp://host:8786). "
             "The input is a Parquet file or folder; the output is a folder of Parquet parts.",
    )] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Compute the fleksløntilskud of one benefit month for everyone in a file (the exact batch kernel).

    The amounts in the file are the basis month's (the month before); the output has each person's
    subsidy, own ATP share and payout in øre and in kroner, and a summary is printed at the end.
    """
    benefit_month = month(month_)
    started = time.perf_counter()
    with input_errors():
        if dask is not None:
            from flexcalc.batch.scaleout import run_dask

            summary = run_dask(benefit_month, input_path, output_path, scheduler=dask)
        else:
            summary = _run_local(benefit_month, input_path, output_path, chunk_rows, progress)
    elapsed = time.perf_counter() - started
    if as_json:
        print_json({**summary.to_dict(), "seconds": round(elapsed, 3), "output": str(output_path)})
        return
    for line in summary.lines_da():
        typer.echo(line)
    typer.echo(f"Resultatet er skrevet til {output_path} ({number(Decimal(str(round(elapsed, 2))))} s)")


def _run_local(benefit_month: Month, input_path: Path, output_path: Path, chunk_rows: int,
               progress: bool | None) -> Summary:
    from flexcalc.batch.run import run_file

    if input_path.resolve() == output_path.resolve():
        raise InputError("output", "must not be the input file", "må ikke være inputfilen", code="same_file")
    with chunk_progress("Beregner", "batch", chunk_rows, progress) as bar:
        return run_file(benefit_month, input_path, output_path, chunk_rows=chunk_rows,
                        on_start=bar.on_start, on_chunk=bar.on_chunk)
