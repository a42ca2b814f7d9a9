"""What the ceiling means for the employee: calls ``calculate_month`` (the subsidy formula is never repeated)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flexcalc.calculate import MonthInput, MonthResult, calculate_month
from flexcalc.errors import InputError
from flexcalc.inputs import plain_number
from flexcalc.money import ZERO, amount_str
from flexcalc.normal_wage.constants import MAX_HOURS
from flexcalc.normal_wage.form import NormalWageForm
from flexcalc.params import rates_for
from flexcalc.period import Month
from flexcalc.rules.weekly_hours import monthly_wage_for_hours

# --------------------------------------------------------------------------------------------------
# What it means for the employee (calls calculate_month; never repeats the formula)
# --------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class HourRow:
    hours: Decimal
    wage: Decimal
    subsidy: Decimal
    total: Decimal
    ceiling_binds: bool

    def to_dict(self) -> dict[str, Any]:
        return {"hours": plain_number(self.hours), "wage": amount_str(self.wage), "subsidy": amount_str(self.subsidy),
                "total": amount_str(self.total), "ceiling_binds": self.ceiling_binds}


@dataclass(slots=True)
class EmployeeEffect:
    """The ceiling's effect for the employee in one benefit month.

    ``binds_from_hours``: the fewest weekly hours (to 0.01 hour) at which wage + subsidy reach the ceiling;
    from there more hours add nothing to the total (wage + subsidy = ceiling). ``None`` when that does not
    happen up to 48 hours a week. ``0`` when it binds at any number of hours.
    """

    benefit_month: Month
    hourly_wage: Decimal
    hours_per_week: Decimal
    current: MonthResult
    binds_from_hours: Decimal | None
    rows: list[HourRow]

    @property
    def binds_now(self) -> bool:
        return _binds(self.current)

    @property
    def binds_from_whole_hours(self) -> int | None:
        return None if self.binds_from_hours is None else math.ceil(self.binds_from_hours)

    def to_dict(self) -> dict[str, Any]:
        return {
            "benefit_month": str(self.benefit_month),
            "hourly_wage": amount_str(self.hourly_wage),
            "hours_per_week": plain_number(self.hours_per_week),
            "monthly_wage": amount_str(self.current.wage_income),
            "subsidy": amount_str(self.current.subsidy),
            "total_income": amount_str(self.current.wage_income + self.current.subsidy),
            "ceiling_binds_now": self.binds_now,
            "binds_from_hours": None if self.binds_from_hours is None else str(self.binds_from_hours),
            "binds_from_whole_hours": self.binds_from_whole_hours,
            "calculation": self.current.to_dict(),
            "hours": [row.to_dict() for row in self.rows],
        }


def _binds(result: MonthResult) -> bool:
    """Wage + subsidy are held at the ceiling: the subsidy the reduction leaves reaches the room under it."""
    return result.subsidy_before_ceiling >= result.ceiling_room


def _month_at(hourly: Decimal, hours: Decimal, ceiling: Decimal, month: Month) -> MonthResult:
    return calculate_month(MonthInput(benefit_month=month, wage=monthly_wage_for_hours(hourly, hours),
                                      ceiling=ceiling))


def binding_hours(hourly: Decimal, ceiling: Decimal, month: Month) -> Decimal | None:
    """The fewest weekly hours (in steps of 0.01) at which the ceiling binds, found by bisection over
    ``calculate_month`` (binding is monotone in the hours: the subsidy falls by at most 55 øre per krone of
    wage while the room under the ceiling falls by a whole krone)."""
    step = Decimal("0.01")
    if _binds(_month_at(hourly, ZERO, ceiling, month)):
        return ZERO
    high = int(MAX_HOURS * 100)
    if not _binds(_month_at(hourly, MAX_HOURS, ceiling, month)):
        return None
    low = 0  # centi-hours: low does not bind, high does
    while high - low > 1:
        middle = (low + high) // 2
        if _binds(_month_at(hourly, Decimal(middle) * step, ceiling, month)):
            high = middle
        else:
            low = middle
    return Decimal(high) * step


def employee_effect(form: NormalWageForm, ceiling: Decimal) -> EmployeeEffect | None:
    """With this ceiling and the employee's hourly wage: the subsidy at the current hours, the hours from which
    the ceiling binds, and a row per whole hour up to full time (each from ``calculate_month``)."""
    employee = form.employee
    if employee is None:
        return None
    if employee.benefit_month is not None:
        month = Month.parse(employee.benefit_month)
    else:
        month = Month.of(form.effective_date)
        try:
            rates_for(month)
        except InputError:
            raise InputError("employee.benefit_month",
                             f"the rates table does not cover {month} (the month the ceiling takes effect): "
                             "give a benefit month",
                             f"satstabellen dækker ikke {month} (den måned lønloftet gælder fra): angiv en "
                             "ydelsesmåned", code="no_rates") from None
    hourly = employee.hourly_wage
    current = _month_at(hourly, employee.hours_per_week, ceiling, month)
    top = min(MAX_HOURS, Decimal(math.ceil(max(form.full_time_hours, employee.hours_per_week))))
    rows = []
    for whole in range(1, int(top) + 1):
        hours = Decimal(whole)
        result = _month_at(hourly, hours, ceiling, month)
        rows.append(HourRow(hours, result.wage_income, result.subsidy, result.wage_income + result.subsidy,
                            _binds(result)))
    return EmployeeEffect(month, hourly, employee.hours_per_week, current, binding_hours(hourly, ceiling, month),
                          rows)
