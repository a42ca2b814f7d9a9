"""The hearing (partshøring) of a possible repayment: what is recorded, the errors that name
their field, the state on a day, the API (audited, Idempotency-Key) and the CLI, and that the table is
append-only on SQLite and PostgreSQL whatever SQL a client sends."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from flexcalc.errors import InputError
from tests.support.item_version import correction_if_match
from tests.support.workbench_ledger import build

# The CLI never migrates: each test's database gets the explicit `flexcalc db upgrade` first.
pytestmark = pytest.mark.usefixtures("migrated_databases")


@pytest.fixture
def ledger(database_url: str) -> tuple[str, dict[str, int]]:
    return database_url, build(database_url)


def _error(call: Any) -> InputError:
    with pytest.raises(InputError) as caught:
        call()
    return caught.value


def test_sent_and_reply_are_recorded_and_the_state_follows_the_days(ledger: tuple[str, dict[str, int]]) -> None:
    from flexcalc.ledger.hearings import hearing_file, record_hearing_reply, record_hearing_sent
    from flexcalc.ledger.store import open_ledger, transaction

    url, ids = ledger
    factory = open_ledger(url)
    with transaction(factory) as session:
        sent = record_hearing_sent(session, "A", ids["A"], "2024-05-03", None, "sb-1", "L-1")
        assert (sent.event.sent_on, sent.event.reply_by, sent.already_recorded) == (
            dt.date(2024, 5, 3), dt.date(2024, 5, 17), False)  # 3 May + 14 days
        again = record_hearing_sent(session, "A", ids["A"], "2024-05-03", "2024-05-17", "sb-2", "L-1")
        assert again.already_recorded and again.event.id == sent.event.id
    with factory() as session:
        assert hearing_file(session, "A", ids["A"], dt.date(2024, 5, 17))["status"] == "awaiting_reply"
        overdue = hearing_file(session, "A", ids["A"], dt.date(2024, 5, 18))
        assert (overdue["status"], overdue["status_da"]) == ("reply_overdue", "svarfristen er udløbet uden svar")
    with transaction(factory) as session:
        reply = record_hearing_reply(session, "A", ids["A"], "2024-05-20", "Ring 0101901234 tilbage", "sb-1")
        assert reply.event.summary == "Ring [CPR] tilbage"  # free text is stored redacted
    with factory() as session:
        replied = hearing_file(session, "A", ids["A"], dt.date(2024, 6, 1))
    assert (replied["status"], replied["sent_on"], replied["reply_by"], replied["received_on"]) == (
        "replied", "2024-05-03", "2024-05-17", "2024-05-20")
    assert [e["kind"] for e in replied["events"]] == ["sent", "reply"]


def test_bad_input_names_the_field_and_stores_nothing(ledger: tuple[str, dict[str, int]]) -> None:
    from flexcalc.ledger.hearings import HearingEvent, record_hearing_reply, record_hearing_sent
    from flexcalc.ledger.models import Correction
    from flexcalc.ledger.store import open_ledger, transaction

    url, ids = ledger
    factory = open_ledger(url)
    with transaction(factory) as session:
        before = session.query(HearingEvent).count()
        payable = Correction(**{**{c.name: getattr(session.get(Correction, ids["A"]), c.name)
                                   for c in Correction.__table__.columns if c.name != "id"},
                                "sequence": 2, "status": "payable", "difference": 5})
        session.add(payable)
        session.flush()
        cases = [
            (lambda: record_hearing_sent(session, "A", payable.id, "2024-05-02", None, "sb"), "correction",
             "not_repayment"),
            (lambda: record_hearing_sent(session, "B", ids["A"], "2024-05-02", None, "sb"), "correction",
             "unknown_correction"),
            (lambda: record_hearing_sent(session, "D", ids["D"], "2024-05-02", None, "sb"), "correction", "decided"),
            (lambda: record_hearing_sent(session, "A", ids["A"], "2024-04-29", None, "sb"), "sent_on",
             "before_correction"),
            (lambda: record_hearing_sent(session, "A", ids["A"], "2024-05-02", "2024-05-01", "sb"), "reply_by",
             "reply_before_sent"),
            (lambda: record_hearing_sent(session, "A", ids["A"], "2024-05-02", "2024-05-02", "sb"), "reply_by",
             "reply_before_sent"),
            (lambda: record_hearing_sent(session, "A", ids["A"], "2. maj 2024", None, "sb"), "sent_on", "date_format"),
            (lambda: record_hearing_sent(session, "A", ids["A"], "2024-05-02", None, " "), "by", "missing"),
            (lambda: record_hearing_sent(session, "A", ids["A"], "2024-05-02", None, "sb", "0101901234"), "letter_id",
             "identifier_cpr"),
            (lambda: record_hearing_reply(session, "A", ids["A"], "2024-05-10", "svar", "sb"), "received_on",
             "reply_before_sent"),
            (lambda: record_hearing_reply(session, "B", ids["B"], "2024-05-01", "svar", "sb"), "received_on",
             "reply_before_sent"),
            (lambda: record_hearing_reply(session, "B", ids["B"], "2024-05-10", "svar", "sb",
                                          today=dt.date(2024, 5, 9)), "received_on", "date_future"),
            (lambda: record_hearing_reply(session, "B", ids["B"], "2024-05-10", "  ", "sb"), "summary", "missing"),
        ]
        for call, field, code in cases:
            error = _error(call)
            assert (error.field, error.code) == (field, code), (field, error)
        assert session.query(HearingEvent).count() == before
        session.rollback()


def test_the_hearing_table_is_append_only(ledger: tuple[str, dict[str, int]]) -> None:
    from flexcalc.ledger.hearings import HearingEvent
    from flexcalc.ledger.models import AppendOnlyError
    from flexcalc.ledger.store import open_ledger, transaction

    url, _ = ledger
    factory = open_ledger(url)
    with factory() as session:
        count = session.query(HearingEvent).count()
        first = session.query(HearingEvent).order_by(HearingEvent.id).first()
        assert count == 3 and first is not None
        first_id = first.id
    attacks = ["UPDATE ledger_hearing_event SET reply_by = sent_on + 30" if url.startswith("postgresql") else
               "UPDATE ledger_hearing_event SET reply_by = '2099-01-01'",
               "UPDATE ledger_hearing_event SET summary = 'x'",
               "DELETE FROM ledger_hearing_event"]
    if url.startswith("postgresql"):
        attacks += ["TRUNCATE ledger_hearing_event", "TRUNCATE ledger_correction CASCADE"]
    else:
        attacks += [f"INSERT OR REPLACE INTO ledger_hearing_event (id, correction_id, case_id, kind, received_on, "
                    f"summary, recorded_by, recorded_at) SELECT id, correction_id, case_id, 'reply', '2024-05-03', "
                    f"'x', 'x', recorded_at FROM ledger_hearing_event WHERE id = {first_id}"]
    for statement in attacks:
        with pytest.raises(DBAPIError), transaction(factory) as session:
            session.execute(text(statement))
    with pytest.raises(AppendOnlyError), transaction(factory) as session:
        row = session.get(HearingEvent, first_id)
        assert row is not None
        row.recorded_by = "someone else"
        session.flush()
    with pytest.raises(AppendOnlyError), transaction(factory) as session:
        session.delete(session.get(HearingEvent, first_id))
        session.flush()
    with factory() as session:
        assert session.query(HearingEvent).count() == count
        row = session.get(HearingEvent, first_id)
        assert row is not None and (row.kind, row.sent_on, row.recorded_by) == ("sent", dt.date(2024, 5, 2), "sb-1")


@pytest.fixture
def api(ledger: tuple[str, dict[str, int]], monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[TestClient, Any]]:
    from api.app import create_app
    from flexcalc.ledger.db import session_factory
    from flexcalc.security.keys import create_key

    url, ids = ledger
    monkeypatch.setenv("FLEXCALC_DATABASE_URL", url)
    with session_factory(url).begin() as session:
        keys = {role: {"Authorization": f"Bearer {create_key(session, role, **scope)[1]}"} for role, scope in
                (("caseworker", {}), ("citizen", {"case_id": "A"}))}
    with TestClient(create_app()) as client:
        yield client, (keys, ids)


def test_the_api_records_audits_and_replays(api: tuple[TestClient, Any]) -> None:
    client, (keys, ids) = api
    h = keys["caseworker"]
    path = f"/v1/cases/A/corrections/{ids['A']}/hearing"
    body = {"sent_on": "2024-05-03", "by": "sb-1", "letter_id": "L-9"}
    assert client.post(path, json=body, headers=keys["citizen"]).status_code == 403

    def version() -> dict[str, str]:
        return correction_if_match(client, "A", ids["A"], h)

    shown = version()
    first = client.post(path, json=body, headers={**h, **shown, "Idempotency-Key": "hearing-a-1"})
    assert first.status_code == 201, first.text
    assert (first.json()["reply_by"], first.json()["letter_id"], first.json()["already_recorded"]) == (
        "2024-05-17", "L-9", False)
    replay = client.post(path, json=body, headers={**h, **shown, "Idempotency-Key": "hearing-a-1"})
    assert replay.status_code == 201 and replay.headers.get("Idempotent-Replayed") == "true"
    stale = client.post(path, json=body, headers={**h, **shown})  # a new request on the state shown before
    assert stale.status_code == 412 and stale.json()["current_version"] == version()["If-Match"].strip('"')
    same = client.post(path, json=body, headers={**h, **version()})
    assert same.status_code == 200 and same.json()["already_recorded"] is True
    reply = client.post(f"{path}/reply", json={"received_on": "2024-05-04", "summary": "Vidste det ikke", "by": "sb-1"},
                        headers={**h, **version(), "Idempotency-Key": "reply-a-1"})
    assert reply.status_code == 201, reply.text
    state = client.get(path, params={"today": "2024-06-01"}, headers=keys["citizen"])  # a citizen reads its own
    assert state.status_code == 200 and state.json()["status"] == "replied"
    audit = client.get("/v1/audit", params={"case_id": "A"}, headers=h).json()["entries"]
    writes = [e for e in audit if e["action"] == "write" and e["route"].endswith("/hearing")]
    assert [e["status"] for e in writes if e["status"] != 412] == [403, 201, 200]
    for bad, field, status in (({"sent_on": "2024-05-03", "reply_by": "2024-05-01", "by": "sb"}, "reply_by", 422),
                               ({"sent_on": "2024-04-01", "by": "sb"}, "sent_on", 422),
                               ({"sent_on": "2024-05-03", "by": "sb", "extra": 1}, "extra", 422)):
        answer = client.post(path, json=bad, headers={**h, **version()})
        assert answer.status_code == status and answer.json()["errors"][0]["field"] == field, answer.text
    assert client.post(f"/v1/cases/D/corrections/{ids['D']}/hearing", json=body,
                       headers={**h, **correction_if_match(client, "D", ids["D"], h)}).status_code == 409
    assert client.post(f"/v1/cases/B/corrections/{ids['A']}/hearing", json=body, headers=h).status_code == 404
    assert client.post(f"/v1/cases/A/corrections/{ids['B']}/hearing/reply",
                       json={"received_on": "2024-05-04", "summary": "x", "by": "sb"}, headers=h).status_code == 404


def test_the_cli_records_a_hearing(ledger: tuple[str, dict[str, int]]) -> None:
    from tests.support.ledger_cli import invoke as plain
    from tests.support.ledger_cli import with_version

    url, ids = ledger

    def invoke(*args: str) -> Any:
        return plain(*with_version(url, list(args[:-2])), *args[-2:])

    out = plain("corrections", "hearing", str(ids["A"]), "--sent-on", "2024-05-03", "--by", "sb-1", "--db", url)
    assert out.exit_code == 2 and "--expect-version" in out.stderr  # a script states the version it acts on
    out = plain("corrections", "hearing", str(ids["A"]), "--sent-on", "2024-05-03", "--by", "sb-1",
                "--expect-version", "0" * 20, "--db", url)
    assert out.exit_code == 2 and "nothing stored" in out.stderr and "intet er gemt" in out.stderr
    out = invoke("corrections", "hearing", str(ids["A"]), "--sent-on", "2024-05-03", "--by", "sb-1", "--db", url)
    assert out.exit_code == 0, out.stderr
    assert out.stdout.strip() == (f"partshøring registreret for efterregulering #{ids['A']}: sendt 2024-05-03, "
                                  "svarfrist 2024-05-17")
    bad = invoke("corrections", "reply", str(ids["A"]), "--received-on", "2024-05-02", "--summary", "x", "--by", "sb",
                 "--db", url)
    assert bad.exit_code == 2 and "received_on" in bad.stderr
    ok = invoke("corrections", "reply", str(ids["A"]), "--received-on", "2024-05-05", "--summary", "Svar", "--by", "sb",
                "--db", url)
    assert ok.exit_code == 0 and "modtaget 2024-05-05" in ok.stdout
    missing = plain("corrections", "hearing", "999999", "--sent-on", "2024-05-03", "--by", "sb", "--db", url)
    assert missing.exit_code == 2 and "correction" in missing.stderr


def test_migration_0007_downgrades_and_upgrades_again(database_url: str) -> None:
    from alembic import command
    from sqlalchemy import inspect

    from flexcalc.ledger.db import alembic_config, make_engine, upgrade

    upgrade(database_url)
    assert "ledger_hearing_event" in inspect(make_engine(database_url)).get_table_names()
    command.downgrade(alembic_config(database_url), "0006_casemonths")
    assert "ledger_hearing_event" not in inspect(make_engine(database_url)).get_table_names()
    upgrade(database_url)
    build(database_url)  # the whole workbench ledger on the re-created table
    with make_engine(database_url).connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM ledger_hearing_event")).scalar_one() == 3
