"""The special flex contribution (særligt fleksbidrag) from the state at the 20 % step.

Lov om kommunernes finansiering … (LBK 221/2021) § 7:
- stk. 1: the municipality is entitled to it when it receives 20 % refund of the subsidy (§ 5 stk. 2 nr. 4);
- stk. 2: it is computed from the amount the subsidy is computed from (LAB § 123 stk. 1, M); a month it is
  at most 30 % of M less the refund the municipality is entitled to, and at most 4.212 kr. (2015 level);
  rounded to the nearest whole krone;
- stk. 3: it is reduced by 20 % of the person's wage income (in the fleksjob and other wage), computed as
  the wage deduction of the subsidy, but without the person's and the employer's pension contributions.

Decided (docs/decisions.md, "Finance — særligt fleksbidrag"): the contribution is
``max(0, min(30 % × M − refund, cap) − 20 % × wage excl. pension)`` for a month wholly at the 20 % step;
for a month partly at it, M, the cap and the wage are taken for the share of the month's days at the
step and the refund is that of the step-4 part. Rounded to whole kroner, half up.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flexcalc.errors import InputError, require
from flexcalc.money import ZERO, amount_str, round_krone
from flexcalc.params import rates_for

from . import rates
from .ladder import RefundResult

PROVISION = "Lov om kommunernes finansiering … § 7, stk. 1–3"


@dataclass(frozen=True, slots=True)
class Fleksbidrag:
    amount: Decimal
    days_at_step_4: int
    base: Decimal
    cap: Decimal
    reduction: Decimal
    status: str

    def to_dict(self) -> dict[str, Any]:
        return {"fleksbidrag": amount_str(self.amount), "days_at_20_percent": self.days_at_step_4,
                "before_reduction": amount_str(self.base), "cap": amount_str(self.cap),
                "wage_reduction": amount_str(self.reduction), "status": self.status, "provision": PROVISION}


def fleksbidrag(refund: RefundResult, wage_excl_pension: Decimal) -> Fleksbidrag:
    """The særligt fleksbidrag of a refunded period, given the wage income without pension."""
    if wage_excl_pension < 0:
        raise InputError("wage", "must not be negative", "må ikke være negativ", code="negative")
    at_20 = [p for p in refund.parts if p.step.number == 4]
    if not at_20:
        return Fleksbidrag(ZERO, 0, ZERO, ZERO, ZERO, "verified")
    month = refund.month
    day = month.first_day()
    days_in_month = (month.last_day() - day).days + 1
    days = sum(p.days for p in at_20)
    share = Decimal(days) / Decimal(days_in_month)
    entries = {name: rates.entry(name, day) for name in
               ("fleksbidrag_share_of_max", "fleksbidrag_cap", "fleksbidrag_wage_reduction_rate")}
    m = rates_for(month).max_subsidy
    values = {name: require(e.value, name) for name, e in entries.items()}
    refund_20 = sum((p.refund for p in at_20), ZERO)
    cap = values["fleksbidrag_cap"] * share
    base = min(values["fleksbidrag_share_of_max"] * m * share - refund_20, cap)
    reduction = values["fleksbidrag_wage_reduction_rate"] * wage_excl_pension * share
    amount = round_krone(max(ZERO, base - reduction))
    status = "derived" if any(e.status == "derived" for e in entries.values()) else "verified"
    return Fleksbidrag(amount, days, base, cap, reduction, status)
