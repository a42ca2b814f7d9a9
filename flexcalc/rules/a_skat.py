"""A-skat withheld from the fleksløntilskud paid to the person (kildeskatteloven §§ 43, 46 and 48).

Fleksløntilskud is a public benefit the municipality pays to the person (LAB § 123), so it is A-income
the municipality must withhold A-skat from (kildeskatteloven § 43, stk. 2, and § 46, stk. 1; overførselsindkomst
is A-income, skat.dk "Den juridiske vejledning" C.A.5, www.skat.dk/skat.aspx?oID=135801). It is not pay for
work in an employment, so no AM-bidrag is withheld: the act on arbejdsmarkedsbidrag (AMBL § 2, stk. 1) covers
income from work and business, not public transfers — the same page says AMBL "ikke omfatter ... offentlige
overførselsindkomster". The A-income is the subsidy less the person's own ATP share (the own ATP is withheld
from the subsidy, LAB § 137; A-income is reported "efter fradrag af lønmodtagerens eget bidrag til ATP",
skat.dk oid=2233519, felt 13/14).

The tax card (skattekort, kildeskattelovens § 48; kildeskattebekendtgørelsen § 9) says how:
- ``hovedkort`` (main card): the withholding rate on the A-income less the card's monthly deduction;
- ``bikort`` (secondary card): the rate on the whole A-income (no deduction);
- ``frikort`` (free card): no A-skat until the card's yearly free amount is used; the rest at the card's rate.

Rounding (SKAT, "Øreafrunding af A-skat og AM-bidrag", test.skat.dk/data.aspx?oid=141834, method 2): A-skat
is computed in øre on the A-income in øre and then rounded at once to whole kroner by the ordinary rule (50
øre and up rounds up). Method 2 is one of the three methods SKAT allows; flexcalc uses it for every
payment (docs/decisions.md, "A-skat").

No sentences, no I/O: the tax card is given; the ledger finds the one in force on the payment date.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flexcalc.money import ZERO, round_krone

CARD_KINDS = ("hovedkort", "bikort", "frikort")
PROVISION = "kildeskatteloven §§ 43, 46 og 48; SKAT: øreafrunding af A-skat (metode 2)"


@dataclass(frozen=True, slots=True)
class TaxCard:
    """One tax card as the rule needs it: kind, withholding rate (a fraction, 0.37 for 37 %), the monthly
    deduction (hovedkort) and the yearly free amount (frikort)."""

    kind: str
    withholding_rate: Decimal
    monthly_deduction: Decimal = ZERO
    free_amount: Decimal = ZERO


@dataclass(frozen=True, slots=True)
class Withholding:
    """The A-skat of one payment: the A-income it is taken from, the part taxed, the tax, the net payout and
    how much of a free card this payment used."""

    a_income: Decimal
    taxed: Decimal
    a_skat: Decimal
    net: Decimal
    free_used: Decimal


def a_income_of(subsidy: Decimal, own_atp: Decimal) -> Decimal:
    """The A-income of a payment: the subsidy less the own ATP share withheld from it (LAB § 137)."""
    return subsidy - own_atp


def withhold_a_skat(a_income: Decimal, card: TaxCard, free_used_before: Decimal = ZERO) -> Withholding:
    """A-skat on ``a_income`` (kroner, in øre) with ``card``; ``free_used_before``: the free card's amount
    already used this year (frikort only). The net is ``a_income - a_skat``. No AM-bidrag (see the module)."""
    if a_income <= 0:
        return Withholding(a_income, ZERO, ZERO, a_income, ZERO)
    free_used = ZERO
    if card.kind == "hovedkort":
        taxed = max(ZERO, a_income - card.monthly_deduction)
    elif card.kind == "bikort":
        taxed = a_income
    else:  # frikort
        room = max(ZERO, card.free_amount - free_used_before)
        free_used = min(room, a_income)
        taxed = a_income - free_used
    a_skat = round_krone(taxed * card.withholding_rate)
    return Withholding(a_income, taxed, a_skat, a_income - a_skat, free_used)
