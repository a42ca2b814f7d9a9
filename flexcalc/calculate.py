"""One benefit month: gather the inputs, apply the rules in order, return the result and its trace.

The order is the law's: wage income of the basis month (LAB § 123 stk. 2; BEK 227/2024 § 1),
maximum subsidy (§ 123 stk. 1), reduction 30 %/55 % (§ 123 stk. 2), the ceiling (§ 123 stk. 3),
the own ATP share (§ 137). The rates are those in force in the *benefit* month; the wage is that of
the *basis* month, the month before (§ 123 stk. 1, paid in arrears).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from flexcalc.events import MonthEvents
from flexcalc.money import ZERO, amount_str
from flexcalc.params import Rates, rates_for
from flexcalc.period import Month
from flexcalc.rules import atp, ceiling, reduction, timing, wage_income
from flexcalc.trace import Step

ROUNDING_PROVISION = "flexcalc afrundingsregel: tilskuddet afrundes én gang til hele øre (docs/decisions.md)"


@dataclass(slots=True)
class MonthInput:
    """What one month's calculation needs.

    ``benefit_month`` is the month the subsidy is for (and whose rates apply); the wage amounts are
    those of the basis month, the month before. ``wage`` is the fleksjob wage incl. the employee's
    own and the employer's pension contribution; ``other_wage`` is wage from any other employer;
    ``other_income`` is other income that counts like wage (side self-employment profit; from 2024
    tabt arbejdsfortjeneste and plejevederlag). ``ceiling`` is the lønloft in force.

    ``events`` (optional) holds what else happened in the basis and the benefit month: holiday,
    sickness, maternity, ledighedsydelse days, more incomes, a job starting or ending, the paid hours
    for the state ATP (``flexcalc.events.MonthEvents``; computed by ``flexcalc.month_events``).
    Without events the plain calculation below runs unchanged.
    """

    benefit_month: Month
    wage: Decimal
    ceiling: Decimal
    other_wage: Decimal = ZERO
    other_income: Decimal = ZERO
    events: MonthEvents | None = None

    @property
    def basis_month(self) -> Month:
        return timing.basis_month_of(self.benefit_month)


@dataclass(slots=True)
class MonthResult:
    """The subsidy of one benefit month, every intermediate amount, and the trace."""

    benefit_month: Month
    basis_month: Month
    wage_income: Decimal
    ceiling: Decimal
    rates: Rates
    reduction_low: Decimal
    reduction_high: Decimal
    subsidy_before_ceiling: Decimal
    ceiling_room: Decimal
    ceiling_cut: Decimal
    subsidy: Decimal
    atp_own: Decimal
    payout: Decimal
    steps: list[Step] = field(default_factory=list)

    @property
    def max_subsidy(self) -> Decimal:
        return self.rates.max_subsidy

    @property
    def threshold(self) -> Decimal:
        return self.rates.threshold

    @property
    def reduction(self) -> Decimal:
        return self.reduction_low + self.reduction_high

    @property
    def ceiling_binds(self) -> bool:
        return self.ceiling_cut > 0

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape shared by the CLI's ``--json`` and the API. Amounts are strings."""
        from flexcalc import RULE_VERSION

        return {
            "benefit_month": str(self.benefit_month),
            "basis_month": str(self.basis_month),
            "wage_income": amount_str(self.wage_income),
            "ceiling": amount_str(self.ceiling),
            "max_subsidy": amount_str(self.max_subsidy),
            "threshold": amount_str(self.threshold),
            "reduction_low": amount_str(self.reduction_low),
            "reduction_high": amount_str(self.reduction_high),
            "reduction": amount_str(self.reduction),
            "subsidy_before_ceiling": amount_str(self.subsidy_before_ceiling),
            "ceiling_room": amount_str(self.ceiling_room),
            "ceiling_cut": amount_str(self.ceiling_cut),
            "ceiling_binds": self.ceiling_binds,
            "subsidy": amount_str(self.subsidy),
            "atp_own": amount_str(self.atp_own),
            "payout": amount_str(self.payout),
            "rates_status": {name: entry.status for name, entry in self.rates.entries.items()},
            "derived_rates": self.rates.derived,
            "rule_version": RULE_VERSION,
            "steps": [step.to_dict() for step in self.steps],
        }


