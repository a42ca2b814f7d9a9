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
from flexcalc.errors import InputError, require
from flexcalc.format import kr, month_name, number
from flexcalc.inputs import parse_fleksjob_hours
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

Hours = int | Decimal
"""Weekly hours: a whole number (``int``) or a half hour (``Decimal("12.5")``), 1–37."""
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

    def monthly_wage(self, hours: Hours) -> Decimal:
        """The monthly wage for ``hours`` a week (whole or half hours), rounded to whole øre half up.

        Hourly: timeløn × hours × 52/12 (STAR's calculator). Full-time wage F: F × hours/37, computed
        as F × (2 × hours) / 74 in whole øre, so the only rounding is the final one.
        """
        if self.hourly is not None:
            return monthly_wage_for_hours(self.hourly, Decimal(hours))
        full_time = require(self.full_time_wage, "full_time_wage")
        half_hours = int(Decimal(hours) * 2)
        return from_ore(_divide_half_up(to_ore(full_time) * half_hours, 2 * FULL_TIME_HOURS))

    def full_time_monthly(self) -> Decimal:
        """The monthly wage for 37 hours a week: STAR's estimate of the ceiling."""
        return self.monthly_wage(FULL_TIME_HOURS)

    @property
    def hourly_equivalent(self) -> Decimal:
        """The hourly wage (given, or F × 12 / (37 × 52) rounded to øre), for display."""
        if self.hourly is not None:
            return self.hourly
        return from_ore(_divide_half_up(to_ore(require(self.full_time_wage, "full_time_wage")) * MONTHS_PER_YEAR,
                                        FULL_TIME_HOURS * WEEKS_PER_YEAR))


@dataclass(slots=True)
class ScenarioRow:
    """One weekly hour count: the month's calculation and what one more hour would add."""

    hours: Hours
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
            "hours": self.hours if isinstance(self.hours, int) else str(self.hours),
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


@dataclass(frozen=True, slots=True)
class ScenarioFinding:
    """Something the person should know about the inputs, with a code for programs and a Danish sentence.

    ``ceiling_below_full_time_wage``: the lønloft is lower than the person's own wage at 37 hours
    (timeløn × 37 × 52/12). A full-timer in the same job earns at least as much an hour (LAB § 123,
    stk. 3; Ankestyrelsen PM 48-22), so the ceiling is most likely too low: the lønloft check says the
    same (``ceiling_below_own_wage``)."""

    code: str
    severity: Literal["warning", "info"]
    message_da: str
    provision: str
    amounts: dict[str, Decimal] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "severity": self.severity, "message_da": self.message_da,
                "provision": self.provision, "amounts": {k: amount_str(v) for k, v in self.amounts.items()}}


