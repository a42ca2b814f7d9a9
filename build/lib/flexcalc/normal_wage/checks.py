"""The checks of a lønloft form for the usual mistakes: each a function returning a ``Finding`` or None.
Findings never block."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import Decimal
from typing import Any

from flexcalc.errors import require
from flexcalc.money import ZERO, amount_str, round_ore
from flexcalc.normal_wage.breakdown import (
    CeilingBreakdown,
    _without_excluded,
    build_ceiling,
    simple_estimate,
)
from flexcalc.normal_wage.constants import (
    _OVERTIME_WORDS,
    HUNDRED,
    MUNICIPALITY_FROM,
    PROVISION_CEILING,
    PROVISION_MUNICIPALITY,
    PROVISION_OVERTIME,
    PROVISION_PENSION,
    PROVISION_REDUCTION,
    PROVISION_REPORT_CHANGES,
    PROVISION_STAR,
    PROVISION_VARIABLE,
    STALE_AFTER_MONTHS,
    Severity,
)
from flexcalc.normal_wage.form import NormalWageForm
from flexcalc.period import Month
from flexcalc.rules.weekly_hours import monthly_wage_for_hours
from flexcalc.text_da.normal_wage_findings import FindingTexts, finding_texts

# --------------------------------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Finding:
    """The result of one check: its code, severity, field, provision and the facts it found. Findings inform;
    they never block (the employer decides). The words come from the text layer
    (``flexcalc.text_da.normal_wage_findings``), built from ``facts``."""

    code: str
    severity: Severity
    field: str
    provision: str
    amounts: dict[str, Decimal] = dataclass_field(default_factory=dict)
    facts: dict[str, Any] = dataclass_field(default_factory=dict)

    @property
    def texts(self) -> FindingTexts:
        return finding_texts(self.code, {**self.amounts, **self.facts})

    @property
    def message_da(self) -> str:
        return self.texts.message_da

    @property
    def message_en(self) -> str:
        return self.texts.message_en

    @property
    def action_da(self) -> str:
        return self.texts.action_da

    @property
    def action_en(self) -> str:
        return self.texts.action_en

    def to_dict(self) -> dict[str, Any]:
        title_da, title_en = TITLES[self.code]
        texts = self.texts
        return {
            "code": self.code, "severity": self.severity, "field": self.field,
            "title": title_en, "title_da": title_da,
            "message": texts.message_en, "message_da": texts.message_da,
            "action": texts.action_en, "action_da": texts.action_da, "provision": self.provision,
            "amounts": {k: amount_str(v) for k, v in self.amounts.items()},
        }


CHECK_CODES = (
    "ceiling_below_own_wage",
    "pension_missing",
    "overtime_included",
    "capacity_reduction_included",
    "variable_supplements_not_average",
    "ceiling_older_than_12_months",
    "ceiling_older_than_pay_rise",
    "municipality_ceiling_before_2024",
    "simple_estimate_difference",
)
"""Every check, in the order it runs. Checks that need the employee are skipped without one."""

TITLES: dict[str, tuple[str, str]] = {
    "ceiling_below_own_wage": ("Lønloftet er lavere end medarbejderens egen løn på fuld tid",
                               "The ceiling is below the employee's own wage at full time"),
    "pension_missing": ("Pension mangler i lønloftet", "Pension is missing from the ceiling"),
    "overtime_included": ("Overarbejde indgår i lønloftet", "Overtime is included in the ceiling"),
    "capacity_reduction_included": ("Nedsættelse for nedsat arbejdsevne indgår i lønloftet",
                                    "A reduction for the reduced working capacity is included"),
    "variable_supplements_not_average": ("Variable tillæg er ikke gennemsnittet for en fuldtidsansat",
                                         "Variable supplements are not a full-timer's average"),
    "ceiling_older_than_12_months": ("Lønloftet er over 12 måneder gammelt", "The ceiling is over 12 months old"),
    "ceiling_older_than_pay_rise": ("Lønloftet er ældre end den seneste lønstigning",
                                    "The ceiling is older than the latest pay rise"),
    "municipality_ceiling_before_2024": ("Kommunen kan først selv beregne lønloftet fra 2024",
                                         "The municipality may compute the ceiling only from 2024"),
    "simple_estimate_difference": ("Forskel fra STAR's beregner (37 × timeløn × 52/12)",
                                   "Difference from STAR's calculator (37 × hourly × 52/12)"),
}
"""A short title per check, (Danish, English)."""

NEEDS_EMPLOYEE = ("ceiling_below_own_wage", "pension_missing", "simple_estimate_difference")


def _en(amount: Decimal) -> str:
    return f"{amount:,.2f} kr."


def own_full_time_wage(form: NormalWageForm) -> Decimal | None:
    """The employee's own hourly wage (incl. pension and supplements) × full-time hours × 52/12."""
    if form.employee is None:
        return None
    return monthly_wage_for_hours(form.employee.hourly_wage, form.full_time_hours)


