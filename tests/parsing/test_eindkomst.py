"""The income register's answers: the reader, the wage mapping and the held records, on the synthetic
answers of fixtures/eindkomst (validated against the reconstructed XSD)."""

from __future__ import annotations

import io
import tracemalloc
from decimal import Decimal
from pathlib import Path

import pytest
import xmlschema
from hypothesis import given
from hypothesis import strategies as st

from fixtures.eindkomst import XSD, Period, Person, national_month, write_answer
from flexcalc.errors import InputError
from flexcalc.parsing.eindkomst import Held, Placement, parse_register_amount, place, read_records

HERE = Path(__file__).resolve().parents[2] / "fixtures" / "eindkomst"
MARCH = HERE / "answer_2024_03.xml"
APRIL = HERE / "answer_2024_04.xml"


@pytest.mark.parametrize("path", [MARCH, APRIL])
def test_the_synthetic_answers_are_valid_against_the_schema(path: Path) -> None:
    xmlschema.XMLSchema(str(XSD)).validate(str(path))


def test_the_schema_refuses_a_malformed_field_id() -> None:
    text = MARCH.read_text().replace("100000000000000057", "10000000000000057", 1)
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        xmlschema.XMLSchema(str(XSD)).validate(io.StringIO(text))


def test_person_a_wage_is_felt_13_plus_147_plus_148_and_nothing_else() -> None:
    record = next(read_records(MARCH))
    assert record.employer_id == "12345678" and record.own_id == "L2403-0001" and record.register_id == "5001"
    assert str(record.disposition_date) == "2024-03-28" and str(record.period_end) == "2024-03-31"
    assert record.received_at is not None and record.received_at.isoformat() == "2024-04-05T08:00:00+00:00"
    placed = place(record)
    # felt 13 12.000 + felt 147 480 + felt 148 960; ATP, A-skat, AM-bidrag, earned holiday pay, fri bil not added
    assert placed == Placement(Decimal("12000.00"), Decimal("480.00"), Decimal("960.00"), Decimal("64"))
    by_key = {p.key: p for p in record.parts}
    assert by_key["pension_own"].felt == "147" and by_key["pension_own"].field_id == "100000000000000197"
    assert by_key["atp_own"].amount == Decimal("31.55") and by_key["atp_own"].use == "info"
    assert [p.field_id for p in record.ignored] == ["100000000000000065"]
    assert record.header == {"report_kind": "I", "income_type": "00", "tax_month": "202403"}


def test_the_cpr_number_is_never_in_a_records_repr() -> None:
    record = next(read_records(MARCH))
    assert "0101901234" not in repr(record) and "0101901234" not in record.where


def test_a_decimal_comma_is_an_amount() -> None:
    records = list(read_records(MARCH))
    assert place(records[1]) == Placement(Decimal("8000.00"), Decimal("320.00"), Decimal("640.00"), Decimal("40"))
    assert parse_register_amount("1.125,50") is None and parse_register_amount("-500,5") == Decimal("-500.5")


def test_a_benefit_and_an_r_marked_correction_are_held_with_their_reason() -> None:
    records = list(read_records(MARCH))
    benefit, r_mark = place(records[3]), place(records[4])
    assert isinstance(benefit, Held) and benefit.code == "income_kind" and "0046" in benefit.reason_da
    assert isinstance(r_mark, Held) and r_mark.code == "r_mark"


def test_a_reversal_names_the_report_it_reverses() -> None:
    records = list(read_records(APRIL))
    reversal = records[1]
    assert reversal.is_reversal and reversal.reverses_own_id == "L2403-0001"
    assert records[0].reversed_later and not records[0].is_reversal


def _one(period: Period) -> Held | Placement:
    out = io.StringIO()
    write_answer(out, [Person("0101950001", [period])])
    return place(next(read_records(io.BytesIO(out.getvalue().encode()))))


BASE = dict(se="12345678", own_id="X1", register_id=1, received="2024-04-05T10:00:00+02:00",
            disposition="2024-03-28", start="2024-03-01", end="2024-03-31")


