"""An ESTIMATE of the money left after tax in a month with wage and fleksløntilskud.

This is not an assessment of tax (that is Skattestyrelsen's forskudsopgørelse); it shows, roughly, how
much of an extra hour's gross gain is left after tax. The month is treated as if every month of the year
were like it (yearly amounts are divided by 12). Tax parameters are dated data like the subsidy rates
(``flexcalc/parameters/tax_*.yaml``); a month they do not cover is an error, never a default.

What is counted (docs/decisions.md, "Estimate after tax"):

- **AM-bidrag** 8 % of the wage including pension (arbejdsmarkedsbidragsloven § 1; also withheld on the
  part of the wage paid into an employer-administered pension). Not of the subsidy: it is a public
  benefit, not wage.
- **Pension** (the person's and the employer's contribution, a share of the wage) goes to the pension
  scheme, is not taxed now and is not money at hand.
- **Own ATP** of the subsidy is withheld before tax (LAB § 137) and deducted from personal income.
- **Personal income** = wage − pension − AM-bidrag + subsidy − own ATP (personskatteloven § 3).
- **Beskæftigelsesfradrag**: a share of the work income (the wage incl. pension), at most the yearly cap
  / 12; it lowers the municipal tax base only (ligningsloven § 9 J).
- **Personfradrag** / 12 (personskatteloven §§ 9–10), off both tax bases.
- **Kommuneskat** at the person's own rate (incl. kirkeskat if they pay it) and **bundskat**
  (personskatteloven § 6).

Not counted: top tax / mellemskat (a warning is given above its threshold), jobfradrag, other deductions
(transport, interest), the ATP of the wage, capital income, and anything a spouse transfers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from flexcalc.calculate import MonthResult
from flexcalc.errors import InputError, NoRatesError
from flexcalc.format import kr, runs_da
from flexcalc.inputs import parse_amount
from flexcalc.money import ZERO, amount_str, round_ore
from flexcalc.params import ParameterValue, load_parameters
from flexcalc.period import Month
from flexcalc.rules import atp
from flexcalc.scenarios import Hours, HourScenario, change_sentence_da
from flexcalc.trace import Step

TAX_RATE_NAMES = (
    "tax_am_contribution_rate",
    "tax_personal_allowance",
    "tax_bottom_rate",
    "tax_employment_deduction_rate",
    "tax_employment_deduction_cap",
    "tax_top_threshold",
)
MONTHS = Decimal(12)
HUNDRED = Decimal(100)
MUNICIPAL_RANGE = (Decimal(15), Decimal(35))
"""Kommuneskat incl. kirkeskat lies between about 23 % and 28 %; outside 15–35 % is a typing error."""
PENSION_RANGE = (ZERO, Decimal(30))

PROVISION_AM = "Arbejdsmarkedsbidragsloven § 1"
PROVISION_PENSION = "Pensionsbeskatningsloven § 19 (indeholdt pensionsbidrag beskattes ikke nu)"
PROVISION_PERSONAL_INCOME = "Personskatteloven § 3"
PROVISION_EMPLOYMENT = "Ligningsloven § 9 J"
PROVISION_ALLOWANCE = "Personskatteloven §§ 9–10"
PROVISION_BOTTOM = "Personskatteloven § 6"
PROVISION_MUNICIPAL = "Personskatteloven § 9; kommunens udskrivningsprocent"
ESTIMATE_LABEL_DA = "Skøn efter skat"


@dataclass(frozen=True, slots=True)
class TaxRates:
    """The tax parameters in force in one month (yearly amounts as published)."""

    month: Month
    am_contribution_rate: Decimal
    personal_allowance: Decimal
    bottom_rate: Decimal
    employment_deduction_rate: Decimal
    employment_deduction_cap: Decimal
    top_threshold: Decimal
    entries: dict[str, ParameterValue]


def tax_rates_for(month: Month) -> TaxRates:
    """The tax parameters of ``month``; ``NoRatesError`` (naming "month") where they do not reach."""
    parameters = load_parameters()
    day = month.first_day()
    entries: dict[str, ParameterValue] = {}
    for name in TAX_RATE_NAMES:
        try:
            entries[name] = parameters[name].entry_at(day)
        except NoRatesError:
            raise InputError(
                "month", f"no tax rates for {month}: the after-tax estimate covers 2024-01 to 2026-12",
                f"der er ingen skattesatser for {month}: skønnet efter skat dækker 2024-01 til 2026-12",
                code="no_tax_rates") from None
    values = {name.removeprefix("tax_"): entry.value for name, entry in entries.items()}
    return TaxRates(month=month, entries=entries, **values)  # type: ignore[arg-type]


def parse_percent(value: Any, field: str, low: Decimal, high: Decimal) -> Decimal:
    """A percentage such as "25,1" or 25.1 → ``Decimal("0.251")``, within [low, high] percent."""
    percent = parse_amount(value, field)
    if not low <= percent <= high:
        raise InputError(field, f"must be a percentage from {low} to {high}",
                         f"skal være en procent fra {low} til {high}", code="percent_range")
    return percent / HUNDRED


def municipal_rate(value: Any, field: str = "municipal_tax_rate") -> Decimal:
    return parse_percent(value, field, *MUNICIPAL_RANGE)


def pension_rate(value: Any, field: str = "pension_rate") -> Decimal:
    return parse_percent(value, field, *PENSION_RANGE)


@dataclass(slots=True)
class TaxEstimate:
    """One month's estimate: every amount and a trace of the steps with their provisions."""

    wage: Decimal
    pension: Decimal
    am_contribution: Decimal
    subsidy: Decimal
    atp_own: Decimal
    personal_income: Decimal
    employment_deduction: Decimal
    personal_allowance: Decimal
    municipal_tax: Decimal
    bottom_tax: Decimal
    disposable: Decimal
    above_top_threshold: bool
    steps: list[Step] = field(default_factory=list)

    @property
    def tax(self) -> Decimal:
        return self.municipal_tax + self.bottom_tax

    def to_dict(self) -> dict[str, Any]:
        return {
            "wage": amount_str(self.wage), "pension": amount_str(self.pension),
            "am_contribution": amount_str(self.am_contribution), "subsidy": amount_str(self.subsidy),
            "atp_own": amount_str(self.atp_own), "personal_income": amount_str(self.personal_income),
            "employment_deduction": amount_str(self.employment_deduction),
            "personal_allowance": amount_str(round_ore(self.personal_allowance)),
            "municipal_tax": amount_str(self.municipal_tax), "bottom_tax": amount_str(self.bottom_tax),
            "disposable": amount_str(self.disposable), "above_top_threshold": self.above_top_threshold,
        }


