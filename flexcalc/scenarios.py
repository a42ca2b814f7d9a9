"""Hour scenarios: what wage, subsidy and total income a job gives at every weekly hour count 1–37.

A job is given by its hourly wage including pension and the supplements a full-timer gets (STAR's
calculator: "timeløn inkl. pension"), or by its monthly full-time wage. For every whole number of
weekly hours from 1 to 37 the monthly wage is computed (docs/decisions.md, "Hour scenarios") and the
month's subsidy is obtained by calling :func:`flexcalc.calculate.calculate_month`: no rule is repeated
here. The rows are then grouped into named regions:

- ``low``: the subsidy falls by 30 øre for each krone of wage (LAB § 123, stk. 2, 1. pkt.);
- ``high``: the wage is above the threshold, the subsidy falls by 55 øre a krone (§ 123, stk. 2, 2. pkt.);
- ``plateau``: wage and subsidy together reach the ceiling (§ 123, stk. 3), so an extra hour's wage is
  taken off the subsidy krone for krone and total income stays the same;
- ``no_subsidy``: the wage is so high (or above the ceiling) that there is no subsidy; each extra hour
  adds its whole wage.

The wage is that of the basis month and the rates are those of the benefit month ``month``, as in
:class:`~flexcalc.calculate.MonthInput`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from flexcalc.calculate import MonthInput, MonthResult, calculate_month
from flexcalc.errors import InputError
from flexcalc.format import kr, month_name
from flexcalc.money import ZERO, amount_str, from_ore, to_ore
from flexcalc.params import rates_for
from flexcalc.period import Month
from flexcalc.rules.weekly_hours import monthly_wage_for_hours

MIN_HOURS = 1
MAX_HOURS = 37
FULL_TIME_HOURS = 37
"""A full-time week in STAR's calculator and in the ceiling estimate (37 × timeløn × 52/12)."""
WEEKS_PER_YEAR = 52
MONTHS_PER_YEAR = 12
MAX_HOURLY = Decimal("10000")
"""The largest hourly wage accepted (10.000 kr./h): larger is a typing error."""

RegionKind = Literal["low", "high", "plateau", "no_subsidy"]
CeilingSource = Literal["given", "full_time_wage"]

PROVISIONS: dict[str, str] = {
    "low": "LAB § 123, stk. 2, 1. pkt.",
    "high": "LAB § 123, stk. 2, 2. pkt.",
    "plateau": "LAB § 123, stk. 3; BEK 227/2024 § 1, nr. 4",
    "no_subsidy": "LAB § 123, stk. 2–3",
}