@pytest.mark.parametrize(("change", "code"), [
    ({"amounts": {"057": "12.000,00"}}, "unreadable"),
    ({"header": {"011": "I", "012": "08"}}, "income_type"),
    ({"disposition": "2024-13-01"}, "unreadable"),
    ({"header": {"011": "T", "012": "00"}}, "reversal_target"),
])
def test_what_the_mapping_cannot_place_is_held_never_guessed(change: dict[str, object], code: str) -> None:
    held = _one(Period(**{**BASE, "amounts": {"057": "1000.00"}, **change}))  # type: ignore[arg-type]
    assert isinstance(held, Held) and held.code == code


def test_b_income_with_am_contribution_counts_as_wage() -> None:
    placed = _one(Period(**BASE, amounts={"057": "1000.00", "070": "250.50", "071": "99.00"}))  # type: ignore[arg-type]
    assert placed == Placement(Decimal("1250.50"), Decimal("0"), Decimal("0"), Decimal("0"))


def test_a_file_that_breaks_off_is_an_error_naming_the_line() -> None:
    text = MARCH.read_bytes()[:3000]
    with pytest.raises(InputError) as caught:
        list(read_records(io.BytesIO(text)))
    assert caught.value.field == "file" and caught.value.code == "xml_syntax"


def test_an_entity_is_not_expanded() -> None:
    bomb = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "AAAAAAAAAA"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            + MARCH.read_bytes().split(b"?>", 1)[1].replace(b"L2403-0001<", b"&b;<", 1))
    records = list(read_records(io.BytesIO(bomb)))
    assert "AAAAAAAAAA" not in (records[0].own_id or "")


def _peak_reading(people: int) -> int:
    out = io.StringIO()
    write_answer(out, national_month(people))
    data = io.BytesIO(out.getvalue().encode())
    tracemalloc.start()
    count = sum(1 for _ in read_records(data))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert count == people + (people + 49) // 50
    return peak


def test_memory_stays_flat_as_the_file_grows() -> None:
    small, large = _peak_reading(500), _peak_reading(5000)
    assert large < small * 2, (small, large)  # ten times the people, not ten times the memory


def test_the_answer_inside_its_soap_envelope_is_read_and_other_xml_is_refused() -> None:
    body = MARCH.read_bytes().split(b"?>", 1)[1]
    soap = (b'<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
            b"<soap:Body>" + body + b"</soap:Body></soap:Envelope>")
    assert [r.own_id for r in read_records(io.BytesIO(soap))][:2] == ["L2403-0001", "L2403-0002"]
    with pytest.raises(InputError) as caught:
        list(read_records(io.BytesIO(b"<a><b/></a>")))
    assert caught.value.code == "not_an_answer" and caught.value.field == "file"


AMOUNTS = st.decimals(min_value=0, max_value=99999, places=2, allow_nan=False, allow_infinity=False)


@given(wage=AMOUNTS, b_wage=AMOUNTS, own=AMOUNTS, employer=AMOUNTS, atp=AMOUNTS, tax=AMOUNTS, holiday=AMOUNTS,
       benefit=AMOUNTS, comma=st.booleans())
def test_only_felt_13_36_147_148_count_whatever_else_is_reported(
        wage: Decimal, b_wage: Decimal, own: Decimal, employer: Decimal, atp: Decimal, tax: Decimal,
        holiday: Decimal, benefit: Decimal, comma: bool) -> None:
    def text(amount: Decimal) -> str:
        return f"{amount:.2f}".replace(".", ",") if comma else f"{amount:.2f}"

    placed = _one(Period(**BASE, amounts={  # type: ignore[arg-type]
        "057": text(wage), "070": text(b_wage), "197": text(own), "198": text(employer), "076": text(atp),
        "199": text(atp), "059": text(tax), "098": text(holiday), "217": text(holiday), "058": text(benefit),
        "065": text(benefit)}))
    assert placed == Placement(wage + b_wage, own, employer, Decimal(0))
