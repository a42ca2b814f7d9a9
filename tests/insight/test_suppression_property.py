"""Property: whatever the figures, the manager's view holds no count from 1 to 4 and no amount made of 1–4
items, and every count of 0 or from 5 up is shown as it is."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from flexcalc.insight.figures import SUPPRESSED, EmployerRow, MonthFigures, MonthRow, manager_view
from flexcalc.period import Month

counts = st.integers(min_value=0, max_value=40)
money = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def month_rows(draw: Any, month: Month) -> MonthRow:
    row = MonthRow(month, {"new": draw(counts)})
    for name in ("payments", "held", "held_still", "corrections", "collected", "waived", "claims_outstanding",
                 "hearings_sent", "replies_on_time", "late_reports", "complaints_received"):
        setattr(row, name, draw(counts))
    row.subsidy, row.collected_amount, row.waived_amount, row.claims_balance = (draw(money) for _ in range(4))
    row.by_cause = draw(st.dictionaries(st.sampled_from(["late_report", "reversal", "ceiling_change"]), counts))
    return row


@st.composite
def figures(draw: Any) -> MonthFigures:
    months = [Month(2024, 5) + (-n) for n in range(12, -1, -1)]
    employers = [EmployerRow(f"{10000000 + n}", draw(counts), draw(counts), draw(counts),
                             frozenset(f"c{k}" for k in range(draw(counts)))) for n in range(draw(st.integers(0, 4)))]
    return MonthFigures(Month(2024, 5), dt.datetime(2024, 6, 1, tzinfo=dt.UTC), [draw(month_rows(m)) for m in months],
                        {"0-30": draw(counts), "over 90": draw(counts)}, employers)


def _leaves(value: Any, path: str = "") -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        return [leaf for k, v in value.items() for leaf in _leaves(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [leaf for n, v in enumerate(value) for leaf in _leaves(v, f"{path}[{n}]")]
    return [(path, value)]


@settings(max_examples=60, deadline=None)
@given(figures())
def test_no_small_count_and_no_small_amount(f: MonthFigures) -> None:
    view = manager_view(f)
    leaves = _leaves(view)
    assert [p for p, v in leaves if isinstance(v, int) and 0 < v < 5 and "threshold" not in p] == []
    assert "c0" not in str(view["employers"])
    # the report month's row, found by its month (not by the product's own pick of the current row)
    now, shown = next(row for row in f.months if row.month == Month(2024, 5)), view["current"]
    assert shown["month"] == "2024-05"
    assert shown["payments"] == (SUPPRESSED if 0 < now.payments < 5 else now.payments)
    assert (shown["subsidy_total"] is None) == (0 < now.payments < 5)
    if shown["subsidy_total"] is not None:
        assert Decimal(shown["subsidy_total"]) == now.subsidy
    assert (shown["claims_balance"] is None) == (0 < now.claims_outstanding < 5)
    assert shown["late_reports"] == (SUPPRESSED if 0 < now.late_reports < 5 else now.late_reports)