@dataclass(slots=True)
class HourScenario:
    """Every weekly hour count 1–37 for one job, ceiling and benefit month (half hours on request)."""

    benefit_month: Month
    job: Job
    ceiling: Decimal
    ceiling_source: CeilingSource
    rows: list[ScenarioRow]
    regions: list[Region] = field(default_factory=list)
    _half_hours: dict[Decimal, ScenarioRow] = field(default_factory=dict, repr=False)

    def row(self, hours: Hours) -> ScenarioRow:
        """The row of ``hours`` a week (1–37, whole or half). A half hour is computed by the monthly
        calculation like every other row (never rounded to a whole hour)."""
        checked = check_hours(hours)
        if isinstance(checked, int):
            return self.rows[checked - MIN_HOURS]
        if checked not in self._half_hours:
            result = calculate_month(MonthInput(self.benefit_month, self.job.monthly_wage(checked), self.ceiling),
                                     self.rows[0].result.rates)
            following = self.rows[int(checked + 1) - MIN_HOURS] if checked + 1 <= MAX_HOURS else None
            gain = None if following is None else following.total - (result.wage_income + result.subsidy)
            self._half_hours[checked] = ScenarioRow(checked, result, region_of(result), gain)
        return self._half_hours[checked]

    @property
    def plateau_from_hours(self) -> int | None:
        """The first weekly hour count on the plateau (the ceiling binds), or ``None``."""
        for region in self.regions:
            if region.kind == "plateau":
                return region.from_hours
        return None

    @property
    def plateau_to_hours(self) -> int | None:
        """The last weekly hour count of the (first) plateau, or ``None``: more hours than this give more
        money again where the wage alone passes the ceiling."""
        for region in self.regions:
            if region.kind == "plateau":
                return region.to_hours
        return None

    @property
    def derived_rates(self) -> list[str]:
        return self.rows[0].result.rates.derived

    @property
    def findings(self) -> list[ScenarioFinding]:
        own = self.job.full_time_monthly()
        if self.ceiling_source == "given" and self.ceiling < own:
            return [ScenarioFinding(
                "ceiling_below_full_time_wage", "warning",
                f"Dit lønloft på {kr(self.ceiling)} er lavere end din egen løn ved 37 timer. "
                f"Den er {number(self.job.hourly_equivalent)} kr. × 37 timer × 52/12 = {kr(own)} "
                "En kollega på fuld tid får mindst det samme i timen. Bed din arbejdsgiver tjekke lønloftet.",
                "LAB § 123, stk. 3; Ankestyrelsen PM 48-22",
                {"ceiling": self.ceiling, "full_time_wage": own})]
        return []

    def plateau_sentence_da(self) -> str:
        """Where the ceiling makes more hours give no more money: the exact hour range, and what follows."""
        start, end = self.plateau_from_hours, self.plateau_to_hours
        ceiling = kr(self.ceiling)
        if start is None or end is None:
            return f"Lønloftet ({ceiling}) nås ikke. Jo flere timer, jo mere får du i alt."
        span = f"ved {_hours_da(start)}" if start == end else f"fra {start} til {_hours_da(end)}"
        text = (f"Loftet gælder {span} om ugen. Her når løn og tilskud tilsammen lønloftet ({ceiling}). "
                "Flere timer giver ikke flere penge før skat i det område.")
        if end < MAX_HOURS:
            text += (f" Fra {_hours_da(end + 1)} er der intet tilskud. "
                     "Så giver hver time mere hele timelønnen.")
        return text

    def change(self, from_hours: Hours, to_hours: Hours) -> Decimal:
        """How much more (negative: less) total income ``to_hours`` gives than ``from_hours``."""
        return self.row(to_hours).total - self.row(from_hours).total

    def change_sentence(self, from_hours: Hours, to_hours: Hours) -> str:
        """The headline: "Går du fra 12 til 15 timer om ugen, får du 1.234 kr. mere om måneden før skat."."""
        return change_sentence_da(from_hours, to_hours, self.change(from_hours, to_hours))

    def wage_sentence_da(self, hours: Hours) -> str:
        """The wage of ``hours`` written out as STAR does: "12 timer × 200,00 kr. × 52 uger / 12 måneder = …"."""
        row = self.row(hours)
        if self.job.hourly is not None:
            return (f"Din løn: {hours_text(hours)} timer × {kr(self.job.hourly)} × 52 uger / 12 måneder = "
                    f"{kr(row.wage)} om måneden.")
        full_time = require(self.job.full_time_wage, "full_time_wage")
        return (f"Din løn: {kr(full_time)} × {hours_text(hours)} / 37 timer = {kr(row.wage)} "
                "om måneden.")

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
            "plateau_to_hours": self.plateau_to_hours,
            "plateau_da": self.plateau_sentence_da(),
            "findings": [finding.to_dict() for finding in self.findings],
            "regions": [region.to_dict() for region in self.regions],
            "rows": [row.to_dict() for row in self.rows],
            "derived_rates": self.derived_rates,
            "rule_version": RULE_VERSION,
        }


