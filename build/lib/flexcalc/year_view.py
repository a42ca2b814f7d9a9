"""The year ahead for a planned change of hours: twelve benefit months, with the one-month lag.

The subsidy of a benefit month is computed from the wage of the month before (LAB § 123, stk. 1: paid
in arrears; "tilskuddet for december beregnes ud fra lønnen for november"). So in the first month with
the new hours the wage is already the new one while the subsidy is still computed from the old wage;
from the month after, both follow the new hours. Each month is :func:`flexcalc.calculate.calculate_month`
with the rates of that benefit month (new rates from 1 January are used where the months cross a year).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flexcalc.calculate import MonthInput, MonthResult, calculate_month
from flexcalc.format import kr, month_name
from flexcalc.money import ZERO, amount_str
from flexcalc.period import Month
from flexcalc.scenarios import Hours, Job, check_hours, hours_text

MONTHS_AHEAD = 12


@dataclass(frozen=True, slots=True)
class YearMonth:
    """One month of the year view: the hours worked and wage paid in it, and its subsidy, which is
    computed from the wage of the month before (``basis_hours``)."""

    month: Month
    hours: Hours
    wage: Decimal
    basis_hours: Hours
    result: MonthResult
    unchanged_total: Decimal
    """Wage + subsidy in this month had the hours stayed as they are (for the difference)."""

    @property
    def subsidy(self) -> Decimal:
        return self.result.subsidy

    @property
    def total(self) -> Decimal:
        """Wage paid in the month + the month's subsidy (incl. own ATP), before tax."""
        return self.wage + self.result.subsidy

    @property
    def difference(self) -> Decimal:
        return self.total - self.unchanged_total

    @property
    def lagging(self) -> bool:
        """The subsidy is still computed from the wage of other hours than those worked this month."""
        return self.hours != self.basis_hours

    def to_dict(self) -> dict[str, Any]:
        return {"month": str(self.month), "hours": str(self.hours), "wage": amount_str(self.wage),
                "basis_month": str(self.month.previous()), "basis_hours": str(self.basis_hours),
                "subsidy": amount_str(self.subsidy), "total": amount_str(self.total),
                "difference": amount_str(self.difference), "lagging": self.lagging,
                "derived_rates": self.result.rates.derived}


@dataclass(slots=True)
class YearView:
    hours_now: Hours
    hours_new: Hours
    change_month: Month
    months: list[YearMonth]

    @property
    def difference(self) -> Decimal:
        """How much more (negative: less) the twelve months give in total than unchanged hours."""
        return sum((m.difference for m in self.months), ZERO)

    def sentences_da(self) -> list[str]:
        first = self.months[0]
        now, new = hours_text(self.hours_now), hours_text(self.hours_new)
        out = [f"Du går fra {now} til {new} timer om ugen fra {month_name(self.change_month)}."]
        if first.lagging:
            out.append(f"I {month_name(first.month)} får du løn for {new} timer. Men tilskuddet regnes stadig af "
                       f"lønnen for {month_name(first.month.previous())}, hvor du arbejdede {now} timer.")
            second = self.months[1]
            out.append(f"Fra {month_name(second.month)} regnes tilskuddet af lønnen for {new} timer.")
        total = self.difference
        if total > 0:
            out.append(f"På 12 måneder får du {kr(total, decimals=0)} mere før skat end med {now} timer.")
        elif total < 0:
            out.append(f"På 12 måneder får du {kr(-total, decimals=0)} mindre før skat end med {now} timer.")
        else:
            out.append(f"På 12 måneder får du det samme før skat som med {now} timer.")
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"hours_now": str(self.hours_now), "hours_new": str(self.hours_new),
                "change_month": str(self.change_month), "difference": amount_str(self.difference),
                "months": [m.to_dict() for m in self.months], "sentences_da": self.sentences_da()}


def year_view(job: Job, ceiling: Decimal, hours_now: Hours, hours_new: Hours, change_month: Month,
              months: int = MONTHS_AHEAD) -> YearView:
    """The ``months`` benefit months from ``change_month``: from that month the person works
    ``hours_new`` a week (``hours_now`` before). A month outside the rates table is an ``InputError``
    naming ``month`` (from :func:`flexcalc.params.rates_for`)."""
    now, new = check_hours(hours_now, "hours_now"), check_hours(hours_new, "hours_new")

    def hours_in(month: Month) -> Hours:
        return new if month >= change_month else now

    out: list[YearMonth] = []
    month = change_month
    for _ in range(months):
        basis = month.previous()
        result = calculate_month(MonthInput(month, job.monthly_wage(hours_in(basis)), ceiling))
        unchanged = calculate_month(MonthInput(month, job.monthly_wage(now), ceiling))
        wage = job.monthly_wage(hours_in(month))
        out.append(YearMonth(month, hours_in(month), wage, hours_in(basis), result,
                             job.monthly_wage(now) + unchanged.subsidy))
        month = month.next()
    return YearView(now, new, change_month, out)