def estimate_after_tax(result: MonthResult, municipal: Decimal, pension: Decimal = ZERO,
                       rates: TaxRates | None = None) -> TaxEstimate:
    """The estimate for one month's calculation. ``municipal`` and ``pension`` are fractions
    (0.25 for 25 %); ``pension`` is the contribution in % of the wage without pension."""
    if rates is None:
        rates = tax_rates_for(result.benefit_month)
    wage, subsidy, atp_own = result.wage_income, result.subsidy, result.atp_own
    pension_amount = round_ore(wage * pension / (1 + pension))
    am = round_ore(rates.am_contribution_rate * wage)
    personal_income = wage - pension_amount - am + subsidy - atp_own
    employment = round_ore(min(rates.employment_deduction_rate * wage, rates.employment_deduction_cap / MONTHS))
    allowance = rates.personal_allowance / MONTHS
    municipal_base = max(ZERO, personal_income - employment - allowance)
    bottom_base = max(ZERO, personal_income - allowance)
    municipal_tax = round_ore(municipal * municipal_base)
    bottom_tax = round_ore(rates.bottom_rate * bottom_base)
    disposable = personal_income - municipal_tax - bottom_tax
    steps = [
        Step("wage", "Løn inkl. pension", PROVISION_PERSONAL_INCOME, wage, {}, wage, "payout"),
        Step("pension", "Pension (går til din pensionsordning)", PROVISION_PENSION, pension_amount,
             {"rate": pension}, -pension_amount, "payout"),
        Step("am_contribution", "AM-bidrag af lønnen inkl. pension (ikke af tilskuddet)", PROVISION_AM, am,
             {"rate": rates.am_contribution_rate}, -am, "payout"),
        Step("subsidy", "Fleksløntilskud", "LAB § 123", subsidy, {}, subsidy, "payout"),
        Step("atp_own", "Eget ATP-bidrag af tilskuddet", atp.PROVISION, atp_own, {}, -atp_own, "payout"),
        Step("personal_income", "Personlig indkomst", PROVISION_PERSONAL_INCOME, personal_income),
        Step("employment_deduction", "Beskæftigelsesfradrag (kun i kommuneskatten)", PROVISION_EMPLOYMENT,
             employment, {"rate": rates.employment_deduction_rate,
                          "cap_month": round_ore(rates.employment_deduction_cap / MONTHS)}),
        Step("personal_allowance", "Personfradrag for en måned", PROVISION_ALLOWANCE, round_ore(allowance),
             {"year": rates.personal_allowance}),
        Step("municipal_tax", "Kommuneskat", PROVISION_MUNICIPAL, municipal_tax,
             {"rate": municipal, "base": round_ore(municipal_base)}, -municipal_tax, "payout"),
        Step("bottom_tax", "Bundskat", PROVISION_BOTTOM, bottom_tax,
             {"rate": rates.bottom_rate, "base": round_ore(bottom_base)}, -bottom_tax, "payout"),
        Step("disposable", "Til rådighed efter skat (skøn)", PROVISION_PERSONAL_INCOME, disposable),
    ]
    return TaxEstimate(wage, pension_amount, am, subsidy, atp_own, personal_income, employment, allowance,
                       municipal_tax, bottom_tax, disposable,
                       personal_income * MONTHS > rates.top_threshold, steps)


