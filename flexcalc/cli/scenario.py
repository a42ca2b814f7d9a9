"""``flexcalc scenario``: wage, subsidy and total income at every weekly hour count 1–37."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from flexcalc.citizen.scenarios import MAX_HOURLY, HourScenario, Job, describe_month_da, hour_scenario
from flexcalc.citizen.tax_estimate import ScenarioAfterTax, municipal_rate, pension_rate, scenario_after_tax
from flexcalc.cli.common import amount, app, input_errors, month, print_json
from flexcalc.law.params import current_month
from flexcalc.text_da.format import kr

REGION_DA = {"low": "30 %", "high": "55 %", "plateau": "loft", "no_subsidy": "intet tilskud"}


@app.command()
def scenario(
    month_: Annotated[str | None, typer.Option(
        "--month", help="Benefit month (ydelsesmåned), YYYY-MM; its rates apply. Default: the current month; the "
                        "answer says when its rates are computed or assumed.")] = None,
    hourly: Annotated[str | None, typer.Option(
        help="Hourly wage incl. pension and supplements, kr. (or give --full-time-wage).")] = None,
    full_time_wage: Annotated[str | None, typer.Option(
        help="Monthly wage for 37 hours a week incl. pension, kr. (instead of --hourly).")] = None,
    ceiling: Annotated[str | None, typer.Option(
        help="The ceiling (lønloft), kr.; default: the full-time wage, 37 × hourly × 52/12.")] = None,
    municipal_tax_rate: Annotated[str | None, typer.Option(
        help="Your municipal tax rate in % (incl. church tax if you pay it): adds an ESTIMATE after tax.")] = None,
    pension: Annotated[str, typer.Option(
        "--pension-rate", help="With the estimate: pension (own + employer) in % of the wage without pension.")] = "0",
    as_json: Annotated[bool, typer.Option("--json", help="Print the scenario as JSON.")] = False,
) -> None:
    """Wage, subsidy, own ATP, total income and the gain of one more hour, for 1 to 37 hours a week."""
    benefit_month = month(month_) if month_ is not None else current_month()
    hourly_amount = None if hourly is None else amount(hourly, "hourly", maximum=MAX_HOURLY)
    full_time = None if full_time_wage is None else amount(full_time_wage, "full_time_wage")
    ceiling_amount = None if ceiling is None else amount(ceiling, "ceiling")
    with input_errors():
        job = Job(hourly=hourly_amount, full_time_wage=full_time)
        result = hour_scenario(benefit_month, job, ceiling_amount)
        after_tax = None
        if municipal_tax_rate is not None:
            after_tax = scenario_after_tax(result, municipal_rate(municipal_tax_rate), pension_rate(pension))
    if as_json:
        data = result.to_dict()
        if after_tax is not None:
            data["after_tax"] = after_tax.to_dict()
        print_json(data)
        return
    console = Console(width=170 if after_tax is not None else 120)
    source = "anslået som fuldtidslønnen (37 timer)" if result.ceiling_source == "full_time_wage" else "angivet"
    console.print(f"Timeløn inkl. pension {kr(job.hourly_equivalent)}; lønloft {kr(result.ceiling)} ({source}).")
    console.print(describe_month_da(result))
    console.print(_hours_table(result, after_tax))
    if after_tax is not None:
        console.print("Efter skat er et SKØN: AM-bidrag, bundskat, kommuneskat, personfradrag og "
                      "beskæftigelsesfradrag; ikke topskat, jobfradrag eller andre fradrag.")
    for region in result.regions:
        console.print(f"• {region.text_da} ({region.provision})")
    console.print(result.plateau_sentence_da())
    for finding in result.findings:
        console.print(f"OBS: {finding.message_da} ({finding.provision})")


def _hours_table(result: HourScenario, after_tax: ScenarioAfterTax | None) -> Table:
    """One row per weekly hour count: wage, subsidy, own ATP, total, the gain of one more hour, the region
    (and with the estimate, the income after tax and its gain)."""
    table = Table(title="Løn, tilskud og samlet indkomst pr. måned før skat", title_justify="left")
    headers = ["timer/uge", "løn", "tilskud", "eget ATP", "samlet", "+1 time", "område"]
    if after_tax is not None:
        headers += ["efter skat (skøn)", "+1 time efter skat"]
    for header in headers:
        table.add_column(header, justify="left" if header == "område" else "right")
    for row in result.rows:
        gain = "—" if row.gain_next_hour is None else kr(row.gain_next_hour, sign=True)
        cells = [str(row.hours), kr(row.wage), kr(row.subsidy), kr(row.atp_own), kr(row.total), gain,
                 REGION_DA[row.region]]
        if after_tax is not None:
            taxed = after_tax.row(row.hours)
            net = taxed.net_gain_next_hour
            cells += [kr(taxed.estimate.disposable, decimals=0), "—" if net is None else kr(net, sign=True)]
        table.add_row(*cells)
    return table
