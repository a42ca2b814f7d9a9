"""The month with events: hand-computed fixtures (fixtures/month_events/*.yaml) through the core, the API
and the CLI; bad input; and properties (Hypothesis)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import assume, given
from hypothesis import strategies as st
from pydantic import ValidationError
from typer.testing import CliRunner

from api.app import app
from api.routers.calculations import CalculationWithEventsResponse
from fixtures import load_yaml
from flexcalc.citizen.explanation import explain_month_da
from flexcalc.errors import InputError
from flexcalc.money import ZERO
from flexcalc.month import MonthInput, calculate_month
from flexcalc.month.bonus import spread_bonus
from flexcalc.month.events import (
    Income,
    MonthEvents,
    Period,
    days_in,
    public_holidays,
    working_days,
    working_days_of_month,
)
from flexcalc.month.result import EventMonthResult
from flexcalc.parsing.model import CalculationRequest
from flexcalc.period import Month
from flexcalc.trace import total_of
from tests.support.strategies import amounts, benefit_months

D = Decimal
client = TestClient(app)
runner = CliRunner()
RULE_FILES = ["holiday", "sickness", "incomes", "special_payments", "partial_month", "state_atp"]
CASES = [case for name in RULE_FILES for case in load_yaml(f"month_events/{name}.yaml")]
ERRORS = load_yaml("month_events/errors.yaml")
BONUS = load_yaml("month_events/bonus.yaml")


def core(request: dict[str, Any]) -> EventMonthResult:
    result = calculate_month(CalculationRequest.model_validate(request).to_input())
    assert isinstance(result, EventMonthResult)
    return result


def check(case: dict[str, Any], data: dict[str, Any]) -> None:
    """``data`` is a result's JSON (core ``to_dict``, the API or the CLI)."""
    expected = case["expected"]
    for key in ("subsidy", "atp_own", "payout", "wage_income", "ceiling"):
        if key in expected:
            assert data[key] == expected[key], (case["id"], key)
    for key in ("atp_state", "provisional_subsidy", "not_counted"):
        if key in expected:
            assert data["events"][key] == expected[key], (case["id"], key)
    steps = {}
    for step in data["steps"]:
        steps.setdefault(step["key"], step)
    for key, amount in (expected.get("steps") or {}).items():
        if amount is None:
            assert key not in steps, (case["id"], key)
        else:
            assert steps[key]["amount"] == amount, (case["id"], key)
    for key in expected.get("step_keys_include", []):
        assert key in steps, (case["id"], key)


# ------------------------------------------------------------------------- hand-computed cases

@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_hand_computed_case_in_the_core(case: dict[str, Any]) -> None:
    result = core(case["request"])
    check(case, result.to_dict())
    assert total_of(result.steps, "subsidy") == result.subsidy
    assert total_of(result.steps, "payout") == result.payout
    assert case["computation"].strip()


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_hand_computed_case_through_the_api(case: dict[str, Any]) -> None:
    response = client.post("/v1/calculations", json=case["request"])
    assert response.status_code == 200, response.text
    body = response.json()
    check(case, body)
    CalculationWithEventsResponse.model_validate(body)
    assert body["text_da"]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_hand_computed_case_through_the_cli(case: dict[str, Any], tmp_path: Path) -> None:
    request = case["request"]
    events = tmp_path / "events.json"
    events.write_text(json.dumps(request["events"]), encoding="utf-8")
    result = runner.invoke(app=_cli(), args=["calculate", "--month", request["month"], "--wage", request["wage"],
                                             "--ceiling", request["ceiling"], "--events", str(events), "--json"])
    assert result.exit_code == 0, result.stderr
    check(case, json.loads(result.stdout))


def _cli() -> Any:
    from flexcalc.cli import app as cli_app

    return cli_app


def test_cli_flags_give_the_same_month_as_the_events_file() -> None:
    args = ["calculate", "--month", "2024-03", "--wage", "8000", "--ceiling", "32067",
            "--period", "sickness_unpaid:2024-02-12:2024-02-23", "--sickness-benefit", "8000",
            "--paid-hours", "60", "--paid-hours-before-sickness", "78", "--income", "christmas_gift:500", "--json"]
    result = runner.invoke(_cli(), args)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["subsidy"] == "9552.00" and data["events"]["atp_state"] == "101.00"
    assert data["events"]["not_counted"] == "500.00"
    text = runner.invoke(_cli(), args[:-1])
    assert "Syge- eller barselsdagpenge i 10 af 21,6667 dage" in text.stdout
    assert "Kommunens ATP-bidrag" in text.stdout and "ikke offentliggjort endnu" in text.stdout


def test_cli_holiday_counts() -> None:
    args = ["calculate", "--month", "2024-08", "--wage", "15600", "--ceiling", "32067", "--holiday-days", "10",
            "--ledighedsydelse-days", "5", "--holiday-days-before", "10", "--json"]
    result = runner.invoke(_cli(), args)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["subsidy"] == "11747.70"