def check_below_own_wage(form: NormalWageForm, ceiling: CeilingBreakdown) -> Finding | None:
    """LAB § 123, stk. 3: the ceiling is the full-time wage on ordinary terms; it cannot be lower than what
    the employee's own hourly wage (incl. pension and supplements) gives at full time."""
    own = own_full_time_wage(form)
    if own is None or ceiling.total >= own:
        return None
    employee = require(form.employee, "employee")
    return Finding(
        "ceiling_below_own_wage", "error", "monthly_base_wage" if form.monthly_base_wage is not None else "hourly_rate",
        PROVISION_CEILING,
        {"ceiling": ceiling.total, "own_full_time_wage": own, "shortfall": own - ceiling.total},
        {"hourly_wage": employee.hourly_wage, "full_time_hours": form.full_time_hours},
    )


def check_pension_missing(form: NormalWageForm, ceiling: CeilingBreakdown) -> Finding | None:
    """BEK 227/2024 § 1, nr. 1–2; PM 48-22: the wage income counts the employer's and the employee's pension,
    so the ceiling must include the pension the position carries. Reported when the employee's wage carries an
    employer share and the ceiling has none, or an own share the ceiling neither adds nor includes in the wage."""
    employee = form.employee
    if employee is None:
        return None
    pension = form.pension
    employer_missing: Decimal | None = None
    own_missing: Decimal | None = None
    estimate = ZERO
    if employee.pension_employer_percent > 0 and pension.employer_percent == 0:
        employer_missing = employee.pension_employer_percent
        estimate += round_ore(ceiling.pension_base * employee.pension_employer_percent / HUNDRED)
    if (employee.pension_own_percent > 0 and pension.employee_percent == 0
            and not pension.employee_share_in_wage):
        own_missing = employee.pension_own_percent
        estimate += round_ore(ceiling.pension_base * employee.pension_own_percent / HUNDRED)
    if employer_missing is None and own_missing is None:
        return None
    return Finding(
        "pension_missing", "error", "pension.employer_percent" if pension.employer_percent == 0
        else "pension.employee_percent",
        PROVISION_PENSION,
        {"missing_pension_estimate": estimate},
        {"estimate": estimate, "employer_percent": employer_missing, "own_percent": own_missing,
         "computed_on": pension.computed_on},
    )


def check_overtime(form: NormalWageForm, ceiling: CeilingBreakdown) -> Finding | None:
    """LAB § 123, stk. 3 ("ordinære vilkår"); the lønloft form: the full-time wage without overtime."""
    named = [o for o in form.supplements.other if _OVERTIME_WORDS.search(o.name)]
    amount = form.overtime + sum((o.amount for o in named), ZERO)
    if not amount:
        return None
    corrected = build_ceiling(_without_excluded(form, reduction=False)).total
    field_ = "overtime" if form.overtime else f"supplements.other.{form.supplements.other.index(named[0])}.name"
    return Finding(
        "overtime_included", "error", field_,
        PROVISION_OVERTIME,
        {"overtime": amount, "ceiling": ceiling.total, "ceiling_without": corrected},
    )


def check_capacity_reduction(form: NormalWageForm, ceiling: CeilingBreakdown) -> Finding | None:
    """Ankestyrelsen PM 48-22: the ceiling is the full-time wage "uden eventuel reduktion af timelønnen som følge
    af den nedsatte arbejdsevne"."""
    if not form.capacity_reduction:
        return None
    corrected = build_ceiling(_without_excluded(form, overtime=False)).total
    return Finding(
        "capacity_reduction_included", "error", "capacity_reduction",
        PROVISION_REDUCTION,
        {"capacity_reduction": form.capacity_reduction, "ceiling": ceiling.total, "ceiling_without": corrected},
    )