def check_hours(hours: Any, field: str = "hours") -> Hours:
    """Weekly hours from 1 to 37 in half-hour steps (a fleksjob is 1–37 hours a week): ``int`` when whole,
    ``Decimal`` for a half hour. Text ("12,5"), ``int`` and ``Decimal`` go through
    :func:`flexcalc.inputs.parse_fleksjob_hours` (the one way in); a bad value names ``field``."""
    value = parse_fleksjob_hours(hours, field)
    return int(value) if value == value.to_integral_value() else value


def hours_text(hours: Hours) -> str:
    """Hours in Danish: ``12`` → "12", ``Decimal("12.5")`` → "12,5"."""
    value = Decimal(hours)
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f").replace(".", ",")


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


def _hours_da(hours: Hours) -> str:
    return f"{hours_text(hours)} time" if hours == 1 else f"{hours_text(hours)} timer"


def _region_text(kind: RegionKind, from_hours: int, to_hours: int, scenario_ceiling: Decimal,
                 threshold: Decimal) -> str:
    span = (f"Ved {_hours_da(from_hours)} om ugen" if from_hours == to_hours
            else f"Fra {from_hours} til {_hours_da(to_hours)} om ugen")
    if kind == "low":
        return (f"{span} falder tilskuddet 30 øre for hver krone, du tjener mere (30 %). "
                "Du beholder 70 øre af hver ekstra krone i løn.")
    if kind == "high":
        return (f"{span} er lønnen over grænsen på {kr(threshold, decimals=0)} Tilskuddet falder 55 øre for "
                "hver krone over grænsen (55 %). Du beholder 45 øre af hver ekstra krone i løn.")
    if kind == "plateau":
        return (f"{span} når løn og tilskud tilsammen lønloftet ({kr(scenario_ceiling)}). Her giver flere "
                "timer ikke flere penge. Tilskuddet falder lige så meget, som lønnen stiger.")
    return (f"{span} er der intet tilskud, fordi lønnen er for høj. Du beholder hele timelønnen "
            "for hver ekstra time.")


def _regions(rows: list[ScenarioRow], ceiling: Decimal, threshold: Decimal) -> list[Region]:
    runs: list[tuple[RegionKind, int, int]] = []
    for row in rows:  # the whole hours 1–37 (half hours are rows on request, never in a region)
        hours = int(row.hours)
        if runs and runs[-1][0] == row.region:
            runs[-1] = (row.region, runs[-1][1], hours)
        else:
            runs.append((row.region, hours, hours))
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


def change_sentence_da(from_hours: Hours, to_hours: Hours, change: Decimal) -> str:
    """The headline sentence for going from one weekly hour count to another."""
    if from_hours == to_hours:
        return (f"Du arbejder {hours_text(from_hours)} timer om ugen. "
                "Vælg et andet antal timer for at se forskellen.")
    direction = "fra" if to_hours > from_hours else "ned fra"
    decimals = 0 if abs(change) >= Decimal("0.5") or change == 0 else 2
    if change > 0:
        outcome = f"får du {kr(change, decimals=decimals)} mere om måneden før skat"
    elif change < 0:
        outcome = f"får du {kr(-change, decimals=decimals)} mindre om måneden før skat"
    else:
        outcome = "får du det samme om måneden før skat – hverken mere eller mindre"
    return f"Går du {direction} {hours_text(from_hours)} til {hours_text(to_hours)} timer om ugen, {outcome}."


def describe_month_da(scenario: HourScenario) -> str:
    """One line naming the month whose rates are used, and whether any rate is derived."""
    text = (f"Satserne for {month_name(scenario.benefit_month)} er brugt; lønnen er den, der udbetales "
            f"i {month_name(scenario.benefit_month.previous())}.")
    if scenario.derived_rates:
        text += " " + NOT_PUBLISHED_DA
    return text


NOT_PUBLISHED_DA = "Bemærk: En af satserne er ikke offentliggjort endnu. Vi har beregnet den."
"""What a derived rate means to a citizen (never the word "afledt")."""
