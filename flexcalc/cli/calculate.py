"""``flexcalc calculate`` and ``flexcalc rates``."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from flexcalc.calculate import MonthInput, calculate_month
from flexcalc.cli.common import amount, app, input_errors, month, print_json
from flexcalc.explain import explain_month_da
from flexcalc.format import kr, percent
from flexcalc.params import RATE_NAMES, load_parameters


@app.command()
def calculate(
    month_: Annotated[str, typer.Option("--month", help="Benefit month (ydelsesmåned), YYYY-MM; its rates apply.")],
    wage: Annotated[str, typer.Option(help="Wage income of the basis month (the month before) incl. pension, kr.")],
    ceiling: Annotated[str, typer.Option(help="The ceiling (lønloft): full-time wage incl. pension, kr.")],
    other_wage: Annotated[str, typer.Option(help="Wage from other employers in the basis month, kr.")] = "0",
    other_income: Annotated[str, typer.Option(help="Other income that counts like wage, kr.")] = "0",
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Compute the fleksløntilskud of one benefit month, with every step and its provision."""
    benefit_month = month(month_)
    inp = MonthInput(
        benefit_month=benefit_month,
        wage=amount(wage, "wage"),
        ceiling=amount(ceiling, "ceiling"),
        other_wage=amount(other_wage, "other_wage"),
        other_income=amount(other_income, "other_income"),
    )
    with input_errors():
        result = calculate_month(inp)
    if as_json:
        print_json(result.to_dict())
    else:
        typer.echo("\n".join(explain_month_da(result)))


def _rate_text(name: str, value: object) -> str:
    from decimal import Decimal

    assert isinstance(value, Decimal)
    return percent(value) if name.startswith(("reduction_rate", "atp_own_share_rate")) else kr(value, decimals=0)


@app.command()
def rates(as_json: Annotated[bool, typer.Option("--json", help="Print the rates as JSON.")] = False) -> None:
    """Print the rates table: every value with the date it takes effect, its status and source."""
    parameters = load_parameters()
    if as_json:
        print_json({name: parameters[name].model_dump(mode="json") for name in RATE_NAMES})
        return
    console = Console(width=160)
    for name in RATE_NAMES:
        parameter = parameters[name]
        table = Table(title=f"{parameter.label_da} — {parameter.reference}", title_justify="left")
        table.add_column("fra")
        table.add_column("værdi", justify="right")
        table.add_column("status")
        table.add_column("kilde", overflow="fold")
        for entry in parameter.values:
            if entry.value is None:
                table.add_row(str(entry.start), "—", "ingen værdi", entry.note or "")
                continue
            status = "verificeret" if entry.status == "verified" else "AFLEDT (beregnet)"
            table.add_row(str(entry.start), _rate_text(name, entry.value), status, entry.source or "")
        console.print(table)
    console.print("AFLEDT: værdien er beregnet ud fra kildebelagte tal, men ikke selv offentliggjort.")