def explain_estimate_da(estimate: TaxEstimate) -> list[str]:
    """The estimate in plain Danish, line by line, each with its provision."""
    lines = []
    for step in estimate.steps:
        if step.key == "pension" and not step.amount:
            continue
        amount = step.amount or ZERO
        if step.key in ("personal_income", "disposable"):
            sign = "= "
        elif step.effect is not None and step.effect < 0:
            sign = "− "
        else:
            sign = ""
        lines.append(f"{sign}{step.label}: {kr(amount)}  ({step.provision})")
    return lines


@dataclass(slots=True)
class HourAfterTax:
    hours: Hours
    estimate: TaxEstimate
    net_gain_next_hour: Decimal | None

    def to_dict(self) -> dict[str, Any]:
        return {"hours": self.hours, "disposable": amount_str(self.estimate.disposable),
                "tax": amount_str(self.estimate.tax), "am_contribution": amount_str(self.estimate.am_contribution),
                "pension": amount_str(self.estimate.pension),
                "net_gain_next_hour": None if self.net_gain_next_hour is None else amount_str(self.net_gain_next_hour),
                "above_top_threshold": self.estimate.above_top_threshold}


@dataclass(slots=True)
class ScenarioAfterTax:
    """The hour scenario's rows after tax (estimate)."""

    scenario: HourScenario
    municipal: Decimal
    pension: Decimal
    rates: TaxRates
    rows: list[HourAfterTax]

    def row(self, hours: Hours) -> HourAfterTax:
        """The estimate at ``hours`` a week; a half hour is estimated from its own monthly calculation."""
        row = self.scenario.row(hours)
        if isinstance(row.hours, int):
            return self.rows[row.hours - 1]
        estimate = estimate_after_tax(row.result, self.municipal, self.pension, self.rates)
        whole = int(row.hours + 1)
        gain = None if whole > len(self.rows) else self.rows[whole - 1].estimate.disposable - estimate.disposable
        return HourAfterTax(row.hours, estimate, gain)

    def change(self, from_hours: Hours, to_hours: Hours) -> Decimal:
        return self.row(to_hours).estimate.disposable - self.row(from_hours).estimate.disposable

    def change_sentence(self, from_hours: Hours, to_hours: Hours) -> str:
        """"Skøn: Går du fra 12 til 15 timer om ugen, får du ca. 1.000 kr. mere om måneden efter skat."."""
        sentence = change_sentence_da(from_hours, to_hours, self.change(from_hours, to_hours))
        sentence = sentence.replace("før skat", "efter skat").replace("får du ", "får du ca. ", 1)
        return f"Skøn: {sentence}"

    @property
    def negative_gain_hours(self) -> list[int]:
        """Hours where one more hour leaves less money after tax."""
        return [int(r.hours) for r in self.rows if r.net_gain_next_hour is not None and r.net_gain_next_hour < 0]

    def negative_gain_sentence_da(self) -> str | None:
        """Where one more hour leaves less after tax, in words; ``None`` where it never does."""
        hours = self.negative_gain_hours
        if not hours:
            return None
        where = runs_da(hours)
        worst = min(r.net_gain_next_hour for r in self.rows if r.net_gain_next_hour is not None)
        return (f"Skøn: arbejder du {where} timer om ugen, giver én time mere lidt mindre til rådighed efter skat "
                f"(op til {kr(-worst, decimals=0)} mindre om måneden). Det er fordi du betaler AM-bidrag af "
                f"lønnen, men ikke af tilskuddet, og tilskuddet her falder lige så meget, som lønnen stiger.")

    def to_dict(self) -> dict[str, Any]:
        return {
            "label_da": ESTIMATE_LABEL_DA,
            "negative_gain_da": self.negative_gain_sentence_da(),
            "municipal_tax_rate": amount_str(self.municipal * HUNDRED),
            "pension_rate": amount_str(self.pension * HUNDRED),
            "tax_rates": {name: str(entry.value) for name, entry in self.rates.entries.items()},
            "rows": [row.to_dict() for row in self.rows],
            "negative_gain_hours": self.negative_gain_hours,
        }


def scenario_after_tax(scenario: HourScenario, municipal: Decimal, pension: Decimal = ZERO) -> ScenarioAfterTax:
    """Every row of an hour scenario after tax, and the net gain of one more hour."""
    rates = tax_rates_for(scenario.benefit_month)
    estimates = [estimate_after_tax(row.result, municipal, pension, rates) for row in scenario.rows]
    rows = []
    for index, estimate in enumerate(estimates):
        following = estimates[index + 1] if index + 1 < len(estimates) else None
        gain = None if following is None else following.disposable - estimate.disposable
        rows.append(HourAfterTax(index + 1, estimate, gain))
    return ScenarioAfterTax(scenario, municipal, pension, rates, rows)
