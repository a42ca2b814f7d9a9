"""``flexcalc calculate`` and ``flexcalc rates``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from flexcalc.citizen.explanation import explain_month_da
from flexcalc.cli.common import amount, app, input_errors, month, print_json
from flexcalc.errors import InputError
from flexcalc.law.params import (
    RATE_NAMES,
    Parameter,
    assumed_months,
    assumed_months_da,
    assumed_months_en,
    load_parameters,
    parameter_json,
    rates_expiry,
)
from flexcalc.month import MonthInput, calculate_month
from flexcalc.month.bonus import spread_bonus
from flexcalc.month.events import MonthEvents
from flexcalc.parsing.inputs import parse_date
from flexcalc.parsing.model import EventsModel, input_error_from_validation
from flexcalc.period import Month
from flexcalc.text_da.format import kr, month_name, percent


def _split(value: str, field: str, names: tuple[str, ...], optional: int = 0) -> dict[str, str]:
    parts = value.split(":")
    if not len(names) - optional <= len(parts) <= len(names):
        shape = ":".join(n.upper() for n in names)
        raise InputError(field, f"'{value}' is not written {shape}", f"'{value}' er ikke skrevet {shape}",
                         code="format")
    return dict(zip(names, parts, strict=False))


def events_from_options(options: dict[str, Any], events_file: Path | None) -> MonthEvents | None:
    """Build the month's events from the CLI options (and an optional JSON/YAML file with the same
    shape as the API's ``events``), validated by the same model as the API."""
    data: dict[str, Any] = {}
    if events_file is not None:
        try:
            text = events_file.read_text(encoding="utf-8")
            loaded = json.loads(text) if events_file.suffix == ".json" else yaml.safe_load(text)
        except (OSError, ValueError, yaml.YAMLError) as error:
            raise InputError("events_file", f"cannot be read: {error}", f"kan ikke læses: {error}",
                             code="file") from None
        if not isinstance(loaded, dict):
            raise InputError("events_file", "must hold an object like the API's events",
                             "skal indeholde et objekt som API'ets events", code="file")
        data.update(loaded)
    lists = {
        "periods": ("period", ("kind", "start", "end"), 0),
        "incomes": ("income", ("kind", "amount", "ceiling_raise"), 1),
        "feriekonto": ("feriekonto", ("net", "tax_withheld", "days_covered", "days_taken"), 0),
        "ceiling_changes": ("ceiling_change", ("start", "ceiling"), 0),
    }
    for key, (option, names, optional) in lists.items():
        values = options.get(option) or []
        if values:
            existing = list(data.get(key) or [])
            data[key] = existing + [_split(v, f"events.{key}.{len(existing) + i}", names, optional)
                                    for i, v in enumerate(values)]
    for key in ("feriekonto_earned", "sickness_benefit", "holiday_days_before", "holiday_days", "ledighedsydelse_days",
                "employment_start", "employment_end",
                "paid_hours", "paid_hours_before_sickness", "regulation_wage", "bonus_spread_out"):
        if options.get(key) is not None:
            data[key] = options[key]
    if not data:
        return None
    try:
        return EventsModel.model_validate(data).to_events()
    except ValidationError as error:
        raise input_error_from_validation(error, "events") from None


