"""Each rule reform on hand-computed people (fixtures/reforms/hand_computed.yaml), and the exact vector code
equal to the Decimal reference on random people (Hypothesis)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from flexcalc.money import from_ore, to_ore
from flexcalc.period import Month
from flexcalc.reforms import EMPTY, Reform, load_reform
from flexcalc.reforms.reference import Person, reform_person, today
from flexcalc.reforms.rules import PreparedReform, ReformPeople, compute_reform, compute_today
from flexcalc.reforms.spec import AgreementCeilings, HourlyReduction, MinimumGainPerHour, Rules, SingleReductionRate

ROOT = Path(__file__).parents[2] / "fixtures" / "reforms"
HAND = yaml.safe_load((ROOT / "hand_computed.yaml").read_text(encoding="utf-8"))
MONTH = Month.parse(HAND["month"])
D = Decimal


def _people() -> dict[str, Person]:
    out = {}
    for key, row in HAND["people"].items():
        out[key] = Person(wage=D(row["wage"]), ceiling=D(row["ceiling"]), hours=row["hours"],
                          other_wage=D(row.get("other_wage", "0")), agreement=row["agreement"])
    return out


PEOPLE = _people()


def _arrays(people: list[Person]) -> ReformPeople:
    ore = lambda name: np.array([to_ore(getattr(p, name)) for p in people], np.int64)  # noqa: E731
    return ReformPeople(wage=ore("wage"), ceiling=ore("ceiling"), other_wage=ore("other_wage"),
                        other_income=ore("other_income"), hours=np.array([p.hours for p in people], np.int64),
                        agreement=pa.array([p.agreement for p in people], pa.string()))


def _vector(reform: Reform, people: list[Person]) -> list[dict[str, Decimal]]:
    result = compute_reform(PreparedReform.of(reform, MONTH), _arrays(people))
    return [{"before": from_ore(int(result.subsidy_before_ceiling[i])), "subsidy": from_ore(int(result.subsidy[i])),
             "atp_own": from_ore(int(result.atp_own[i])), "payout": from_ore(int(result.payout[i]))}
            for i in range(len(people))]


CASES = [(name, key) for name in HAND["expected"] for key in HAND["expected"][name]]


@pytest.mark.parametrize(("name", "key"), CASES)
def test_hand_computed_people_vector_and_reference(name: str, key: str) -> None:
    expected = {field: D(value) for field, value in HAND["expected"][name][key].items()}
    person = PEOPLE[key]
    if name == "today":
        reference = today(MONTH, person)
        vector = compute_today(MONTH, _arrays([person]))
        got = {"before": from_ore(int(vector.subsidy_before_ceiling[0])), "subsidy": from_ore(int(vector.subsidy[0])),
               "atp_own": from_ore(int(vector.atp_own[0])), "payout": from_ore(int(vector.payout[0]))}
    else:
        reform = load_reform(ROOT / f"{name}.yaml")
        reference = reform_person(MONTH, reform, person)
        got = _vector(reform, [person])[0]
    assert got == expected
    assert {"before": reference.subsidy_before_ceiling, "subsidy": reference.subsidy,
            "atp_own": reference.atp_own, "payout": reference.payout} == expected


def test_the_empty_reform_is_today_for_the_hand_computed_people() -> None:
    people = list(PEOPLE.values())
    assert _vector(EMPTY, people) == _vector(load_reform(ROOT / "empty.yaml"), people)
    today_result = compute_today(MONTH, _arrays(people))
    assert [row["subsidy"] for row in _vector(EMPTY, people)] == [from_ore(int(s)) for s in today_result.subsidy]


def test_minimum_gain_guarantees_the_gain_on_the_plateau() -> None:
    # B (15 h at 200 kr./h, ceiling 26.000) is on the plateau today: 16 hours pay 13.866,67, and total income
    # stays at the ceiling (26.000) — one more hour gains nothing. With 150 kr. per hour: 26.000 + 16 × 150 =
    # 28.400 against 26.000 + 15 × 150 = 28.250: exactly 150 kr. more.
    reform = load_reform(ROOT / "minimum_gain_150.yaml")
    b15 = PEOPLE["B"]
    b16 = Person(wage=D("13866.67"), ceiling=b15.ceiling, hours=16, agreement=b15.agreement)
    total = lambda p, r: p.wage + r.subsidy  # noqa: E731
    assert total(b16, today(MONTH, b16)) - total(b15, today(MONTH, b15)) == 0
    assert total(b16, reform_person(MONTH, reform, b16)) - total(b15, reform_person(MONTH, reform, b15)) == D("150")


# -- Hypothesis: the vector code equals the Decimal reference, person by person -------------------------

amounts = st.integers(min_value=0, max_value=6_000_000)
people_strategy = st.lists(
    st.builds(
        lambda wage, ceiling, hours, other, agreement: Person(from_ore(wage), from_ore(ceiling), hours,
                                                              from_ore(other), agreement=agreement),
        amounts, st.integers(min_value=0, max_value=6_000_000), st.integers(min_value=1, max_value=37),
        st.one_of(st.just(0), st.integers(min_value=0, max_value=500_000)),
        st.sampled_from(["HK-handel", "3F-service", "Andet"])),
    min_size=1, max_size=30)

rules_strategy = st.one_of(
    st.builds(lambda r: Rules(single_reduction_rate=SingleReductionRate(rate=D(r) / 1000)),
              st.integers(min_value=0, max_value=1000)),
    st.builds(lambda num, den, base, flat: Rules(hourly_reduction=HourlyReduction(
        per_hour=Fraction(num, den), base=base, flat_subsidy=flat)),
        st.integers(min_value=0, max_value=3), st.integers(min_value=3, max_value=400),  # a share ≤ 1
        st.sampled_from(["ceiling", "max_subsidy"]),
        st.one_of(st.none(), st.integers(min_value=0, max_value=3_000_000).map(lambda o: str(from_ore(o))))),
    st.builds(lambda g: Rules(minimum_gain_per_hour=MinimumGainPerHour(amount=from_ore(g))),
              st.integers(min_value=0, max_value=100_000)),
    st.builds(lambda a, b, missing: Rules(agreement_ceilings=AgreementCeilings(
        ceilings={"HK-handel": from_ore(a), "3F-service": from_ore(b)}, missing="keep")),
        amounts, amounts, st.just("keep")),
    st.builds(lambda g, a: Rules(minimum_gain_per_hour=MinimumGainPerHour(amount=from_ore(g)),
                                 hourly_reduction=HourlyReduction(),
                                 agreement_ceilings=AgreementCeilings(ceilings={"HK-handel": from_ore(a)})),
              st.integers(min_value=0, max_value=50_000), amounts),
)


@settings(max_examples=150, deadline=None)
@given(people=people_strategy, rules=rules_strategy, m_plus=st.integers(min_value=-500_000, max_value=500_000))
def test_vector_equals_the_decimal_reference(people: list[Person], rules: Rules, m_plus: int) -> None:
    reform = Reform(name="h", rules=rules, parameters={"max_subsidy": {MONTH.first_day(): D(19952) + from_ore(m_plus)}})
    vector = _vector(reform, people)
    for person, got in zip(people, vector, strict=True):
        ref = reform_person(MONTH, reform, person)
        assert got == {"before": ref.subsidy_before_ceiling, "subsidy": ref.subsidy, "atp_own": ref.atp_own,
                       "payout": ref.payout}, person