def test_danish_explanation_names_the_events() -> None:
    case = next(c for c in CASES if c["id"] == "holiday-ledighedsydelse-periods-2024")
    lines = "\n".join(explain_month_da(core(case["request"])))
    assert "Intet tilskud for 5 feriedage med ledighedsydelse" in lines
    assert "3.524,30 kr." in lines and "BEK 227/2024 § 10, stk. 2" in lines
    assert "Ferie i august 2024" in lines


# ------------------------------------------------------------------------------------ bad input

@pytest.mark.parametrize("case", ERRORS, ids=[c["id"] for c in ERRORS])
def test_bad_input_in_the_core_names_the_field(case: dict[str, Any]) -> None:
    with pytest.raises((InputError, ValidationError)) as info:
        core(case["request"])
    if isinstance(info.value, InputError):
        assert info.value.field == case["field"] and info.value.code == case["code"]
        assert info.value.reason_en and info.value.reason_da


@pytest.mark.parametrize("case", ERRORS, ids=[c["id"] for c in ERRORS])
def test_bad_input_through_the_api_is_422(case: dict[str, Any]) -> None:
    response = client.post("/v1/calculations", json=case["request"])
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert {"field": case["field"], "code": case["code"]} in [{"field": e["field"], "code": e["code"]} for e in errors]
    assert all(e["reason"] and e["reason_da"] for e in errors)


@pytest.mark.parametrize("case", ERRORS, ids=[c["id"] for c in ERRORS])
def test_bad_input_through_the_cli_exits_2(case: dict[str, Any], tmp_path: Path) -> None:
    request = case["request"]
    events = tmp_path / "events.json"
    events.write_text(json.dumps(request["events"]), encoding="utf-8")
    result = runner.invoke(_cli(), ["calculate", "--month", request["month"], "--wage", request["wage"],
                                    "--ceiling", request["ceiling"], "--events", str(events)])
    assert result.exit_code == 2
    assert f"error: {case['field']}:" in result.stderr and f"fejl: {case['field']}:" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(("args", "field"), [
    (["--period", "holiday:2024-02-05"], "events.periods.0"),
    (["--period", "holiday:2024-02-05:5. februar"], "events.periods.0.end"),
    (["--income", "bonus"], "events.incomes.0"),
    (["--feriekonto", "100:50:5:6", "--period", "holiday:2024-02-05:2024-02-09"], "events.feriekonto.0.days_taken"),
    (["--events", "/nonexistent/events.json"], "events_file"),
])
def test_malformed_cli_event_options_exit_2(args: list[str], field: str) -> None:
    result = runner.invoke(_cli(), ["calculate", "--month", "2024-03", "--wage", "8000", "--ceiling", "32067", *args])
    assert result.exit_code == 2
    assert f"error: {field}:" in result.stderr


# --------------------------------------------------------------------------------------- bonus

def _bonus_inputs(case: dict[str, Any]) -> list[MonthInput]:
    return [CalculationRequest.model_validate(m).to_input() for m in case["months"]]


@pytest.mark.parametrize("case", BONUS, ids=[c["id"] for c in BONUS])
def test_bonus_spread_in_the_core(case: dict[str, Any]) -> None:
    spread = spread_bonus(_bonus_inputs(case), D(case["bonus"]), paid_in=Month.parse(case["paid_in"]))
    for month, expected in zip(spread.months, case["expected"]["months"], strict=True):
        assert str(month.benefit_month) == expected["benefit_month"]
        assert month.share == D(expected["share"])
        assert month.before.subsidy == D(expected["before"])
        assert month.after.subsidy == D(expected["after"])
        assert month.subsidy_difference == D(expected["difference"])
        assert total_of(month.after.steps, "subsidy") == month.after.subsidy
    assert spread.subsidy_difference == D(case["expected"]["subsidy_difference"])
    assert spread.payout_difference == D(case["expected"]["payout_difference"])
    after = spread.months[-1].after
    assert any(s.key == "bonus_spread_out" for s in after.steps)
    assert any(s.key == "income_counted" and "PM 27-23" in s.provision for s in after.steps)


