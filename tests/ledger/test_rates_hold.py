"""A payment run of a month whose rates are assumed holds every case until the rates are confirmed
(flexcalc.ledger.confirmations): on SQLite and PostgreSQL, by the set-based and the case-by-case path
alike; the next run after a confirmation pays the held months; a confirmation is bound to the values
confirmed, append-only, refused without a source or for a month with no assumed rate.

The scenario happens on the day of the January 2027 run (``run_day``): the server's clock is set to it,
since a ``received_at`` ahead of the clock is refused (``flexcalc.ledger.reports.check_not_ahead``)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from flexcalc.errors import InputError
from flexcalc.law.params import rates_for
from flexcalc.ledger.confirmations import confirm_rates, rates_confirmed
from flexcalc.ledger.models import AppendOnlyError, RatesConfirmation
from flexcalc.ledger.payments import open_holds, pay_month
from flexcalc.ledger.store import open_ledger
from flexcalc.period import Month
from tests.support.clock import set_server_clock
from tests.support.ledger_cli import invoke

# The CLI never migrates: each test's database gets the explicit `flexcalc db upgrade` first.
pytestmark = pytest.mark.usefixtures("migrated_databases")

JAN_2027 = Month(2027, 1)
RUN_DAY = dt.datetime(2027, 1, 5, 12, tzinfo=dt.UTC)
"""The day of the January 2027 run: the server's clock and the run's ``as_of``, after the reports (received
2 January) and the events (received 3 January)."""
REPORTS = ("report_id,case_id,employer_id,payment_date,period_start,period_end,wage,pension_own,"
           "pension_employer,hours,received_at,kind,corrects\n"
           "{case}-12,{case},10101010,2026-12-30,2026-12-01,2026-12-31,9600,100,300,74,2027-01-02T09:00:00,"
           "original,\n")


@pytest.fixture
def run_day(monkeypatch: pytest.MonkeyPatch) -> dt.datetime:
    """The server's clock stands at ``RUN_DAY`` for the whole test."""
    set_server_clock(monkeypatch, RUN_DAY)
    return RUN_DAY


def _setup(url: str, tmp_path: Path, cases: tuple[str, ...] = ("J1", "J2")) -> None:
    for case in cases:
        assert invoke("case", "create", case, "--ceiling", "30000", "--from", "2027-01", "--employer", "10101010",
                      "--db", url).exit_code == 0
        reports = tmp_path / f"{case}.csv"
        reports.write_text(REPORTS.format(case=case), encoding="utf-8")
        assert invoke("reports", "ingest", str(reports), "--db", url).exit_code == 0


def test_on_the_run_day_a_report_received_after_the_clock_is_refused(sqlite_url: str, tmp_path: Path,
                                                                    run_day: dt.datetime) -> None:
    assert invoke("case", "create", "J9", "--ceiling", "30000", "--from", "2027-01", "--employer", "10101010",
                  "--db", sqlite_url).exit_code == 0
    late = tmp_path / "late.csv"  # 6 January 09:00 Danish time: a day after the server's clock
    late.write_text(REPORTS.format(case="J9").replace("2027-01-02T09:00:00", "2027-01-06T09:00:00"), encoding="utf-8")
    out = invoke("reports", "ingest", str(late), "--db", sqlite_url)
    assert out.exit_code == 2 and "received_at" in out.output and "5 minutter" in out.output, out.output
    on_time = tmp_path / "on_time.csv"
    on_time.write_text(REPORTS.format(case="J9"), encoding="utf-8")
    assert invoke("reports", "ingest", str(on_time), "--db", sqlite_url).exit_code == 0


def test_january_2027_rates_are_assumed() -> None:
    rates = rates_for(JAN_2027)
    assert set(rates.assumed) >= {"max_subsidy", "threshold", "highest_unemployment_benefit"}
    assert rates.kind == "assumed"


@pytest.mark.parametrize("set_based", [True, False])
def test_a_january_2027_run_holds_every_case_until_the_rates_are_confirmed_then_pays(
        database_url: str, tmp_path: Path, set_based: bool, run_day: dt.datetime) -> None:
    _setup(database_url, tmp_path)
    factory = open_ledger(database_url)
    as_of = run_day
    first = pay_month(factory, JAN_2027, as_of, set_based=set_based)
    assert first.paid == [] and [h["case_id"] for h in first.held] == ["J1", "J2"]
    assert {h["reason_da"] for h in first.held} == {"satserne for januar 2027 er ikke bekræftet"}
    with factory() as session:
        assert [h["reason_da"] for h in open_holds(session)] == ["satserne for januar 2027 er ikke bekræftet"] * 2
        assert "not confirmed" in open_holds(session)[0]["reason"]
    again = pay_month(factory, JAN_2027, as_of, set_based=set_based)  # still held, no second hold record
    assert again.paid == [] and len(again.held) == 2
    out = invoke("rates", "confirm", "--month", "2027-01", "--source", "STAR satser for 2027 (udkast)", "--by",
                 "Økonomi A. Jensen", "--json", "--db", database_url)
    assert out.exit_code == 0, out.output
    confirmation = json.loads(out.stdout)
    assert confirmation["confirmed_by"] == "Økonomi A. Jensen" and confirmation["role"] == "cli"
    assert "threshold" in confirmation["assumed"]
    paid = pay_month(factory, JAN_2027, as_of, set_based=set_based)
    assert [p["case_id"] for p in paid.paid] == ["J1", "J2"] and paid.held == []
    # Hand computation with January 2027's (assumed, confirmed) rates: M 22.280, T 18.229.
    # W = 9.600 + 100 + 300 = 10.000 ≤ T: subsidy = 22.280 − 30 % × 10.000 = 19.280; 19.280 + 10.000 ≤ 30.000.
    assert {p["subsidy"] for p in paid.paid} == {"19280.00"}
    with factory() as session:
        assert open_holds(session) == []


