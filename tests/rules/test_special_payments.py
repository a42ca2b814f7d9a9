"""``flexcalc.rules.special_payments``: a special payment (ferietillæg, feriedifference, fritvalg,
søgnehelligdagsbetaling) raises the ceiling of the month paid — by the full-time equivalent the employer
states, else by the amount paid (Ankestyrelsen PM 14-22; docs/decisions.md, "Special payments")."""

from __future__ import annotations

from decimal import Decimal

from flexcalc.month.events import Income
from flexcalc.rules.special_payments import ceiling_raise

D = Decimal


def test_raised_by_the_amount_paid() -> None:
    assert ceiling_raise(Income("ferietillaeg", D("1200"))) == D("1200")


def test_raised_by_the_stated_full_time_equivalent() -> None:
    assert ceiling_raise(Income("fritvalg", D("800"), ceiling_raise=D("1500"))) == D("1500")


def test_other_incomes_raise_nothing() -> None:
    assert ceiling_raise(Income("bonus", D("5000"))) is None
