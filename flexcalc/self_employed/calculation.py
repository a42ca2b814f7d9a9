"""The subsidy to a self-employed person with reduced working capacity (LAB § 126; BEK 233/2024 § 8).

For a calendar year (§ 8, stk. 2):

```
årsindtægt   = the business's taxable profit before interest (BEK § 11, stk. 1); negative → 0 (§ 11, stk. 4)
reduction    = 30 % × (årsindtægt + other work income), rounded to øre half up      § 8, stk. 1
annual       = max(0, basic amount of the year − reduction)                          § 8, stk. 1
monthly      = annual / 12 rounded to øre half up for January–November; December takes the rest,
               so the twelve months add up to the annual amount exactly (docs/decisions.md)
```

The annual amount is paid on the profit the municipality expects (a provisional basis) and computed again
when the final tax assessment (årsopgørelse) states the real profit (§ 8, stk. 3): ``settle_year`` compares
what the months already paid should have been with what was paid. An underpayment is paid (efterbetaling);
an overpayment is a repayment the municipality must decide on (§ 8, stk. 3, 2. pkt.: "afgøre, om
ændringen medfører efterbetaling eller tilbagebetaling"), never set off by itself.

No storage, no sentences beyond the trace's labels.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from flexcalc.errors import InputError
from flexcalc.law.provisions import Provision, cite
from flexcalc.money import ZERO, amount_str, round_ore
from flexcalc.period import Month
from flexcalc.trace import Step

from .parameters import BASIC_AMOUNT, REDUCTION_RATE, entry_for_year, value_for_year

MAX_ANNUAL_AMOUNT = Decimal("100000000")
"""The largest annual profit or income accepted as input (100 mio. kr.): larger is a typing error."""

def cited(key: str, year: int) -> Provision:
    """The provision ``self_employed_<key>`` as cited for the subsidy of ``year``: the order in force at the
    end of that calendar year (``provisions.yaml``; BEK 233/2024 from April 2024, BEK 247/2022 before)."""
    return cite(f"self_employed_{key}", Month(year, 12))
P_LAW = "LAB § 126, stk. 1"

Status = Literal["published", "computed", "assumed"]


def check_amount(value: Decimal, field: str, *, allow_negative: bool = False) -> Decimal:
    """An annual amount as the calculation takes it: a Decimal with at most two decimals, within limits."""
    from flexcalc.parsing.inputs import parse_amount

    return parse_amount(value, field, allow_negative=allow_negative, maximum=MAX_ANNUAL_AMOUNT)


def monthly_amounts(annual: Decimal) -> tuple[Decimal, ...]:
    """The twelve monthly payments of ``annual``: 1/12 rounded to øre half up, December the rest."""
    regular = round_ore(annual / 12)
    return (regular,) * 11 + (annual - regular * 11,)


@dataclass(frozen=True, slots=True)
class YearResult:
    """The subsidy of one calendar year, with the trace of how it was found."""

    year: int
    profit: Decimal
    other_income: Decimal
    counted_profit: Decimal
    basic_amount: Decimal
    reduction_rate: Decimal
    reduction: Decimal
    annual: Decimal
    months: tuple[Decimal, ...]
    status: Status
    source: str
    ends_at_income: Decimal
    trace: list[Step] = field(default_factory=list)

    @property
    def monthly(self) -> Decimal:
        """The payment of January–November (December may differ by a few øre: ``months``)."""
        return self.months[0]

    def to_dict(self) -> dict[str, object]:
        return {
            "year": self.year,
            "profit": amount_str(self.profit),
            "other_income": amount_str(self.other_income),
            "counted_profit": amount_str(self.counted_profit),
            "basic_amount": amount_str(self.basic_amount),
            "basic_amount_status": self.status,
            "basic_amount_source": self.source,
            "reduction_rate": str(self.reduction_rate),
            "reduction": amount_str(self.reduction),
            "annual": amount_str(self.annual),
            "monthly": amount_str(self.monthly),
            "months": [amount_str(m) for m in self.months],
            "ends_at_income": amount_str(self.ends_at_income),
            "trace": [s.to_dict() for s in self.trace],
        }


def calculate_year(year: int, profit: Decimal, other_income: Decimal = ZERO) -> YearResult:
    """The annual subsidy for ``year`` on the business's profit and the other work income (kroner, øre)."""
    profit = check_amount(profit, "profit", allow_negative=True)
    other_income = check_amount(other_income, "other_income")
    entry = entry_for_year(BASIC_AMOUNT, year)
    basic = value_for_year(BASIC_AMOUNT, year)
    rate = value_for_year(REDUCTION_RATE, year)
    counted = max(profit, ZERO)
    reduction = round_ore(rate * (counted + other_income))
    annual = round_ore(max(basic - reduction, ZERO))
    months = monthly_amounts(annual)
    p_basic, p_income = cited("basic", year), cited("income", year)
    trace = [
        Step("basic_amount", f"Grundbeløb for {year}", p_basic, basic, {"year": str(year)}, effect=basic,
             part_of="subsidy"),
        Step("annual_income", "Beregnet årsindtægt i virksomheden (overskud før renter)", p_income, counted,
             {"profit": profit}),
    ]
    if profit < 0:
        trace.append(Step("negative_income", "Et underskud tæller som 0 kr.", cited("negative_income", year), ZERO,
                          {"profit": profit}))
    trace += [
        Step("other_income", "Anden arbejdsindkomst i året", p_basic, other_income),
        Step("reduction", f"Nedsættelse: {_pct(rate)} af årsindtægt og anden arbejdsindkomst", p_basic,
             reduction, {"rate": rate, "income": counted + other_income}, effect=-min(reduction, basic),
             part_of="subsidy"),
        Step("annual", "Tilskud for året (ikke under 0 kr.)", p_basic, annual),
        Step("monthly", "Udbetaling pr. måned: 1/12 af årets tilskud (december får resten af øren)",
             cited("year", year),
             months[0], {"december": months[11]}),
    ]
    ends_at = basic / rate if rate else ZERO
    return YearResult(year, profit, other_income, counted, basic, rate, reduction, annual, months,
                      entry.status or "assumed", entry.source or "", round_ore(ends_at), trace)


