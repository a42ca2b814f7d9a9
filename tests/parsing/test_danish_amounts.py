"""Danish amounts on the Danish pages: dots as thousands separators; the machine rule stays for CLI and API."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from flexcalc.errors import InputError
from flexcalc.parsing.danish import parse_amount_da
from flexcalc.parsing.inputs import parse_amount


@pytest.mark.parametrize(("text", "amount"), [
    ("32.067", D("32067.00")), ("32.067,50", D("32067.50")), ("32067,5", D("32067.50")),
    ("1.234.567", D("1234567.00")), ("26.500 kr.", D("26500.00")), ("−1.000", D("-1000.00")),
    ("32067", D("32067.00")), ("15600.50", D("15600.50")), (" 32.067 ", D("32067.00")),
])
def test_pages_read_amounts_as_danes_write_them(text: str, amount: D) -> None:
    assert parse_amount_da(text, "wage", allow_negative=True) == amount


@pytest.mark.parametrize("text", ["15,600", "3.2067", "32..067", "32.067.5", "32.067,505"])
def test_pages_still_refuse_what_is_not_danish_writing(text: str) -> None:
    with pytest.raises(InputError) as error:
        parse_amount_da(text, "wage")
    assert error.value.field == "wage"


def test_the_machine_rule_is_unchanged() -> None:
    with pytest.raises(InputError) as error:
        parse_amount("32.067", "wage")
    assert error.value.code == "amount_ambiguous"
    with pytest.raises(InputError) as error:
        parse_amount_da("-1.000", "wage")
    assert error.value.code == "amount_negative"
