"""The ceiling (lønloft, normalløn): wage and subsidy together at most the full-time wage.

LAB § 123, stk. 3: "Fleksløntilskud … og løn udbetalt af arbejdsgiveren … kan tilsammen højst
udgøre et beløb, der svarer til den løn, der udbetales for ansættelse på fuld tid på ordinære
vilkår i den pågældende stilling." BEK 227/2024 § 1, nr. 4: the ceiling bounds subsidy, wage from
the employer and any other counted income together. The ceiling includes pension and the supplements
an ordinary full-timer gets (Ankestyrelsen PM 48-22).
"""

from __future__ import annotations

from decimal import Decimal

from flexcalc.money import ZERO
from flexcalc.provisions import base

PROVISION = base("ceiling")


def apply_ceiling(subsidy: Decimal, ceiling: Decimal, wage_income: Decimal) -> tuple[Decimal, Decimal, Decimal]:
    """Cap the subsidy so that wage income + subsidy ≤ ceiling.

    Returns (subsidy, cut, room): room = ceiling − wage income (may be negative: then the subsidy is 0),
    cut = how much the ceiling took off.
    """
    room = ceiling - wage_income
    capped = max(ZERO, min(subsidy, room))
    return capped, subsidy - capped, room
