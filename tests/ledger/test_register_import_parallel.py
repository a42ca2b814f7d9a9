"""The register ingest with the answer parsed in a second process and, on PostgreSQL, the new reports
written as COPY text: the same counts and the same stored rows, value for value, as the reading in one
process with plain inserts; texts with a tab, a backslash or a newline are stored as they were sent."""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from fixtures.eindkomst import Period, Person, national_month, write_answer
from fixtures.eindkomst import test_cpr as cpr_of
from flexcalc.ledger.register_import import ingest_register, register_parts
from flexcalc.ledger.store import create_case, open_ledger, transaction
from flexcalc.period import Month

HERE = Path(__file__).resolve().parents[2] / "fixtures" / "eindkomst"
MARCH, APRIL = HERE / "answer_2024_03.xml", HERE / "answer_2024_04.xml"
CASES = {"K-A": "0101901234", "K-B": "0101911234", "K-D": "0101931234"}
BASE = dict(se="12345678", received="2024-04-05T10:00:00.5+02:00", disposition="2024-03-28",
            start="2024-03-01", end="2024-03-31")


def _ledger(url: str, people: int) -> Callable[[], Session]:
    factory = open_ledger(url)
    with transaction(factory) as session:
        for case_id, cpr in CASES.items():
            create_case(session, case_id, Decimal("32000"), Month(2024, 4), ["12345678"], cpr)
        for n in range(people):
            create_case(session, f"N-{n}", Decimal("30000"), Month(2024, 4), [], cpr_of(n))
    return factory


def _odd() -> bytes:
    out = io.StringIO()
    write_answer(out, [Person("0101931234", [
        Period(own_id="O\\1\tx\ny", register_id=7, amounts={"057": "2000.00", "301": "1.5"},
               header={"011": "I", "012": "00", "016": "2024\\03"}, **BASE),  # type: ignore[arg-type]
    ])])
    return out.getvalue().encode()


def _month(people: int) -> bytes:
    out = io.StringIO()
    write_answer(out, national_month(people))
    return out.getvalue().encode()


def _rows(factory: Callable[[], Session]) -> list[tuple[object, ...]]:
    with factory() as session:
        reports = session.execute(text(
            "SELECT report_id, case_id, employer_id, payment_date, basis_month, period_start, period_end, wage, "
            "pension_own, pension_employer, hours, received_at, kind, corrects, root_id, stated_received_at "
            "FROM ledger_report ORDER BY report_id")).all()
        registers = session.execute(text(
            "SELECT employer_id, report_id, seq, root_id, case_id, register_id, own_id, reverses_own_id, "
            "reversed_later, kind, digest, parts, received_at FROM ledger_register_report ORDER BY report_id")).all()
    return [tuple(r) for r in [*reports, *registers]]


def _run(url: str, parallel: bool, sources: list[bytes], people: int
         ) -> tuple[list[dict[str, Any]], list[tuple[object, ...]]]:
    factory = _ledger(url, people)
    results: list[dict[str, Any]] = []
    for data in sources:
        opener = functools.partial(io.BytesIO, data)
        results.append(ingest_register(factory, opener, parallel=parallel).to_dict())
    return results, _rows(factory)


def test_parallel_reading_and_copy_store_what_the_plain_path_stores(database_url: str, tmp_path: Path) -> None:
    month = _month(300)
    sources = [MARCH.read_bytes(), month, _odd(), APRIL.read_bytes(), month, MARCH.read_bytes()]
    fast = _run(database_url, True, sources, 300)
    plain = _run(f"sqlite:///{tmp_path / 'reference.sqlite'}", False, sources, 300)  # the reference: one process
    assert fast[0] == plain[0]
    assert fast[0][1] == {"read": 306, "stored": 306, "unchanged": 0, "corrections": 0, "reversals": 0, "held": 0,
                          "unknown_cpr": 0, "held_reasons": {}}
    assert fast[0][4]["unchanged"] == 306 and fast[0][4]["stored"] == 0  # the re-read is a no-op
    # March 2, the month 306, the odd one 1, April 3 (new, correction, reversal), March again: K-B's March
    # figures now differ from its April correction, so they come back as a correction (1); two tables
    assert len(fast[1]) == len(plain[1]) == 2 * (2 + 306 + 1 + 3 + 1)
    assert [_same(r) for r in fast[1]] == [_same(r) for r in plain[1]]


def _same(row: tuple[object, ...]) -> tuple[str, ...]:
    """A row's values as text, the same on both databases (SQLite returns instants as text, booleans as 0/1)."""
    out = []
    for value in row:
        if isinstance(value, bool):
            value = int(value)
        text_ = str(value)
        if len(text_) >= 19 and text_[4] == "-" and text_[10] in " T" and text_[13] == ":":
            text_ = dt.datetime.fromisoformat(text_).isoformat(" ", "microseconds")
        out.append(text_)
    return tuple(out)


def test_a_tab_and_a_backslash_survive_the_copy(database_url: str) -> None:
    factory = _ledger(database_url, 0)
    assert ingest_register(factory, lambda: io.BytesIO(_odd()), parallel=True).stored == 1
    with factory() as session:
        [stored] = register_parts(session, "K-D")
        own = session.scalar(text("SELECT own_id FROM ledger_register_report"))
    assert own == "O\\1\tx\ny" and stored["wage_income"] == "2000.00"
    assert [p["amount"] for p in stored["ignored"]] == ["1.50"]


def test_a_large_answer_is_read_in_a_second_process_a_small_one_here(sqlite_url: str,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import flexcalc.parsing.eindkomst_worker as worker
    from flexcalc.ledger import register_import

    used: list[bool] = []
    real = worker.read_records_parallel

    def spy(source: Any) -> Any:
        used.append(True)
        return real(source)

    monkeypatch.setattr(worker, "read_records_parallel", spy)
    monkeypatch.setattr(worker, "parallel_possible", lambda: True)
    factory = _ledger(sqlite_url, 0)
    data = MARCH.read_bytes()
    monkeypatch.setattr(register_import, "PARALLEL_FROM_BYTES", len(data) + 1)
    assert ingest_register(factory, functools.partial(io.BytesIO, data)).stored == 2 and used == []
    monkeypatch.setattr(register_import, "PARALLEL_FROM_BYTES", len(data))
    assert ingest_register(factory, functools.partial(io.BytesIO, data)).unchanged == 2 and used == [True]
