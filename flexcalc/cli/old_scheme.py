"""``flexcalc old-scheme``: the old fleksjob scheme (fleksjob begun before 2013), the employer's subsidy."""

from __future__ import annotations

from typing import Annotated

import typer

from flexcalc.cli.common import app, input_errors, print_json
from flexcalc.old_scheme import calculate_old_scheme
from flexcalc.old_scheme.inputs import old_scheme_input
from flexcalc.text_da.format import kr

old_scheme_app = typer.Typer(help="The old fleksjob scheme (begun before 2013): the employer's subsidy, LAB § 133.",
                             no_args_is_help=True)
app.add_typer(old_scheme_app, name="old-scheme")


@old_scheme_app.command("calculate")
def calculate(
    month_: Annotated[str, typer.Option("--month", help="The period (wage month), YYYY-MM; its caps apply.")],
    agreement_wage: Annotated[str, typer.Option(help="The wage paid under the collective agreement in the "
                                                     "period, kr.")],
    fraction: Annotated[str, typer.Option(help="The subsidy fraction set for the job: 1/2 or 2/3.")],
    employer_contributions: Annotated[str | None, typer.Option(
        help="The employer's ATP and other employer contributions (pension) of the period, kr.")] = None,
    hours: Annotated[str | None, typer.Option(help="Paid hours in the period (for the hourly cap).")] = None,
    sick_refund_days: Annotated[str | None, typer.Option(
        help="Days of the period with sickness or maternity refund to the employer.")] = None,
    sick_refund_amount: Annotated[str | None, typer.Option(
        help="The refund the employer is entitled to for those days, kr.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Compute the employer's subsidy of one period in an old-scheme fleksjob, with every step and its provision."""
    with input_errors():
        inp = old_scheme_input(month=month_, agreement_wage=agreement_wage, fraction=fraction,
                               employer_contributions=employer_contributions, hours=hours,
                               sick_refund_days=sick_refund_days, sick_refund_amount=sick_refund_amount)
        result = calculate_old_scheme(inp)
    if as_json:
        print_json(result.to_dict())
        return
    for step in result.trace:
        amount = "" if step.amount is None else kr(step.amount)
        typer.echo(f"{step.label}: {amount}  ({step.provision})")
