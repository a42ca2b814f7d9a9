"""The state refund ladder for fleksløntilskud (refusionstrappen).

Lov om kommunernes finansiering af visse offentlige ydelser … (LBK 221/2021) § 5, stk. 2: the refund
is 80 % in the first 4 weeks with benefits, 40 % from week 5 to week 26, 30 % from week 27 to week 52
and 20 % from week 53. The weeks are counted per person across every benefit of § 3 (see
``history``); the count restarts only after 52 whole calendar weeks of self-support within 3 years
(§ 6). Who the ladder applies to is § 30 (see ``cohort``).

Decided (docs/decisions.md, "Finance — counting weeks"): a week is a calendar week, Monday to
Sunday. ``weeks_before`` is the number of weeks with benefits counted *before the first calendar
week that touches the period*; the calendar week holding the period's first day is week
``weeks_before + 1``, and each later calendar week one more. A period that straddles two steps is
split by its days in each step: the subsidy is shared out by days (øre, half up; the last part takes
the remainder so the parts add up to the subsidy exactly) and each part is refunded at its step's
rate (øre, half up).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from flexcalc.errors import InputError, require
from flexcalc.money import ZERO, amount_str, round_ore
from flexcalc.period import Month

from . import rates

LAW = "Lov om kommunernes finansiering af visse offentlige ydelser (LBK 221/2021)"


@dataclass(frozen=True, slots=True)
class Step:
    number: int
    first_week: int
    last_week: int | None
    parameter: str
    provision: str
    label_da: str


STEPS = (
    Step(1, 1, 4, "refund_rate_weeks_1_4", "§ 5, stk. 2, nr. 1", "uge 1–4 med ydelser"),
    Step(2, 5, 26, "refund_rate_weeks_5_26", "§ 5, stk. 2, nr. 2", "uge 5–26 med ydelser"),
    Step(3, 27, 52, "refund_rate_weeks_27_52", "§ 5, stk. 2, nr. 3", "uge 27–52 med ydelser"),
    Step(4, 53, None, "refund_rate_week_53_on", "§ 5, stk. 2, nr. 4", "fra uge 53 med ydelser"),
)
BEFORE_LADDER = Step(0, 0, None, "refund_rate_before_ladder", "§ 30, stk. 2–3 (hidtidige regler)",
                     "uden for refusionstrappen")


def ladder_text_da(month: Month) -> str:
    """The ladder in force in ``month`` in words, from its dated rates (e.g. "refusionstrappen: 80 % i uge
    1–4, 40 % i uge 5–26, 30 % i uge 27–52, 20 % fra uge 53"): a text that follows the parameters."""
    parts = []
    for step in STEPS:
        percent = (rates.value(step.parameter, month.first_day()) * 100).normalize()
        weeks = f"i uge {step.first_week}–{step.last_week}" if step.last_week else f"fra uge {step.first_week}"
        parts.append(f"{percent:f} % {weeks}".replace(".", ","))
    return "refusionstrappen: " + ", ".join(parts)


def step_of_week(week: int) -> Step:
    """The step that benefit week ``week`` (1, 2, …) falls on (§ 5 stk. 2)."""
    for step in STEPS:
        if week >= step.first_week and (step.last_week is None or week <= step.last_week):
            return step
    raise ValueError(f"week {week} is not a benefit week (they count from 1)")


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def week_of_day(day: dt.date, first_day: dt.date, weeks_before: int) -> int:
    """The benefit week of ``day`` when ``first_day``'s calendar week is week ``weeks_before + 1``."""
    return weeks_before + 1 + (monday_of(day) - monday_of(first_day)).days // 7


def weeks_touched(first_day: dt.date, last_day: dt.date) -> int:
    """How many calendar weeks the days ``first_day``…``last_day`` touch."""
    return (monday_of(last_day) - monday_of(first_day)).days // 7 + 1


@dataclass(slots=True)
class RefundPart:
    step: Step
    days: int
    first_week: int
    last_week: int
    rate: Decimal
    rate_status: str
    subsidy: Decimal
    refund: Decimal

    def to_dict(self) -> dict[str, Any]:
        return {
            "step": self.step.number, "label_da": self.step.label_da, "days": self.days,
            "weeks": [self.first_week, self.last_week], "refund_rate": str(self.rate),
            "rate_status": self.rate_status, "subsidy": amount_str(self.subsidy), "refund": amount_str(self.refund),
            "provision": f"{LAW} {self.step.provision}",
        }


@dataclass(slots=True)
class RefundResult:
    month: Month
    subsidy: Decimal
    weeks_before: int | None
    first_day: dt.date
    last_day: dt.date
    parts: list[RefundPart] = field(default_factory=list)
    cohort_note: str = ""

    @property
    def refund(self) -> Decimal:
        return sum((p.refund for p in self.parts), ZERO)

    @property
    def refund_rate(self) -> Decimal:
        """The day-weighted rate of the period (four decimals, half up)."""
        days = sum(p.days for p in self.parts)
        if days == 0:
            return ZERO
        weighted = sum((p.rate * p.days for p in self.parts), ZERO) / days
        return weighted.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)

    @property
    def weeks_after(self) -> int | None:
        """``weeks_before`` for the period that follows directly (a calendar week shared with it is
        counted once, in the later period)."""
        if self.weeks_before is None:
            return None
        touched = weeks_touched(self.first_day, self.last_day)
        shared = 1 if self.last_day.weekday() != 6 else 0
        return self.weeks_before + touched - shared

    def to_dict(self) -> dict[str, Any]:
        return {
            "month": str(self.month), "subsidy": amount_str(self.subsidy), "weeks_before": self.weeks_before,
            "period": [self.first_day.isoformat(), self.last_day.isoformat()],
            "steps": [p.to_dict() for p in self.parts], "refund_rate": str(self.refund_rate),
            "refund": amount_str(self.refund), "cohort": self.cohort_note,
            "provision": f"{LAW} §§ 5, 6 og 30",
        }


