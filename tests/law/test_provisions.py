"""Provisions as values: parsed into law, §, stk., pkt., nr.; dated like rates; the text
renders as before and the trace JSON carries both."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from flexcalc.law.lawdata import LawDataError, ProvisionTable, income_kind, income_kinds, law_date, provision_table
from flexcalc.law.provisions import Citation, Provision, cite, parse_citations
from flexcalc.month import MonthInput, calculate_month
from flexcalc.period import Month
from flexcalc.rules import reduction, sickness


@pytest.mark.parametrize(("text", "expected"), [
    ("LAB § 123, stk. 2, 2. pkt.", [Citation("LAB", "123", "2", "2")]),
    ("LAB § 123, stk. 2; BEK 227/2024 § 1, nr. 1–3",
     [Citation("LAB", "123", "2"), Citation("BEK 227/2024", "1", nr="1–3")]),
    ("BEK 227/2024 § 10, stk. 2; § 2, stk. 2",
     [Citation("BEK 227/2024", "10", "2"), Citation("BEK 227/2024", "2", "2")]),
    ("BEK 227/2024 § 6, stk. 1, 3 og 4", [Citation("BEK 227/2024", "6", "1, 3 og 4")]),
    ("LAB § 138; BEK 1344/2015 §§ 1 og 3", [Citation("LAB", "138"), Citation("BEK 1344/2015", "1 og 3")]),
    ("LAB § 123, stk. 3, 3. pkt.", [Citation("LAB", "123", "3", "3")]),
    ("BEK 227/2024 § 1, stk. 1, nr. 1, litra b", [Citation("BEK 227/2024", "1", "1", nr="1", litra="b")]),
    ("LAB § 123, stk. 1 (månedsvis bagud); Ankestyrelsen PM 48-22",
     [Citation("LAB", "123", "1", note="(månedsvis bagud)"), Citation("Ankestyrelsen PM 48-22")]),
])
def test_citations_are_read_into_their_parts(text: str, expected: list[Citation]) -> None:
    assert list(parse_citations(text)) == expected


def test_a_provision_is_the_old_text_and_carries_its_structure() -> None:
    high = reduction.PROVISION_HIGH
    assert isinstance(high, Provision) and high == "LAB § 123, stk. 2, 2. pkt." and str(high) == high
    assert high.key == "reduction_high" and high.quote and "55 pct." in high.quote
    assert high.to_dict()["citations"] == [{"law": "LAB", "paragraph": "123", "stk": "2", "pkt": "2"}]
    assert sickness.PROVISION_ENTITLED.refs == (Citation("BEK 227/2024", "14", "4"), Citation("BEK 227/2024", "7", "4"))


def test_the_trace_json_has_the_text_and_the_structure() -> None:
    result = calculate_month(MonthInput(Month(2024, 3), Decimal("15600"), Decimal("32067")))
    step = next(s for s in result.to_dict()["steps"] if s["key"] == "max_subsidy")
    assert step["provision"] == "LAB § 123, stk. 1"
    assert step["provision_ref"]["citations"] == [{"law": "LAB", "paragraph": "123", "stk": "1"}]
    assert step["provision_ref"]["key"] == "max_subsidy" and "98 pct." in step["provision_ref"]["quote"]


def test_a_renumbering_is_a_dated_entry(tmp_path: Path) -> None:
    """The mechanism for lov 1750/2025: a month after the new date cites the new number, a month before the old."""
    table = ProvisionTable.model_validate({"name": "provisions", "provisions": {
        "ceiling": {dt.date(2013, 1, 1): {"text": "LAB § 123, stk. 3"},
                    dt.date(2026, 7, 1): {"text": "LAB § 99, stk. 3", "note": "hypothetical renumbering"}}}})
    assert table.entry_at("ceiling", dt.date(2026, 6, 1)).text == "LAB § 123, stk. 3"
    assert table.entry_at("ceiling", dt.date(2026, 7, 1)).text == "LAB § 99, stk. 3"
    with pytest.raises(LawDataError):
        table.entry_at("ceiling", dt.date(2012, 12, 1))
    with pytest.raises(LawDataError):
        table.entry_at("unknown", dt.date(2024, 1, 1))


def test_every_provision_key_cites_for_every_month_of_the_rates() -> None:
    for key in provision_table().provisions:
        for month in (Month(2014, 1), Month(2024, 1), Month(2026, 12)):
            text = cite(key, month)
            assert text and parse_citations(text), key


def test_law_dates_and_income_kinds_are_data() -> None:
    assert law_date("income_rules_2024") == dt.date(2024, 1, 1)
    assert law_date("municipality_may_compute_ceiling") == dt.date(2024, 1, 1)
    pleje = income_kind("plejevederlag")
    assert pleje.counts_from == pleje.opens_month_from == dt.date(2024, 1, 1)
    assert not pleje.counts(Month(2023, 12)) and pleje.counts(Month(2024, 1))
    assert income_kind("wage_other_employer").opens_month_from is None  # another employer opens no month
    assert income_kind("staff_benefit").counts_from is None
    from flexcalc.month.events import INCOME_KINDS, SPECIAL_PAYMENT_KINDS
    assert set(income_kinds().kinds) == set(INCOME_KINDS)
    assert {k for k, v in income_kinds().kinds.items() if v.special_payment} == SPECIAL_PAYMENT_KINDS


def _months(first: Month, last: Month) -> list[Month]:
    out, month = [], first
    while month <= last:
        out.append(month)
        month = month.next()
    return out


def test_every_key_has_a_text_for_every_month_and_no_month_cites_an_instrument_not_yet_in_force() -> None:
    from flexcalc.law.provisions import instruments_named

    table = provision_table()
    for month in _months(Month(2014, 1), Month(2027, 12)):
        day = month.first_day()
        for key in table.provisions:
            text = cite(key, month)
            assert text and parse_citations(text), (key, month)
            for name in instruments_named(text):
                instrument = table.instruments[name]  # every instrument named is in the register
                assert instrument.issued <= instrument.cited_from <= day, (key, month, name)
                assert instrument.until is None or day <= instrument.until, (key, month, name)
    assert all(i.url.startswith("http") for i in table.instruments.values())


def _trace_instruments(month: Month) -> set[str]:
    from flexcalc.law.provisions import instruments_named

    result = calculate_month(MonthInput(month, Decimal("15600"), Decimal("32067")))
    return {name for step in result.steps for name in instruments_named(str(step.provision))}


def test_a_june_2014_trace_cites_the_orders_then_in_force() -> None:
    names = _trace_instruments(Month(2014, 6))
    assert "bekendtgørelsen før BEK 811/2014" in names and "LAB før 2020" in names
    assert not {"BEK 811/2014", "BEK 1344/2015", "BEK 227/2024", "LAB"} & names


def test_a_january_2024_trace_cites_bek_1806_2023_not_227_2024() -> None:
    names = _trace_instruments(Month(2024, 1))
    assert "BEK 1806/2023" in names and "BEK 1344/2015" in names and "LAB" in names
    assert "BEK 227/2024" not in names
    assert "BEK 227/2024" in _trace_instruments(Month(2024, 4))


def test_the_quote_of_lab_123_stk_1_is_the_2019_act() -> None:
    quote = cite("max_subsidy", Month(2024, 3)).quote
    assert quote is not None and quote.startswith("Tilskuddet beregnes med udgangspunkt i et beløb, der svarer til "
                                                  "98 pct. af dagpengenes højeste beløb, jf. § 47")
    assert cite("max_subsidy", Month(2019, 6)).quote is None  # the earlier act's wording is not at hand


def test_months_from_2027_carry_a_warning_that_their_citations_are_not_confirmed() -> None:
    from flexcalc.citizen.explanation import explain_month_da
    from flexcalc.law.provisions import law_warning

    assert law_warning(Month(2026, 12)) is None
    december = calculate_month(MonthInput(Month(2026, 12), Decimal("10000"), Decimal("30000")))
    assert december.to_dict()["law_warning"] is None
    january = calculate_month(MonthInput(Month(2027, 1), Decimal("10000"), Decimal("30000")))
    warning = january.to_dict()["law_warning"]
    assert warning["code"] == "citations_unconfirmed" and warning["since"] == "2027-01"
    assert "ikke bekræftet" in warning["reason_da"] and "not confirmed" in warning["reason"]
    assert any("lovhenvisningerne fra 1. januar 2027 er ikke bekræftet" in line for line in explain_month_da(january))
