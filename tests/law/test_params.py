"""Rates as data: the temporal coverage test (Catala-style) and the parameter files' validation."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from flexcalc.errors import NoRatesError
from flexcalc.law.params import RATE_NAMES, coverage, load_parameter_file, load_parameters, rates_expiry, rates_for
from flexcalc.period import Month, month_range

FIRST, LAST = Month(2014, 1), Month(2027, 12)


def test_every_month_2014_to_2026_has_exactly_one_value_of_every_rate() -> None:
    parameters = load_parameters()
    problems = []
    for month in month_range(FIRST, LAST):
        for name in RATE_NAMES:
            found = parameters[name].covering(month.first_day())
            if len(found) != 1:
                problems.append(f"{name} {month}: {len(found)} values")
        for day in (month.first_day(), month.last_day()):
            for name in RATE_NAMES:
                parameters[name].value_at(day)  # no gap inside the month either
    assert problems == []


def test_coverage_is_2014_01_to_2027_12() -> None:
    assert coverage() == (FIRST, LAST)


@pytest.mark.parametrize("month", ["2013-12", "2013-01", "2028-01", "2028-03", "2030-06"])
def test_a_month_outside_the_table_is_a_clear_error(month: str) -> None:
    with pytest.raises(NoRatesError) as info:
        rates_for(Month.parse(month))
    assert f"no rates for {month}" in str(info.value)
    assert info.value.field == "month"


def test_every_value_has_status_source_and_the_file_a_reference() -> None:
    for name, parameter in load_parameters().items():
        assert parameter.reference and parameter.reference_url.startswith("http"), name
        for entry in parameter.values:
            if entry.value is not None:
                assert entry.status in ("published", "computed", "assumed"), (name, entry.start)
                assert entry.source and entry.source.startswith("http"), (name, entry.start)


def test_m_is_98_percent_of_the_highest_dagpenge_rounded_from_2017() -> None:
    for year in range(2017, 2028):
        rates = rates_for(Month(year, 6))
        expected = (Decimal("0.98") * rates.highest_unemployment_benefit).quantize(Decimal(1), ROUND_HALF_UP)
        assert rates.max_subsidy == expected, year


def test_known_values() -> None:
    assert rates_for(Month(2024, 1)).max_subsidy == Decimal("19952")
    assert rates_for(Month(2024, 12)).threshold == Decimal("16323")
    assert rates_for(Month(2014, 1)).max_subsidy == Decimal("17312")
    assert rates_for(Month(2019, 7)).threshold == Decimal("14686")
    assert rates_for(Month(2026, 12)).reduction_rate_high == Decimal("0.55")
    assert rates_for(Month(2025, 3)).derived == ["max_subsidy", "threshold"]
    assert rates_for(Month(2025, 3)).computed == ["max_subsidy"]  # 98 % of the published 21.092
    assert rates_for(Month(2025, 3)).assumed == ["threshold"]  # T's regulating index is not established
    assert rates_for(Month(2024, 3)).derived == []


def _write(tmp_path: Path, text: str, name: str = "max_subsidy") -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


HEADER = """name: max_subsidy
label_da: x
label_en: x
unit: DKK
reference: LAB § 123
reference_url: https://example.org
values:
"""


def test_a_date_written_twice_is_refused_as_an_overlap(tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER + """  2024-01-01: {value: "1", status: published, source: https://a}
  2024-01-01: {value: "2", status: published, source: https://b}
""")
    with pytest.raises(yaml.constructor.ConstructorError, match="twice"):
        load_parameter_file(path)


def test_a_float_value_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER + "  2024-01-01: {value: 0.30, status: published, source: https://a}\n")
    with pytest.raises(ValidationError, match="quoted strings"):
        load_parameter_file(path)


def test_a_value_without_status_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER + "  2024-01-01: {value: \"1\", source: https://a}\n")
    with pytest.raises(ValidationError, match="status"):
        load_parameter_file(path)


def test_a_null_value_ends_coverage(tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER + """  2024-01-01: {value: "1", status: published, source: https://a}
  2025-01-01: {value: null}
""")
    parameter = load_parameter_file(path)
    assert parameter.value_at(dt.date(2024, 12, 31)) == Decimal("1")
    with pytest.raises(NoRatesError):
        parameter.value_at(dt.date(2025, 1, 1))
    with pytest.raises(NoRatesError):
        parameter.value_at(dt.date(2023, 12, 31))


# The daily highest dagpenge rates of the years before monthly rates (sources-wave2.md, "Rates"):
# 98 % of the daily rate rounded to whole kroner, × 5 days × 52/12 weeks, rounded, is M.
DAILY_RATES = {2014: 815, 2015: 827, 2016: 836, 2017: 849}


@pytest.mark.parametrize(("year", "daily"), sorted(DAILY_RATES.items()))
def test_m_before_monthly_rates_is_98_percent_of_the_daily_rate_in_whole_kroner(year: int, daily: int) -> None:
    per_day = (Decimal("0.98") * daily).quantize(Decimal(1), ROUND_HALF_UP)
    monthly = (per_day * 5 * 52 / 12).quantize(Decimal(1), ROUND_HALF_UP)
    assert rates_for(Month(year, 6)).max_subsidy == monthly


def test_the_derivation_reproduces_the_published_years_and_gives_2015() -> None:
    # Hand-computed: 2014 815 → 798,70 → 799 → 17.311,67 → 17.312; 2015 827 → 810,46 → 810 → 17.550,00.
    assert rates_for(Month(2014, 1)).max_subsidy == Decimal("17312")
    assert rates_for(Month(2015, 1)).max_subsidy == Decimal("17550")
    assert rates_for(Month(2016, 1)).max_subsidy == Decimal("17745")
    assert rates_for(Month(2017, 1)).max_subsidy == Decimal("18027")


def test_2019_maximum_is_published_and_2027_is_assumed() -> None:
    assert rates_for(Month(2019, 1)).status("max_subsidy") == "published"
    rates = rates_for(Month(2027, 1))
    # 22.041 × 1,0315 = 22.735,29 → 22.735; 0,98 × 22.735 = 22.280,30 → 22.280; 17.672 × 1,0315 = 18.228,67.
    assert (rates.highest_unemployment_benefit, rates.max_subsidy, rates.threshold) == (
        Decimal("22735"), Decimal("22280"), Decimal("18229"))
    assert set(rates.derived) == {"max_subsidy", "threshold", "highest_unemployment_benefit"}
    assert set(rates.assumed) == set(rates.derived) and rates.kind == "assumed"


def test_every_rate_file_covers_the_same_months() -> None:
    parameters = load_parameters()
    ends = {name: parameters[name].values[-1].start for name in RATE_NAMES}
    assert set(ends.values()) == {dt.date(2028, 1, 1)}, ends


@pytest.mark.parametrize(("today", "warned"), [
    (dt.date(2027, 9, 30), False),   # October, November, December still to come: 3 months
    (dt.date(2027, 10, 1), True),    # the table ends with December: within three months
    (dt.date(2027, 12, 31), True),
    (dt.date(2026, 12, 1), False),
])
def test_rates_expiry_warns_three_months_before_the_table_ends(today: dt.date, warned: bool) -> None:
    expiry = rates_expiry(today)
    assert (expiry is not None) == warned
    if expiry is not None:
        assert str(expiry.last_month) == "2027-12"
        assert "2028-01" in expiry.message and "2028-01" in expiry.message_da


# ---------------------------------------------------------------- three kinds of value


def _hand_rule(rule: str, i: dict[str, Decimal]) -> Decimal:
    """The rules written out again, independently of flexcalc.law.params.RULES (half up to kroner or øre)."""
    kr = Decimal(1)
    if rule == "share":
        return (i["factor"] * i["amount"]).quantize(kr, ROUND_HALF_UP)
    if rule == "share_of_daily_rate":
        daily = (i["factor"] * i["daily"]).quantize(kr, ROUND_HALF_UP)
        return (daily * 5 * 52 / 12).quantize(kr, ROUND_HALF_UP)
    if rule == "daily_to_monthly":
        return (i["daily"] * 5 * 52 / 12).quantize(kr, ROUND_HALF_UP)
    if rule == "weekly_to_monthly":
        return (i["weekly"] * 52 / 12).quantize(kr, ROUND_HALF_UP)
    if rule == "regulate":
        return (i["base"] * (100 + i["percent"]) / 100).quantize(kr, ROUND_HALF_UP)
    if rule == "index":
        return (i["amount"] * i["index"] / i["index_base"]).quantize(kr, ROUND_HALF_UP)
    if rule == "annual_to_monthly":
        return (i["annual"] / 12).quantize(kr, ROUND_HALF_UP)
    if rule == "two_thirds_per_hour":
        return (i["annual"] * 2 / 3 / (37 * 52)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    if rule == "index_ore":
        return (i["amount"] * i["index"] / i["index_base"]).quantize(Decimal("0.01"), ROUND_HALF_UP)
    raise AssertionError(f"a rule the test does not know: {rule}")


def test_every_computed_value_is_recomputed_from_its_inputs_and_checked_against_a_published_one() -> None:
    parameters = load_parameters()
    computed = checked = 0
    for name, parameter in parameters.items():
        for entry in parameter.values:
            if entry.rule is None:
                assert entry.status != "computed", (name, entry.start)  # computed means: by a declared rule
                continue
            # every input is read again from the files (a reference) or the literal, with its status
            for given in entry.inputs:
                if given.origin != "literal":
                    other, day = given.origin.split("@")
                    assert parameters[other].value_at(dt.date.fromisoformat(day)) == given.value
            again = _hand_rule(entry.rule, {i.name: i.value for i in entry.inputs})
            assert entry.computed == again, (name, entry.start)
            if entry.status == "published":  # the rule reproduces the published value
                assert entry.value == again, (name, entry.start, entry.value, again)
                checked += 1
            else:
                assert entry.value == again, (name, entry.start)
                follows = "assumed" if any(i.status == "assumed" for i in entry.inputs) else "computed"
                assert entry.status == follows, (name, entry.start)
                computed += 1
    assert computed >= 20 and checked >= 8  # M 2014, 2016–2020, 2022, 2024 are published and reproduced


@pytest.mark.parametrize(("year", "m", "m_status", "t", "t_status"), [
    (2024, "19952", "published", "16323", "published"),
    (2025, "20670", "computed", "16911", "assumed"),   # 0,98 × 21.092 (bm.dk) = 20.670,16
    (2026, "21600", "assumed", "17672", "assumed"),    # the 2026 dagpenge 22.041 rests on a secondary page
    (2027, "22280", "assumed", "18229", "assumed"),    # the 2027 regulation is assumed
])
def test_the_status_of_m_and_t(year: int, m: str, m_status: str, t: str, t_status: str) -> None:
    rates = rates_for(Month(year, 1))
    assert (str(rates.max_subsidy), rates.status("max_subsidy")) == (m, m_status)
    assert (str(rates.threshold), rates.status("threshold")) == (t, t_status)


def test_a_computed_value_follows_a_published_input_when_the_files_change(tmp_path: Path) -> None:
    """Publishing the 2026 dagpenge amount makes M 2026 computed, recomputed from the new amount."""
    import shutil

    from flexcalc.law.params import PARAMETER_DIR

    for path in PARAMETER_DIR.rglob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    dagpenge = tmp_path / "highest_unemployment_benefit.yaml"
    text = dagpenge.read_text(encoding="utf-8")
    start = text.index("  2026-01-01:")
    end = text.index("  2027-01-01:")
    dagpenge.write_text(text[:start] + '  2026-01-01:\n    value: "22050"\n    status: published\n'
                        "    source: https://example.invalid/test\n" + text[end:], encoding="utf-8")
    parameters = load_parameters(tmp_path)
    m_2026 = parameters["max_subsidy"].entry_at(dt.date(2026, 1, 1))
    assert (m_2026.value, m_2026.status) == (Decimal("21609"), "computed")  # 0,98 × 22.050 = 21.609,00
    assert parameters["max_subsidy"].entry_at(dt.date(2027, 1, 1)).status == "assumed"


def test_a_computed_value_on_an_assumed_input_or_typed_in_is_refused(tmp_path: Path) -> None:
    from flexcalc.law.params import resolve_computed

    other = _write(tmp_path, HEADER.replace("max_subsidy", "other")
                   + '  2024-01-01: {value: "100", status: assumed, source: https://a}\n', "other")
    wrong = _write(tmp_path, HEADER.replace("max_subsidy", "wrong") + """  2024-01-01:
    status: computed
    source: https://a
    rule: share
    derived_from: {factor: "0.98", amount: other@2024-01-01}
""", "wrong")
    with pytest.raises(ValueError, match="declared computed but its inputs make it assumed"):
        resolve_computed({"other": load_parameter_file(other), "wrong": load_parameter_file(wrong)})
    typed = _write(tmp_path, HEADER + """  2024-01-01:
    value: "98"
    status: computed
    source: https://a
    rule: share
    derived_from: {factor: "0.98", amount: "100"}
""")
    with pytest.raises(ValueError, match="remove the typed value"):
        load_parameter_file(typed)
    untyped = _write(tmp_path, HEADER + '  2024-01-01: {value: "98", status: computed, source: https://a}\n')
    with pytest.raises(ValueError, match="declare its rule"):
        load_parameter_file(untyped)


def test_assumed_months_are_named_for_the_coming_three_months() -> None:
    from flexcalc.law.params import assumed_months, current_month

    assert [str(m) for m in assumed_months(dt.date(2026, 12, 7))] == ["2026-12", "2027-01", "2027-02", "2027-03"]
    assert assumed_months(dt.date(2024, 3, 1)) == []
    assert current_month(dt.date(2026, 12, 7)) == Month(2026, 12)
    assert current_month(dt.date(2031, 1, 1)) == Month(2027, 12)  # the last covered month
