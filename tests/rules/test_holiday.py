"""``flexcalc.rules.holiday``: feriekonto counted with its tax, and holiday on ledighedsydelse."""

from __future__ import annotations

from decimal import Decimal

from flexcalc.money import ZERO
from flexcalc.month.events import FerieKontoPayment
from flexcalc.rules import holiday

D = Decimal


def test_feriekonto_and_ledighedsydelse_rules() -> None:
    gross, counted = holiday.feriekonto_counted(FerieKontoPayment(D("1000"), D("333.33"), D("3"), D("1")))
    assert gross == D("1333.33") and counted == D("444.44")
    assert holiday.ledighedsydelse_reduction(D("1000"), D(25), D("21.6667")) == D("1000")
    assert holiday.ledighedsydelse_reduction(D("0"), D(5), D("21.6667")) == ZERO
