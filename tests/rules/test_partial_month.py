"""``flexcalc.rules.partial_month``: a ceiling that changes within the month, weighted by days."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flexcalc.month.events import CeilingChange
from flexcalc.period import Month
from flexcalc.rules import partial_month

D = Decimal


def test_weighted_ceiling() -> None:
    june = Month(2024, 6)
    assert partial_month.weighted_ceiling(D("30000"), (), june) == D("30000")
    assert partial_month.weighted_ceiling(D("30000"), (CeilingChange(dt.date(2024, 6, 1), D("31000")),), june) == \
        D("31000.00")
    changes = (CeilingChange(dt.date(2024, 6, 11), D("33000")), CeilingChange(dt.date(2024, 6, 21), D("36000")))
    assert partial_month.weighted_ceiling(D("30000"), changes, june) == D("33000.00")
