"""The hours curve of one person before and after a reform: total income at every weekly hour count 1–37.

Today's side is ``flexcalc.citizen.scenarios.hour_scenario`` itself (``calculate_month`` per hour count). The
reform's side takes the same 37 monthly wages (``Job.monthly_wage``, STAR's × 52/12) and ceiling and
computes them with the reform's exact code (``flexcalc.reforms.rules.compute_reform``), so the page
that draws the curve repeats no formula.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pyarrow as pa

from flexcalc.citizen.scenarios import MAX_HOURS, MIN_HOURS, HourScenario, Job, hour_scenario
from flexcalc.money import from_ore, to_ore
from flexcalc.period import Month
from flexcalc.reforms.rules import PreparedReform, ReformPeople, compute_reform
from flexcalc.reforms.spec import Reform


@dataclass(frozen=True, slots=True)
class CurveRow:
    hours: int
    wage: Decimal
    subsidy_today: Decimal
    subsidy_reform: Decimal

    @property
    def total_today(self) -> Decimal:
        return self.wage + self.subsidy_today

    @property
    def total_reform(self) -> Decimal:
        return self.wage + self.subsidy_reform


@dataclass(frozen=True, slots=True)
class HoursCurve:
    """Every weekly hour count for one job under today's rules and the reform."""

    today: HourScenario
    rows: list[CurveRow]

    def row(self, hours: int) -> CurveRow:
        return self.rows[hours - MIN_HOURS]

    def gain_next_hour(self, hours: int, which: str) -> Decimal | None:
        """Total income at ``hours + 1`` minus at ``hours`` (``which``: "today" or "reform")."""
        if hours >= MAX_HOURS:
            return None
        later, now = self.row(hours + 1), self.row(hours)
        if which == "today":
            return later.total_today - now.total_today
        return later.total_reform - now.total_reform

    def hours_without_gain(self, which: str) -> list[int]:
        """The hour counts from which one more hour adds nothing (or takes away)."""
        return [h for h in range(MIN_HOURS, MAX_HOURS) if (g := self.gain_next_hour(h, which)) is not None and g <= 0]


def hours_curve(month: Month, job: Job, reform: Reform, ceiling: Decimal | None = None,
                agreement: str | None = None) -> HoursCurve:
    """The curve for ``job`` (ceiling: given, or 37 hours of the job as STAR estimates it)."""
    today = hour_scenario(month, job, ceiling)
    hours = np.arange(MIN_HOURS, MAX_HOURS + 1, dtype=np.int64)
    wages = np.array([to_ore(row.wage) for row in today.rows], np.int64)
    people = ReformPeople(wage=wages, ceiling=np.full(len(hours), to_ore(today.ceiling), np.int64), hours=hours,
                          agreement=None if agreement is None else pa.array([agreement] * len(hours), pa.string()))
    result = compute_reform(PreparedReform.of(reform, month), people)
    rows = [CurveRow(int(h), row.wage, row.subsidy, from_ore(int(s)))
            for h, row, s in zip(hours, today.rows, result.subsidy, strict=True)]
    return HoursCurve(today, rows)
