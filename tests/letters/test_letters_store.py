"""Letters in the case file are append-only, on SQLite and PostgreSQL: UPDATE, DELETE, INSERT OR REPLACE and
TRUNCATE of a draft, an approval or a sent record are refused by the database, and the ORM refuses to change
or delete one. The migration runs down and up again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from flexcalc.errors import InputError
from flexcalc.ledger.models import AppendOnlyError
from flexcalc.ledger.store import transaction
from flexcalc.letters import approve_letter, hearing_letter, mark_letter_sent, save_letter, specification_letter
from flexcalc.letters.models import LetterRow
from flexcalc.period import Month
from tests.letters.support import correction_id, rising_wage_case

TABLES = ("ledger_letter", "ledger_letter_approval", "ledger_letter_sending")


def _letters(url: str) -> tuple[Callable[[], Session], int]:
    factory = rising_wage_case(url)
    cid = correction_id(factory, "SP", "-120.00")
    with transaction(factory) as session:
        row = save_letter(session, hearing_letter(session, [cid], dt.date(2024, 4, 10)), "sb-17")
        approve_letter(session, row.id, "sb-2")
        sent = mark_letter_sent(session, row.id, "sb-17", "digital_post")
        assert (sent.kind, sent.correction_ids, sent.reply_by) == ("hearing", [str(cid)], dt.date(2024, 4, 24))
        letter_id = row.id
    return factory, letter_id


def _counts(factory: Callable[[], Session]) -> dict[str, int]:
    with factory() as session:
        return {t: int(session.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()) for t in TABLES}


def _refused(factory: Callable[[], Session], statement: str) -> None:
    with pytest.raises(DBAPIError), transaction(factory) as session:
        session.execute(text(statement))


def test_letters_refuse_update_delete_replace_and_truncate(database_url: str) -> None:
    factory, letter_id = _letters(database_url)
    before = _counts(factory)
    assert before == {"ledger_letter": 1, "ledger_letter_approval": 1, "ledger_letter_sending": 1}
    postgres = database_url.startswith("postgresql")
    for table in TABLES:
        _refused(factory, f"DELETE FROM {table}")
        _refused(factory, f"UPDATE {table} SET id = id")
        if postgres:
            _refused(factory, f"TRUNCATE {table} CASCADE")
    _refused(factory, "UPDATE ledger_letter SET text = 'Du skal betale 1.000.000 kr.'")
    _refused(factory, "UPDATE ledger_letter_approval SET approved_by = 'someone else'")
    _refused(factory, "UPDATE ledger_letter_sending SET channel = 'post'")
    if not postgres:
        _refused(factory, f"INSERT OR REPLACE INTO ledger_letter_approval (id, letter_id, approved_by, approved_at) "
                          f"VALUES (99, {letter_id}, 'x', '2024-01-01 00:00:00')")
        _refused(factory, f"INSERT OR REPLACE INTO ledger_letter (id, case_id, kind, correction_ids, letter_date, "
                          f"subject, text, html, content_sha256, created_by, created_at) VALUES ({letter_id}, 'SP', "
                          "'hearing', '[]', '2024-01-01', 's', 't', 'h', 'x', 'x', '2024-01-01 00:00:00')")
    assert _counts(factory) == before
    with factory() as session:
        row = session.get(LetterRow, letter_id)
        assert row is not None and "120,00 kr." in row.text
        row.text = "changed"
        with pytest.raises(AppendOnlyError):
            session.flush()
        session.rollback()
        session.delete(session.get(LetterRow, letter_id))
        with pytest.raises(AppendOnlyError):
            session.flush()


def test_approve_and_send_once_and_in_order(sqlite_url: str) -> None:
    factory, letter_id = _letters(sqlite_url)
    with transaction(factory) as session:
        draft = save_letter(session, specification_letter(session, "SP", Month(2024, 4), dt.date(2024, 4, 10)), "sb")
        new_id = draft.id
    for call, code in ((lambda s: approve_letter(s, letter_id, "sb"), "already_approved"),
                       (lambda s: mark_letter_sent(s, letter_id, "sb", "post"), "already_sent"),
                       (lambda s: mark_letter_sent(s, new_id, "sb", "post"), "not_approved"),
                       (lambda s: mark_letter_sent(s, new_id, "sb", "fax"), "channel"),
                       (lambda s: approve_letter(s, new_id, "  "), "missing"),
                       (lambda s: approve_letter(s, 999, "sb"), "unknown_letter")):
        with pytest.raises(InputError) as error, transaction(factory) as session:
            call(session)
        assert error.value.code == code
    with transaction(factory) as session:
        approve_letter(session, new_id, "sb")
        with pytest.raises(InputError) as error:
            mark_letter_sent(session, new_id, "sb", "digital_post", dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
        assert (error.value.field, error.value.code) == ("sent_at", "sent_before_approval")
    assert _counts(factory) == {"ledger_letter": 2, "ledger_letter_approval": 2, "ledger_letter_sending": 1}


def test_the_migration_goes_down_and_up(sqlite_url: str) -> None:
    from alembic import command

    from flexcalc.ledger.db import alembic_config, upgrade

    upgrade(sqlite_url)
    command.downgrade(alembic_config(sqlite_url), "0006_casemonths")
    from sqlalchemy import create_engine, inspect

    engine = create_engine(sqlite_url)
    assert "ledger_letter" not in inspect(engine).get_table_names()
    assert "knowledge" not in {c["name"] for c in inspect(engine).get_columns("ledger_decision")}
    engine.dispose()
    upgrade(sqlite_url)
    engine = create_engine(sqlite_url)
    assert set(TABLES) <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_a_hearing_letter_marked_sent_opens_the_hearing_and_moves_the_worklist_item(sqlite_url: str) -> None:
    """The glue of the halves of the workbench (letters, hearings): sending the approved hearing letter
    records the hearing (the letter's date and reply date, its id) in the same transaction, so the worklist no
    longer asks for a hearing letter and, after the reply date, says the reply is overdue."""
    from flexcalc.ledger.hearings import hearing_file
    from flexcalc.ledger.worklist import AWAITING_HEARING, REPLY_OVERDUE, worklist

    factory = rising_wage_case(sqlite_url)
    cid = correction_id(factory, "SP", "-120.00")
    with factory() as session:
        kinds = {item.kind for item in worklist(session, dt.date(2024, 4, 11)) if item.correction_id == cid}
    assert kinds == {AWAITING_HEARING}
    with transaction(factory) as session:
        row = save_letter(session, hearing_letter(session, [cid], dt.date(2024, 4, 10)), "sb-17")
        approve_letter(session, row.id, "sb-2")
        mark_letter_sent(session, row.id, "sb-17", "digital_post")
        letter_id = row.id
    with factory() as session:
        hearing = hearing_file(session, "SP", cid, dt.date(2024, 4, 25))
        assert (hearing["status"], hearing["sent_on"], hearing["reply_by"], hearing["letter_id"]) == (
            "reply_overdue", "2024-04-10", "2024-04-24", str(letter_id))
        assert [e["kind"] for e in hearing["events"]] == ["sent"]
        items = [item for item in worklist(session, dt.date(2024, 4, 25)) if item.correction_id == cid]
    assert [item.kind for item in items] == [REPLY_OVERDUE]
    assert items[0].since == dt.date(2024, 4, 24)
