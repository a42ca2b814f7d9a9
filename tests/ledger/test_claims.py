"""Regulation and collection: the track table, the limitation date, set-off within its limit, the claims
API (caseworker and citizen), stale writes, the handover file, and the letters' plain Danish (LIX ≤ 35).

The money figures are hand-computed in ``fixtures/ledger/*/scenario.yaml``; here the rules around them."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from api.app import create_app
from flexcalc.ledger.claims import add_years, limitation_date
from flexcalc.ledger.tracks import Track, cause_track, track_for, track_table
from tests.ledger.test_ledger_scenarios import SCENARIOS, cli, replay
from tests.letters.support import lix

# The CLI never migrates: each test's database gets the explicit `flexcalc db upgrade` first.
pytestmark = pytest.mark.usefixtures("migrated_databases")

D = Decimal


def test_every_cause_has_a_track_with_its_provision_and_source() -> None:
    from flexcalc.ledger.corrections import REASONS

    table = track_table()
    assert set(table.causes) == set(REASONS)
    for row in table.causes.values():
        assert row.reference and row.source.startswith("http")
    assert cause_track("events_registered", frozenset({"holiday_ledighedsydelse"})) == Track.REGULATION
    assert cause_track("events_registered", frozenset({"holiday_ledighedsydelse", "sickness_unpaid"})) == \
        Track.REPAYMENT_REVIEW
    assert cause_track("events_registered", frozenset({"sickness_unpaid"})) == Track.REPAYMENT_REVIEW
    assert cause_track("late_report") == Track.REPAYMENT_REVIEW


def test_the_protective_track_wins_and_an_underpayment_is_always_paid() -> None:
    holiday = frozenset({"holiday_ledighedsydelse"})
    assert track_for(["events_registered"], D("-10"), holiday) == Track.REGULATION
    assert track_for(["events_registered", "ceiling_change"], D("-10"), holiday) == Track.REPAYMENT_REVIEW
    assert track_for(["late_report", "provisional_settled"], D("-10")) == Track.REGULATION
    assert track_for(["corrected_report", "provisional_settled"], D("-10")) == Track.REPAYMENT_REVIEW
    assert track_for(["late_report"], D("-0.01")) == Track.REPAYMENT_REVIEW
    assert track_for(["late_report"], D("0.01")) == Track.REGULATION  # efterbetaling: paid in the next run


def test_the_limitation_date_follows_foraeldelsesloven() -> None:
    # § 3, stk. 1: 3 years from the payment when the municipality knew at once
    assert limitation_date(dt.date(2024, 3, 6), dt.date(2024, 3, 6)) == dt.date(2027, 3, 6)
    # § 3, stk. 2: suspended until it knew or should have known (the late report came 20 April)
    assert limitation_date(dt.date(2024, 3, 6), dt.date(2024, 4, 20)) == dt.date(2027, 4, 20)
    # never counted from before the payment
    assert limitation_date(dt.date(2024, 3, 6), dt.date(2024, 1, 1)) == dt.date(2027, 3, 6)
    # § 3, stk. 3, nr. 2: at most 10 years from the payment, however late it learned
    assert limitation_date(dt.date(2014, 3, 6), dt.date(2023, 1, 2)) == dt.date(2024, 3, 6)
    assert add_years(dt.date(2024, 2, 29), 3) == dt.date(2027, 2, 28)


@settings(max_examples=200, deadline=None)
@given(paid=st.dates(dt.date(2014, 1, 1), dt.date(2030, 12, 31)), later=st.integers(0, 5000))
def test_the_limitation_date_is_between_3_and_10_years_after_the_payment(paid: dt.date, later: int) -> None:
    known = paid + dt.timedelta(days=later)
    date = limitation_date(paid, known)
    assert add_years(paid, 3) <= date <= add_years(paid, 10)
    assert date <= add_years(known, 3)


@pytest.fixture
def collected(database_url: str) -> str:
    replay(SCENARIOS / "late_report_collected_by_setoff", database_url)
    return database_url


def _client(database_url: str, monkeypatch: pytest.MonkeyPatch, role: str, case: str | None = None) -> TestClient:
    from flexcalc.ledger.db import session_factory
    from flexcalc.security.keys import create_key

    monkeypatch.setenv("FLEXCALC_DATABASE_URL", database_url)
    with session_factory(database_url).begin() as session:
        _, secret = create_key(session, role, case_id=case)
    return TestClient(create_app(), headers={"Authorization": f"Bearer {secret}"})


def test_claims_over_the_api_for_the_caseworker_and_the_citizen(collected: str,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    worker = _client(collected, monkeypatch, "caseworker")
    rows = worker.get("/v1/claims", params={"case": "S14", "as_of": "2024-09-30"}).json()
    assert [(r["amount"], r["balance"], r["status"], r["claim_type"]) for r in rows] == \
        [("919.25", "0.00", "paid", "KTBRFLX")]
    claim_id = rows[0]["id"]
    assert [e["kind"] for e in rows[0]["events"]] == ["plan", "payment", "plan", "setoff", "setoff"]
    # the citizen sees their own claims and plan, with the letter; not another case's; writes nothing
    citizen = _client(collected, monkeypatch, "citizen", "S14")
    own = citizen.get("/v1/cases/S14/claims", params={"as_of": "2024-07-20"})
    assert own.status_code == 200 and own.json()[0]["plan"]["method"] == "setoff"
    assert "Vi trækker 300,00 kr. i dit tilskud" in own.json()[0]["letter_da"]
    assert citizen.get("/v1/cases/S1/claims").status_code == 403
    assert citizen.get("/v1/claims").status_code == 403
    assert citizen.get(f"/v1/claims/{claim_id}").status_code == 403
    body = {"amount": "1.00", "balance_seen": "0.00", "by": "x", "on": "2024-09-30"}
    assert citizen.post(f"/v1/claims/{claim_id}/payments", json=body).status_code == 403
    # a paid claim takes no more payments (409), an unknown claim is 404
    assert worker.post(f"/v1/claims/{claim_id}/payments", json=body).status_code == 409
    assert worker.post("/v1/claims/999/payments", json=body).status_code == 404


def test_a_stale_write_is_refused_and_nothing_is_stored(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    replay(SCENARIOS / "claim_reaches_limitation", database_url)
    worker = _client(database_url, monkeypatch, "caseworker")
    claim_id = worker.get("/v1/claims", params={"case": "S15"}).json()[0]["id"]
    seen = {"balance_seen": "919.25", "by": "sb-7", "on": "2024-07-01"}
    r = worker.post(f"/v1/claims/{claim_id}/payments", json={**seen, "amount": "100.00"})
    assert r.status_code == 201 and r.json()["balance"] == "819.25"
    # a second caseworker acting on the balance they saw before: refused, the claim unchanged
    r = worker.post(f"/v1/claims/{claim_id}/payments", json={**seen, "amount": "100.00"})
    assert r.status_code == 409 and "balance_seen" in r.text
    # more than the balance, a negative amount: refused naming the field
    r = worker.post(f"/v1/claims/{claim_id}/payments", json={**seen, "balance_seen": "819.25", "amount": "900"})
    assert r.status_code == 422 and "amount" in r.text
    state = worker.get(f"/v1/claims/{claim_id}", params={"as_of": "2024-07-01"}).json()
    assert state["balance"] == "819.25" and state["paid"] == "100.00"
    # the payment acknowledged the claim: a new 3-year period from 1 July 2024 (forældelsesloven §§ 15, 19)
    assert state["limitation_date"] == "2027-07-01"
    # the handover: the file names the claim type, the case (no CPR number) and the dates
    r = worker.post(f"/v1/claims/{claim_id}/handover", json={**seen, "balance_seen": "819.25", "on": "2024-08-01"})
    assert r.status_code == 201, r.text
    handed = r.json()
    assert handed["status"] == "handed_over" and handed["handover"]["file"] == f"KTBRFLX-{claim_id}-2024-08-01.csv"
    lines = handed["handover_file"]["content"].splitlines()
    assert lines[0].startswith("fordringshaver_ref,fordringstype,sag,hovedstol,restgaeld")
    assert lines[1] == (f"FLX-{claim_id},KTBRFLX,S15,919.25,819.25,2024-03-01,2024-03-31,2024-03-06,2024-05-10,"
                        "2024-06-09,2027-07-01,2024-05-10")
    # a handed-over claim is Gældsstyrelsen's: no payment, no plan here, and it never goes time-barred here
    r = worker.post(f"/v1/claims/{claim_id}/plan", json={**seen, "balance_seen": "819.25", "on": "2024-08-02",
                                                         "method": "instalment", "reason": "x"})
    assert r.status_code == 409
    late = worker.get(f"/v1/claims/{claim_id}", params={"as_of": "2030-01-01"}).json()
    assert late["status"] == "handed_over" and late["written_off"] == "0.00"


def test_a_regulation_takes_no_decision_and_no_hearing(database_url: str) -> None:
    from tests.support.ledger_cli import invoke, with_version

    replay(SCENARIOS / "holiday_ly_regulated_next_month", database_url)
    listed = json.loads(cli(database_url, "corrections", "list", "--case", "S12", "--json").stdout)
    assert [(c["track"], c["status"]) for c in listed] == [("regulation", "repayment_review")]
    result = invoke(*with_version(database_url, ["corrections", "decide", str(listed[0]["id"]), "collect",
                                                 "--reason", "x", "--by", "sb"]), "--db", database_url)
    assert result.exit_code == 2 and "regulation" in result.stderr
    items = json.loads(cli(database_url, "worklist", "--case", "S12", "--today", "2024-08-05", "--json").stdout)
    assert items == []


def test_the_letters_are_plain_danish(database_url: str, tmp_path: Path) -> None:
    from flexcalc.ledger.claims import get_claim
    from flexcalc.ledger.store import open_ledger
    from flexcalc.ledger.tracks import PLAIN_CAUSE_DA
    from flexcalc.letters.demand import demand_paragraphs, plan_paragraphs
    from flexcalc.letters.specification import _correction_line

    replay(SCENARIOS / "late_report_collected_by_setoff", database_url)
    with open_ledger(database_url)() as session:
        first = get_claim(session, 1, dt.date(2024, 5, 10))
        instalment = get_claim(session, 1, dt.date(2024, 5, 25))
        setoff = get_claim(session, 1, dt.date(2024, 7, 20))
    demand = " ".join(demand_paragraphs(first))
    assert "919,25 kr." in demand and "9. juni 2024" in demand and "FLX-1" in demand
    figures = {"demand": lix(demand), "instalment": lix(" ".join(plan_paragraphs(instalment))),
               "setoff": lix(" ".join(plan_paragraphs(setoff)))}
    for cause in PLAIN_CAUSE_DA:  # the monthly specification letter's own sentence for a regulation
        line = _correction_line(_regulation(cause), None)
        assert PLAIN_CAUSE_DA[cause] in line and "3.911,99 kr." in line and line.startswith("August 2024: ")
        figures[cause] = lix(line)
    assert all(value <= 35 for value in figures.values()), figures


def _regulation(cause: str) -> Any:
    from flexcalc.ledger.read.letters import CorrectionRow
    from flexcalc.ledger.types import CorrectionStatus
    from flexcalc.period import Month

    return CorrectionRow(id=1, case_id="S12", benefit_month=Month(2024, 8), sequence=1,
                         status=CorrectionStatus.REPAYMENT_REVIEW, track="regulation",
                         as_of=dt.datetime(2024, 9, 1, tzinfo=dt.UTC), previous_subsidy=D("15272.00"),
                         due_subsidy=D("11360.01"), difference=D("-3911.99"), basis_wage=D("15600.00"),
                         ceiling=D("32067.00"), reasons=(cause,), caused_by=(), event_cause=None)


def test_the_new_history_tables_refuse_updates_and_deletes_in_the_database(database_url: str) -> None:
    """SECURITY.md: settlement lines, claims and claim events are append-only whatever SQL a client sends."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import DBAPIError

    replay(SCENARIOS / "late_report_collected_by_setoff", database_url)
    engine = create_engine(database_url)
    for statement in ("UPDATE ledger_settlement SET amount = 1", "DELETE FROM ledger_settlement",
                      "UPDATE ledger_claim SET amount = 1", "DELETE FROM ledger_claim_event",
                      "UPDATE ledger_claim_event SET amount = 1"):
        with engine.connect() as conn, pytest.raises(DBAPIError, match="append-only"):
            conn.execute(text(statement))
            conn.commit()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM ledger_settlement")).scalar() == 2
        assert conn.execute(text("SELECT sum(amount) FROM ledger_claim_event WHERE kind = 'setoff'")).scalar() == 41925
    engine.dispose()


