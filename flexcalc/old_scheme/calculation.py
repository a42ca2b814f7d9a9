"""One period of the old scheme: the employer's subsidy, with every step and its provision."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from flexcalc.errors import InputError, InvariantError
from flexcalc.law.provisions import cite
from flexcalc.money import ZERO, amount_str
from flexcalc.old_scheme.rates import OldSchemeRates, old_scheme_rates
from flexcalc.old_scheme.rules import (
    SubsidyFraction,
    capped_basis,
    fraction_of,
    monthly_cap,
    sickness_reduction,
    wage_basis,
)
from flexcalc.period import Month
from flexcalc.trace import Step, total_of


@dataclass(frozen=True, slots=True)
class OldSchemeInput:
    """A period (month) of an old-scheme fleksjob as the employer claims it."""

    month: Month
    agreement_wage: Decimal
    fraction: SubsidyFraction
    employer_contributions: Decimal = ZERO
    hours: Decimal | None = None
    sick_refund_days: int = 0
    sick_refund_amount: Decimal = ZERO

    def check(self) -> None:
        """Refuse a refund without its days or days without their refund (both name the field)."""
        if self.sick_refund_days < 0:
            raise InputError("sick_refund_days", "must be 0 or more", "skal være 0 eller mere", code="range")
        if self.sick_refund_days > 31:
            raise InputError("sick_refund_days", "a month has at most 31 days", "en måned har højst 31 dage",
                             code="range")
        if self.sick_refund_days and self.sick_refund_amount <= 0:
            raise InputError("sick_refund_amount", "give the employer's refund for the days with refund",
                             "angiv arbejdsgiverens refusion for dagene med refusion", code="missing")
        if self.sick_refund_amount > 0 and not self.sick_refund_days:
            raise InputError("sick_refund_days", "give the days the refund covers",
                             "angiv de dage, refusionen dækker", code="missing")


@dataclass(slots=True)
class OldSchemeResult:
    """The subsidy of one period, its basis, the fraction, the month's cap and the trace."""

    month: Month
    fraction: SubsidyFraction
    basis: Decimal
    cap: Decimal
    capped_basis: Decimal
    gross_subsidy: Decimal
    sickness_reduction: Decimal
    subsidy: Decimal
    rates: OldSchemeRates
    trace: list[Step] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "scheme": "old",
            "month": str(self.month),
            "fraction": self.fraction.value,
            "basis": amount_str(self.basis),
            "cap": amount_str(self.cap),
            "capped_basis": amount_str(self.capped_basis),
            "gross_subsidy": amount_str(self.gross_subsidy),
            "sickness_reduction": amount_str(self.sickness_reduction),
            "subsidy": amount_str(self.subsidy),
            "payee": "employer",
            "rates_status": self.rates.kind,
            "rates": {name: {"value": str(entry.value), "status": entry.status, "source": entry.source}
                      for name, entry in self.rates.entries.items()},
            "trace": [step.to_dict() for step in self.trace],
        }


def calculate_old_scheme(inp: OldSchemeInput) -> OldSchemeResult:
    """The employer's subsidy of one period of an old-scheme fleksjob (LAB § 133)."""
    inp.check()
    rates = old_scheme_rates(inp.month)
    m = inp.month
    basis = wage_basis(inp.agreement_wage, inp.employer_contributions)
    cap = monthly_cap(rates.annual_cap, rates.hourly_cap, inp.hours)
    within = capped_basis(basis, cap)
    gross = fraction_of(within, inp.fraction)
    reduction = sickness_reduction(gross, inp.sick_refund_days, inp.sick_refund_amount, rates.days_per_month)
    subsidy = gross - reduction
    hours_text = "ikke oplyst: kun årsloftet" if inp.hours is None else str(inp.hours)
    trace = [
        Step("wage", "Løn efter overenskomsten i perioden", cite("old_scheme_basis", m), inp.agreement_wage),
        Step("employer_contributions", "Arbejdsgiverbidrag (ATP, pension m.v.)", cite("old_scheme_basis", m),
             inp.employer_contributions),
        Step("basis", "Tilskudsgrundlag: løn med arbejdsgiverbidrag", cite("old_scheme_basis", m), basis),
        Step("cap", "Loft for måneden: årsloft / 12 eller timeloft × timer", cite("old_scheme_cap", m), cap,
             inputs={"annual_cap": rates.annual_cap, "hourly_cap": rates.hourly_cap, "hours": hours_text}),
        Step("capped_basis", "Grundlag inden for loftet", cite("old_scheme_cap", m), within),
        Step("gross_subsidy", f"Tilskud: {inp.fraction.label_da} af grundlaget", cite("old_scheme_fraction", m),
             gross, inputs={"fraction": inp.fraction.value}, effect=gross, part_of="subsidy"),
    ]
    if inp.sick_refund_days:
        trace.append(Step("sickness_reduction", "Nedsættelse for refusion under sygdom eller barsel",
                          cite("old_scheme_sickness", m), reduction,
                          inputs={"days": str(inp.sick_refund_days), "refund": inp.sick_refund_amount,
                                  "days_per_month": rates.days_per_month},
                          effect=-reduction, part_of="subsidy"))
    trace.append(Step("subsidy", "Tilskud til arbejdsgiveren", cite("old_scheme_employer", m), subsidy))
    if total_of(trace, "subsidy") != subsidy:  # the trace adds up, or the result is not given
        raise InvariantError("the old scheme's trace does not add up to the subsidy")
    return OldSchemeResult(m, inp.fraction, basis, cap, within, gross, reduction, subsidy, rates, trace)