def check_variable_basis(form: NormalWageForm, ceiling: CeilingBreakdown) -> Finding | None:
    """Ankestyrelsen PM 48-22: with evening, night or weekend supplements the employer states the average monthly
    pay of an ordinary full-timer in the same position, not the employee's own supplements. Reported when the
    form says the amounts are the employee's own, or when they equal what the employee (working less than full
    time) actually gets."""
    var = form.variable_supplements
    total = ceiling.variable_supplements
    employee = form.employee
    stated = var.basis == "employee_actual" and total > 0
    matches = (employee is not None and employee.actual_variable_supplements is not None
               and employee.actual_variable_supplements > 0 and employee.actual_variable_supplements == total
               and employee.hours_per_week < form.full_time_hours)
    if not (stated or matches):
        return None
    return Finding(
        "variable_supplements_not_average", "warning", "variable_supplements.basis" if stated
        else "variable_supplements",
        PROVISION_VARIABLE,
        {"variable_supplements": total},
        {"stated": stated, "employee_hours": employee.hours_per_week if employee else None},
    )


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later; the last day of the month where that day does not exist."""
    target = Month(day.year, day.month) + months
    return dt.date(target.year, target.month, min(day.day, target.last_day().day))


def check_stale(form: NormalWageForm, as_of: dt.date) -> Finding | None:
    """PM 48-22: the employer reports changes in the full-time wage. A ceiling in force more than 12 months is
    very likely out of date (agreements regulate wages at least yearly): a reminder to update it."""
    limit = add_months(form.effective_date, STALE_AFTER_MONTHS)
    if as_of <= limit:
        return None
    months = Month.of(as_of) - Month.of(form.effective_date) - (1 if as_of.day < form.effective_date.day else 0)
    return Finding(
        "ceiling_older_than_12_months", "warning", "effective_date",
        PROVISION_REPORT_CHANGES,
        facts={"effective_date": form.effective_date, "as_of": as_of, "months": months},
    )


def check_pay_rise(form: NormalWageForm, as_of: dt.date) -> Finding | None:
    """PM 48-22: the employer reports changes in the full-time wage (a pay rise, new supplements, pension)."""
    rise = form.last_pay_rise
    if rise is None or rise <= form.effective_date:
        return None
    future = rise > as_of
    return Finding(
        "ceiling_older_than_pay_rise", "warning", "last_pay_rise",
        PROVISION_REPORT_CHANGES,
        facts={"effective_date": form.effective_date, "pay_rise": rise, "future": future},
    )


def check_municipality_date(form: NormalWageForm) -> Finding | None:
    """LAB § 123, stk. 3, 3. pkt. (in force 1 January 2024): only from 2024 may the municipality compute the
    ceiling itself; before that the employer's information is the basis."""
    if form.source != "municipality" or form.effective_date >= MUNICIPALITY_FROM:
        return None
    return Finding(
        "municipality_ceiling_before_2024", "error", "source",
        PROVISION_MUNICIPALITY,
        facts={"effective_date": form.effective_date},
    )


def check_simple_estimate(form: NormalWageForm, ceiling: CeilingBreakdown) -> Finding | None:
    """The difference from STAR's simple estimate 37 × hourly wage × 52/12, split exactly into the part due to
    full-time hours other than 37 and the part due to the ceiling's parts versus the employee's own hourly wage."""
    employee = form.employee
    if employee is None:
        return None
    estimate = simple_estimate(employee.hourly_wage)
    own = monthly_wage_for_hours(employee.hourly_wage, form.full_time_hours)
    difference = ceiling.total - estimate
    hours_part = own - estimate
    parts_part = ceiling.total - own
    return Finding(
        "simple_estimate_difference", "info", "employee.hourly_wage",
        PROVISION_STAR,
        {"simple_estimate": estimate, "ceiling": ceiling.total, "difference": difference,
         "due_to_full_time_hours": hours_part, "due_to_ceiling_parts": parts_part, "own_full_time_wage": own},
        {"hourly_wage": employee.hourly_wage, "full_time_hours": form.full_time_hours,
         "variable_supplements": ceiling.variable_supplements,
         "holiday_supplement_monthly": ceiling.holiday_supplement_monthly},
    )


def run_checks(form: NormalWageForm, ceiling: CeilingBreakdown, as_of: dt.date) -> list[Finding]:
    """Every check, in the order of ``CHECK_CODES``; only those that find something are returned."""
    found = [
        check_below_own_wage(form, ceiling),
        check_pension_missing(form, ceiling),
        check_overtime(form, ceiling),
        check_capacity_reduction(form, ceiling),
        check_variable_basis(form, ceiling),
        check_stale(form, as_of),
        check_pay_rise(form, as_of),
        check_municipality_date(form),
        check_simple_estimate(form, ceiling),
    ]
    return [f for f in found if f is not None]
