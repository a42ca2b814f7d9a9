from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

from flexcalc.period import Month
from flexcalc.text_da.format import kr, month_name, number, percent


def test_danish_amounts() -> None:
    assert kr(Decimal("15272")) == "15.272,00 kr."
    assert kr(Decimal("1234567.5")) == "1.234.567,50 kr."
    assert kr(Decimal("-1234.5")) == "-1.234,50 kr."
    assert kr(Decimal("15272.4"), decimals=0) == "15.272 kr."
    assert kr(Decimal("5"), sign=True) == "+5,00 kr."
    assert kr(Decimal("0.005")) == "0,01 kr."  # half up, like the engine (Babel alone rounds half-even)
    assert kr(Decimal("2.5"), decimals=0) == "3 kr."
    assert number(Decimal("4033.8")) == "4.033,80"


def test_percent_and_month() -> None:
    assert percent(Decimal("0.30")) == "30 %"
    assert percent(Decimal("0.055")) == "5,5 %"
    assert month_name(Month(2024, 3)) == "marts 2024"


@given(st.integers(-10**12, 10**12), st.sampled_from([0, 2]))
def test_number_layout_equals_babels_own(ore: int, decimals: int) -> None:
    amount = Decimal(ore) / 100
    rounded = amount.quantize(Decimal(1).scaleb(-decimals), rounding="ROUND_HALF_UP")
    pattern = "#,##0" + (".00" if decimals else "")
    expected = format_decimal(rounded if rounded else abs(rounded), format=pattern, locale="da_DK")
    assert number(amount, decimals=decimals) == expected


def test_runs_of_hours_in_danish() -> None:
    from flexcalc.text_da.format import runs_da

    assert runs_da([7]) == "7"
    assert runs_da([3, 4, 5]) == "3–5"
    assert runs_da([3, 4, 5, 9]) == "3–5 og 9"
    assert runs_da([1, 3, 4, 8, 9, 10]) == "1, 3–4 og 8–10"
