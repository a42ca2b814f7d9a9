"""The letters over the API, on SQLite and PostgreSQL: a caseworker drafts, approves and records a letter as
sent (Idempotency-Key, audited with the case); a citizen reads its own case's approved letters only; another
case's citizen gets 403, a draft is 404 to a citizen; bad input is 422 naming the field and stores nothing."""

from __future__ import annotations

import io

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import text

from api.app import create_app
from tests.letters.support import rising_wage_case
from tests.support.item_version import correction_if_match


@pytest.fixture
def setup(database_url: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    from flexcalc.ledger.db import session_factory, upgrade
    from flexcalc.security.keys import create_key

    monkeypatch.setenv("FLEXCALC_DATABASE_URL", database_url)
    upgrade(database_url)
    factory = rising_wage_case(database_url, "SP")
    rising_wage_case(database_url, "OTHER")
    with session_factory(database_url).begin() as session:
        _, worker = create_key(session, "caseworker")
        _, citizen = create_key(session, "citizen", case_id="SP")
        _, other = create_key(session, "citizen", case_id="OTHER")
        _, employer = create_key(session, "employer", employer_cvr="11111111")
    app = create_app()

    def client(secret: str) -> TestClient:
        return TestClient(app, headers={"Authorization": f"Bearer {secret}"})

    return {"worker": client(worker), "citizen": client(citizen), "other": client(other),
            "employer": client(employer), "factory": factory, "url": database_url}


def _count(url: str, table: str) -> int:
    from flexcalc.ledger.db import session_factory

    with session_factory(url)() as session:
        return int(session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def _correction(worker: TestClient) -> int:
    corrections = worker.get("/v1/cases/SP/corrections").json()
    return next(c["id"] for c in corrections if c["difference"] == "-120.00")


def test_draft_approve_send_and_who_reads_what(setup: dict[str, object]) -> None:
    worker, citizen, other = setup["worker"], setup["citizen"], setup["other"]
    assert isinstance(worker, TestClient) and isinstance(citizen, TestClient) and isinstance(other, TestClient)
    cid = _correction(worker)
    r = worker.post("/v1/letters/hearing", json={"correction_ids": [cid], "date": "2024-04-10", "created_by": "sb-17"},
                    headers={"Idempotency-Key": "hearing-1"})
    assert r.status_code == 201, r.text
    letter = r.json()
    assert letter["status"] == "draft" and letter["kind"] == "hearing" and letter["reply_by"] == "2024-04-24"
    assert letter["facts"]["too_much"] == "120.00" and letter["correction_ids"] == [cid]
    again = worker.post("/v1/letters/hearing", json={"correction_ids": [cid], "date": "2024-04-10",
                                                     "created_by": "sb-17"}, headers={"Idempotency-Key": "hearing-1"})
    assert again.status_code == 201 and again.headers.get("Idempotent-Replayed") == "true"
    assert _count(str(setup["url"]), "ledger_letter") == 1
    lid = letter["id"]

    # a draft: the caseworker sees it, the citizen does not
    assert [x["id"] for x in worker.get("/v1/cases/SP/letters").json()] == [lid]
    assert citizen.get("/v1/cases/SP/letters").json() == []
    assert citizen.get(f"/v1/letters/{lid}").status_code == 404
    # sending before approval is refused naming the field; nothing stored
    r = worker.post(f"/v1/letters/{lid}/sending", json={"sent_by": "sb-17", "channel": "digital_post"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "letter"
    assert r.json()["errors"][0]["code"] == "not_approved"
    r = worker.post(f"/v1/letters/{lid}/approval", json={"approved_by": "sb-2"})
    assert r.status_code == 201 and r.json()["status"] == "approved" and r.json()["approved_by"] == "sb-2"
    assert worker.post(f"/v1/letters/{lid}/approval", json={"approved_by": "sb-2"}).status_code == 409
    r = worker.post(f"/v1/letters/{lid}/sending", json={"sent_by": "sb-17", "channel": "digital_post"})
    assert r.status_code == 201 and r.json()["status"] == "sent" and r.json()["channel"] == "digital_post"
    assert worker.post(f"/v1/letters/{lid}/sending", json={"sent_by": "sb-17", "channel": "post"}).status_code == 409

    # the citizen reads its own approved letter, as JSON, text, HTML and PDF
    mine = citizen.get("/v1/cases/SP/letters").json()
    assert [(x["id"], x["status"]) for x in mine] == [(lid, "sent")]
    body = citizen.get(f"/v1/letters/{lid}").json()
    assert "120,00 kr." in body["text"] and body["html"].startswith("<!DOCTYPE html>")
    assert "24. april 2024" in citizen.get(f"/v1/letters/{lid}?format=text").text
    assert citizen.get(f"/v1/letters/{lid}?format=html").headers["content-type"].startswith("text/html")
    pdf = citizen.get(f"/v1/letters/{lid}?format=pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    assert "120,00 kr." in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    # another case's citizen and an employer: refused; nobody writes but a caseworker
    assert other.get(f"/v1/letters/{lid}").status_code == 403
    assert other.get("/v1/cases/SP/letters").status_code == 403
    assert setup["employer"].get(f"/v1/letters/{lid}").status_code == 403  # type: ignore[union-attr]
    assert citizen.post(f"/v1/letters/{lid}/approval", json={"approved_by": "me"}).status_code == 403
    assert citizen.post("/v1/letters/specification", json={"case_id": "SP", "month": "2024-04",
                                                            "created_by": "me"}).status_code == 403
    # every write and read is in the audit log with the case
    from flexcalc.ledger.db import session_factory

    with session_factory(str(setup["url"]))() as session:
        audited = session.execute(text("SELECT action, route, status FROM audit_log WHERE case_id = 'SP' "
                                       "AND route LIKE '/v1/letters%' ORDER BY id")).all()
    assert ("write", "/v1/letters/hearing", 201) in [tuple(a) for a in audited]
    assert ("write", "/v1/letters/{letter_id}/approval", 201) in [tuple(a) for a in audited]
    assert ("read", "/v1/letters/{letter_id}", 200) in [tuple(a) for a in audited]


def test_specification_and_decision_over_the_api(setup: dict[str, object]) -> None:
    worker = setup["worker"]
    assert isinstance(worker, TestClient)
    r = worker.post("/v1/letters/specification", json={"case_id": "SP", "month": "2024-04", "date": "2024-04-10",
                                                        "created_by": "sb-17"})
    assert r.status_code == 201, r.text
    assert r.json()["facts"]["difference"] == "-2239.25" and r.json()["benefit_month"] == "2024-04"
    cid = _correction(worker)
    r = worker.post("/v1/letters/decision", json={"correction_id": cid, "date": "2024-04-10", "created_by": "sb"})
    assert r.status_code == 422 and r.json()["errors"][0] == {
        "field": "correction", "code": "not_decided",
        "reason": f"correction {cid} has no decision yet: record it first (flexcalc corrections decide {cid} ...)",
        "reason_da": f"efterregulering {cid} er ikke afgjort endnu: registrér afgørelsen først (flexcalc corrections "
                     f"decide {cid} ...)"}
    r = worker.post(f"/v1/cases/SP/corrections/{cid}/decision",
                    json={"outcome": "collect", "reason": "lønsedlen viste lønnen", "decided_by": "sb-17",
                          "knowledge": "did_not_know"}, headers=correction_if_match(worker, "SP", cid))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "knowledge"
    collect = {"outcome": "collect", "reason": "lønsedlen viste lønnen", "decided_by": "sb-17", "knowledge": "knew"}
    r = worker.post(f"/v1/cases/SP/corrections/{cid}/decision", json=collect,
                    headers=correction_if_match(worker, "SP", cid))
    assert r.status_code == 409 and r.json()["errors"][0]["field"] == "hearing"  # no hearing, no exception
    r = worker.post(f"/v1/cases/SP/corrections/{cid}/hearing/exception",
                    json={"ground": "own_information", "explanation": "Borgeren sendte selv lønsedlen", "by": "sb-17"},
                    headers=correction_if_match(worker, "SP", cid))
    assert r.status_code == 201, r.text
    r = worker.post(f"/v1/cases/SP/corrections/{cid}/decision", json=collect,
                    headers=correction_if_match(worker, "SP", cid))
    assert r.status_code == 201 and r.json()["knowledge"] == "knew"
    from flexcalc.letters.facts import today

    r = worker.post("/v1/letters/decision", json={"correction_id": cid, "created_by": "sb-17"})
    assert r.status_code == 201, r.text
    assert r.json()["letter_date"] == today().isoformat() and r.json()["facts"]["knowledge"] == "knew"


@pytest.mark.parametrize(("path", "body", "status", "field"), [
    ("/v1/letters/hearing", {"correction_ids": [999], "created_by": "sb"}, 404, None),
    ("/v1/letters/hearing", {"correction_ids": [], "created_by": "sb"}, 422, "correction_ids"),
    ("/v1/letters/hearing", {"correction_ids": ["x"], "created_by": "sb"}, 422, "correction_ids.0"),
    ("/v1/letters/hearing", {"correction_ids": [1], "date": "2024-02-30", "created_by": "sb"}, 422, "date"),
    ("/v1/letters/decision", {"correction_id": 999, "created_by": "sb"}, 404, None),
    ("/v1/letters/specification", {"case_id": "NOPE", "month": "2024-04", "created_by": "sb"}, 404, None),
    ("/v1/letters/specification", {"case_id": "SP", "month": "2024-13", "created_by": "sb"}, 422, "month"),
    ("/v1/letters/specification", {"case_id": "SP", "month": "2024-06", "created_by": "sb"}, 422, "month"),
    ("/v1/letters/specification", {"case_id": "SP", "month": "2024-04", "date": "2024-04-01", "created_by": "sb"},
     422, "date"),
    ("/v1/letters/specification", {"case_id": "SP", "month": "2024-04"}, 422, "created_by"),
])
def test_bad_input_names_the_field_and_stores_nothing(setup: dict[str, object], path: str, body: dict[str, object],
                                                      status: int, field: str | None) -> None:
    worker = setup["worker"]
    assert isinstance(worker, TestClient)
    r = worker.post(path, json=body)
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    if field is not None:
        assert r.json()["errors"][0]["field"] == field
        assert r.json()["errors"][0]["reason_da"]
    assert _count(str(setup["url"]), "ledger_letter") == 0


def test_a_hearing_letter_dated_before_its_correction_or_naming_two_cases_is_refused(setup: dict[str, object]) -> None:
    """A date before the correction, a correction named twice, corrections of two cases: 422, nothing stored."""
    from flexcalc.ledger.models import Correction
    from flexcalc.ledger.store import transaction

    factory = setup["factory"]
    worker = setup["worker"]
    assert isinstance(worker, TestClient)
    with transaction(factory) as session:  # type: ignore[arg-type]
        ids = [c.id for c in session.query(Correction).filter_by(case_id="SP")]
    r = worker.post("/v1/letters/hearing", json={"correction_ids": ids, "date": "2024-04-01", "created_by": "sb"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "date"  # before the correction (9 April)
    r = worker.post("/v1/letters/hearing", json={"correction_ids": [ids[0], ids[0]], "created_by": "sb"})
    assert r.status_code == 422 and r.json()["errors"][0]["code"] == "duplicate"
    other = worker.get("/v1/cases/OTHER/corrections").json()[0]["id"]
    r = worker.post("/v1/letters/hearing", json={"correction_ids": [ids[0], other], "created_by": "sb"})
    assert r.status_code == 422 and r.json()["errors"][0]["code"] == "other_case"
    assert _count(str(setup["url"]), "ledger_letter") == 0


def test_channel_chosen_at_drafting_and_stale_writes_refused(setup: dict[str, object]) -> None:
    """The channel is part of the draft and its stated deadline; approval and sending name the content they act
    on: another version or a superseded draft is 409 and stores nothing."""
    worker, url = setup["worker"], str(setup["url"])
    assert isinstance(worker, TestClient)
    cid = _correction(worker)
    first = worker.post("/v1/letters/hearing", json={"correction_ids": [cid], "date": "2024-04-10",
                                                     "created_by": "sb-17", "channel": "paper"}).json()
    assert first["draft_channel"] == "paper" and "Sendt med almindelig post" in worker.get(
        f"/v1/letters/{first['id']}?format=text").text
    bad = worker.post("/v1/letters/hearing", json={"correction_ids": [cid], "created_by": "sb", "channel": "fax"})
    assert bad.status_code == 422 and "channel" in bad.text
    second = worker.post("/v1/letters/hearing", json={"correction_ids": [cid], "date": "2024-04-11",
                                                      "created_by": "sb-17"}).json()
    r = worker.post(f"/v1/letters/{first['id']}/approval",
                    json={"approved_by": "sb-2", "content_sha256": first["content_sha256"]})
    assert r.status_code == 409 and r.json()["errors"][0]["code"] == "superseded"
    assert "nyere udkast" in r.json()["detail_da"]
    r = worker.post(f"/v1/letters/{second['id']}/approval",
                    json={"approved_by": "sb-2", "content_sha256": first["content_sha256"]})
    assert r.status_code == 409 and r.json()["errors"][0]["code"] == "stale_letter"
    assert _count(url, "ledger_letter_approval") == 0
    r = worker.post(f"/v1/letters/{second['id']}/approval",
                    json={"approved_by": "sb-2", "content_sha256": second["content_sha256"]})
    assert r.status_code == 201
    r = worker.post(f"/v1/letters/{second['id']}/sending",
                    json={"sent_by": "sb-17", "channel": "post", "content_sha256": second["content_sha256"]})
    assert r.status_code == 422 and r.json()["errors"][0]["code"] == "channel_mismatch"
    assert _count(url, "ledger_letter_sending") == 0 and _count(url, "ledger_hearing_event") == 0
    r = worker.post(f"/v1/letters/{second['id']}/sending",
                    json={"sent_by": "sb-17", "channel": "digital_post", "content_sha256": second["content_sha256"]})
    assert r.status_code == 201 and r.json()["status"] == "sent"
    assert _count(url, "ledger_letter_sending") == 1


def test_no_municipality_profile_refuses_a_draft(setup: dict[str, object], monkeypatch: pytest.MonkeyPatch) -> None:
    worker = setup["worker"]
    assert isinstance(worker, TestClient)
    monkeypatch.delenv("FLEXCALC_MUNICIPALITY")
    r = worker.post("/v1/letters/specification", json={"case_id": "SP", "month": "2024-04", "date": "2024-04-10",
                                                        "created_by": "sb-17"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "municipality"
    assert r.json()["errors"][0]["code"] == "no_municipality" and "kommuneprofil" in r.json()["errors"][0]["reason_da"]
    assert _count(str(setup["url"]), "ledger_letter") == 0