def check_subsidy(subsidy: Decimal, field: str = "subsidy") -> Decimal:
    if subsidy < 0:
        raise InputError(field, "must not be negative", "må ikke være negativ", code="negative")
    return subsidy


def check_weeks_before(weeks_before: object, field: str = "weeks_before") -> int:
    """A whole number ≥ 0 (an int, or text of digits)."""
    if isinstance(weeks_before, bool):
        raise InputError(field, "must be a whole number of weeks, 0 or more",
                         "skal være et helt antal uger, 0 eller flere")
    if isinstance(weeks_before, int):
        value = weeks_before
    elif isinstance(weeks_before, str) and weeks_before.strip().isascii() and weeks_before.strip().isdigit():
        value = int(weeks_before.strip())
    elif isinstance(weeks_before, Decimal) and weeks_before == weeks_before.to_integral_value():
        value = int(weeks_before)
    else:
        raise InputError(field, "must be a whole number of weeks, 0 or more",
                         "skal være et helt antal uger, 0 eller flere")
    if value < 0:
        raise InputError(field, "must be a whole number of weeks, 0 or more",
                         "skal være et helt antal uger, 0 eller flere", code="negative")
    return value


def share_by_days(amount: Decimal, days: list[int]) -> list[Decimal]:
    """``amount`` shared out in proportion to ``days`` (øre, half up; the last share is the remainder)."""
    total = sum(days)
    shares = [round_ore(amount * d / total) for d in days[:-1]]
    return [*shares, amount - sum(shares, ZERO)]


def refund_for_period(month: Month, subsidy: Decimal, weeks_before: int, *, first_day: dt.date | None = None,
                      last_day: dt.date | None = None) -> RefundResult:
    """The state refund of ``subsidy`` paid for the days ``first_day``…``last_day`` of benefit month
    ``month`` (the whole month by default), for a person with ``weeks_before`` benefit weeks counted
    before it (§ 5 stk. 2). Raises ``NoRatesError`` for a month the ladder's parameters do not cover."""
    check_subsidy(subsidy)
    weeks_before = check_weeks_before(weeks_before)
    first = first_day or month.first_day()
    last = last_day or month.last_day()
    if not (month.first_day() <= first <= last <= month.last_day()):
        raise InputError("period", f"must lie inside {month}", f"skal ligge inden for {month}")
    groups: list[tuple[Step, int, int, int]] = []  # step, days, first week, last week
    monday = monday_of(first)
    week = weeks_before + 1
    while monday <= last:
        days = (min(monday + dt.timedelta(days=6), last) - max(monday, first)).days + 1
        step = step_of_week(week)
        if groups and groups[-1][0] is step:
            s, d, w0, _ = groups[-1]
            groups[-1] = (s, d + days, w0, week)
        else:
            groups.append((step, days, week, week))
        monday += dt.timedelta(days=7)
        week += 1
    amounts = share_by_days(subsidy, [g[1] for g in groups])
    result = RefundResult(month, subsidy, weeks_before, first, last)
    for (step, days, w0, w1), part in zip(groups, amounts, strict=True):
        entry = rates.entry(step.parameter, month.first_day())
        rate = require(entry.value, step.parameter)
        result.parts.append(RefundPart(step, days, w0, w1, rate, entry.status or "unknown", part,
                                       round_ore(part * rate)))
    return result


def refund_outside_ladder(month: Month, subsidy: Decimal, note: str) -> RefundResult:
    """The refund under the previous rules for a person the ladder does not (yet) cover (§ 30)."""
    check_subsidy(subsidy)
    entry = rates.entry(BEFORE_LADDER.parameter, month.first_day())
    rate = require(entry.value, BEFORE_LADDER.parameter)
    first, last = month.first_day(), month.last_day()
    result = RefundResult(month, subsidy, None, first, last, cohort_note=note)
    result.parts.append(RefundPart(BEFORE_LADDER, (last - first).days + 1, 0, 0, rate,
                                   entry.status or "unknown", subsidy, round_ore(subsidy * rate)))
    return result