def _divide_half_up(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded half up, in exact integer arithmetic (both ≥ 0)."""
    quotient, remainder = divmod(numerator, denominator)
    return quotient + (1 if 2 * remainder >= denominator else 0)


@dataclass(frozen=True, slots=True)
class Job:
    """A job by its hourly wage incl. pension and supplements, or by its monthly full-time wage.

    Exactly one of ``hourly`` and ``full_time_wage`` is given. Amounts are in kroner with at most two
    decimals (already parsed by :func:`flexcalc.inputs.parse_amount`).
    """

    hourly: Decimal | None = None
    full_time_wage: Decimal | None = None

    def __post_init__(self) -> None:
        if (self.hourly is None) == (self.full_time_wage is None):
            raise InputError("hourly", "give either the hourly wage or the monthly full-time wage (one of them)",
                             "angiv enten timelønnen eller månedslønnen på fuld tid (en af dem)",
                             code="job_wage")
        for name, value in (("hourly", self.hourly), ("full_time_wage", self.full_time_wage)):
            if value is not None and value <= 0:
                raise InputError(name, "must be more than 0 kr.", "skal være mere end 0 kr.", code="amount_zero")
        if self.hourly is not None and self.hourly > MAX_HOURLY:
            raise InputError("hourly", "is over 10.000 kr. an hour; check the amount",
                             "er over 10.000 kr. i timen; kontrollér beløbet", code="amount_too_large")

    def monthly_wage(self, hours: int) -> Decimal:
        """The monthly wage for ``hours`` a week, rounded to whole øre half up.

        Hourly: timeløn × hours × 52/12 (STAR's calculator). Full-time wage F: F × hours/37.
        Computed exactly in øre, so the only rounding is the final one.
        """
        if self.hourly is not None:
            return monthly_wage_for_hours(self.hourly, Decimal(hours))
        assert self.full_time_wage is not None
        return from_ore(_divide_half_up(to_ore(self.full_time_wage) * hours, FULL_TIME_HOURS))

    def full_time_monthly(self) -> Decimal:
        """The monthly wage for 37 hours a week: STAR's estimate of the ceiling."""
        return self.monthly_wage(FULL_TIME_HOURS)

    @property
    def hourly_equivalent(self) -> Decimal:
        """The hourly wage (given, or F × 12 / (37 × 52) rounded to øre), for display."""
        if self.hourly is not None:
            return self.hourly
        assert self.full_time_wage is not None
        return from_ore(_divide_half_up(to_ore(self.full_time_wage) * MONTHS_PER_YEAR,
                                        FULL_TIME_HOURS * WEEKS_PER_YEAR))


@dataclass(slots=True)
class ScenarioRow:
    """One weekly hour count: the month's calculation and what one more hour would add."""

    hours: int
    result: MonthResult
    region: RegionKind
    gain_next_hour: Decimal | None
    """Total income at ``hours + 1`` minus total income at ``hours``; ``None`` at 37 hours."""

    @property
    def wage(self) -> Decimal:
        return self.result.wage_income

    @property
    def subsidy(self) -> Decimal:
        return self.result.subsidy

    @property
    def atp_own(self) -> Decimal:
        return self.result.atp_own

    @property
    def payout(self) -> Decimal:
        return self.result.payout

    @property
    def total(self) -> Decimal:
        """Wage incl. pension + subsidy incl. own ATP: STAR's "samlet månedsindtægt inkl. pension og ATP"."""
        return self.result.wage_income + self.result.subsidy

    def to_dict(self) -> dict[str, Any]:
        return {
            "hours": self.hours,
            "wage": amount_str(self.wage),
            "subsidy": amount_str(self.subsidy),
            "atp_own": amount_str(self.atp_own),
            "payout": amount_str(self.payout),
            "total": amount_str(self.total),
            "gain_next_hour": None if self.gain_next_hour is None else amount_str(self.gain_next_hour),
            "region": self.region,
            "ceiling_binds": self.result.ceiling_binds,
        }


@dataclass(frozen=True, slots=True)
class Region:
    """A run of consecutive hour counts in the same region, with a plain Danish sentence."""

    kind: RegionKind
    from_hours: int
    to_hours: int
    text_da: str

    @property
    def provision(self) -> str:
        return PROVISIONS[self.kind]

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "from_hours": self.from_hours, "to_hours": self.to_hours,
                "text_da": self.text_da, "provision": self.provision}


@dataclass(slots=True)
class HourScenario:
    """Every weekly hour count 1–37 for one job, ceiling and benefit month."""

    benefit_month: Month
    job: Job
    ceiling: Decimal
    ceiling_source: CeilingSource
    rows: list[ScenarioRow]
    regions: list[Region] = field(default_factory=list)

    def row(self, hours: int) -> ScenarioRow:
        check_hours(hours)
        return self.rows[hours - MIN_HOURS]

    @property
    def plateau_from_hours(self) -> int | None:
        """The first weekly hour count on the plateau (the ceiling binds), or ``None``."""
        for region in self.regions:
            if region.kind == "plateau":
                return region.from_hours
        return None

    @property
    def derived_rates(self) -> list[str]:
        return self.rows[0].result.rates.derived

    def change(self, from_hours: int, to_hours: int) -> Decimal:
        """How much more (negative: less) total income ``to_hours`` gives than ``from_hours``."""
        return self.row(to_hours).total - self.row(from_hours).total

    def change_sentence(self, from_hours: int, to_hours: int) -> str:
        """The headline: "Går du fra 12 til 15 timer om ugen, får du 1.234 kr. mere om måneden før skat."."""
        return change_sentence_da(from_hours, to_hours, self.change(from_hours, to_hours))

    def to_dict(self) -> dict[str, Any]:
        from flexcalc import RULE_VERSION

        rates = self.rows[0].result.rates
        return {
            "benefit_month": str(self.benefit_month),
            "basis_month": str(self.benefit_month.previous()),
            "hourly": amount_str(self.job.hourly_equivalent),
            "hourly_given": self.job.hourly is not None,
            "full_time_wage": amount_str(self.job.full_time_monthly()),
            "ceiling": amount_str(self.ceiling),
            "ceiling_source": self.ceiling_source,
            "max_subsidy": amount_str(rates.max_subsidy),
            "threshold": amount_str(rates.threshold),
            "plateau_from_hours": self.plateau_from_hours,
            "regions": [region.to_dict() for region in self.regions],
            "rows": [row.to_dict() for row in self.rows],
            "derived_rates": self.derived_rates,
            "rule_version": RULE_VERSION,
        }


def check_hours(hours: int, field: str = "hours") -> int:
    """Weekly hours must be a whole number from 1 to 37 (a fleksjob is 1–37 hours a week)."""
    if isinstance(hours, bool) or not isinstance(hours, int) or not MIN_HOURS <= hours <= MAX_HOURS:
        raise InputError(field, f"must be a whole number of hours from {MIN_HOURS} to {MAX_HOURS}",
                         f"skal være et helt antal timer fra {MIN_HOURS} til {MAX_HOURS}", code="hours_range")
    return hours


def region_of(result: MonthResult) -> RegionKind:
    """Which region a month's result lies in, read from its intermediate amounts.

    On the plateau the subsidy before the ceiling is positive and the ceiling leaves less room than
    that (0 ≤ room ≤ subsidy before the ceiling): wage + subsidy = the ceiling exactly.
    """
    before, room = result.subsidy_before_ceiling, result.ceiling_room
    if before > 0 and ZERO <= room <= before:
        return "plateau"
    if result.subsidy == 0:
        return "no_subsidy"
    if result.reduction_high > 0:
        return "high"
    return "low"


def _hours_da(hours: int) -> str:
    return f"{hours} time" if hours == 1 else f"{hours} timer"


def _region_text(kind: RegionKind, from_hours: int, to_hours: int, scenario_ceiling: Decimal,
                 threshold: Decimal) -> str:
    span = (f"Ved {_hours_da(from_hours)} om ugen" if from_hours == to_hours
            else f"Fra {from_hours} til {_hours_da(to_hours)} om ugen")
    if kind == "low":
        return (f"{span} falder tilskuddet med 30 øre for hver krone, du tjener mere (30 %), "
                f"så du beholder 70 øre af hver ekstra krone i løn.")
    if kind == "high":
        return (f"{span} er lønnen over grænsen på {kr(threshold, decimals=0)}, og tilskuddet falder med "
                f"55 øre for hver krone over grænsen (55 %), så du beholder 45 øre af hver ekstra krone i løn.")
    if kind == "plateau":
        return (f"{span} når løn og tilskud tilsammen lønloftet ({kr(scenario_ceiling)}), så flere timer "
                f"ikke giver flere penge: tilskuddet falder lige så meget, som lønnen stiger.")
    return (f"{span} er der intet tilskud, fordi lønnen er for høj, så du beholder hele timelønnen "
            f"for hver ekstra time.")


def _regions(rows: list[ScenarioRow], ceiling: Decimal, threshold: Decimal) -> list[Region]:
    runs: list[tuple[RegionKind, int, int]] = []
    for row in rows:
        if runs and runs[-1][0] == row.region:
            runs[-1] = (row.region, runs[-1][1], row.hours)
        else:
            runs.append((row.region, row.hours, row.hours))
    return [Region(kind, first, last, _region_text(kind, first, last, ceiling, threshold))
            for kind, first, last in runs]


def hour_scenario(benefit_month: Month, job: Job, ceiling: Decimal | None = None) -> HourScenario:
    """Every weekly hour count 1–37: each row is ``calculate_month`` of the wage for those hours.

    ``ceiling`` defaults to the full-time wage (37 hours) of the job, STAR's estimate; give the
    ceiling the employer reported where it is known.
    """
    rates = rates_for(benefit_month)
    source: CeilingSource = "given"
    if ceiling is None:
        ceiling, source = job.full_time_monthly(), "full_time_wage"
    results = [calculate_month(MonthInput(benefit_month, job.monthly_wage(hours), ceiling), rates)
               for hours in range(MIN_HOURS, MAX_HOURS + 1)]
    rows = []
    for index, result in enumerate(results):
        following = results[index + 1] if index + 1 < len(results) else None
        gain = (None if following is None else
                (following.wage_income + following.subsidy) - (result.wage_income + result.subsidy))
        rows.append(ScenarioRow(MIN_HOURS + index, result, region_of(result), gain))
    scenario = HourScenario(benefit_month, job, ceiling, source, rows)
    scenario.regions = _regions(rows, ceiling, rates.threshold)
    return scenario


def change_sentence_da(from_hours: int, to_hours: int, change: Decimal) -> str:
    """The headline sentence for going from one weekly hour count to another."""
    if from_hours == to_hours:
        return f"Du arbejder {from_hours} timer om ugen. Vælg et andet antal timer for at se forskellen."
    direction = "fra" if to_hours > from_hours else "ned fra"
    decimals = 0 if abs(change) >= Decimal("0.5") or change == 0 else 2
    if change > 0:
        outcome = f"får du {kr(change, decimals=decimals)} mere om måneden før skat"
    elif change < 0:
        outcome = f"får du {kr(-change, decimals=decimals)} mindre om måneden før skat"
    else:
        outcome = "får du det samme om måneden før skat – hverken mere eller mindre"
    return f"Går du {direction} {from_hours} til {to_hours} timer om ugen, {outcome}."


def describe_month_da(scenario: HourScenario) -> str:
    """One line naming the month whose rates are used, and whether any rate is derived."""
    text = (f"Satserne for {month_name(scenario.benefit_month)} er brugt; lønnen er den, der udbetales "
            f"i {month_name(scenario.benefit_month.previous())}.")
    if scenario.derived_rates:
        text += " Nogle satser er beregnet (afledt), fordi de endnu ikke er offentliggjort."
    return text
