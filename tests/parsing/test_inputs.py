"""One way in (flexcalc.parsing.inputs): amount texts, the message catalogue, and the same answer on every path."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from api.app import app
from flexcalc.errors import InputError
from flexcalc.normal_wage import FormError, validate_form
from flexcalc.parsing.inputs import (
    MESSAGES,
    Amount,
    Percent,
    WeeklyHours,
    errors_from_validation,
    input_error,
    parse_amount,
    parse_hours,
    parse_percent,
)

client = TestClient(app)


@pytest.mark.parametrize(("text", "expected"), [
    ("15.600,00", "15600.00"),        # Danish thousands separator and decimal comma: unambiguous
    ("15.600,5", "15600.50"),
    ("1.234.567,89", "1234567.89"),
    ("15600,50", "15600.50"),
    ("15600.50", "15600.50"),
    ("15600", "15600.00"),
    ("15 600,00 kr.", "15600.00"),
    ("0,5", "0.50"),
    ("999,99", "999.99"),
])
def test_unambiguous_amount_texts_are_accepted(text: str, expected: str) -> None:
    assert str(parse_amount(text, "wage")) == expected


@pytest.mark.parametrize(("text", "code", "says"), [
    ("26.500", "amount_ambiguous", "26500"),
    ("15,600", "amount_ambiguous", "15.600,00"),
    ("1,234,567", "amount_ambiguous", "1.234.567,00"),
    ("15,600.00", "amount_grouping", "15.600,00"),
    ("١٥٦٠٠", "amount_digits", "0–9"),            # Arabic-Indic digits
    ("１５６００", "amount_digits", "0–9"),           # full-width digits
    ("15.600,001", "amount_decimals", "two decimals"),
    ("15600,505", "amount_decimals", "two decimals"),
    ("15.60.0", "amount_type", "not an amount"),
    ("12,3,4", "amount_type", "not an amount"),
    ("", "amount_type", "not an amount"),
    ("-", "amount_type", "not an amount"),
    (" kr.", "amount_type", "not an amount"),
])
def test_ambiguous_and_foreign_amount_texts_are_refused_with_the_reason(text: str, code: str, says: str) -> None:
    with pytest.raises(InputError) as info:
        parse_amount(text, "wage")
    assert info.value.code == code and info.value.field == "wage"
    assert says in info.value.reason_en or says in info.value.reason_da
    assert info.value.reason_da and info.value.reason_da != info.value.reason_en


def test_the_ambiguity_message_explains_both_readings_in_danish() -> None:
    with pytest.raises(InputError) as info:
        parse_amount("15,600", "wage")
    assert info.value.reason_da == ("'15,600' er tvetydigt: ',' foran præcis tre cifre kan være tusindtalsseparator "
                                   "eller decimaltegn; skriv 15600 eller 15600,00 eller 15.600,00")


@given(st.integers(min_value=0, max_value=999_999_999))
def test_every_amount_written_the_danish_way_reads_back_exactly(ore: int) -> None:
    kroner, rest = divmod(ore, 100)
    text = f"{kroner:,}".replace(",", ".") + f",{rest:02d}"
    assert parse_amount(text, "wage", maximum=Decimal("1e8")) == Decimal(ore) / 100


def test_every_message_has_english_and_danish() -> None:
    for code, message in MESSAGES.items():
        assert message.en and message.da and message.en != message.da, code


def test_input_error_fills_the_catalogue_message() -> None:
    error = input_error("ceiling", "amount_too_large", limit="10.000.000")
    assert (error.field, error.code) == ("ceiling", "amount_too_large")
    assert error.reason_da == "er over 10.000.000 kr. om måneden; kontrollér beløbet"


class _Model(BaseModel):
    wage: Amount
    pension: Percent
    hours: WeeklyHours


def test_annotated_types_give_the_catalogue_errors_naming_each_field() -> None:
    with pytest.raises(ValidationError) as info:
        _Model.model_validate({"wage": "26.500", "pension": "101", "hours": "0,5"})
    errors = {e.field: e for e in errors_from_validation(info.value)}
    assert errors["wage"].code == "amount_ambiguous"
    assert errors["pension"].code == "percent_range" and "0 til 100" in errors["pension"].reason_da
    assert errors["hours"].code == "hours_range" and "1 til 48" in errors["hours"].reason_da
    ok = _Model.model_validate({"wage": "15.600,00", "pension": "8,5", "hours": 37})
    assert (ok.wage, ok.pension, ok.hours) == (Decimal("15600.00"), Decimal("8.50"), Decimal("37.00"))


def test_percent_and_hours_share_the_number_rules() -> None:
    assert parse_percent("8 %", "p") == Decimal("8.00")
    assert parse_hours("12,5", "h") == Decimal("12.50")
    for bad in ("١٢", "1e400", "NaN"):
        with pytest.raises(InputError):
            parse_hours(bad, "h")


# The same text gets the same answer on every path a person types an amount.

def test_api_accepts_danish_amounts_and_refuses_ambiguous_ones_with_the_reason() -> None:
    ok = client.post("/v1/calculations", json={"month": "2024-03", "wage": "15.600,00", "ceiling": "32.067,00"})
    assert ok.status_code == 200 and ok.json()["subsidy"] == "15272.00"
    bad = client.post("/v1/calculations", json={"month": "2024-03", "wage": "15,600", "ceiling": "32067"})
    assert bad.status_code == 422
    (error,) = bad.json()["errors"]
    assert error["field"] == "wage" and error["code"] == "amount_ambiguous"
    assert "tvetydigt" in error["reason_da"]


def test_cli_accepts_danish_amounts_and_refuses_ambiguous_ones_with_exit_2() -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "flexcalc", *args], capture_output=True, text=True, check=False)

    ok = run("calculate", "--month", "2024-03", "--wage", "15.600,00", "--ceiling", "32.067,00", "--json")
    assert ok.returncode == 0 and json.loads(ok.stdout)["subsidy"] == "15272.00"
    bad = run("calculate", "--month", "2024-03", "--wage", "15,600", "--ceiling", "32067")
    assert bad.returncode == 2 and "wage" in bad.stderr and "tvetydigt" in bad.stderr
    digits = run("calculate", "--month", "2024-03", "--wage", "１５６００", "--ceiling", "32067")
    assert digits.returncode == 2 and "0–9" in digits.stderr


def test_lonloft_form_accepts_danish_amounts_and_names_the_field() -> None:
    form = {"effective_date": "2024-03-01", "full_time_hours": "37", "monthly_base_wage": "26.500,00"}
    assert validate_form(form).monthly_base_wage == Decimal("26500.00")
    with pytest.raises(FormError) as info:
        validate_form({**form, "monthly_base_wage": "26.500"})
    assert [(e.field, e.code) for e in info.value.errors] == [("monthly_base_wage", "amount_ambiguous")]