@app.command()
def calculate(
    month_: Annotated[str, typer.Option("--month", help="Benefit month (ydelsesmåned), YYYY-MM; its rates apply.")],
    wage: Annotated[str, typer.Option(help="Wage from the fleksjob employer in the basis month (the month before) "
                                           "incl. pension, kr.; 0 pays nothing unless an exception applies")],
    ceiling: Annotated[str, typer.Option(help="The ceiling (lønloft): full-time wage incl. pension, kr.")],
    other_wage: Annotated[str, typer.Option(help="Wage from other employers in the basis month, kr.")] = "0",
    other_income: Annotated[str, typer.Option(help="Other income that counts like wage, kr.")] = "0",
    period: Annotated[list[str] | None, typer.Option(
        help="A period KIND:START:END (dates YYYY-MM-DD, in the basis or benefit month); KIND is holiday, "
             "holiday_ledighedsydelse, sickness_paid, sickness_unpaid, maternity_paid or maternity_unpaid. "
             "Repeatable.")] = None,
    income: Annotated[list[str] | None, typer.Option(
        help="An income of the basis month KIND:AMOUNT[:CEILING_RAISE], e.g. wage_other_employer:3000, "
             "ferietillaeg:1200, christmas_gift:500. Repeatable.")] = None,
    feriekonto: Annotated[list[str] | None, typer.Option(
        help="Holiday pay from FerieKonto NET:TAX_WITHHELD:DAYS_COVERED:DAYS_TAKEN. Repeatable.")] = None,
    feriekonto_earned: Annotated[str | None, typer.Option(
        help="Feriegodtgørelse in the wage that is paid to FerieKonto (taken out), kr.")] = None,
    sickness_benefit: Annotated[str | None, typer.Option(
        help="Syge- or barselsdagpenge for the unpaid periods of the basis month, kr.")] = None,
    holiday_days_before: Annotated[str | None, typer.Option(
        help="Holiday days taken earlier in the holiday year (the 25-day limit).")] = None,
    holiday_days: Annotated[str | None, typer.Option(
        help="Holiday days in the benefit month (instead of --period), incl. days on ledighedsydelse.")] = None,
    ledighedsydelse_days: Annotated[str | None, typer.Option(
        help="Of the holiday days, those on ledighedsydelse (no subsidy for them, BEK § 10).")] = None,
    employment_start: Annotated[str | None, typer.Option(help="First day of the fleksjob, YYYY-MM-DD.")] = None,
    employment_end: Annotated[str | None, typer.Option(help="Last day of the fleksjob, YYYY-MM-DD.")] = None,
    ceiling_change: Annotated[list[str] | None, typer.Option(
        help="A new ceiling from a day of the basis month START:AMOUNT. Repeatable.")] = None,
    paid_hours: Annotated[str | None, typer.Option(
        help="Paid hours reported for the basis month (gives the state ATP, LAB § 138).")] = None,
    paid_hours_before_sickness: Annotated[str | None, typer.Option(
        help="Paid hours of the last full month before the sickness (LAB § 138, stk. 4).")] = None,
    regulation_wage: Annotated[str | None, typer.Option(
        help="After holiday on ledighedsydelse in the basis month: the real wage of the benefit month, kr.")] = None,
    bonus_spread_out: Annotated[str | None, typer.Option(
        help="Bonus in the wage that is spread over other months (PM 27-23), kr.")] = None,
    events_file: Annotated[Path | None, typer.Option(
        "--events", help="A JSON or YAML file with the month's events (the API's events object).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Compute the fleksløntilskud of one benefit month, with every step and its provision.

    With events (--period, --income, --feriekonto, … or --events FILE) the month is computed as it
    really was: holiday, sickness, maternity, ledighedsydelse days, several incomes, job start/end,
    and the municipality's ATP for the hours with subsidy."""
    benefit_month = month(month_)
    options = {
        "period": period, "income": income, "feriekonto": feriekonto, "ceiling_change": ceiling_change,
        "feriekonto_earned": feriekonto_earned, "sickness_benefit": sickness_benefit,
        "holiday_days_before": holiday_days_before, "employment_start": employment_start,
        "holiday_days": holiday_days, "ledighedsydelse_days": ledighedsydelse_days,
        "employment_end": employment_end, "paid_hours": paid_hours,
        "paid_hours_before_sickness": paid_hours_before_sickness, "regulation_wage": regulation_wage,
        "bonus_spread_out": bonus_spread_out,
    }
    inp = MonthInput(
        benefit_month=benefit_month,
        wage=amount(wage, "wage"),
        ceiling=amount(ceiling, "ceiling"),
        other_wage=amount(other_wage, "other_wage"),
        other_income=amount(other_income, "other_income"),
    )
    with input_errors():
        events = events_from_options(options, events_file)
        if events is not None:
            inp.events = events
        result = calculate_month(inp)
    if as_json:
        print_json(result.to_dict())
    else:
        typer.echo("\n".join(explain_month_da(result)))


def _rate_text(name: str, value: object) -> str:
    from decimal import Decimal

    if not isinstance(value, Decimal):  # every rate is a Decimal; a named error, never an assert
        raise TypeError(f"{name}: expected a Decimal rate, got {type(value).__name__}")
    if name == "old_scheme_hourly_cap":
        return kr(value)
    return percent(value) if name.startswith(("reduction_rate", "atp_own_share_rate", "old_scheme_state_refund")) \
        else kr(value, decimals=0)


OLD_SCHEME_SHOWN = ("old_scheme_annual_cap", "old_scheme_hourly_cap", "old_scheme_state_refund_rate")
"""The old scheme's rates in ``flexcalc rates`` (fleksjob begun before 2013, LAB § 133; the fixed refund)."""


rates_app = typer.Typer(help="The rates table, and confirmations of assumed rates.")
app.add_typer(rates_app, name="rates")


@rates_app.callback(invoke_without_command=True)
def rates(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print the rates as JSON.")] = False,
    today: Annotated[str | None, typer.Option(
        "--today", help="Warn if the rates end within three months of this date (YYYY-MM-DD; default: today).")] = None,
) -> None:
    """Print the rates table: every value with the date it takes effect, its status (published, computed,
    assumed) and source; with --json also a computed value's rule and inputs.

    Warns (on stderr, and as ``warning`` in the JSON) when the rates end within three months, and names
    the months from today through the next three whose rates are assumed (``assumed_months``).
    """
    if ctx.invoked_subcommand is not None:
        return
    parameters = load_parameters()
    with input_errors():
        day = parse_date(today, "today") if today else None
    expiry = rates_expiry(day)
    if expiry is not None:
        typer.echo(f"Advarsel: {expiry.message_da}. / Warning: {expiry.message}.", err=True)
    from flexcalc.law.params import coverage
    from flexcalc.law.provisions import law_warning

    warning = law_warning(coverage()[1])
    if warning is not None:
        typer.echo(f"Advarsel: {warning.message_da}. / Warning: {warning.message}.", err=True)
    assumed = assumed_months(day)
    if assumed:
        typer.echo(f"Advarsel: {assumed_months_da(assumed)} / Warning: {assumed_months_en(assumed)}", err=True)
    if as_json:
        data: dict[str, object] = {name: parameter_json(parameters[name]) for name in RATE_NAMES}
        data["old_scheme"] = {name: parameter_json(parameters[name]) for name in OLD_SCHEME_SHOWN}
        data["assumed_months"] = [str(m) for m in assumed]
        data["law_warning"] = None if warning is None else warning.to_dict()
        if expiry is not None:
            data["warning"] = {"code": "rates_end_soon", "last_month": str(expiry.last_month),
                               "reason": expiry.message, "reason_da": expiry.message_da}
        from flexcalc.cli.self_employed import self_employed_rates_json  # the self-employed flow's rates

        data["self_employed"] = self_employed_rates_json()
        print_json(data)
        return
    _print_rates_tables(parameters)


def _print_rates_tables(parameters: dict[str, Parameter]) -> None:
    """Every rate as a table for the terminal (from, value, status, source), and what the statuses mean."""
    console = Console(width=160)
    for name in (*RATE_NAMES, *OLD_SCHEME_SHOWN):
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
            table.add_row(str(entry.start), _rate_text(name, entry.value), STATUS_DA[entry.status or "assumed"],
                          entry.source or "")
        console.print(table)
    from flexcalc.cli.self_employed import print_self_employed_rates  # the self-employed flow's rates

    print_self_employed_rates(console, STATUS_DA)
    console.print("OFFENTLIGGJORT: værdien står i kilden. BEREGNET: lovens regel på offentliggjorte tal, regnet ud, "
                  "når filerne læses. ANTAGET: et af tallene er et skøn; en udbetaling af måneden holdes tilbage, "
                  "til satserne er bekræftet (flexcalc rates confirm).")


STATUS_DA = {"published": "offentliggjort", "computed": "BEREGNET", "assumed": "ANTAGET"}


def _month_input(value: str, index: int) -> MonthInput:
    parts = _split(value, f"months.{index}", ("month", "wage", "ceiling"))
    return MonthInput(Month.parse(parts["month"], f"months.{index}.month"),
                      _amount(parts["wage"], f"months.{index}.wage"),
                      _amount(parts["ceiling"], f"months.{index}.ceiling"))


def _amount(value: str, field: str) -> Any:
    from flexcalc.parsing.inputs import parse_amount

    return parse_amount(value, field)


@app.command("bonus-spread")
def bonus_spread(
    bonus: Annotated[str, typer.Option(help="The bonus, kr.")],
    month_input: Annotated[list[str], typer.Option(
        "--month-input", help="A month as it was computed: BENEFIT_MONTH:WAGE:CEILING (the wage of the basis "
                              "month before the spread). Repeatable.")],
    paid_in: Annotated[str | None, typer.Option(help="Basis month whose wage held the whole bonus, YYYY-MM.")] = None,
    covered: Annotated[list[str] | None, typer.Option(
        help="A basis month the bonus covers, YYYY-MM (default: every given month's basis month). Repeatable.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Spread a bonus over the months it covers and recompute them (Ankestyrelsen PM 27-23)."""
    with input_errors():
        inputs = [_month_input(v, i) for i, v in enumerate(month_input)]
        spread = spread_bonus(
            inputs, _amount(bonus, "bonus"),
            covered=None if covered is None else [Month.parse(c, f"covered.{i}") for i, c in enumerate(covered)],
            paid_in=None if paid_in is None else Month.parse(paid_in, "paid_in"),
        )
    if as_json:
        print_json(spread.to_dict())
        return
    typer.echo(f"Bonus på {kr(spread.bonus)} fordelt ligeligt over de måneder, den dækker (Ankestyrelsen PM 27-23)")
    for m in spread.months:
        typer.echo(f"{month_name(m.benefit_month)} (løn i {month_name(m.basis_month)}): andel {kr(m.share)}"
                   + (f", flyttet ud {kr(m.moved_out)}" if m.moved_out else "")
                   + f"; tilskud {kr(m.before.subsidy)} → {kr(m.after.subsidy)} "
                     f"({kr(m.subsidy_difference, sign=True)})")
    typer.echo(f"I alt: tilskud {kr(spread.subsidy_difference, sign=True)}, udbetaling "
               f"{kr(spread.payout_difference, sign=True)}")
