"""The normal-wage ceiling (lønloft): the example forms worked out by hand, each check on hand-made forms,
STAR's example, bad input, and properties (the breakdown adds up; the binding hours are where wage + subsidy
reach the ceiling)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fixtures import FIXTURES, load_yaml
from flexcalc.errors import InputError
from flexcalc.money import ORE, round_krone
from flexcalc.month import MonthInput, calculate_month
from flexcalc.normal_wage import (
    CHECK_CODES,
    TITLES,
    FormError,
    NormalWageForm,
    binding_hours,
    build_ceiling,
    ceiling_entry,
    check_form,
    load_form,
    simple_estimate,
    validate_form,
)
from flexcalc.period import Month
from flexcalc.rules.weekly_hours import monthly_wage_for_hours
from flexcalc.text_da.format import kr
from flexcalc.text_da.normal_wage import explain_check_da, summary_html, summary_markdown
from flexcalc.trace import total_of

D = Decimal
FORMS = FIXTURES / "normal_wage"
EXPECTED = load_yaml("normal_wage/expected.yaml")


def form(**fields: Any) -> NormalWageForm:
    """A hand-made form: 2024-03-01, 37 hours, checked on 2024-04-01, plus ``fields``."""
    data: dict[str, Any] = {"effective_date": "2024-03-01", "as_of": "2024-04-01"}
    data.update(fields)
    if "hourly_rate" not in data and "monthly_base_wage" not in data:
        data["monthly_base_wage"] = "30000"
    return validate_form(data)


def codes(**fields: Any) -> list[str]:
    return check_form(form(**fields)).codes


def finding(code: str, **fields: Any) -> Any:
    result = check_form(form(**fields))
    return next(f for f in result.findings if f.code == code)


# --------------------------------------------------------------------------------------------------
# The example forms in fixtures/normal_wage/, worked out by hand in expected.yaml
# --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_forms_match_the_hand_computation(name: str) -> None:
    expected = EXPECTED[name]
    result = check_form(load_form((FORMS / f"{name}.json").read_text(encoding="utf-8")))
    data = result.to_dict()
    assert data["ceiling"] == expected["ceiling"]
    assert data["codes"] == expected["codes"]
    assert data["corrected_ceiling"] == expected.get("corrected_ceiling")
    assert data["holiday_supplement_lump_sum"] == expected.get("holiday_supplement_lump_sum")
    if "simple_estimate" in expected:
        simple = next(f for f in result.findings if f.code == "simple_estimate_difference")
        assert data["simple_estimate"] == expected["simple_estimate"]
        assert simple.amounts["difference"] == D(expected["difference"])
    if "missing_pension_estimate" in expected:
        missing = next(f for f in result.findings if f.code == "pension_missing")
        assert missing.amounts["missing_pension_estimate"] == D(expected["missing_pension_estimate"])
    for key, value in expected.get("effect", {}).items():
        assert data["employee_effect"][key] == value, key
    # the breakdown adds up to the ceiling
    assert total_of(result.breakdown.steps, "ceiling") == result.ceiling


def test_every_check_is_triggered_by_some_example_form() -> None:
    triggered = {code for expected in EXPECTED.values() for code in expected["codes"]}
    assert triggered == set(CHECK_CODES)
    assert set(TITLES) == set(CHECK_CODES)


def test_clean_form_has_no_errors_or_warnings() -> None:
    result = check_form(load_form((FORMS / "clean.json").read_text(encoding="utf-8")))
    assert [f.severity for f in result.findings] == ["info"]
    assert result.corrected_ceiling is None and result.not_checked == []


def test_every_example_form_is_valid_json_for_the_model() -> None:
    names = {p.stem for p in FORMS.glob("*.json")}
    assert names == set(EXPECTED)
    for path in FORMS.glob("*.json"):
        NormalWageForm.model_validate(json.loads(path.read_text(encoding="utf-8")))


# --------------------------------------------------------------------------------------------------
# STAR's official calculator: 37 × 200 × 52/12 = 32.066,67, shown as 32.067 kr.
# --------------------------------------------------------------------------------------------------

def test_star_example_reproduced_by_the_simple_estimate() -> None:
    official = next(e for e in load_yaml("official_examples.yaml") if e["id"] == "star-calculator-2024")
    estimate = simple_estimate(D(official["input"]["hourly_wage_incl_pension"]))
    assert estimate == D("32066.67")                       # 37 × 200 × 52 / 12 = 32.066,666…
    assert kr(estimate, decimals=0) == "32.067 kr."        # as STAR shows it
    assert round_krone(estimate) == D(official["input"]["ceiling"])
    wage = monthly_wage_for_hours(D("200"), D(official["input"]["hours_per_week"]))
    assert wage == D(official["input"]["wage"])            # 200 × 18 × 52/12 = 15.600


def test_star_example_as_a_form_gives_stars_subsidy() -> None:
    result = check_form(load_form((FORMS / "star_example.json").read_text(encoding="utf-8")))
    assert result.ceiling == D("32066.67")
    assert result.effect is not None
    assert result.effect.current.subsidy == D("15272.00")   # STAR: 19.952 − 4.680
    assert result.effect.current.wage_income + result.effect.current.subsidy == D("30872.00")
    simple = result.findings[-1]
    assert simple.code == "simple_estimate_difference" and simple.amounts["difference"] == 0
    assert "32.067 kr." in simple.message_da


# --------------------------------------------------------------------------------------------------
# The breakdown, by hand
# --------------------------------------------------------------------------------------------------

def test_breakdown_by_hand_with_own_share_added_when_not_in_the_wage() -> None:
    # 30.000 + function 1.000 = 31.000 (pension base, base and fixed); employer 8 % = 2.480;
    # own 4 % = 1.240 added (the wage is stated after it); ferietillæg 1,5 % of 31.000 = 465
    b = build_ceiling(form(supplements={"function": "1000"},
                           pension={"employer_percent": "8", "employee_percent": "4", "employee_share_in_wage": False},
                           holiday_supplement={"percent": "1.5"}))
    assert [(s.key, s.effect) for s in b.steps if s.part_of == "ceiling"] == [
        ("base_wage", D("30000.00")), ("supplement_function", D("1000.00")), ("pension_employer", D("2480.00")),
        ("pension_employee", D("1240.00")), ("holiday_supplement", D("465.00"))]
    assert b.total == D("35185.00")


@pytest.mark.parametrize(("computed_on", "employer_pension"), [
    ("base_wage", "2400.00"),                    # 8 % of 30.000
    ("base_and_fixed_supplements", "2480.00"),   # 8 % of 31.000
    ("all_wage", "2560.00"),                     # 8 % of 32.000 (incl. evening 1.000)
])
def test_pension_is_computed_on_what_the_form_says(computed_on: str, employer_pension: str) -> None:
    b = build_ceiling(form(supplements={"function": "1000"}, variable_supplements={"evening": "1000"},
                           pension={"employer_percent": "8", "computed_on": computed_on}))
    assert b.employer_pension == D(employer_pension)
    assert b.total == D("32000") + D(employer_pension)


def test_own_share_in_the_wage_is_shown_but_not_added() -> None:
    b = build_ceiling(form(pension={"employer_percent": "0", "employee_percent": "5"}))
    step = b.step("pension_employee")
    assert step is not None and step.part_of is None and step.amount == D("1500.00")
    assert b.total == D("30000.00")


def test_hourly_rate_with_other_full_time_hours() -> None:
    # 180 × 37,5 × 52/12 = 29.250,00
    b = build_ceiling(form(hourly_rate="180", full_time_hours="37.5"))
    assert b.base_wage == D("29250.00") and b.total == D("29250.00")


def test_lump_sum_holiday_supplement_is_not_in_the_monthly_ceiling() -> None:
    b = build_ceiling(form(holiday_supplement={"percent": "1", "paid": "lump_sum"}))
    assert b.total == D("30000.00")
    assert b.holiday_supplement_lump_sum == D("3600.00")   # 1 % × 12 × 30.000


def test_municipality_ceiling_records_source_and_method() -> None:
    f = form(source="municipality", method="collective_agreement", method_note="HK/KL løntrin 21")
    result = check_form(f)
    assert result.breakdown.steps[-1].provision.startswith("LAB § 123, stk. 3, 3. pkt.")
    data = result.to_dict()
    assert data["source"] == "municipality" and data["method"] == "collective_agreement"
    assert data["method_note"] == "HK/KL løntrin 21"
    assert any("Beregnet af kommunen" in line for line in explain_check_da(result))


def test_ceiling_entry_for_the_ledger() -> None:
    entry = ceiling_entry(form(hourly_rate="200", effective_date="2024-05-01"))
    assert entry.amount == D("32066.67") and entry.effective_date == dt.date(2024, 5, 1)
    assert entry.source == "employer" and entry.method is None
    assert check_form(form(hourly_rate="200")).entry().amount == entry.amount


# --------------------------------------------------------------------------------------------------
# Each check, on hand-made forms
# --------------------------------------------------------------------------------------------------

EMPLOYEE = {"hourly_wage": "180", "hours_per_week": "15"}


def test_ceiling_below_own_wage() -> None:
    # own: 180 × 37 × 52/12 = 28.860; a ceiling of 28.859,99 is impossible, 28.860 is not
    f = finding("ceiling_below_own_wage", monthly_base_wage="28859.99", employee=EMPLOYEE)
    assert f.severity == "error" and f.field == "monthly_base_wage"
    assert f.amounts == {"ceiling": D("28859.99"), "own_full_time_wage": D("28860.00"), "shortfall": D("0.01")}
    assert "ceiling_below_own_wage" not in codes(monthly_base_wage="28860", employee=EMPLOYEE)
    # full time is 40 hours under this agreement: 180 × 40 × 52/12 = 31.200
    assert "ceiling_below_own_wage" in codes(monthly_base_wage="30000", full_time_hours="40", employee=EMPLOYEE)
    assert finding("ceiling_below_own_wage", hourly_rate="150", employee=EMPLOYEE).field == "hourly_rate"


def test_ceiling_below_own_wage_needs_the_employee() -> None:
    result = check_form(form(monthly_base_wage="1000"))
    assert "ceiling_below_own_wage" not in result.codes
    assert result.not_checked == ["ceiling_below_own_wage", "pension_missing", "simple_estimate_difference"]


def test_pension_missing() -> None:
    employee = {**EMPLOYEE, "pension_employer_percent": "10", "pension_own_percent": "5"}
    f = finding("pension_missing", employee=employee)
    assert f.severity == "error" and f.field == "pension.employer_percent"
    assert f.amounts["missing_pension_estimate"] == D("3000.00")    # 10 % of 30.000
    assert "arbejdsgiverens andel (10 %)" in f.message_da
    # the own share is withheld from the wage (the usual case): not missing
    assert "medarbejderens egen andel" not in f.message_da
    # the wage is stated after the own share and the ceiling has none: missing as well (10 % + 5 %)
    both = finding("pension_missing", employee=employee, pension={"employee_share_in_wage": False})
    assert both.amounts["missing_pension_estimate"] == D("4500.00")
    assert "medarbejderens egen andel (5 %)" in both.message_da
    # the ceiling has the employer's share: nothing is missing
    assert "pension_missing" not in codes(employee=employee, pension={"employer_percent": "10"})
    # the employee's wage carries no pension: nothing to miss
    assert "pension_missing" not in codes(employee=EMPLOYEE)


def test_overtime_included() -> None:
    # 30.000 + overtime 2.000 = 32.000; pension 10 % of all 3.200 → 35.200; without: 33.000
    f = finding("overtime_included", overtime="2000", pension={"employer_percent": "10", "computed_on": "all_wage"})
    assert f.severity == "error" and f.field == "overtime"
    assert f.amounts == {"overtime": D("2000.00"), "ceiling": D("35200.00"), "ceiling_without": D("33000.00")}


@pytest.mark.parametrize("name", ["Overarbejde", "Fast overtid", "Merarbejde (gennemsnit)", "overtime"])
def test_overtime_entered_as_a_supplement_is_recognised(name: str) -> None:
    f = finding("overtime_included", supplements={"other": [{"name": "Fast bonus", "amount": "500"},
                                                            {"name": name, "amount": "1200"}]})
    assert f.field == "supplements.other.1.name"
    assert f.amounts["ceiling_without"] == D("30500.00")


def test_ordinary_supplements_are_not_taken_for_overtime() -> None:
    assert codes(supplements={"function": "900", "other": [{"name": "Fast bonus (PM 27-23)", "amount": "500"},
                                                           {"name": "Rådighedstillæg", "amount": "300"}]}) == []


def test_capacity_reduction_included() -> None:
    # 30.000 − 6.000 = 24.000; 8 % of the base 1.920 → 25.920; without the reduction 30.000 + 2.400 = 32.400
    f = finding("capacity_reduction_included", capacity_reduction="6000",
                pension={"employer_percent": "8", "computed_on": "base_wage"})
    assert f.severity == "error" and f.field == "capacity_reduction"
    assert f.amounts == {"capacity_reduction": D("6000.00"), "ceiling": D("25920.00"),
                         "ceiling_without": D("32400.00")}
    assert check_form(form(capacity_reduction="6000")).corrected_ceiling == D("30000.00")


def test_capacity_reduction_larger_than_the_base_wage_is_bad_input() -> None:
    with pytest.raises(InputError) as error:
        check_form(form(monthly_base_wage="5000", capacity_reduction="5000.01"))
    assert error.value.field == "capacity_reduction"


def test_variable_supplements_entered_as_the_employees_own() -> None:
    f = finding("variable_supplements_not_average", variable_supplements={"evening": "400",
                                                                          "basis": "employee_actual"})
    assert f.severity == "warning" and f.field == "variable_supplements.basis"
    # said to be the employee's own, but there are none: nothing to warn about
    assert codes(variable_supplements={"basis": "employee_actual"}) == []
    # the amount is exactly what the part-timer actually gets
    employee = {**EMPLOYEE, "actual_variable_supplements": "650"}
    same = finding("variable_supplements_not_average", variable_supplements={"evening": "400", "night": "250"},
                   employee=employee)
    assert same.field == "variable_supplements" and same.amounts["variable_supplements"] == D("650.00")
    assert "variable_supplements_not_average" not in codes(variable_supplements={"evening": "1400"},
                                                          employee=employee)
    # a full-timer's own supplements are a full-timer's
    assert "variable_supplements_not_average" not in codes(
        variable_supplements={"evening": "650"}, employee={**employee, "hours_per_week": "37"})


@pytest.mark.parametrize(("effective", "as_of", "stale"), [
    ("2024-03-01", "2025-03-01", False),   # exactly 12 months
    ("2024-03-01", "2025-03-02", True),
    ("2024-02-29", "2025-02-28", False),   # a leap day: 12 months later is 28 February
    ("2024-02-29", "2025-03-01", True),
    ("2024-03-01", "2024-03-01", False),
])
def test_ceiling_older_than_12_months(effective: str, as_of: str, stale: bool) -> None:
    assert ("ceiling_older_than_12_months" in codes(effective_date=effective, as_of=as_of)) is stale


def test_stale_is_a_warning_on_the_effective_date() -> None:
    f = finding("ceiling_older_than_12_months", effective_date="2023-01-01", as_of="2024-02-15")
    assert f.severity == "warning" and f.field == "effective_date" and "13 måneder" in f.message_da


def test_ceiling_older_than_pay_rise() -> None:
    f = finding("ceiling_older_than_pay_rise", last_pay_rise="2024-04-01", as_of="2024-05-01")
    assert f.severity == "warning" and "steg 1. april 2024" in f.message_da
    assert "1. april 2024" in f.action_da
    future = finding("ceiling_older_than_pay_rise", last_pay_rise="2024-06-01", as_of="2024-05-01")
    assert "stiger 1. juni 2024" in future.message_da
    assert "ceiling_older_than_pay_rise" not in codes(last_pay_rise="2024-03-01")
    assert "ceiling_older_than_pay_rise" not in codes(last_pay_rise="2023-04-01")


def test_municipality_ceiling_before_2024() -> None:
    f = finding("municipality_ceiling_before_2024", source="municipality", method="other",
                effective_date="2023-12-31", as_of="2024-01-15")
    assert f.severity == "error" and f.field == "source"
    assert codes(source="municipality", method="other", effective_date="2024-01-01", as_of="2024-01-15") == []
    assert codes(effective_date="2023-12-31", as_of="2024-01-15") == []   # the employer's: fine


def test_simple_estimate_difference_split_exactly() -> None:
    # full time is 40 hours; employee's hourly 200: estimate 37 × 200 × 52/12 = 32.066,67,
    # own at 40 hours 200 × 40 × 52/12 = 34.666,67 → 2.600,00 due to hours; ceiling 36.000 → 1.333,33 due to parts
    f = finding("simple_estimate_difference", monthly_base_wage="36000", full_time_hours="40",
                employee={"hourly_wage": "200", "hours_per_week": "20"})
    assert f.severity == "info" and f.field == "employee.hourly_wage"
    assert f.amounts["simple_estimate"] == D("32066.67")
    assert f.amounts["due_to_full_time_hours"] == D("2600.00")
    assert f.amounts["due_to_ceiling_parts"] == D("1333.33")
    assert f.amounts["difference"] == D("3933.33") == f.amounts["due_to_full_time_hours"] + f.amounts[
        "due_to_ceiling_parts"]
    assert "40 timer" in f.message_da and "32.067 kr." in f.message_da


def test_findings_never_block() -> None:
    result = check_form(load_form((FORMS / "everything_wrong.json").read_text(encoding="utf-8")))
    assert result.ceiling == D("25353.33") and result.effect is not None
    for f in result.findings:
        assert f.message_da and f.message_en and f.action_da and f.action_en and f.provision
        assert set(f.to_dict()) >= {"code", "severity", "field", "message", "message_da", "action", "action_da"}


# --------------------------------------------------------------------------------------------------
# What it means for the employee
# --------------------------------------------------------------------------------------------------

def test_effect_uses_calculate_month() -> None:
    result = check_form(load_form((FORMS / "clean.json").read_text(encoding="utf-8")))
    effect = result.effect
    assert effect is not None
    direct = calculate_month(MonthInput(Month(2024, 6), D("12350.00"), D("32314.00")))   # 190 × 15 × 52/12
    assert effect.current.to_dict() == direct.to_dict()
    assert effect.binds_from_hours == D("22.36") and effect.binds_from_whole_hours == 23 and not effect.binds_now
    assert [row.hours for row in effect.rows] == [D(h) for h in range(1, 38)]
    for row in effect.rows:
        assert row.ceiling_binds is (row.hours >= D("22.36"))
        if row.ceiling_binds:
            assert row.total == D("32314.00")    # more hours add nothing
        assert row.total == row.wage + row.subsidy


def test_effect_default_benefit_month_is_the_effective_month() -> None:
    result = check_form(form(effective_date="2025-02-01", as_of="2025-02-01", employee=EMPLOYEE))
    assert result.effect is not None and result.effect.benefit_month == Month(2025, 2)


def test_effect_outside_the_rates_table_names_the_benefit_month() -> None:
    with pytest.raises(InputError) as error:
        check_form(form(effective_date="2028-02-01", as_of="2028-02-01", employee=EMPLOYEE))
    assert error.value.field == "employee.benefit_month"


def test_ceiling_binding_at_every_hour_and_never() -> None:
    # a ceiling under the maximum subsidy binds from the first hundredth of an hour (flex-job.dk: hourly ≈ 114 kr.
    # or less); at 0 hours there is no wage from the fleksjob employer and so no subsidy
    assert binding_hours(D("110"), D("19000"), Month(2024, 3)) == D("0.01")
    # a ceiling above what 48 hours can reach with a low hourly wage never binds
    assert binding_hours(D("100"), D("60000"), Month(2024, 3)) is None


@given(hourly=st.integers(100, 500), ceiling=st.integers(15_000, 70_000),
       month=st.sampled_from([Month(2017, 5), Month(2020, 6), Month(2024, 3), Month(2026, 1)]))
def test_binding_hours_are_where_wage_and_subsidy_reach_the_ceiling(hourly: int, ceiling: int, month: Month) -> None:
    rate, cap = D(hourly), D(ceiling)
    hours = binding_hours(rate, cap, month)

    def total(h: Decimal) -> Decimal:
        r = calculate_month(MonthInput(month, monthly_wage_for_hours(rate, h), cap))
        return r.wage_income + r.subsidy

    if hours is None:
        assert total(D(48)) < cap
        return
    if hours > 0:
        assert total(hours - D("0.01")) < cap
    at = total(hours)
    assert at == cap or (at > cap and monthly_wage_for_hours(rate, hours) >= cap)
    later = min(D(48), hours + D(1))
    if monthly_wage_for_hours(rate, later) <= cap:
        assert total(later) == cap                     # more hours add nothing


# --------------------------------------------------------------------------------------------------
# The breakdown adds up (Hypothesis), against an exact computation with fractions
# --------------------------------------------------------------------------------------------------

ore_amounts = st.integers(0, 2_000_000).map(lambda ore: D(ore) / 100)          # 0–20.000 kr.
percents = st.integers(0, 2_000).map(lambda hundredths: D(hundredths) / 100)  # 0–20 %


@st.composite
def forms(draw: st.DrawFn) -> dict[str, Any]:
    data: dict[str, Any] = {"effective_date": "2024-01-01", "as_of": "2024-02-01",
                            "full_time_hours": str(draw(st.integers(100, 4800).map(lambda c: D(c) / 100)))}
    if draw(st.booleans()):
        data["hourly_rate"] = str(draw(st.integers(5_000, 100_000).map(lambda ore: D(ore) / 100)))
    else:
        data["monthly_base_wage"] = str(draw(st.integers(1_000_000, 8_000_000).map(lambda ore: D(ore) / 100)))
    data["supplements"] = {"qualification": str(draw(ore_amounts)), "seniority": str(draw(ore_amounts)),
                           "function": str(draw(ore_amounts)),
                           "other": [{"name": "Fast tillæg", "amount": str(draw(ore_amounts))}]}
    data["variable_supplements"] = {"evening": str(draw(ore_amounts)), "night": str(draw(ore_amounts)),
                                    "weekend": str(draw(ore_amounts))}
    data["pension"] = {"employer_percent": str(draw(percents)), "employee_percent": str(draw(percents)),
                       "computed_on": draw(st.sampled_from(["base_wage", "base_and_fixed_supplements", "all_wage"])),
                       "employee_share_in_wage": draw(st.booleans())}
    data["holiday_supplement"] = {"percent": str(draw(percents)), "paid": draw(st.sampled_from(["monthly",
                                                                                                "lump_sum"]))}
    data["overtime"] = str(draw(ore_amounts))
    return data


def exact_ceiling(data: dict[str, Any]) -> Fraction:
    """The ceiling without any rounding, computed independently with fractions."""
    F = Fraction
    hours = F(data["full_time_hours"])
    base = F(data["monthly_base_wage"]) if "monthly_base_wage" in data else F(data["hourly_rate"]) * hours * 52 / 12
    s, v, p, h = data["supplements"], data["variable_supplements"], data["pension"], data["holiday_supplement"]
    fixed = F(s["qualification"]) + F(s["seniority"]) + F(s["function"]) + F(s["other"][0]["amount"])
    variable = F(v["evening"]) + F(v["night"]) + F(v["weekend"])
    wage = base + fixed + variable + F(data["overtime"])
    pension_base = {"base_wage": base, "base_and_fixed_supplements": base + fixed, "all_wage": wage}[p["computed_on"]]
    pension = pension_base * F(p["employer_percent"]) / 100
    if not p["employee_share_in_wage"]:
        pension += pension_base * F(p["employee_percent"]) / 100
    holiday = wage * F(h["percent"]) / 100 if h["paid"] == "monthly" else 0
    return wage + pension + holiday


@given(forms())
def test_breakdown_adds_up_exactly_and_is_the_exact_ceiling_to_the_øre(data: dict[str, Any]) -> None:
    b = build_ceiling(validate_form(data))
    counted = [s for s in b.steps if s.part_of == "ceiling"]
    assert sum((s.effect for s in counted if s.effect is not None), D(0)) == b.total
    assert b.steps[-1].key == "ceiling" and b.steps[-1].amount == b.total
    for step in counted:
        assert step.effect is not None and step.effect == step.effect.quantize(ORE)
    # each rounded line is off by at most ½ øre, and a pension line inherits at most ½ øre × its rate
    assert abs(Fraction(b.total) - exact_ceiling(data)) <= Fraction(3, 100)


@given(forms())
def test_check_never_fails_on_a_valid_form_and_its_json_is_strings(data: dict[str, Any]) -> None:
    result = check_form(validate_form(data))
    out = result.to_dict()
    assert out["ceiling"] == str(result.ceiling)
    json.dumps(out)   # everything serialisable


# --------------------------------------------------------------------------------------------------
# Bad input: a clear error naming the field
# --------------------------------------------------------------------------------------------------

BASE = {"effective_date": "2024-03-01", "monthly_base_wage": "30000"}


@pytest.mark.parametrize(("change", "field", "code"), [
    ({"monthly_base_wage": "-1"}, "monthly_base_wage", "amount_negative"),
    ({"monthly_base_wage": None, "hourly_rate": "-200"}, "hourly_rate", "amount_negative"),
    ({"supplements": {"seniority": "-5"}}, "supplements.seniority", "amount_negative"),
    ({"supplements": {"other": [{"name": "Bonus", "amount": "-1"}]}}, "supplements.other.0.amount",
     "amount_negative"),
    ({"variable_supplements": {"night": "-0.01"}}, "variable_supplements.night", "amount_negative"),
    ({"overtime": "-100"}, "overtime", "amount_negative"),
    ({"capacity_reduction": "-100"}, "capacity_reduction", "amount_negative"),
    ({"monthly_base_wage": "30000.001"}, "monthly_base_wage", "amount_decimals"),
    ({"monthly_base_wage": "tredivetusind"}, "monthly_base_wage", "amount_type"),
    ({"monthly_base_wage": "26.500"}, "monthly_base_wage", "amount_ambiguous"),
    ({"supplements": {"function": "1.200.000"}}, "supplements.function", "amount_ambiguous"),
    ({"pension": {"employer_percent": "100.01"}}, "pension.employer_percent", "percent_range"),
    ({"pension": {"employee_percent": "-1"}}, "pension.employee_percent", "percent_range"),
    ({"pension": {"employee_percent": "4.125"}}, "pension.employee_percent", "number_decimals"),
    ({"holiday_supplement": {"percent": "150"}}, "holiday_supplement.percent", "percent_range"),
    ({"pension": {"computed_on": "salary"}}, "pension.computed_on", "literal_error"),
    ({"full_time_hours": "0.99"}, "full_time_hours", "hours_range"),
    ({"full_time_hours": "48.01"}, "full_time_hours", "hours_range"),
    ({"full_time_hours": "mange"}, "full_time_hours", "number_type"),
    ({"employee": {"hourly_wage": "180", "hours_per_week": "0"}}, "employee.hours_per_week", "hours_range"),
    ({"employee": {"hourly_wage": "180", "hours_per_week": "49"}}, "employee.hours_per_week", "hours_range"),
    ({"employee": {"hourly_wage": "-180", "hours_per_week": "10"}}, "employee.hourly_wage", "amount_negative"),
    ({"employee": {"hourly_wage": "180", "hours_per_week": "10", "pension_employer_percent": "101"}},
     "employee.pension_employer_percent", "percent_range"),
    ({"employee": {"hourly_wage": "180", "hours_per_week": "10", "benefit_month": "2028-03"}},
     "employee.benefit_month", "no_rates"),
    ({"employee": {"hours_per_week": "10"}}, "employee.hourly_wage", "missing"),
    ({"effective_date": "2024-02-30"}, "effective_date", "date_invalid"),
    ({"effective_date": "2023-02-29"}, "effective_date", "date_invalid"),
    ({"effective_date": "2024-04-31"}, "effective_date", "date_invalid"),
    ({"effective_date": "2024-13-01"}, "effective_date", "date_invalid"),
    ({"effective_date": "1. marts 2024"}, "effective_date", "date_format"),
    ({"effective_date": "2012-12-31"}, "effective_date", "date_range"),
    ({"effective_date": None}, "effective_date", "date_format"),
    ({"last_pay_rise": "2024-06-31"}, "last_pay_rise", "date_invalid"),
    ({"as_of": "2024-00-10"}, "as_of", "date_invalid"),
    ({"monthly_base_wage": None}, "monthly_base_wage", "missing"),
    ({"hourly_rate": "200"}, "monthly_base_wage", "base_wage_twice"),
    ({"source": "municipality"}, "method", "missing"),
    ({"source": "jobcenter"}, "source", "literal_error"),
    ({"cpr": "0101001234"}, "cpr", "extra_forbidden"),
])
def test_bad_input_names_the_field(change: dict[str, Any], field: str, code: str) -> None:
    data = {**BASE, **change}
    data = {k: v for k, v in data.items() if not (v is None and k in ("monthly_base_wage",))}
    with pytest.raises(FormError) as error:
        validate_form(data)
    found = [(e.field, e.code) for e in error.value.errors]
    assert (field, code) in found
    assert all(e.reason_en and e.reason_da for e in error.value.errors)


def test_several_bad_fields_are_all_named() -> None:
    with pytest.raises(FormError) as error:
        validate_form({"effective_date": "2024-02-30", "hourly_rate": "-5", "pension": {"employer_percent": "120"}})
    assert [e.field for e in error.value.errors] == ["effective_date", "hourly_rate", "pension.employer_percent"]


@pytest.mark.parametrize(("text", "field", "code"), [
    ('{"effective_date": "2024-03-01", "monthly_base_wage": NaN}', "monthly_base_wage", "amount_not_finite"),
    ('{"effective_date": "2024-03-01", "monthly_base_wage": Infinity}', "monthly_base_wage", "amount_not_finite"),
    ('{"effective_date": "2024-03-01", "monthly_base_wage": 1, "monthly_base_wage": 2}', "monthly_base_wage",
     "duplicate_key"),
    ('{"effective_date": "2024-03-01", ', "form", "json_invalid"),
    ('[1, 2]', "form", "dict_type"),
    ('{"effective_date": "2024-03-01", "monthly_base_wage": 30000.005}', "monthly_base_wage", "amount_decimals"),
])
def test_json_forms_are_read_strictly(text: str, field: str, code: str) -> None:
    with pytest.raises(FormError) as error:
        load_form(text)
    assert (field, code) in [(e.field, e.code) for e in error.value.errors]


def test_json_numbers_are_exact() -> None:
    f = load_form('{"effective_date": "2024-03-01", "monthly_base_wage": 30000.10, "pension": '
                  '{"employer_percent": 8.5}}')
    assert f.monthly_base_wage == D("30000.10") and f.pension.employer_percent == D("8.50")
    assert build_ceiling(f).employer_pension == D("2550.01")   # 8,5 % × 30.000,10 = 2.550,0085


# --------------------------------------------------------------------------------------------------
# The Danish text and the printable summary
# --------------------------------------------------------------------------------------------------

def test_text_names_every_line_with_its_provision() -> None:
    result = check_form(load_form((FORMS / "clean.json").read_text(encoding="utf-8")))
    text = "\n".join(explain_check_da(result))
    assert "= 32.314,00 kr.  Lønloft pr. måned  (LAB § 123, stk. 3; Ankestyrelsen PM 48-22)" in text
    assert "Arbejdsgiverens pensionsbidrag (8 % af grundløn og faste tillæg: 27.700,00 kr.)" in text
    assert "Lønloftet rammer fra 22,36 timer om ugen" in text
    assert "kr.." not in text


def test_summary_has_the_breakdown_the_findings_and_a_signature_line() -> None:
    data = json.loads((FORMS / "everything_wrong.json").read_text(encoding="utf-8"))
    data["employer"] = "<script>alert('x')</script> & Co"
    result = check_form(validate_form(data))
    page = summary_html(result)
    assert page.startswith("<!DOCTYPE html>") and 'lang="da"' in page
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "Underskrift:" in page and "Dato:" in page and "Erklæring" in page
    assert "25.353,33 kr." in page and "Overarbejde indgår i lønloftet" in page
    md = summary_markdown(result)
    assert "Underskrift:" in md and "\\<script\\>" in md and "| **Lønloft pr. måned** |" in md
