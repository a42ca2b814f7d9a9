"""The ledger's store and CLI: append-only reports, ingestion all or nothing, bad input naming the row
and field (exit 2, nothing changed), idempotent re-ingestion, conflicting report ids, CPR never shown."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DBAPIError

from flexcalc.ledger.asof import basis_view
from flexcalc.ledger.models import AppendOnlyError, Case, Payment, Report
from flexcalc.ledger.reports import COLUMNS, parse_instant, read_csv_text
from flexcalc.ledger.store import open_ledger, transaction
from flexcalc.period import Month
from tests.support.ledger_cli import invoke, with_version

# The CLI never migrates: each test's database gets the explicit `flexcalc db upgrade` first.
pytestmark = pytest.mark.usefixtures("migrated_databases")

HEADER = ",".join(COLUMNS)


def cli(db: str, *args: str) -> tuple[int, str, str]:
    result = invoke(*args, "--db", db)
    return result.exit_code, result.stdout, result.stderr


def write(tmp_path: Path, name: str, *rows: str, header: str = HEADER) -> str:
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return str(path)


ROW_A = "A,c1,11111111,2024-02-29,2024-02-01,2024-02-29,15600,0,0,64,2024-03-04T10:00:00,original,"
ROW_B = "B,c1,11111111,2024-03-28,2024-03-01,2024-03-31,15000,0,0,60,2024-04-04T10:00:00,original,"


@pytest.fixture
def db(sqlite_url: str) -> str:
    code, _, err = cli(sqlite_url, "case", "create", "c1", "--ceiling", "32067", "--from", "2024-03",
                       "--employer", "11111111", "--cpr", "010190-1234")
    assert code == 0, err
    return sqlite_url


def count_reports(url: str) -> int:
    with open_ledger(url)() as session:
        return int(session.scalar(select(func.count()).select_from(Report)) or 0)


def test_ingesting_the_same_file_twice_is_a_no_op_that_says_so(db: str, tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", ROW_A, ROW_B)
    assert cli(db, "reports", "ingest", path)[0] == 0
    code, out, _ = cli(db, "reports", "ingest", path)
    assert code == 0 and "A: already stored" in out and "ingested 0 report(s); 2 already stored" in out
    assert count_reports(db) == 2


def test_a_report_contradicting_the_stored_one_is_rejected(db: str, tmp_path: Path) -> None:
    assert cli(db, "reports", "ingest", write(tmp_path, "a.csv", ROW_A))[0] == 0
    code, _, err = cli(db, "reports", "ingest", write(tmp_path, "b.csv", ROW_A.replace("15600", "15700")))
    assert code == 2
    assert "row 2, wage" in err and "stored already with other content" in err and "send a correction" in err


@pytest.mark.parametrize(("row", "field", "words"), [
    (ROW_A.replace(",c1,", ",nobody,"), "row 3, case_id", "no case 'nobody'"),
    ("C,c1,11111111,2024-02-29,2024-02-01,2024-02-29,1,0,0,1,2024-03-05,correction,ZZZ", "row 3, corrects",
     "ZZZ it corrects is not known"),
    (ROW_A.replace("2024-02-29,2024-02-01", "2099-01-31,2024-02-01"), "row 3, payment_date", "far in the future"),
    (ROW_A.replace("15600", "-15600"), "row 3, wage", "must not be negative"),
    (ROW_A.replace("15600", "15x600"), "row 3, wage", "not an amount"),
    (ROW_A.replace("2024-02-29,2024-02-01", "2024-02-30,2024-02-01"), "row 3, payment_date", "not a date"),
    (ROW_A.replace("original", "orignal"), "row 3, kind", "must be one of"),
    (ROW_A + ",extra", "row 3", "fields"),
    (ROW_A.replace("2024-03-04T10:00:00", "yesterday"), "row 3, received_at", "not an instant"),
])
def test_bad_input_names_the_row_and_field_and_nothing_is_stored(db: str, tmp_path: Path, row: str, field: str,
                                                                 words: str) -> None:
    """A file is ingested whole or not at all: the good row before the bad one is not stored either."""
    code, _, err = cli(db, "reports", "ingest", write(tmp_path, "bad.csv", ROW_B, row))
    assert code == 2, err
    assert f"error: {field}" in err and words in err and "fejl:" in err
    assert count_reports(db) == 0


def test_a_reversal_of_a_reversal_is_refused(db: str, tmp_path: Path) -> None:
    rows = [ROW_A, "AX,c1,11111111,,,,,,,,2024-03-10,reversal,A", "AXX,c1,11111111,,,,,,,,2024-03-11,reversal,AX"]
    code, _, err = cli(db, "reports", "ingest", write(tmp_path, "r.csv", *rows))
    assert code == 2 and "row 4, corrects" in err and "cannot be reversed" in err
    assert count_reports(db) == 0
    assert cli(db, "reports", "ingest", write(tmp_path, "ok.csv", *rows[:2]))[0] == 0
    code, _, err = cli(db, "reports", "ingest", write(tmp_path, "r2.csv", rows[2]))
    assert code == 2 and "row 2, corrects" in err


def test_a_missing_column_is_named(db: str, tmp_path: Path) -> None:
    header = HEADER.replace(",hours", "")
    code, _, err = cli(db, "reports", "ingest", write(tmp_path, "m.csv", "x", header=header))
    assert code == 2 and "row 1, hours" in err and "missing" in err


def test_cli_bad_case_and_run_input_exits_2(db: str) -> None:
    assert cli(db, "case", "create", "c1", "--ceiling", "30000", "--from", "2024-03")[0] == 2  # exists
    code, _, err = cli(db, "case", "create", "010190-1234", "--ceiling", "1", "--from", "2024-03")
    assert code == 2 and "looks like a CPR number" in err
    code, _, err = cli(db, "case", "create", "c2", "--ceiling", "1", "--from", "2024-03", "--cpr", "99")
    assert code == 2 and "cpr" in err and "99" not in err
    assert cli(db, "pay", "2024-13", "--as-of", "2024-03-01")[0] == 2
    assert cli(db, "pay", "2024-03", "--as-of", "soon")[0] == 2
    assert cli(db, "case", "show", "nobody")[0] == 2
    code, _, err = cli(db, "held", "release", "c1", "2024-03", "--wage", "1", "--document", "x", "--by", "me")
    assert code == 2 and "--expect-version" in err  # not from a terminal: the item's version is required
    code, _, err = cli(db, *with_version(db, ["held", "release", "c1", "2024-03", "--wage", "1", "--document", "x",
                                             "--by", "me"]))
    assert code == 2 and "not held" in err


def test_the_cpr_number_is_never_shown(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(db, "case", "show", "c1", "--json")
    assert code == 0 and "010190" not in out + err and json.loads(out)["cpr_registered"] is True
    with open_ledger(db)() as session:
        case = session.get(Case, "c1")
        assert case is not None and case.cpr == "0101901234"
        assert "0101901234" not in repr(case) and "0101901234" not in str(case)


def test_reports_payments_and_corrections_are_append_only(db: str, tmp_path: Path) -> None:
    assert cli(db, "reports", "ingest", write(tmp_path, "a.csv", ROW_A))[0] == 0
    assert cli(db, "pay", "2024-03", "--as-of", "2024-03-06")[0] == 0
    factory = open_ledger(db)
    # through the ORM
    with pytest.raises(AppendOnlyError), transaction(factory) as session:
        row = session.get(Report, ("11111111", "A"))
        assert row is not None
        row.wage = Decimal("1.00")
    with pytest.raises(AppendOnlyError), transaction(factory) as session:
        session.delete(session.get(Report, ("11111111", "A")))
    with pytest.raises(AppendOnlyError), transaction(factory) as session:
        payment = session.scalar(select(Payment))
        assert payment is not None
        payment.subsidy = Decimal("0.00")
    # and in the database itself (triggers), even for a bulk statement
    for statement in (update(Report).values(wage=Decimal("1.00")), delete(Report), delete(Payment)):
        with pytest.raises(DBAPIError), transaction(factory) as session:
            session.execute(statement)
    with factory() as session:
        stored = session.get(Report, ("11111111", "A"))
        assert stored is not None and stored.wage == Decimal("15600.00")
        assert session.scalar(select(func.count()).select_from(Payment)) == 1


def test_append_only_triggers_on_both_databases(database_url: str) -> None:
    factory = open_ledger(database_url)
    with transaction(factory) as session:
        from flexcalc.ledger.store import create_case, ingest

        create_case(session, "t1", Decimal("30000"), Month(2024, 3), ["1"])
        ingest(session, read_csv_text(HEADER + "\n" + ROW_A.replace(",c1,", ",t1,").replace("11111111", "1")))
    with pytest.raises(DBAPIError), transaction(factory) as session:
        session.execute(text("UPDATE ledger_report SET wage = 0"))
    with pytest.raises(DBAPIError), transaction(factory) as session:
        session.execute(text("DELETE FROM ledger_report"))
    assert count_reports(database_url) == 1


def test_a_report_from_an_unknown_employer_counts() -> None:
    """LAB § 123 stk. 2: all wage counts, also from an employer the case does not know yet."""
    reports = read_csv_text("\n".join([
        HEADER, ROW_A, "Z,c1,99999999,2024-02-10,2024-02-01,2024-02-10,1000,0,0,5,2024-03-20,original,"]))
    view = basis_view(reports, None)
    assert view[Month(2024, 2)].by_employer == {"11111111": Decimal("15600.00"), "99999999": Decimal("1000.00")}
    before = basis_view(reports, parse_instant("2024-03-10", "as_of", end_of_day=True))
    assert before[Month(2024, 2)].by_employer == {"11111111": Decimal("15600.00")}


def test_instants_without_offset_are_danish_time() -> None:
    assert parse_instant("2024-03-04T10:00:00", "x") == dt.datetime(2024, 3, 4, 9, 0, tzinfo=dt.UTC)
    assert parse_instant("2024-07-04", "x", end_of_day=True).astimezone(dt.UTC).hour == 21
    assert parse_instant("2024-07-04T10:00:00Z", "x").hour == 10


def test_a_closed_case_is_not_paid_after_its_last_month(db: str, tmp_path: Path) -> None:
    assert cli(db, "reports", "ingest", write(tmp_path, "a.csv", ROW_A, ROW_B))[0] == 0
    assert cli(db, "case", "close", "c1", "--last", "2024-02")[0] == 2  # before the first month
    assert cli(db, "case", "close", "c1", "--last", "2024-03")[0] == 0
    code, out, _ = cli(db, "pay", "2024-04", "--as-of", "2024-04-06")
    assert code == 0 and "paid 0, held 0, already paid 0" in out
    code, out, _ = cli(db, "pay", "2024-03", "--as-of", "2024-03-06")
    assert code == 0 and "paid 1, held 0, already paid 0" in out


def test_the_database_refuses_a_second_payment_of_a_month(database_url: str) -> None:
    """The unique constraint that makes a double payment impossible even for two runs at once."""
    from sqlalchemy import insert
    from sqlalchemy.exc import IntegrityError

    from flexcalc.ledger.payments import pay_month
    from flexcalc.ledger.store import create_case, ingest

    factory = open_ledger(database_url)
    with transaction(factory) as session:
        create_case(session, "u1", Decimal("32067"), Month(2024, 3), ["1"])
        ingest(session, read_csv_text(HEADER + "\n" + ROW_A.replace(",c1,", ",u1,").replace("11111111", "1")))
    as_of = parse_instant("2024-03-06", "as_of", end_of_day=True)
    assert pay_month(factory, Month(2024, 3), as_of).summary() == {"paid": 1, "held": 0, "already_paid": 0}
    with factory() as session:
        row = session.scalar(select(Payment))
        assert row is not None and row.subsidy == Decimal("15272.00")  # 19.952 − 0,30 × 15.600
        values = {c.name: getattr(row, c.key) for c in Payment.__table__.columns if c.name != "id"}
    with pytest.raises(IntegrityError), transaction(factory) as session:
        session.execute(insert(Payment), [values])
    assert pay_month(factory, Month(2024, 3), as_of).summary() == {"paid": 0, "held": 0, "already_paid": 1}
