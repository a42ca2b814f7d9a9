"""Sickness and maternity (barsel, sorgorlov) in the basis month.

- LAB § 124, stk. 2: with wage during sickness or maternity the subsidy continues and is computed on
  the wage paid (§ 123, stk. 2) — nothing changes but the label.
- LAB § 124, stk. 3; BEK 1806/2023 and 227/2024 § 9, stk. 1: without wage the person gets syge- or
  barselsdagpenge, which are deducted *in full* from the subsidy, so that dagpenge and subsidy
  together equal 98 % of the highest dagpengesats (M).
- BEK § 9, stk. 2: a month with both wage and dagpenge: "den beregnede løn, jf. § 3, stk. 2" and the
  dagpenge are deducted together in the following month's subsidy. BEK § 2, stk. 2: such a month is
  computed on an average of 21,6667 days.

How the mixed month is computed (docs/decisions.md, "Sickness and maternity"): the month is split by
days, d unpaid days of 21,6667. The wage belongs to the other (21,6667 − d) days: it is reduced by
30 % / 55 % as if it were the wage of that share of a month, i.e. with the threshold T scaled by
(21,6667 − d) / 21,6667 (the "calculated wage" of § 3, stk. 2 is the wage converted to a whole
month). The dagpenge are deducted in full. With d = 0 this is the plain month; with a whole month of
sickness it is M − dagpenge.
"""

from __future__ import annotations

from decimal import Decimal

from flexcalc.money import round_ore
from flexcalc.provisions import base

PROVISION_PAID = base("sickness_paid")
PROVISION_ENTITLED = base("sickness_entitled")
PROVISION_BENEFIT = base("sickness_benefit")
PROVISION_DAYS = base("sickness_days")


def wage_share(unpaid_days: int, days_per_month: Decimal) -> Decimal:
    """Share of the month with wage: (21,6667 − unpaid days) / 21,6667, not below 0 (exact)."""
    if unpaid_days <= 0:
        return Decimal(1)
    if unpaid_days >= days_per_month:
        return Decimal(0)
    return (days_per_month - unpaid_days) / days_per_month


def scaled(amount: Decimal, share: Decimal) -> Decimal:
    """A monthly amount for a share of the month, rounded to øre (exact when the share is 1)."""
    return amount if share == 1 else round_ore(amount * share)


def deducted_benefit(received: Decimal, entitled: Decimal | None) -> Decimal:
    """The dagpenge deducted: those received, or those the person would have been entitled to when more
    (BEK 227/2024 § 14, stk. 4; § 7, stk. 4)."""
    return received if entitled is None else max(received, entitled)
