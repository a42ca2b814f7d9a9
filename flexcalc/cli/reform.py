"""``flexcalc reform``: put a what-if reform beside today's rules over a whole population."""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from flexcalc.cli.common import app, input_errors, month, print_json
from flexcalc.cli.progress import chunk_progress
from flexcalc.errors import InputError
from flexcalc.text_da.format import number

if TYPE_CHECKING:
    from flexcalc.period import Month
    from flexcalc.reforms.compare import Comparison
    from flexcalc.reforms.spec import Reform

reform_app = typer.Typer(help="What-if reforms: a reform file beside today's rules over a population.",
                         no_args_is_help=True)
app.add_typer(reform_app, name="reform")


@reform_app.command("run")
def run(
    month_: Annotated[str, typer.Option("--month", help="Benefit month (ydelsesmåned), YYYY-MM.")],
    input_path: Annotated[Path, typer.Option("--input", help="People: .parquet or .csv as for 'flexcalc batch', "
                                                             "plus 'hours' (and 'sex', 'agreement').")],
    reform_path: Annotated[Path, typer.Option("--reform", help="The reform file (YAML; see fixtures/reforms/).")],
    output_path: Annotated[Path | None, typer.Option("--output", help="Per person today/reform/difference: "
                                                                      ".parquet or .csv.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the comparison as JSON.")] = False,
    chunk_rows: Annotated[int, typer.Option(help="Rows per chunk.", min=1)] = 131_072,
    progress: Annotated[bool | None, typer.Option(
        "--progress/--no-progress", help="Show a progress bar (default: when the input is larger than a chunk).",
    )] = None,
    dask: Annotated[str | None, typer.Option(
        help="Run on Dask: 'local', 'threads' or a scheduler address; the input is Parquet; no --output.",
    )] = None,
    refund_step: Annotated[str, typer.Option(
        help="The refund-ladder step assumed for everybody in the state/municipal split: "
             "1-4, 5-26, 27-52, 53+ (weeks with benefits) or before-ladder.",
    )] = "53+",
) -> None:
    """Compute one benefit month under today's rules and under the reform, exactly, and compare.

    Reports the total cost before and after, winners, losers and unchanged (by weekly hour band and by
    sex), the distribution of gains and losses, and how much of one more hour's pay a person keeps.
    A bad reform or input stops the run with exit code 2 and writes nothing.
    """
    from flexcalc.reforms.compare import check_refund_step
    from flexcalc.reforms.spec import load_reform

    benefit_month = month(month_)
    started = time.perf_counter()
    with input_errors():
        check_refund_step(refund_step, "refund-step")
        reform = load_reform(reform_path)
        comparison = (_run_dask(benefit_month, input_path, reform, output_path, dask) if dask is not None else
                      _run_local(benefit_month, input_path, reform, output_path, chunk_rows, progress))
    comparison.refund_step = refund_step
    elapsed = time.perf_counter() - started
    if as_json:
        print_json({**comparison.to_dict(), "seconds": round(elapsed, 3),
                    "output": None if output_path is None else str(output_path)})
        return
    for line in comparison.lines_da():
        typer.echo(line)
    if output_path is not None:
        typer.echo(f"Resultatet pr. person er skrevet til {output_path}")
    typer.echo(f"Tid: {number(Decimal(str(round(elapsed, 2))))} s")


def _run_dask(benefit_month: Month, input_path: Path, reform: Reform, output_path: Path | None,
              scheduler: str) -> Comparison:
    """The comparison computed on Dask (printed only: no per-person output)."""
    if output_path is not None:
        raise InputError("output", "a Dask reform run prints the comparison only; leave out --output",
                         "en Dask-reformkørsel viser kun sammenligningen; udelad --output", code="dask_output")
    from flexcalc.reforms.run import run_reform_dask

    return run_reform_dask(benefit_month, input_path, reform, scheduler=scheduler)


def _run_local(benefit_month: Month, input_path: Path, reform: Reform, output_path: Path | None,
               chunk_rows: int, progress: bool | None) -> Comparison:
    from flexcalc.reforms.run import run_reform_file

    if output_path is not None and input_path.resolve() == output_path.resolve():
        raise InputError("output", "must not be the input file", "må ikke være inputfilen", code="same_file")
    with chunk_progress("Sammenligner", "reform", chunk_rows, progress) as bar:
        return run_reform_file(benefit_month, input_path, reform, output_path, chunk_rows=chunk_rows,
                               on_start=bar.on_start, on_chunk=bar.on_chunk)
