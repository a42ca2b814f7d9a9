"""``flexcalc.rules.incomes``: which income kinds count as wage income, and from when
(``flexcalc/law/data/income_kinds.yaml``; tabt arbejdsfortjeneste and plejevederlag from 1 January 2024,
BEK 1806/2023 § 11)."""

from __future__ import annotations

from flexcalc.period import Month
from flexcalc.rules import incomes


def test_a_wage_from_another_employer_always_counts() -> None:
    assert incomes.counts("wage_other_employer", Month(2020, 1))


def test_the_2024_kinds_count_from_january_2024() -> None:
    assert not incomes.counts("tabt_arbejdsfortjeneste", Month(2023, 12))
    assert incomes.counts("tabt_arbejdsfortjeneste", Month(2024, 1))
    assert incomes.counts("plejevederlag", Month(2024, 1))


def test_kinds_that_never_count() -> None:
    assert not incomes.counts("pension_payout", Month(2024, 3))
    assert not incomes.counts("christmas_gift", Month(2024, 3))
