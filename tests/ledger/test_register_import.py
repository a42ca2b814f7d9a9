"""Wage reports from the income register's answers, on SQLite and PostgreSQL: matched by CPR at the door,
a re-read is a no-op, a changed record a correction, a register reversal a reversal; held records kept
with their reason; the wage of a basis month built from felt 13 + 147 + 148 (hand computation)."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from fixtures.eindkomst import Period, Person, write_answer
from flexcalc.ledger.asof import basis_view
from flexcalc.ledger.register_import import held_records, ingest_register, register_parts
from flexcalc.ledger.store import create_case, load_facts, open_ledger, transaction
from flexcalc.period import Month

HERE = Path(__file__).resolve().parents[2] / "fixtures" / "eindkomst"
MARCH, APRIL = HERE / "answer_2024_03.xml", HERE / "answer_2024_04.xml"
CASES = {"K-A": "0101901234", "K-B": "0101911234", "K-D": "0101931234"}  # 0101921234 has no case


def _ledger(url: str) -> Callable[[], Session]:
    factory = open_ledger(url)
    with transaction(factory) as session:
        for case_id, cpr in CASES.items():
            create_case(session, case_id, Decimal("32000"), Month(2024, 4), ["12345678"], cpr)
    return factory


def _ingest(factory: Callable[[], Session], path: Path) -> dict[str, object]:
    return ingest_register(factory, lambda: path.open("rb")).to_dict()


def _march_wage(factory: Callable[[], Session], case_id: str) -> Decimal:
    with factory() as session:
        view = basis_view(load_facts(session, case_id).reports, None)
    entry = view.get(Month(2024, 3))
    return sum(entry.by_employer.values(), Decimal(0)) if entry else Decimal(0)


def test_march_then_april_on_both_databases(database_url: str) -> None:
    factory = _ledger(database_url)
    first = _ingest(factory, MARCH)
    assert first == {"read": 5, "stored": 2, "unchanged": 0, "corrections": 0, "reversals": 0, "held": 2,
                     "unknown_cpr": 1, "held_reasons": {"income_kind": 1, "r_mark": 1}}
    # hand computation: A 12.000 + 480 + 960 = 13.440; B 8.000 + 320 + 640 = 8.960
    assert _march_wage(factory, "K-A") == Decimal("13440.00")
    assert _march_wage(factory, "K-B") == Decimal("8960.00")

    again = _ingest(factory, MARCH)
    assert again["stored"] == 0 and again["unchanged"] == 2 and again["held"] == 2 and again["unknown_cpr"] == 1
    with factory() as session:
        assert session.scalar(text("SELECT count(*) FROM ledger_report")) == 2
        assert session.scalar(text("SELECT count(*) FROM ledger_register_held")) == 2  # not a second row

    april = _ingest(factory, APRIL)
    assert april == {"read": 7, "stored": 1, "unchanged": 1, "corrections": 1, "reversals": 1, "held": 2,
                     "unknown_cpr": 1, "held_reasons": {"income_kind": 1, "r_mark": 1}}
    # A: the March report reversed, the re-report 11.000 + 440 + 880 counts; B corrected to 8.500 + 340 + 680
    assert _march_wage(factory, "K-A") == Decimal("12320.00")
    assert _march_wage(factory, "K-B") == Decimal("9520.00")
    assert _ingest(factory, APRIL)["unchanged"] == 4  # the April answer read again: nothing new

    with factory() as session:
        kinds = dict(session.execute(text("SELECT kind, count(*) FROM ledger_report GROUP BY kind")).all())
        assert kinds == {"original": 3, "correction": 1, "reversal": 1}
        parts = register_parts(session, "K-B")
        assert [p["kind"] for p in parts] == ["original", "correction"]
        assert parts[1]["wage_income"] == "9520.00" and parts[1]["own_id"] == "L2403-0002"
        assert {p["felt"] for p in parts[1]["parts"] if p["use"] != "info"} == {"13", "147", "148", "200"}
        held = held_records(session, "K-D")
        assert {h["code"] for h in held} == {"income_kind", "r_mark"}
        assert all("0101931234" not in str(h) for h in held)
        stored_text = " ".join(str(v) for row in session.execute(text("SELECT * FROM ledger_register_report"))
                               for v in row)
        assert "0101" not in stored_text.replace("2024-", "")  # no CPR number in the register's rows


def test_a_file_that_breaks_off_stores_nothing(sqlite_url: str) -> None:
    factory = _ledger(sqlite_url)
    broken = MARCH.read_bytes()[:-200]
    with pytest.raises(Exception) as caught:
        ingest_register(factory, lambda: io.BytesIO(broken))
    assert getattr(caught.value, "code", None) == "xml_syntax"
    with factory() as session:
        assert session.scalar(text("SELECT count(*) FROM ledger_report")) == 0
        assert session.scalar(text("SELECT count(*) FROM ledger_register_report")) == 0


def test_a_reversal_of_an_unknown_report_is_held_and_the_rest_is_stored(sqlite_url: str) -> None:
    factory = _ledger(sqlite_url)
    out = io.StringIO()
    base = dict(se="12345678", received="2024-04-05T10:00:00+02:00", disposition="2024-03-28",
                start="2024-03-01", end="2024-03-31")
    write_answer(out, [Person("0101901234", [
        Period(own_id="T1", register_id=1, amounts={"057": "100.00"}, header={"011": "T", "012": "00"},
               reverses="NEVER-SEEN", **base),  # type: ignore[arg-type]
        Period(own_id="L1", register_id=2, amounts={"057": "100.00"}, **base)])])  # type: ignore[arg-type]
    data = out.getvalue().encode()
    result = ingest_register(factory, lambda: io.BytesIO(data)).to_dict()
    assert result["stored"] == 1 and result["held"] == 1 and result["held_reasons"] == {"reversal_refused": 1}
    with factory() as session:
        from flexcalc.ledger.models import Report

        assert [r.kind for r in session.scalars(select(Report))] == ["original"]


def test_a_cpr_matching_two_cases_is_held_not_guessed(sqlite_url: str) -> None:
    factory = _ledger(sqlite_url)
    with transaction(factory) as session:
        create_case(session, "K-A2", Decimal("32000"), Month(2024, 4), [], "0101901234")
    result = _ingest(factory, MARCH)
    assert result["held_reasons"] == {"cpr_ambiguous": 1, "income_kind": 1, "r_mark": 1} and result["stored"] == 1


def test_the_register_tables_are_append_only(database_url: str) -> None:
    from sqlalchemy.exc import DBAPIError

    factory = _ledger(database_url)
    _ingest(factory, MARCH)
    for statement in ("UPDATE ledger_register_report SET digest = 'x'", "DELETE FROM ledger_register_report",
                      "UPDATE ledger_register_held SET code = 'x'", "DELETE FROM ledger_register_held"):
        with factory() as session, pytest.raises(DBAPIError):
            session.execute(text(statement))
            session.commit()
    with factory() as session:
        assert session.scalar(text("SELECT count(*) FROM ledger_register_report WHERE digest = 'x'")) == 0
        assert session.scalar(text("SELECT count(*) FROM ledger_register_held")) == 2