def _pct(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f} %".replace(".", ",")


Outcome = Literal["underpayment", "overpayment", "none"]
Treatment = Literal["back_payment", "repayment_review", "none"]


@dataclass(frozen=True, slots=True)
class SettlementResult:
    """The settlement of a year when the tax assessment states the real profit (BEK 233/2024 § 8, stk. 3)."""

    year: int
    settled: YearResult
    months_paid: tuple[int, ...]
    entitled: Decimal
    paid: Decimal
    settled_before: Decimal
    difference: Decimal
    outcome: Outcome
    treatment: Treatment
    trace: list[Step] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "year": self.year,
            "assessed": self.settled.to_dict(),
            "months_paid": list(self.months_paid),
            "entitled": amount_str(self.entitled),
            "paid": amount_str(self.paid),
            "settled_before": amount_str(self.settled_before),
            "difference": amount_str(self.difference),
            "outcome": self.outcome,
            "treatment": self.treatment,
            "trace": [s.to_dict() for s in self.trace],
        }


def settle_year(year: int, paid: Mapping[int, Decimal], assessed_profit: Decimal,
                assessed_other_income: Decimal = ZERO, settled_before: Decimal = ZERO) -> SettlementResult:
    """Compare the months of ``year`` already paid (``paid``: month number 1–12 → amount paid) with what they
    come to on the assessed profit. ``settled_before``: the net of earlier settlements of the year (a second
    assessment settles only what the first did not). A positive difference is owed to the person
    (efterbetaling); a negative one is a possible repayment the municipality must decide on."""
    for number in paid:
        if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= 12:
            raise InputError("paid", f"month {number!r} is not 1–12", f"måned {number!r} er ikke 1-12",
                             code="month")
    settled = calculate_year(year, assessed_profit, assessed_other_income)
    months = tuple(sorted(paid))
    entitled = sum((settled.months[m - 1] for m in months), ZERO)
    paid_total = sum((paid[m] for m in months), ZERO)
    difference = entitled - paid_total - settled_before
    outcome: Outcome = "underpayment" if difference > 0 else "overpayment" if difference < 0 else "none"
    treatment: Treatment = {"underpayment": "back_payment", "overpayment": "repayment_review",
                            "none": "none"}[outcome]  # type: ignore[assignment]
    p_settle = cited("settlement", year)
    trace = [
        *settled.trace,
        Step("entitled", f"Tilskud for de {len(months)} udbetalte måneder efter årsopgørelsen", p_settle, entitled,
             {"months": ",".join(str(m) for m in months)}),
        Step("paid", "Udbetalt for de samme måneder", p_settle, paid_total),
    ]
    if settled_before:
        trace.append(Step("settled_before", "Allerede efterreguleret for året", p_settle, settled_before))
    label = {"underpayment": "Efterbetaling til dig", "overpayment": "Udbetalt for meget: kommunen afgør, om det "
             "skal betales tilbage", "none": "Ingen forskel"}[outcome]
    trace.append(Step("difference", label, p_settle, difference))
    return SettlementResult(year, settled, months, entitled, paid_total, settled_before, difference, outcome,
                            treatment, trace)
