"""The words of the lønloft checks: what each finding says and what to do, in Danish (and English).

The checks (``flexcalc.normal_wage.checks``) find facts: amounts, dates, hours, percentages. This module
turns a finding's code and facts into sentences. The Danish is written for an employer with no
knowledge of the rules: short sentences, one point each (LIX ≤ 35 over the fixture forms, measured in
``tests/normal_wage/test_normal_wage_texts.py``). Nothing here computes an amount.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flexcalc.format import date_da, kr, number, percent


@dataclass(frozen=True, slots=True)
class FindingTexts:
    message_da: str
    message_en: str
    action_da: str
    action_en: str


def _en(amount: Decimal) -> str:
    return f"{amount:,.2f} kr."


def _hours(hours: Decimal) -> str:
    """Weekly hours without needless decimals: ``37``, ``20,6``, ``12,25``."""
    if hours == hours.to_integral_value():
        return number(hours, decimals=0)
    return number(hours, decimals=2).rstrip("0").rstrip(",")


def _pct(pct: Decimal) -> str:
    return percent(pct / 100)


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


PENSION_BASE_DA: dict[str, str] = {
    "base_wage": "grundlønnen",
    "base_and_fixed_supplements": "grundløn og faste tillæg",
    "all_wage": "hele lønnen inkl. variable tillæg",
}


def _below_own_wage(f: dict[str, Any]) -> FindingTexts:
    own, hours = f["own_full_time_wage"], _hours(f["full_time_hours"])
    return FindingTexts(
        f"Lønloftet er {kr(f['ceiling'])} Det er lavere end medarbejderens egen løn på fuld tid. "
        f"Den er {number(f['hourly_wage'])} kr. × {hours} timer × 52/12 = {kr(own)} "
        "Det kan ikke passe. En fuldtidsansat i stillingen tjener mindst det samme pr. time.",
        f"The ceiling ({_en(f['ceiling'])}) is lower than the employee's own hourly wage incl. pension and "
        f"supplements at full time: {f['hourly_wage']} × {f['full_time_hours']} h × 52/12 = {_en(own)}. "
        "That is impossible: a full-timer in the position earns at least as much an hour.",
        "Se skemaet igen. Mangler der tillæg eller pension? Er timelønnen sat ned for den nedsatte arbejdsevne? "
        f"Er antal timer på fuld tid forkert? Lønloftet skal mindst være {kr(own)}",
        "Review the form: are supplements or pension missing, is the rate reduced for the reduced working "
        f"capacity, or are the full-time hours wrong? The ceiling must be at least {_en(own)}.",
    )


def _pension_missing(f: dict[str, Any]) -> FindingTexts:
    missing_da, missing_en = [], []
    if f.get("employer_percent") is not None:
        missing_da.append(f"arbejdsgiverens andel ({_pct(f['employer_percent'])})")
        missing_en.append(f"the employer's share ({_plain(f['employer_percent'])} %)")
    if f.get("own_percent") is not None:
        missing_da.append(f"medarbejderens egen andel ({_pct(f['own_percent'])})")
        missing_en.append(f"the employee's own share ({_plain(f['own_percent'])} %)")
    return FindingTexts(
        f"Medarbejderen får pension. Men lønloftet mangler {' og '.join(missing_da)}. "
        "Tilskuddet regnes ud fra lønnen med pension. Derfor skal lønloftet også have pension med. "
        f"Med samme procent af {PENSION_BASE_DA[f['computed_on']]} er det ca. {kr(f['estimate'])} om måneden.",
        f"The employee's wage carries pension, but the ceiling lacks {' and '.join(missing_en)}. The wage income "
        "the subsidy is computed from counts the pension, so the ceiling must too. At the same rate that is about "
        f"{_en(f['estimate'])} a month.",
        "Skriv den pension, en fuldtidsansat i stillingen får. Både arbejdsgiverens og medarbejderens andel.",
        "Enter the pension percentages of a full-timer in the position (employer's and employee's share).",
    )


def _overtime(f: dict[str, Any]) -> FindingTexts:
    return FindingTexts(
        f"Lønloftet har overarbejde med: {kr(f['overtime'])} om måneden. "
        "Lønloftet er lønnen på fuld tid på normale vilkår. Overarbejde hører ikke med. "
        f"Uden overarbejdet er lønloftet {kr(f['ceiling_without'])}",
        f"The ceiling includes overtime: {_en(f['overtime'])} a month. The ceiling is the full-time wage on "
        f"ordinary terms, without overtime. Without it the ceiling is {_en(f['ceiling_without'])}.",
        f"Fjern overarbejdet fra skemaet. Send så {kr(f['ceiling_without'])} til kommunen.",
        f"Remove the overtime from the form and report {_en(f['ceiling_without'])}.",
    )


def _capacity_reduction(f: dict[str, Any]) -> FindingTexts:
    return FindingTexts(
        f"Lønnen i skemaet er sat ned med {kr(f['capacity_reduction'])} om måneden. Det er gjort på grund af "
        "den nedsatte arbejdsevne. Men lønloftet er lønnen for en almindelig fuldtidsansat i stillingen. "
        f"Den skal ikke sættes ned. Uden nedsættelsen er lønloftet {kr(f['ceiling_without'])}",
        f"The wage on the form is reduced by {_en(f['capacity_reduction'])} a month because of the reduced "
        "working capacity. The ceiling is the wage of an ordinary full-timer in the position, without such a "
        f"reduction. Without it the ceiling is {_en(f['ceiling_without'])}.",
        f"Skriv den fulde løn uden nedsættelse. Send så {kr(f['ceiling_without'])} til kommunen.",
        f"Enter the full wage without the reduction and report {_en(f['ceiling_without'])}.",
    )


def _variable_basis(f: dict[str, Any]) -> FindingTexts:
    if f["stated"]:
        why_da = "Skemaet siger, at de variable tillæg er medarbejderens egne."
        why_en = "The form says the variable supplements are the employee's own."
    else:
        why_da = (f"De variable tillæg ({kr(f['variable_supplements'])}) er præcis det, medarbejderen selv får på "
                  f"{_hours(f['employee_hours'])} timer om ugen.")
        why_en = (f"The variable supplements ({_en(f['variable_supplements'])}) are exactly what the employee gets "
                  f"on {_plain(f['employee_hours'])} hours a week.")
    return FindingTexts(
        f"{why_da} Men tillæg for aften, nat og weekend skal være et gennemsnit for en almindelig "
        "fuldtidsansat i stillingen. Det gælder, også selv om medarbejderen i fleksjob ikke har de vagter.",
        f"{why_en} Evening, night and weekend supplements in the ceiling must be the average of an ordinary "
        "full-timer in the same position, even if the employee in the fleksjob works no such shifts.",
        "Skriv det tillæg, som ansatte på fuld tid med samme anciennitet får i snit om måneden. "
        "Brug fx det seneste år.",
        "Enter the average monthly supplement of full-timers with the same seniority in a similar position "
        "(e.g. over the last year).",
    )


def _stale(f: dict[str, Any]) -> FindingTexts:
    effective: dt.date = f["effective_date"]
    as_of: dt.date = f["as_of"]
    return FindingTexts(
        f"Lønloftet gælder fra {date_da(effective)}. Den {date_da(as_of)} er det {f['months']} måneder gammelt. "
        "Lønnen stiger som regel mindst én gang om året. Så skal lønloftet også ændres.",
        f"The ceiling took effect on {effective} and is more than 12 months old ({f['months']} months on "
        f"{as_of}). Wages are usually regulated at least yearly, and then the ceiling must change too.",
        "Tjek, hvad en fuldtidsansat i stillingen får nu. Send et nyt lønloft til kommunen.",
        "Check the current full-time wage in the position and report an updated ceiling to the municipality.",
    )


def _pay_rise(f: dict[str, Any]) -> FindingTexts:
    effective, rise, future = f["effective_date"], f["pay_rise"], f["future"]
    return FindingTexts(
        f"Lønloftet gælder fra {date_da(effective)}. Men lønnen {'stiger' if future else 'steg'} "
        f"{date_da(rise)}. Lønloftet skal følge med.",
        f"The ceiling took effect on {effective}, but the wage {'rises' if future else 'rose'} on {rise}. "
        "The ceiling must follow the pay rise.",
        f"Send et nyt lønloft, der gælder fra {date_da(rise)}.",
        f"Report a new ceiling taking effect on {rise}.",
    )


def _municipality_before_2024(f: dict[str, Any]) -> FindingTexts:
    effective = f["effective_date"]
    return FindingTexts(
        f"Kommunen har regnet lønloftet ud. Men det gælder fra {date_da(effective)}. Kommunen må først selv "
        "regne lønloftet ud fra 1. januar 2024 (LAB § 123, stk. 3, 3. pkt.).",
        f"The ceiling was computed by the municipality but takes effect on {effective}. The municipality "
        "may compute the ceiling itself only from 1 January 2024 (LAB § 123(3), 3rd sentence).",
        "Brug arbejdsgiverens tal for lønnen på fuld tid før 2024.",
        "Use the employer's information on the full-time wage for the time before 2024.",
    )


def _simple_estimate(f: dict[str, Any]) -> FindingTexts:
    estimate, ceiling, difference = f["simple_estimate"], f["ceiling"], f["difference"]
    hours_part, parts_part, own = f["due_to_full_time_hours"], f["due_to_ceiling_parts"], f["own_full_time_wage"]
    hours = _hours(f["full_time_hours"])
    lines_da = [
        f"STAR's beregner går ud fra, at lønloftet er 37 timer × {number(f['hourly_wage'])} kr. × 52/12 = "
        f"{kr(estimate)} (vist som {kr(estimate, decimals=0)}). Her er lønloftet {kr(ceiling)} "
        + ("Det er det samme." if not difference else
           f"Det er {kr(abs(difference))} {'mere' if difference > 0 else 'mindre'}.")
    ]
    lines_en = [
        f"STAR's calculator assumes the ceiling is 37 h × {f['hourly_wage']} × 52/12 = {_en(estimate)}. "
        f"The ceiling here is {_en(ceiling)}, a difference of {_en(difference)}."
    ]
    if hours_part:
        lines_da.append(f"{kr(hours_part, sign=True)} kommer af, at fuld tid er {hours} timer om ugen i "
                        "overenskomsten. Ikke 37.")
        lines_en.append(f"{_en(hours_part)} is because full time under the agreement is {f['full_time_hours']} "
                        "hours a week, not 37.")
    if parts_part:
        explained = []
        if f["variable_supplements"]:
            explained.append(f"variable tillæg ({kr(f['variable_supplements'])})")
        if f["holiday_supplement_monthly"]:
            explained.append(f"ferietillæg ({kr(f['holiday_supplement_monthly'])})")
        reason = (" Lønloftet har " + " og ".join(explained) + " med. Det har en timeløn tit ikke."
                  if explained and parts_part > 0 else "")
        lines_da.append(
            f"{kr(parts_part, sign=True)} er forskellen på lønloftets dele og medarbejderens egen timeløn "
            f"på {hours} timer ({kr(own)}).{reason}"
            + (" Et lønloft under medarbejderens egen løn på fuld tid kan ikke passe. Se fejlen ovenfor."
               if parts_part < 0 else ""))
        lines_en.append(f"{_en(parts_part)} is the difference between the ceiling's parts and the employee's own "
                        f"hourly wage at {f['full_time_hours']} hours ({_en(own)}).")
    return FindingTexts(
        " ".join(lines_da), " ".join(lines_en),
        "Du skal ikke gøre noget, hvis tillæg, pension, ferietillæg og timer forklarer forskellen. "
        "Medarbejderen kan bruge tallet her i stedet for beregnerens skøn.",
        "No action if the difference is explained by supplements, pension, holiday supplement and full-time hours. "
        "The employee can use this figure instead of the calculator's estimate.",
    )


_TEXTS: dict[str, Callable[[dict[str, Any]], FindingTexts]] = {
    "ceiling_below_own_wage": _below_own_wage,
    "pension_missing": _pension_missing,
    "overtime_included": _overtime,
    "capacity_reduction_included": _capacity_reduction,
    "variable_supplements_not_average": _variable_basis,
    "ceiling_older_than_12_months": _stale,
    "ceiling_older_than_pay_rise": _pay_rise,
    "municipality_ceiling_before_2024": _municipality_before_2024,
    "simple_estimate_difference": _simple_estimate,
}


def finding_texts(code: str, facts: dict[str, Any]) -> FindingTexts:
    """What the finding ``code`` says, with its ``facts`` (amounts, dates, hours) filled in."""
    return _TEXTS[code](facts)
