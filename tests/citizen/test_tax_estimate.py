"""The estimate after tax: hand computations, the negative gain on the plateau, inputs, and properties."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from api.app import app as api
from flexcalc.citizen.scenarios import Job, hour_scenario
from flexcalc.citizen.tax_estimate import (
    TAX_RATE_NAMES,
    explain_estimate_da,
    municipal_rate,
    pension_rate,
    scenario_after_tax,
    tax_rates_for,
)
from flexcalc.cli import app as cli
from flexcalc.errors import InputError
from flexcalc.law.params import load_parameters
from flexcalc.period import Month, month_range
from flexcalc.trace import total_of

D = Decimal


def star_2024(municipal: str = "0.25", pension: str = "0"):  # type: ignore[no-untyped-def]
    return scenario_after_tax(hour_scenario(Month(2024, 3), Job(hourly=D(200))), D(municipal), D(pension))


def test_star_example_after_tax_by_hand() -> None:
    # 18 h at 200 kr. in 2024: wage 15.600, subsidy 15.272, own ATP 500. Kommuneskat 25 %, no pension.
    # AM-bidrag 8 % × 15.600 = 1.248; personal income 15.600 − 1.248 + 15.272 − 500 = 29.124;
    # beskæftigelsesfradrag 10,65 % × 15.600 = 1.661,40 (cap 45.100/12 = 3.758,33); personfradrag 49.700/12;
    # kommuneskat 25 % × (29.124 − 1.661,40 − 4.141,666…) = 5.830,233… → 5.830,23;
    # bundskat 12,01 % × (29.124 − 4.141,666…) = 3.000,379… → 3.000,38; left 29.124 − 8.830,61 = 20.293,39.
    e = star_2024().row(18).estimate
    assert (e.am_contribution, e.personal_income, e.employment_deduction) == (D("1248.00"), D("29124.00"),
                                                                              D("1661.40"))
    assert (e.municipal_tax, e.bottom_tax, e.disposable) == (D("5830.23"), D("3000.38"), D("20293.39"))
    assert not e.above_top_threshold
    assert total_of(e.steps, "payout") == e.disposable
    lines = explain_estimate_da(e)
    assert lines[1] == ("− AM-bidrag af lønnen inkl. pension (ikke af tilskuddet): 1.248,00 kr.  "
                        "(Arbejdsmarkedsbidragsloven § 1)")
    assert lines[-1].startswith("= Til rådighed efter skat (skøn): 20.293,39 kr.")


def test_pension_is_taken_out_before_tax() -> None:
    # 12 % pension of the wage without pension: 15.600 × 0,12/1,12 = 1.671,428… → 1.671,43;
    # personal income 15.600 − 1.671,43 − 1.248 + 15.272 − 500 = 27.452,57;
    # kommuneskat 25 % × 21.649,503… = 5.412,38; bundskat 12,01 % × 23.310,903… = 2.799,64; left 19.240,55.
    e = star_2024(pension="0.12").row(18).estimate
    assert (e.pension, e.personal_income) == (D("1671.43"), D("27452.57"))
    assert (e.municipal_tax, e.bottom_tax, e.disposable) == (D("5412.38"), D("2799.64"), D("19240.55"))


def test_on_the_plateau_an_extra_hour_leaves_less_after_tax() -> None:
    # 22 → 23 h at 200 kr. (2024), ceiling 32.066,67 binds: wage +866,66, subsidy −866,66, ATP 500 both.
    # AM-bidrag 1.525,33 → 1.594,67 (+69,34); beskæftigelsesfradrag 2.030,60 → 2.122,90 (+92,30);
    # kommuneskat −25 % × 161,64 ≈ −40,41; bundskat −12,01 % × 69,34 ≈ −8,33: left −69,34 + 40,41 + 8,33 = −20,60.
    t = star_2024()
    assert t.row(22).net_gain_next_hour == D("-20.60")
    assert t.negative_gain_hours == [21, 22, 23, 24, 25]
    assert t.negative_gain_sentence_da() == (
        "Skøn: arbejder du 21–25 timer om ugen, giver én time mere lidt mindre til rådighed efter skat (op til "
        "21 kr. mindre om måneden). Det er fordi du betaler AM-bidrag af lønnen, men ikke af tilskuddet, og "
        "tilskuddet her falder lige så meget, som lønnen stiger.")
    assert t.change_sentence(12, 15) == ("Skøn: Går du fra 12 til 15 timer om ugen, får du ca. 1.085 kr. mere om "
                                         "måneden efter skat.")
    # in the 30 % region an hour adds 606,67 before tax and about 361,54 after
    assert t.row(12).net_gain_next_hour == D("361.55")


def test_high_income_is_flagged_above_the_top_tax_threshold() -> None:
    t = scenario_after_tax(hour_scenario(Month(2024, 3), Job(hourly=D(400))), D("0.25"))
    # 37 h: personal income 64.133,33 × 0,92 = 59.002,67 a month, × 12 > 588.900
    assert t.row(37).estimate.above_top_threshold and not t.row(10).estimate.above_top_threshold
    assert t.negative_gain_sentence_da() is None


@pytest.mark.parametrize(("parse", "value", "field"), [
    (municipal_rate, "10", "municipal_tax_rate"),
    (municipal_rate, "36", "municipal_tax_rate"),
    (municipal_rate, "femogtyve", "municipal_tax_rate"),
    (municipal_rate, "25,123", "municipal_tax_rate"),
    (pension_rate, "31", "pension_rate"),
    (pension_rate, "-1", "pension_rate"),
])
def test_percent_inputs_name_the_field(parse, value: str, field: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError) as error:
        parse(value)
    assert error.value.field == field and error.value.reason_da


def test_percent_inputs_accept_danish_decimals() -> None:
    assert municipal_rate("25,1") == D("0.251") and pension_rate("12") == D("0.12")


def test_months_without_tax_rates_are_an_error_never_a_default() -> None:
    for month in (Month(2023, 12), Month(2027, 1)):
        with pytest.raises(InputError) as error:
            tax_rates_for(month)
        assert error.value.field == "month" and error.value.code == "no_tax_rates"


def test_tax_parameters_cover_2024_to_2026_with_one_value_each() -> None:
    parameters = load_parameters()
    for name in TAX_RATE_NAMES:
        for month in month_range(Month(2024, 1), Month(2026, 12)):
            assert len(parameters[name].covering(month.first_day())) == 1, (name, month)
    assert tax_rates_for(Month(2025, 6)).personal_allowance == D("51600")
    assert tax_rates_for(Month(2026, 1)).employment_deduction_cap == D("63300")


def test_cli_and_api_carry_the_estimate() -> None:
    result = CliRunner().invoke(cli, ["scenario", "--month", "2024-03", "--hourly", "200",
                                      "--municipal-tax-rate", "25", "--json"])
    data = json.loads(result.stdout)["after_tax"]
    assert data["rows"][17]["disposable"] == "20293.39" and data["negative_gain_hours"] == [21, 22, 23, 24, 25]
    bad = CliRunner().invoke(cli, ["scenario", "--month", "2024-03", "--hourly", "200", "--municipal-tax-rate", "50"])
    assert bad.exit_code == 2 and "municipal_tax_rate" in bad.stderr
    client = TestClient(api)
    body = client.post("/v1/scenarios/hours", json={"month": "2024-03", "hourly": "200", "hours_from": 12,
                                                    "hours_to": 15, "municipal_tax_rate": 25}).json()
    assert body["after_tax"]["rows"][17]["disposable"] == "20293.39"
    assert body["headline_after_tax_da"].startswith("Skøn: Går du fra 12 til 15 timer")
    for payload, field, code in (({"municipal_tax_rate": "50"}, "municipal_tax_rate", "percent_range"),
                                 ({"pension_rate": "5"}, "municipal_tax_rate", "missing")):
        response = client.post("/v1/scenarios/hours", json={"month": "2024-03", "hourly": "200", **payload})
        assert response.status_code == 422
        assert (field, code) in {(e["field"], e["code"]) for e in response.json()["errors"]}
    response = client.post("/v1/scenarios/hours", json={"month": "2019-03", "hourly": "200", "municipal_tax_rate": 25})
    assert response.status_code == 422 and response.json()["errors"][0]["code"] == "no_tax_rates"


@given(st.integers(2024, 2026), st.integers(1, 12), st.integers(80_00, 500_00), st.integers(2200, 2800),
       st.integers(0, 20))
def test_estimate_properties(year: int, month: int, hourly_ore: int, municipal_bp: int, pension: int) -> None:
    scenario = hour_scenario(Month(year, month), Job(hourly=D(hourly_ore) / 100))
    municipal = D(municipal_bp) / 10_000
    t = scenario_after_tax(scenario, municipal, D(pension) / 100)
    higher = scenario_after_tax(scenario, municipal + D("0.01"), D(pension) / 100)
    for row, taxed, taxed_higher in zip(scenario.rows, t.rows, higher.rows, strict=True):
        e = taxed.estimate
        assert total_of(e.steps, "payout") == e.disposable  # the trace adds up
        assert e.municipal_tax >= 0 and e.bottom_tax >= 0
        assert e.disposable <= row.total - e.am_contribution
        assert taxed_higher.estimate.disposable <= e.disposable
        assert e.disposable == e.disposable.quantize(D("0.01"))
