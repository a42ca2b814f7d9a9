"""A month typed on a Danish page: "marts 2024" as Danes write it, or "2024-03"; anything else refused with an
example, in Danish and English."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flexcalc.errors import InputError
from flexcalc.parsing.danish import parse_month_da
from flexcalc.period import Month
from flexcalc.text_da.format import month_name


@pytest.mark.parametrize(("typed", "month"), [
    ("marts 2024", Month(2024, 3)), ("Marts 2024", Month(2024, 3)), ("mar 2024", Month(2024, 3)),
    ("okt. 2024", Month(2024, 10)), ("  maj   2025 ", Month(2025, 5)), ("december 2026", Month(2026, 12)),
    ("2024-03", Month(2024, 3)), ("februar 2024", Month(2024, 2)),
])
def test_danish_month_names_and_the_machine_form(typed: str, month: Month) -> None:
    assert parse_month_da(typed, "month") == month


@pytest.mark.parametrize("typed", ["smarts 2024", "marts", "2024", "13/2024", "2024-13", "marts 24", ""])
def test_anything_else_is_refused_with_an_example(typed: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_month_da(typed, "month")
    assert caught.value.field == "month"
    assert "fx marts 2024 eller 2024-03" in caught.value.reason_da or "01–12" in caught.value.reason_da


def test_a_month_outside_the_years_keeps_its_own_reason() -> None:
    with pytest.raises(InputError) as caught:
        parse_month_da("marts 1850", "month")
    assert caught.value.code == "month_range"


@given(st.integers(min_value=2000, max_value=2099), st.integers(min_value=1, max_value=12))
def test_the_name_the_pages_show_reads_back_as_the_same_month(year: int, number: int) -> None:
    month = Month(year, number)
    assert parse_month_da(month_name(month), "month") == month