def calculate_month(inp: MonthInput, rates: Rates | None = None) -> MonthResult:
    """The fleksløntilskud of one benefit month, with a trace of every step."""
    if inp.events is not None:
        from flexcalc.month_events import calculate_month_with_events

        return calculate_month_with_events(inp, inp.events, rates)
    if rates is None:
        rates = rates_for(inp.benefit_month)
    basis = timing.basis_month_of(inp.benefit_month)
    threshold = rates.threshold
    w = wage_income.wage_income(inp.wage, inp.other_wage, inp.other_income)
    m = rates.max_subsidy
    low, high = reduction.reduction_for_wage(w, rates)
    before, floor_adj, rounding_adj = reduction.subsidy_after_reduction(m, low + high)
    subsidy, cut, room = ceiling.apply_ceiling(before, inp.ceiling, w)
    atp_own = atp.own_atp_share(subsidy, rates)
    payout = subsidy - atp_own

    steps = [
        Step("timing", "Tilskuddet beregnes bagud på lønnen i basismåneden", timing.PROVISION, None,
             {"benefit_month": inp.benefit_month, "basis_month": basis}),
        Step("wage_income", "Lønindtægt i basismåneden inkl. pension", wage_income.PROVISION, w,
             {"wage": inp.wage, "other_wage": inp.other_wage, "other_income": inp.other_income}),
        Step("max_subsidy", "Maksimalt fleksløntilskud (98 % af højeste dagpengesats)",
             reduction.PROVISION_MAX, m, {"status": rates.status("max_subsidy")},
             m, "subsidy"),
        Step("reduction_low", "Nedsættelse med 30 % af lønindtægten op til grænsen",
             reduction.PROVISION_LOW, low,
             {"base": w if w < threshold else threshold, "rate": rates.reduction_rate_low,
              "threshold": threshold}, -low, "subsidy"),
        Step("reduction_high", "Nedsættelse med 55 % af lønindtægten over grænsen",
             reduction.PROVISION_HIGH, high,
             {"base": w - threshold if w > threshold else ZERO, "rate": rates.reduction_rate_high,
              "threshold": threshold}, -high, "subsidy"),
    ]
    if floor_adj:
        steps.append(Step("floor_at_zero", "Tilskuddet kan ikke blive negativt", reduction.PROVISION_HIGH,
                          floor_adj, {}, floor_adj, "subsidy"))
    if rounding_adj:
        steps.append(Step("rounding", "Afrunding til hele øre", ROUNDING_PROVISION, rounding_adj, {},
                          rounding_adj, "subsidy"))
    steps += [
        Step("subsidy_before_ceiling", "Tilskud før lønloftet", reduction.PROVISION_HIGH, before),
        Step("ceiling", "Lønloft: løn og tilskud tilsammen højst fuldtidslønnen", ceiling.PROVISION, cut,
             {"ceiling": inp.ceiling, "wage_income": w, "room": room}, -cut, "subsidy"),
        Step("subsidy", "Fleksløntilskud", ceiling.PROVISION, subsidy, {}, subsidy, "payout"),
        Step("atp_own", "Eget ATP-bidrag (5 %, højst 500 kr.) trækkes fra", atp.PROVISION, atp_own,
             {"rate": rates.atp_own_share_rate, "cap": rates.atp_own_share_cap}, -atp_own, "payout"),
        Step("payout", "Udbetaling før skat", atp.PROVISION, payout),
    ]
    return MonthResult(
        benefit_month=inp.benefit_month,
        basis_month=basis,
        wage_income=w,
        ceiling=inp.ceiling,
        rates=rates,
        reduction_low=low,
        reduction_high=high,
        subsidy_before_ceiling=before,
        ceiling_room=room,
        ceiling_cut=cut,
        subsidy=subsidy,
        atp_own=atp_own,
        payout=payout,
        steps=steps,
    )
