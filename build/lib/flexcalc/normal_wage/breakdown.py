"""The monthly ceiling from the form's parts, line by line: steps that add up to the ceiling exactly."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flexcalc.errors import InputError, require
from flexcalc.format import kr, number, percent
from flexcalc.money import ZERO, round_ore
from flexcalc.normal_wage.constants import (
    _OVERTIME_WORDS,
    HUNDRED,
    PENSION_BASE_DA,
    PROVISION_FULL_TIME,
    PROVISION_HOLIDAY,
    PROVISION_MUNICIPALITY,
    PROVISION_OVERTIME,
    PROVISION_PENSION,
    PROVISION_REDUCTION,
    PROVISION_SUPPLEMENTS,
    PROVISION_TOTAL,
    PROVISION_VARIABLE,
)
from flexcalc.normal_wage.form import NormalWageForm
from flexcalc.rules.weekly_hours import MONTHS_PER_YEAR, monthly_wage_for_hours, simple_full_time_estimate
from flexcalc.trace import Step, total_of

# --------------------------------------------------------------------------------------------------
# The ceiling from its parts
# --------------------------------------------------------------------------------------------------

def simple_estimate(hourly_wage: Decimal) -> Decimal:
    """What STAR's official calculator assumes the ceiling is: 37 × hourly wage × 52/12 (in øre).

    STAR, "Beregn din indtægt i et fleksjob": "Månedslønnen for fuldtidsarbejde (37 timer/uge) i den
    pågældende stilling er antaget at udgøre 32.067 kr. (37 timer * 200 kr. pr. time * 52 uger / 12 mdr.)".
    """
    return simple_full_time_estimate(hourly_wage)


def _hours_text(hours: Decimal) -> str:
    decimals = 0 if hours == hours.to_integral_value() else 2
    text = number(hours, decimals=decimals)
    return text.rstrip("0").rstrip(",") if decimals else text


def _pct_text(pct: Decimal) -> str:
    return percent(pct / HUNDRED)


@dataclass(slots=True)
class CeilingBreakdown:
    """The monthly ceiling and its lines. Steps with ``part_of="ceiling"`` add up to ``total`` exactly."""

    steps: list[Step]
    total: Decimal
    base_wage: Decimal
    wage_before_pension: Decimal
    pension_base: Decimal
    employer_pension: Decimal
    employee_pension: Decimal
    employee_pension_counted: bool
    variable_supplements: Decimal
    holiday_supplement_monthly: Decimal
    holiday_supplement_lump_sum: Decimal | None
    """Ferietillæg paid once a year at full time (not in the monthly ceiling), when paid as a lump sum."""

    def step(self, key: str) -> Step | None:
        return next((s for s in self.steps if s.key == key), None)


def _line(steps: list[Step], key: str, label: str, provision: str, amount: Decimal,
          inputs: dict[str, Any] | None = None, *, sign: int = 1) -> None:
    steps.append(Step(key, label, provision, amount, inputs or {}, sign * amount, "ceiling"))


def build_ceiling(form: NormalWageForm) -> CeilingBreakdown:
    """The monthly ceiling from the form's parts, line by line (LAB § 123, stk. 3; Ankestyrelsen PM 48-22).

    Every line is rounded once to øre (half up); the ceiling is the sum of the counted lines. Overtime and a
    reduction for the reduced working capacity are shown as lines when the form includes them (they must not
    be there; ``check_form`` reports them and gives the ceiling without them).
    """
    steps: list[Step] = []
    hours = form.full_time_hours
    if form.monthly_base_wage is not None:
        base = form.monthly_base_wage
        _line(steps, "base_wage", "Grundløn pr. måned ved fuld tid", PROVISION_FULL_TIME, base,
              {"full_time_hours": hours})
    else:
        rate = require(form.hourly_rate, "hourly_rate")
        base = monthly_wage_for_hours(rate, hours)
        _line(steps, "base_wage",
              f"Grundløn ved fuld tid: {number(rate)} kr. × {_hours_text(hours)} timer × 52/12",
              PROVISION_FULL_TIME, base, {"hourly_rate": form.hourly_rate, "full_time_hours": hours})
    reduction = form.capacity_reduction
    if reduction:
        if reduction > base:
            raise InputError("capacity_reduction", "is larger than the base wage",
                             "er større end grundlønnen", code="reduction_too_large")
        _line(steps, "capacity_reduction", "Nedsættelse for nedsat arbejdsevne (må ikke indgå i lønloftet)",
              PROVISION_REDUCTION, reduction, sign=-1)

    sup = form.supplements
    fixed = ZERO
    for key, label, amount in (("qualification", "Kvalifikationstillæg", sup.qualification),
                               ("seniority", "Anciennitetstillæg", sup.seniority),
                               ("function", "Funktionstillæg", sup.function)):
        if amount:
            _line(steps, f"supplement_{key}", label, PROVISION_SUPPLEMENTS, amount)
            fixed += amount
    for index, other in enumerate(sup.other):
        if _OVERTIME_WORDS.search(other.name):
            _line(steps, f"supplement_other_{index}", f"{other.name} (overarbejde må ikke indgå i lønloftet)",
                  PROVISION_OVERTIME, other.amount, {"name": other.name})
        else:
            _line(steps, f"supplement_other_{index}", f"Andet fast tillæg: {other.name}", PROVISION_SUPPLEMENTS,
                  other.amount, {"name": other.name})
        fixed += other.amount

    var = form.variable_supplements
    whose = "medarbejderens egne" if var.basis == "employee_actual" else "gennemsnit for en fuldtidsansat"
    variable = ZERO
    for key, label, amount in (("evening", "Aftentillæg", var.evening), ("night", "Nattillæg", var.night),
                               ("weekend", "Weekendtillæg", var.weekend)):
        if amount:
            _line(steps, f"variable_{key}", f"{label} ({whose})", PROVISION_VARIABLE, amount, {"basis": var.basis})
            variable += amount
    overtime = form.overtime
    if overtime:
        _line(steps, "overtime", "Overarbejde (må ikke indgå i lønloftet)", PROVISION_OVERTIME, overtime)

    wage_before_pension = base - reduction + fixed + variable + overtime
    steps.append(Step("wage_before_pension", "Løn før pension", PROVISION_TOTAL, wage_before_pension))

    pension = form.pension
    pension_base = {
        "base_wage": base - reduction,
        "base_and_fixed_supplements": base - reduction + fixed,
        "all_wage": wage_before_pension,
    }[pension.computed_on]
    on = PENSION_BASE_DA[pension.computed_on]
    employer_pension = round_ore(pension_base * pension.employer_percent / HUNDRED)
    if pension.employer_percent:
        _line(steps, "pension_employer",
              f"Arbejdsgiverens pensionsbidrag ({_pct_text(pension.employer_percent)} af {on}: {kr(pension_base)})",
              PROVISION_PENSION, employer_pension,
              {"percent": pension.employer_percent, "base": pension_base, "computed_on": pension.computed_on})
    employee_pension = round_ore(pension_base * pension.employee_percent / HUNDRED)
    counted = not pension.employee_share_in_wage
    if pension.employee_percent:
        label = f"Eget pensionsbidrag ({_pct_text(pension.employee_percent)} af {on}: {kr(pension_base)})"
        inputs: dict[str, Any] = {"percent": pension.employee_percent, "base": pension_base,
                                  "computed_on": pension.computed_on}
        if counted:
            _line(steps, "pension_employee", label, PROVISION_PENSION, employee_pension, inputs)
        else:
            steps.append(Step("pension_employee", label + " – er en del af lønnen ovenfor og lægges ikke til igen",
                              PROVISION_PENSION, employee_pension, dict(inputs)))

    holiday = form.holiday_supplement
    holiday_monthly = ZERO
    lump_sum: Decimal | None = None
    if holiday.percent:
        if holiday.paid == "monthly":
            holiday_monthly = round_ore(wage_before_pension * holiday.percent / HUNDRED)
            _line(steps, "holiday_supplement",
                  f"Ferietillæg ({_pct_text(holiday.percent)} af lønnen før pension)", PROVISION_HOLIDAY,
                  holiday_monthly, {"percent": holiday.percent, "base": wage_before_pension})
        else:
            lump_sum = round_ore(wage_before_pension * MONTHS_PER_YEAR * holiday.percent / HUNDRED)
            steps.append(Step(
                "holiday_supplement_lump_sum",
                f"Ferietillæg ({_pct_text(holiday.percent)} af et års løn før pension) udbetales samlet: "
                "det er ikke med i det månedlige lønloft; lønloftet hæves med beløbet i den måned, det udbetales",
                PROVISION_HOLIDAY, lump_sum, {"percent": holiday.percent, "base": wage_before_pension * 12}))

    total = total_of(steps, "ceiling")
    provision = PROVISION_TOTAL if form.source == "employer" else f"{PROVISION_MUNICIPALITY}; {PROVISION_TOTAL}"
    label = "Lønloft pr. måned" + (" (beregnet af kommunen)" if form.source == "municipality" else "")
    steps.append(Step("ceiling", label, provision, total))
    return CeilingBreakdown(
        steps=steps, total=total, base_wage=base, wage_before_pension=wage_before_pension,
        pension_base=pension_base, employer_pension=employer_pension, employee_pension=employee_pension,
        employee_pension_counted=counted, variable_supplements=variable,
        holiday_supplement_monthly=holiday_monthly, holiday_supplement_lump_sum=lump_sum,
    )


def _without_excluded(form: NormalWageForm, *, overtime: bool = True, reduction: bool = True) -> NormalWageForm:
    """The form without overtime (also overtime entered as another supplement) and/or without the reduction."""
    update: dict[str, Any] = {}
    if overtime:
        others = [o for o in form.supplements.other if not _OVERTIME_WORDS.search(o.name)]
        update["overtime"] = ZERO
        update["supplements"] = form.supplements.model_copy(update={"other": others})
    if reduction:
        update["capacity_reduction"] = ZERO
    return form.model_copy(update=update)
