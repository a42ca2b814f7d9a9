"""The plain month as the engine computed it before the one month pipeline (flexcalc/calculate.py at commit 05ed62e),
frozen as a test oracle and as the "before" side of bench/ab_plain_path.py.

It knows nothing of the rule "no fleksjob wage, no subsidy": the pipeline must equal
it on every plain month with a wage, and differ exactly on the months without one.
"""

from __future__ import annotations

from flexcalc.law.params import Rates, rates_for
from flexcalc.money import ZERO
from flexcalc.month.input import MonthInput
from flexcalc.month.result import MonthResult
from flexcalc.rules import atp, ceiling, reduction, timing, wage_income
from flexcalc.trace import Step

ROUNDING_PROVISION = "flexcalc afrundingsregel: tilskuddet afrundes én gang til hele øre (docs/decisions.md)"
PROVISION_TIMING = "LAB § 123, stk. 1 (månedsvis bagud); Ankestyrelsen PM 48-22"
PROVISION_WAGE = "LAB § 123, stk. 2; BEK 227/2024 § 1, nr. 1–3"
PROVISION_MAX = "LAB § 123, stk. 1"
PROVISION_LOW = "LAB § 123, stk. 2, 1. pkt."
PROVISION_HIGH = "LAB § 123, stk. 2, 2. pkt."
PROVISION_CEILING = "LAB § 123, stk. 3; BEK 227/2024 § 1, nr. 4"
PROVISION_ATP = "LAB § 137; BEK 1344/2015 § 2"


def legacy_calculate_month(inp: MonthInput, rates: Rates | None = None) -> MonthResult:
    """The plain fleksløntilskud of one benefit month, with a trace of every step (pre-issue-11)."""
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
        Step("timing", "Tilskuddet beregnes bagud på lønnen i basismåneden", PROVISION_TIMING, None,
             {"benefit_month": inp.benefit_month, "basis_month": basis}),
        Step("wage_income", "Lønindtægt i basismåneden inkl. pension", PROVISION_WAGE, w,
             {"wage": inp.wage, "other_wage": inp.other_wage, "other_income": inp.other_income}),
        Step("max_subsidy", "Maksimalt fleksløntilskud (98 % af højeste dagpengesats)",
             PROVISION_MAX, m, {"status": rates.status("max_subsidy")}, m, "subsidy"),
        Step("reduction_low", "Nedsættelse med 30 % af lønindtægten op til grænsen", PROVISION_LOW, low,
             {"base": w if w < threshold else threshold, "rate": rates.reduction_rate_low,
              "threshold": threshold}, -low, "subsidy"),
        Step("reduction_high", "Nedsættelse med 55 % af lønindtægten over grænsen", PROVISION_HIGH, high,
             {"base": w - threshold if w > threshold else ZERO, "rate": rates.reduction_rate_high,
              "threshold": threshold}, -high, "subsidy"),
    ]
    if floor_adj:
        steps.append(Step("floor_at_zero", "Tilskuddet kan ikke blive negativt", PROVISION_HIGH,
                          floor_adj, {}, floor_adj, "subsidy"))
    if rounding_adj:
        steps.append(Step("rounding", "Afrunding til hele øre", ROUNDING_PROVISION, rounding_adj, {},
                          rounding_adj, "subsidy"))
    steps += [
        Step("subsidy_before_ceiling", "Tilskud før lønloftet", PROVISION_HIGH, before),
        Step("ceiling", "Lønloft: løn og tilskud tilsammen højst fuldtidslønnen", PROVISION_CEILING, cut,
             {"ceiling": inp.ceiling, "wage_income": w, "room": room}, -cut, "subsidy"),
        Step("subsidy", "Fleksløntilskud", PROVISION_CEILING, subsidy, {}, subsidy, "payout"),
        Step("atp_own", "Eget ATP-bidrag (5 %, højst 500 kr.) trækkes fra", PROVISION_ATP, atp_own,
             {"rate": rates.atp_own_share_rate, "cap": rates.atp_own_share_cap}, -atp_own, "payout"),
        Step("payout", "Udbetaling før skat", PROVISION_ATP, payout),
    ]
    return MonthResult(
        benefit_month=inp.benefit_month, basis_month=basis, wage_income=w, ceiling=inp.ceiling, rates=rates,
        reduction_low=low, reduction_high=high, subsidy_before_ceiling=before, ceiling_room=room, ceiling_cut=cut,
        subsidy=subsidy, atp_own=atp_own, payout=payout, steps=steps)