@pytest.mark.usefixtures("run_day")
def test_a_confirmation_is_bound_to_the_values_and_refused_without_need(sqlite_url: str, tmp_path: Path) -> None:
    _setup(sqlite_url, tmp_path, ("J3",))
    factory = open_ledger(sqlite_url)
    with factory() as session, session.begin():
        with pytest.raises(InputError) as caught:
            confirm_rates(session, Month(2024, 3), "x", "y", role="finance")
        assert caught.value.code == "rates_not_assumed"
        with pytest.raises(InputError) as caught:
            confirm_rates(session, JAN_2027, "  ", "y", role="finance")
        assert caught.value.field == "source"
        with pytest.raises(InputError):
            confirm_rates(session, JAN_2027, "x", "y", role="caseworker")
        made = confirm_rates(session, JAN_2027, "beslutning", "AJ", role="finance", key_id="k1")
        assert rates_confirmed(session, JAN_2027)
        # stamped by the ledger's one clock (held at the run day here), not the machine's own
        stamped = made.confirmed_at if made.confirmed_at.tzinfo else made.confirmed_at.replace(tzinfo=dt.UTC)
        assert stamped == RUN_DAY
    # other assumed values for the month (a new fingerprint): the old confirmation no longer counts
    with pytest.MonkeyPatch.context() as patch, factory() as session:
        patch.setattr("flexcalc.ledger.confirmations.rates_fingerprint", lambda _m: "changed0")
        assert not rates_confirmed(session, JAN_2027)
    with factory() as session:
        row = session.scalars(select(RatesConfirmation)).one()
        row.source = "rewritten"
        with pytest.raises(AppendOnlyError):
            session.flush()
    with factory() as session, pytest.raises(DBAPIError):  # the database refuses it too
        session.execute(text("UPDATE ledger_rates_confirmation SET source = 'x'"))


def test_the_api_lets_only_finance_and_admin_confirm(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from fastapi.testclient import TestClient

    from api.app import app
    from flexcalc.security.keys import create_key

    monkeypatch.setenv("FLEXCALC_DATABASE_URL", sqlite_url)
    factory = open_ledger(sqlite_url)
    with factory() as session, session.begin():
        _, finance = create_key(session, "finance")
        _, caseworker = create_key(session, "caseworker")
    client = TestClient(app)
    body = {"month": "2027-01", "source": "STAR satser 2027", "by": "AJ"}
    denied = client.post("/v1/rates/confirmations", json=body, headers={"Authorization": f"Bearer {caseworker}"})
    assert denied.status_code == 403
    made = client.post("/v1/rates/confirmations", json=body, headers={"Authorization": f"Bearer {finance}"})
    assert made.status_code == 201, made.text
    assert made.json()["role"] == "finance" and made.json()["month"] == "2027-01"
    listed = client.get("/v1/rates/confirmations", headers={"Authorization": f"Bearer {finance}"}).json()
    assert [c["confirmed_by"] for c in listed] == ["AJ"]
    refused = client.post("/v1/rates/confirmations", json={**body, "month": "2024-03"},
                          headers={"Authorization": f"Bearer {finance}"})
    assert refused.status_code == 422 and "rates_not_assumed" in refused.text


@pytest.mark.parametrize("set_based", [True, False])
def test_a_2027_month_with_a_transition_event_is_held_for_a_manual_decision(
        sqlite_url: str, tmp_path: Path, set_based: bool, run_day: dt.datetime) -> None:
    from flexcalc.ledger.registrations import register_events
    from flexcalc.ledger.store import transaction

    _setup(sqlite_url, tmp_path)
    factory = open_ledger(sqlite_url)
    with transaction(factory) as session:
        confirm_rates(session, JAN_2027, "kommunens beslutning", "AJ", role="admin")
        register_events(session, "J1", JAN_2027, {"periods": [
            {"kind": "sickness_reduced_rate", "start": "2026-12-07", "end": "2026-12-18"}]},
            received_at=dt.datetime(2027, 1, 3, tzinfo=dt.UTC), registered_by="test")
    run = pay_month(factory, JAN_2027, run_day, set_based=set_based)
    assert [p["case_id"] for p in run.paid] == ["J2"]
    [held] = run.held
    assert held["case_id"] == "J1" and held["reason_da"].startswith("holdt tilbage til en sagsbehandlers afgørelse")
    assert "sickness_reduced_rate" in held["reason_da"] and "overgangsreglerne" in held["reason_da"]


def test_the_transition_kinds_are_refused_before_2027() -> None:
    from flexcalc.ledger.registrations import parse_events

    with pytest.raises(InputError) as caught:
        from flexcalc.month.events import validate_events

        _, events = parse_events({"periods": [{"kind": "resource_benefit_jobafklaring", "start": "2026-11-02",
                                               "end": "2026-11-06"}]})
        validate_events(Month(2026, 12), rates_for(Month(2026, 12)).max_subsidy, events)
    assert caught.value.code == "period_kind_too_early"