@pytest.mark.parametrize("case", BONUS, ids=[c["id"] for c in BONUS])
def test_bonus_spread_through_the_api_and_the_cli(case: dict[str, Any]) -> None:
    response = client.post("/v1/calculations/bonus-spread",
                           json={"months": case["months"], "bonus": case["bonus"], "paid_in": case["paid_in"]})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["subsidy_difference"] == case["expected"]["subsidy_difference"]
    assert [m["subsidy_after"] for m in body["months"]] == [m["after"] for m in case["expected"]["months"]]
    args = ["bonus-spread", "--bonus", case["bonus"], "--paid-in", case["paid_in"]]
    for m in case["months"]:
        args += ["--month-input", f"{m['month']}:{m['wage']}:{m['ceiling']}"]
    result = runner.invoke(_cli(), [*args, "--json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["payout_difference"] == case["expected"]["payout_difference"]
    text = runner.invoke(_cli(), args)
    assert "PM 27-23" in text.stdout and "+2.047,25 kr." in text.stdout


@pytest.mark.parametrize(("body", "field"), [
    ({"months": [{"month": "2024-02", "wage": "100", "ceiling": "1"}], "bonus": "0"}, "bonus"),
    ({"months": [{"month": "2024-02", "wage": "100", "ceiling": "1"}], "bonus": "10", "paid_in": "2024-05"},
     "paid_in"),
    ({"months": [{"month": "2024-02", "wage": "100", "ceiling": "1"},
                 {"month": "2024-02", "wage": "1", "ceiling": "1"}], "bonus": "10"}, "months.1"),
    ({"months": [{"month": "2024-02", "wage": "100", "ceiling": "1"}], "bonus": "10", "covered": ["2023-11"]},
     "covered.0"),
    ({"months": [{"month": "2024-02", "wage": "5", "ceiling": "1"}], "bonus": "10", "paid_in": "2024-01"},
     "months.0.events.bonus_spread_out"),
    ({"months": [], "bonus": "10"}, "months"),
])
def test_bonus_spread_bad_input_is_422(body: dict[str, Any], field: str) -> None:
    response = client.post("/v1/calculations/bonus-spread", json=body)
    assert response.status_code == 422, response.text
    assert field in [e["field"] for e in response.json()["errors"]]


# ----------------------------------------------------------------------------- rule units

def test_public_holidays_and_working_days() -> None:
    assert dt.date(2024, 3, 29) in public_holidays(2024)  # langfredag (Easter 31 March 2024)
    assert dt.date(2024, 4, 1) in public_holidays(2024)  # 2. påskedag
    assert dt.date(2023, 5, 5) in public_holidays(2023)  # store bededag 2023
    assert dt.date(2024, 4, 26) not in public_holidays(2024)  # store bededag abolished from 2024
    assert dt.date(2024, 5, 9) in public_holidays(2024)  # Kristi himmelfartsdag
    assert working_days_of_month(Month(2024, 2)) == 21
    assert working_days_of_month(Month(2024, 3)) == 19  # 21 weekdays less skærtorsdag 28 and langfredag 29
    assert working_days_of_month(Month(2024, 12)) == 20  # 25, 26 December
    assert working_days(dt.date(2024, 2, 12), dt.date(2024, 2, 23)) == 10


def test_no_state_atp_without_subsidy() -> None:
    r = calculate_month(MonthInput(Month(2022, 6), D("60000"), D("100000"), events=MonthEvents(paid_hours=D("100"))))
    assert r.subsidy == ZERO
    assert isinstance(r, EventMonthResult) and r.atp_state == ZERO


def test_json_of_a_plain_month_is_unchanged() -> None:
    plain = calculate_month(MonthInput(Month(2024, 3), D("15600"), D("32067"))).to_dict()
    assert "events" not in plain
    with_events = calculate_month(MonthInput(Month(2024, 3), D("15600"), D("32067"), events=MonthEvents())).to_dict()
    assert {k: v for k, v in with_events.items() if k != "events"} == plain


# ----------------------------------------------------------------------------------- properties

def _same(a: Any, b: Any) -> None:
    assert (a.subsidy, a.atp_own, a.payout) == (b.subsidy, b.atp_own, b.payout)
    assert [s.key for s in a.steps] == [s.key for s in b.steps]
    assert [(s.amount, s.effect) for s in a.steps] == [(s.amount, s.effect) for s in b.steps]


@given(benefit_months(), amounts(0, 70_000), amounts(0, 90_000), amounts(0, 5_000), amounts(0, 5_000))
def test_with_no_events_the_result_equals_the_plain_calculation(month: Month, wage: Decimal, ceiling: Decimal,
                                                                other: Decimal, income: Decimal) -> None:
    plain = calculate_month(MonthInput(month, wage, ceiling, other_wage=other, other_income=income))
    _same(plain, calculate_month(MonthInput(month, wage, ceiling, other_wage=other, other_income=income,
                                            events=MonthEvents())))


@given(benefit_months(), amounts(0, 70_000), amounts(0, 90_000), amounts(0, 5_000), amounts(0, 5_000))
def test_other_incomes_as_events_equal_the_plain_fields(month: Month, wage: Decimal, ceiling: Decimal,
                                                        other: Decimal, gift: Decimal) -> None:
    plain = calculate_month(MonthInput(month, wage, ceiling, other_wage=other))
    events = MonthEvents(incomes=(Income("wage_other_employer", other), Income("christmas_gift", gift),
                                  Income("staff_benefit", gift)))
    r = calculate_month(MonthInput(month, wage, ceiling, events=events))
    assert (r.subsidy, r.atp_own, r.payout, r.wage_income) == (plain.subsidy, plain.atp_own, plain.payout,
                                                                plain.wage_income)


def _events(data: st.DataObject, month: Month) -> MonthEvents:
    basis = month.previous()
    periods: list[Period] = []
    unpaid = data.draw(st.integers(0, basis.last_day().day - 1), label="unpaid days")
    benefit = None
    if unpaid:
        periods.append(Period(data.draw(st.sampled_from(["sickness_unpaid", "maternity_unpaid"])),
                              basis.first_day(), basis.first_day() + dt.timedelta(days=unpaid - 1)))
    ly = data.draw(st.integers(0, 14), label="ledighedsydelse calendar days")
    if ly:
        periods.append(Period("holiday_ledighedsydelse", month.first_day(),
                              month.first_day() + dt.timedelta(days=ly - 1)))
    start = None
    if data.draw(st.booleans(), label="job started in the basis month"):
        start = basis.first_day() + dt.timedelta(days=data.draw(st.integers(0, 27)))
        periods = [p for p in periods if p.start >= start]
    sick = any(p.unpaid_absence and days_in(p, basis) for p in periods)
    entitled = None
    if sick:
        benefit = data.draw(amounts(0, 25_000), label="dagpenge")
        if benefit == 0:  # none paid: the dagpenge the person was entitled to (BEK 227/2024 § 14, stk. 4)
            entitled = data.draw(amounts(0, 25_000), label="entitled dagpenge")
    hours = data.draw(st.none() | st.integers(0, 200).map(Decimal), label="paid hours")
    before = data.draw(st.integers(0, 200).map(Decimal), label="hours before") if sick and hours is not None else None
    return MonthEvents(periods=tuple(periods), sickness_benefit=benefit, sickness_benefit_entitled=entitled,
                       employment_start=start,
                       incomes=(Income("ferietillaeg", data.draw(amounts(0, 3_000))),),
                       paid_hours=hours, paid_hours_before_sickness=before)


@given(st.builds(Month, st.integers(2016, 2026), st.integers(1, 12)), amounts(0, 60_000), amounts(0, 90_000),
       st.data())
def test_reductions_never_exceed_the_subsidy_and_the_trace_adds_up(month: Month, wage: Decimal, ceiling: Decimal,
                                                                   data: st.DataObject) -> None:
    events = _events(data, month)
    r = calculate_month(MonthInput(month, wage, ceiling, events=events))
    assert isinstance(r, EventMonthResult)
    assert total_of(r.steps, "subsidy") == r.subsidy
    assert total_of(r.steps, "payout") == r.payout
    assert ZERO <= r.subsidy <= r.max_subsidy_used <= r.max_subsidy
    assert r.subsidy == r.subsidy.quantize(D("0.01"))
    assert ZERO <= r.ledighedsydelse_reduction <= r.subsidy + r.ledighedsydelse_reduction
    assert r.ledighedsydelse_reduction <= r.subsidy_before_ceiling
    assert r.payout == r.subsidy - r.atp_own
    if r.atp_state is not None:
        assert r.atp_state >= 0
    # more days on ledighedsydelse never give more subsidy
    fewer = calculate_month(MonthInput(month, wage, ceiling, events=MonthEvents(
        periods=tuple(p for p in events.periods if p.kind != "holiday_ledighedsydelse"),
        sickness_benefit=events.sickness_benefit, sickness_benefit_entitled=events.sickness_benefit_entitled,
        employment_start=events.employment_start, incomes=events.incomes, paid_hours=events.paid_hours,
        paid_hours_before_sickness=events.paid_hours_before_sickness)))
    assert fewer.subsidy >= r.subsidy


@given(st.builds(Month, st.integers(2016, 2026), st.integers(1, 12)), st.integers(1, 27), amounts(0, 15_000))
def test_without_wage_dagpenge_and_subsidy_make_98_percent(month: Month, days: int, benefit: Decimal) -> None:
    basis = month.previous()
    period = Period("sickness_unpaid", basis.first_day(), basis.first_day() + dt.timedelta(days=days - 1))
    assume(days_in(period, basis) > 0)
    # no dagpenge paid: "no right to dagpenge" must be said (entitled 0), never assumed
    entitled = ZERO if benefit == 0 else None
    events = MonthEvents(periods=(period,), sickness_benefit=benefit, sickness_benefit_entitled=entitled)
    r = calculate_month(MonthInput(month, ZERO, D(1_000_000), events=events))
    assert r.subsidy + benefit == r.max_subsidy  # LAB § 124, stk. 3
