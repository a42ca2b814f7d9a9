from __future__ import annotations

from decimal import Decimal

import pytest

from flexcalc.errors import InputError
from flexcalc.money import amount_str, from_ore, round_krone, round_ore, to_ore
from flexcalc.parsing.inputs import parse_amount


@pytest.mark.parametrize(("exact", "rounded"), [
    ("12973.505", "12973.51"),   # half up
    ("12973.5049", "12973.50"),
    ("12973.5050", "12973.51"),
    ("0.005", "0.01"),
    ("0.0049", "0.00"),
    ("100", "100.00"),
])
def test_the_subsidy_is_rounded_to_ore_half_up(exact: str, rounded: str) -> None:
    assert round_ore(Decimal(exact)) == Decimal(rounded)
    assert str(round_ore(Decimal(exact))) == rounded


@pytest.mark.parametrize(("exact", "rounded"), [("763.60", "764"), ("763.50", "764"), ("763.49", "763")])
def test_atp_is_rounded_to_whole_kroner_half_up(exact: str, rounded: str) -> None:
    assert round_krone(Decimal(exact)) == Decimal(rounded)


@pytest.mark.parametrize(("value", "expected"), [
    ("15272", "15272.00"), ("15272.5", "15272.50"), ("15272,50", "15272.50"), (15272, "15272.00"),
    (15272.25, "15272.25"), (Decimal("0.10"), "0.10"), (" 100 kr.", "100.00"), ("15272.000", "15272.00"),
    ("-0", "0.00"), ("15.272,50", "15272.50"),
])
def test_parse_amount_accepts_strings_and_numbers(value: object, expected: str) -> None:
    assert str(parse_amount(value, "wage")) == expected


@pytest.mark.parametrize(("value", "code"), [
    ("-1", "amount_negative"), ("NaN", "amount_not_finite"), ("inf", "amount_not_finite"),
    (float("nan"), "amount_not_finite"), ("1.0001", "amount_decimals"), (0.001, "amount_decimals"),
    ("10000000.01", "amount_too_large"), ("1e400", "amount_too_large"), ("abc", "amount_type"),
    ("26.500", "amount_ambiguous"), ("1.234.567", "amount_ambiguous"),
    (True, "amount_type"), (None, "missing"), ([1], "amount_type"),
])
def test_parse_amount_refuses_bad_input_naming_the_field(value: object, code: str) -> None:
    with pytest.raises(InputError) as info:
        parse_amount(value, "wage")
    assert info.value.field == "wage"
    assert info.value.code == code
    assert info.value.reason_en and info.value.reason_da


def test_ore_round_trip() -> None:
    assert to_ore(Decimal("15272.35")) == 1527235
    assert from_ore(1527235) == Decimal("15272.35")
    with pytest.raises(ValueError):
        to_ore(Decimal("1.005"))


def test_amount_str_has_two_decimals_unless_exactness_needs_more() -> None:
    assert amount_str(Decimal("15272")) == "15272.00"
    assert amount_str(Decimal("304.7025")) == "304.7025"
    assert amount_str(Decimal("4033.800")) == "4033.80"
