"""``flexcalc.rules.atp``: the person's own ATP share of the subsidy — 5 %, at most 500 kr., in whole
kroner half up (rates of 2024-03: 5 % and 500 kr.)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from flexcalc.law.params import rates_for
from flexcalc.period import Month
from flexcalc.rules import atp

D = Decimal
RATES = rates_for(Month(2024, 3))


@pytest.mark.parametrize(("subsidy", "share"), [
    ("15272.00", "500"),   # 5 % = 763,60 → capped at 500
    ("8000.00", "400"),    # 5 % = 400,00
    ("5010.00", "251"),    # 5 % = 250,50 → half up to 251
    ("5009.80", "250"),    # 5 % = 250,49 → 250
    ("0", "0"),
])
def test_own_atp_share(subsidy: str, share: str) -> None:
    assert atp.own_atp_share(D(subsidy), RATES) == D(share)
