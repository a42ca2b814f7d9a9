"""What a person keeps of one extra weekly hour: "Hvad beholder du af en ekstra time?".

For every weekly hour count h from 1 to 36 the step to h + 1 adds the wage of one hour a week
(timeløn × 52/12 a month) and changes the subsidy; what is *kept* is the change in total income
(wage + subsidy, before tax, :attr:`flexcalc.scenarios.ScenarioRow.gain_next_hour`) and, with a municipal
tax rate, the change in money at hand after tax (an ESTIMATE, :mod:`flexcalc.tax_estimate`). Nothing is
recomputed here: both come from the scenario's rows, each a monthly calculation.

A step keeps **near nothing** when it keeps less than :data:`NEAR_ZERO_SHARE` of the extra hour's wage
(docs/decisions.md, "Explainer, second pass"): on the plateau it keeps exactly 0 before tax (LAB § 123,
stk. 3), and after tax it can keep less than 0 (AM-bidrag is paid of the wage, not of the subsidy).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from flexcalc.errors import require
from flexcalc.format import kr, runs_da
from flexcalc.money import amount_str
from flexcalc.scenarios import MAX_HOURS, MIN_HOURS, HourScenario
from flexcalc.tax_estimate import ScenarioAfterTax

NEAR_ZERO_SHARE = Decimal("0.10")
"""Below 10 % of the extra hour's wage a step is marked "næsten intet" (near nothing)."""

Mark = Literal["normal", "near_zero", "zero", "negative"]


def _mark(kept: Decimal, extra_wage: Decimal) -> Mark:
    if kept < 0:
        return "negative"
    if kept == 0:
        return "zero"
    if kept < NEAR_ZERO_SHARE * extra_wage:
        return "near_zero"
    return "normal"


@dataclass(frozen=True, slots=True)
class ExtraHourStep:
    """Going from ``hours`` to ``hours + 1`` a week: the extra wage and what is kept of it a month."""

    hours: int
    extra_wage: Decimal
    kept: Decimal
    kept_after_tax: Decimal | None

    @property
    def share(self) -> Decimal:
        """The share of the extra wage kept before tax, to a tenth of a per cent (0.700 = 70 %)."""
        return (self.kept / self.extra_wage).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)

    @property
    def mark(self) -> Mark:
        return _mark(self.kept, self.extra_wage)

    @property
    def mark_after_tax(self) -> Mark | None:
        return None if self.kept_after_tax is None else _mark(self.kept_after_tax, self.extra_wage)

    def to_dict(self) -> dict[str, Any]:
        return {"hours": self.hours, "extra_wage": amount_str(self.extra_wage), "kept": amount_str(self.kept),
                "share": str(self.share), "mark": self.mark,
                "kept_after_tax": None if self.kept_after_tax is None else amount_str(self.kept_after_tax),
                "mark_after_tax": self.mark_after_tax}


@dataclass(slots=True)
class ExtraHour:
    """Every step from 1 to 37 hours a week, and the sentences that say where an hour keeps near nothing."""

    steps: list[ExtraHourStep]
    after_tax: bool

    def step(self, hours: int) -> ExtraHourStep:
        return self.steps[hours - MIN_HOURS]

    def hours_marked(self, *, after_tax: bool = False) -> list[int]:
        """The hour counts where one more hour keeps near nothing, nothing or less than nothing."""
        marks = [(s.hours, s.mark_after_tax if after_tax else s.mark) for s in self.steps]
        return [h for h, mark in marks if mark not in (None, "normal")]

    def sentences_da(self) -> list[str]:
        """Plain Danish: where one more hour a week keeps near nothing before tax and after tax."""
        out: list[str] = []
        before = self.hours_marked()
        if before:
            out.append(f"Ved {runs_da(before)} timer om ugen giver en time mere næsten intet før skat. "
                       "Du beholder under 10 øre af hver krone, du tjener mere.")
        else:
            lowest = min(s.share for s in self.steps)
            out.append(f"Du beholder altid noget af en time mere: mindst {_share_da(lowest)} af lønnen for "
                       "timen før skat.")
        if self.after_tax:
            negative = [s.hours for s in self.steps if s.mark_after_tax == "negative"]
            near = [h for h in self.hours_marked(after_tax=True) if h not in negative]
            if negative:
                out.append(f"Efter skat (skøn) giver en time mere færre penge ved {runs_da(negative)} timer om ugen.")
            if near:
                out.append(f"Efter skat (skøn) giver en time mere næsten intet ved {runs_da(near)} timer om ugen.")
            if not negative and not near:
                out.append("Efter skat (skøn) giver en time mere altid noget.")
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"near_zero_share": str(NEAR_ZERO_SHARE), "steps": [s.to_dict() for s in self.steps],
                "hours_marked": self.hours_marked(),
                "hours_marked_after_tax": self.hours_marked(after_tax=True) if self.after_tax else None,
                "sentences_da": self.sentences_da()}


def _share_da(share: Decimal) -> str:
    value = (share * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"{value} %"


def extra_hour(scenario: HourScenario, after_tax: ScenarioAfterTax | None = None) -> ExtraHour:
    """What one more hour a week keeps, for 1 → 2 up to 36 → 37 hours (before tax; after tax when given)."""
    steps = []
    for hours in range(MIN_HOURS, MAX_HOURS):
        row, following = scenario.rows[hours - MIN_HOURS], scenario.rows[hours + 1 - MIN_HOURS]
        gain = require(row.gain_next_hour, f"the gain of hour {hours + 1}")
        net = None if after_tax is None else after_tax.rows[hours - MIN_HOURS].net_gain_next_hour
        steps.append(ExtraHourStep(hours, following.wage - row.wage, gain, net))
    return ExtraHour(steps, after_tax is not None)


def kept_sentence_da(step: ExtraHourStep) -> str:
    """One step in words: "Fra 12 til 13 timer: 866,67 kr. mere i løn, du beholder 606,67 kr. (70 %)."."""
    return (f"Fra {step.hours} til {step.hours + 1} timer: {kr(step.extra_wage)} mere i løn. Du beholder "
            f"{kr(step.kept)} ({_share_da(step.share)}) før skat.")