def test_a_reversal_under_review_and_its_re_report_pay_nothing_twice(database_url: str, tmp_path: Path) -> None:
    """March 2024 paid 14.772 kr. (W = 15.600); the report is reversed (−15.272, a possible repayment, not
    decided) and re-reported (+15.272, payable). The month is due exactly what was paid: the next run pays
    no efterbetaling (counting per correction would pay 14.772 kr. a second time)."""
    head = "report_id,case_id,employer_id,payment_date,period_start,period_end,wage,pension_own,pension_employer," \
           "hours,received_at,kind,corrects\n"
    files = {"r1.csv": "R-02,R1,31313131,2024-02-29,2024-02-01,2024-02-29,15600,0,0,64,2024-03-04T09:00:00,original,\n"
                       "R-03,R1,31313131,2024-03-28,2024-03-01,2024-03-31,15600,0,0,64,2024-04-03T09:00:00,original,\n",
             "r2.csv": "R-02-X,R1,31313131,,,,,,,,2024-03-10T09:00:00,reversal,R-02\n",
             "r3.csv": "R-02-B,R1,31313131,2024-02-29,2024-02-01,2024-02-29,15600,0,0,64,2024-03-20T09:00:00,"
                       "original,\n"}
    for name, rows in files.items():
        (tmp_path / name).write_text(head + rows, encoding="utf-8")
    cli(database_url, "case", "create", "R1", "--ceiling", "32067", "--from", "2024-03", "--employer", "31313131")
    cli(database_url, "reports", "ingest", str(tmp_path / "r1.csv"))
    cli(database_url, "pay", "2024-03", "--as-of", "2024-03-06")
    cli(database_url, "reports", "ingest", str(tmp_path / "r2.csv"))
    first = json.loads(cli(database_url, "reconcile", "--as-of", "2024-03-12", "--json").stdout)
    assert [c["difference"] for c in first["corrections"]] == ["-15272.00"]
    cli(database_url, "reports", "ingest", str(tmp_path / "r3.csv"))
    second = json.loads(cli(database_url, "reconcile", "--as-of", "2024-03-25", "--json").stdout)
    assert [(c["difference"], c["status"]) for c in second["corrections"]] == [("15272.00", "payable")]
    april = json.loads(cli(database_url, "pay", "2024-04", "--as-of", "2024-04-06", "--json").stdout)
    assert april["paid"][0]["payout"] == "14772.00" and "settlement" not in april["paid"][0]
    balance = json.loads(cli(database_url, "claims", "balance", "R1", "--as-of", "2024-04-30", "--json").stdout)
    assert (balance["received"], balance["due"], balance["balanced"]) == ("29544.00", "29544.00", "true")
