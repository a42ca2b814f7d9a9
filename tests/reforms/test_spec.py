"""The reform file: the examples load; unknown names, non-numbers and dates outside coverage name the key."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from flexcalc.errors import InputError
from flexcalc.law.params import load_parameters, rates_for
from flexcalc.period import Month
from flexcalc.reforms import load_reform, reform_from_text
from flexcalc.reforms.parameters import reform_rates

END = load_parameters()["max_subsidy"].values[-1].start  # the null that ends the coverage (2028-01-01 now)
assert load_parameters()["max_subsidy"].values[-1].value is None
EXAMPLES = sorted(p for p in (Path(__file__).parents[2] / "fixtures" / "reforms").glob("*.yaml")
                  if p.name != "hand_computed.yaml")


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_loads_and_cites_its_proposal(path: Path) -> None:
    reform = load_reform(path)
    assert reform.name and reform.description and reform.proposal
    if path.stem != "empty" and path.stem != "max_subsidy_plus_100":
        assert "proposal" in reform.proposal


def test_the_example_rules_are_read_exactly() -> None:
    root = EXAMPLES[0].parent
    assert load_reform(root / "empty.yaml").is_empty
    hourly = load_reform(root / "hourly_1_37_full_time_wage.yaml").rules.hourly_reduction
    assert hourly is not None and hourly.per_hour == Fraction(1, 37) and hourly.base == "ceiling"
    single = load_reform(root / "single_rate_40.yaml").rules.single_reduction_rate
    assert single is not None and single.rate == Decimal("0.40")
    table = load_reform(root / "agreement_ceilings.yaml").rules.agreement_ceilings
    assert table is not None and table.ceilings["3F-service"] == Decimal("31000")
    assert load_reform(root / "max_subsidy_plus_100.yaml").parameters == {
        "max_subsidy": {dt.date(2024, 1, 1): Decimal("20052")}}


def test_overrides_never_touch_the_global_parameters() -> None:
    reform = reform_from_text("name: x\nparameters:\n  max_subsidy: {2024-06-01: '20000'}\n"
                              "  reduction_rate_low: {2024-01-01: '0.25'}")
    before = load_parameters()["max_subsidy"].values
    assert reform_rates(Month(2024, 5), reform).max_subsidy == Decimal("19952")  # before the override's date
    assert reform_rates(Month(2024, 6), reform).max_subsidy == Decimal("20000")
    assert reform_rates(Month(2025, 1), reform).max_subsidy == Decimal("20670")  # the file's next date wins again
    assert reform_rates(Month(2024, 3), reform).reduction_rate_low == Decimal("0.25")
    assert load_parameters()["max_subsidy"].values is before
    assert rates_for(Month(2024, 6)).max_subsidy == Decimal("19952")
    assert rates_for(Month(2024, 3)).reduction_rate_low == Decimal("0.30")


@pytest.mark.parametrize(("text", "field", "danish"), [
    ("name: x\nbudget: 3", "budget", "kendt nøgle"),
    ("name: x\nparameters:\n  max_subsidi: {2024-01-01: '1'}", "parameters.max_subsidi", "kendt parameter"),
    ("name: x\nrules:\n  flat_tax: {rate: '0.3'}", "rules.flat_tax", "kendt regel"),
    ("name: x\nrules:\n  single_reduction_rate: {rate: '0.4', floor: '1'}", "rules.single_reduction_rate.floor",
     "kendt nøgle"),
    ("name: x\nparameters:\n  max_subsidy: {2024-01-01: 'lots'}", "parameters.max_subsidy.2024-01-01", "tal"),
    ("name: x\nparameters:\n  max_subsidy: {2024-01-01: 20052.5}", "parameters.max_subsidy.2024-01-01", "tal"),
    ("name: x\nparameters:\n  threshold: {2024-01-01: '-1'}", "parameters.threshold.2024-01-01", "negativ"),
    ("name: x\nparameters:\n  max_subsidy: {2013-01-01: '17000'}", "parameters.max_subsidy.2013-01-01",
     "uden for parameterens dækning"),
    (f"name: x\nparameters:\n  max_subsidy: {{{END}: '22000'}}", f"parameters.max_subsidy.{END}",
     "uden for parameterens dækning"),
    ("name: x\nparameters:\n  max_subsidy: {next year: '22000'}", "parameters.max_subsidy.next year", "dato"),
    ("name: x\nrules:\n  single_reduction_rate: {rate: 'fast'}", "rules.single_reduction_rate.rate", "ugyldig"),
    ("name: x\nrules:\n  single_reduction_rate: {rate: '1.5'}", "rules.single_reduction_rate.rate", "ugyldig"),
    ("name: x\nrules:\n  hourly_reduction: {per_hour: '1/0'}", "rules.hourly_reduction.per_hour", "ugyldig"),
    ("name: x\nrules:\n  minimum_gain_per_hour: {amount: '-5'}", "rules.minimum_gain_per_hour.amount", "ugyldig"),
    ("name: x\nrules:\n  agreement_ceilings: {ceilings: {HK: 'x'}}", "rules.agreement_ceilings.ceilings",
     "ugyldig"),
    ("name: x\nrules:\n  single_reduction_rate: {rate: '0.4'}\n  hourly_reduction: {}", "rules", "ugyldig"),
    ("description: no name", "name", "mangler"),
    ("- a list", "reform", "YAML-tabel"),
    ("name: [unclosed", "reform", "gyldig YAML"),
    ("name: x\nname: y", "reform", "gyldig YAML"),
])
def test_bad_reforms_name_the_key_in_english_and_danish(text: str, field: str, danish: str) -> None:
    with pytest.raises(InputError) as caught:
        reform_from_text(text)
    assert caught.value.field == field
    assert danish in caught.value.reason_da
    assert caught.value.reason_en


def test_a_huge_reform_file_is_refused() -> None:
    with pytest.raises(InputError, match="256 KiB"):
        reform_from_text("name: x\ndescription: '" + "a" * 300_000 + "'")


def test_a_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_reform(tmp_path / "nope.yaml")
    assert caught.value.field == "reform"
