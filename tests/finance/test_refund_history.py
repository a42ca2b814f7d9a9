"""The refund ladder from the case's own history (LBK 221/2021 §§ 3, 5, 6, 30): the job-change fixture computed
by hand (fixtures/finance/README.md), the audit's error reproduced, the history import (CPR matched at the door,
append-only, bitemporal, retractions, the profiles file as an import path) and the state's statement with a
planted difference — through the CLI and the API."""

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

from tests.finance.test_finance_report import SCENARIOS, replay, run
from tests.support.ledger_cli import invoke

# The CLI never migrates: each test's database gets the explicit `flexcalc db upgrade` first.
pytestmark = pytest.mark.usefixtures("migrated_databases")

ROOT = Path(__file__).resolve().parents[2]
FINANCE = ROOT / "fixtures" / "finance"
JOB_CHANGE = FINANCE / "job_change"
CPRS = ("1503841234", "150384-1234", "0101011234")


def report(db: str, month: str, *extra: str) -> dict[str, Any]:
    return json.loads(run(db, "finance", month, "--json", *extra).stdout)


def test_job_change_with_ledighedsydelse_hand_computed(sqlite_url: str) -> None:
    replay(JOB_CHANGE, sqlite_url)
    march = report(sqlite_url, "2024-03")
    line = march["lines"][0]
    # 23 weeks before March: fleksjob A 8 + ledighedsydelse 3 + fleksjob B 9 (other system) + February 3 (ledger)
    assert (line["case_id"], line["weeks_before"]) == ("J1", 23)
    assert [(s["step"], s["days"], s["weeks"], s["subsidy"], s["refund"]) for s in line["refund_steps"]] == [
        (2, 17, [24, 26], "8374.97", "3349.99"), (3, 14, [27, 28], "6897.03", "2069.11")]
    assert (line["refund"], line["fleksbidrag"], line["net_municipal_cost"]) == ("5419.10", "0.00", "9852.90")
    booked = {(b["account"], b["kind"]): b["amount"] for b in line["bookings"]}
    assert booked == {("5.58.81.1", "subsidy"): "15272.00", ("5.58.81.2", "refund"): "-5419.10",
                      ("8.51.52.117", "municipal_atp"): "118.00", ("8.51.52.097", "municipal_atp_refund"): "-118.00",
                      ("8.51.52.124", "op"): "222.00", ("8.51.52.126", "op_refund"): "-222.00"}
    assert sum(Decimal(v) for v in booked.values()) == Decimal("9852.90")
    assert "Opera (ledighedsydelse)" in line["history_sources"] and "paid months" in line["history_sources"]
    february = report(sqlite_url, "2024-02")["lines"][0]
    assert (february["weeks_before"], february["refund"]) == (19, "6108.80")


def periods_before(db: str, case_id: str, month: Any) -> list[Any]:
    """The case's refund history periods (stored and paid months) that start before ``month``."""
    from flexcalc.finance.history import Period
    from flexcalc.ledger.refund_history import refund_histories
    from flexcalc.ledger.store import open_ledger

    with open_ledger(db)() as session:
        history = refund_histories(session, [case_id])[case_id]
    return [Period(p.kind, p.start, p.end, p.benefit) for p in history.periods  # type: ignore[arg-type]
            if p.start < month.first_day()]


def test_the_audits_error_resetting_the_date_to_the_new_jobs_start(sqlite_url: str) -> None:
    """Counting from fleksjob B's start (4 December 2023) puts March on weeks 13–17 (40 %, 6.108,80); the
    person's count across job change and ledighedsydelse puts it on weeks 24–28 (40 % → 30 %, 5.419,10)."""
    from flexcalc.finance.history import weeks_before
    from flexcalc.finance.ladder import refund_for_period
    from flexcalc.period import Month

    replay(JOB_CHANGE, sqlite_url)
    march = Month.parse("2024-03")
    periods = periods_before(sqlite_url, "J1", march)
    reset = [p for p in periods if p.start >= dt.date(2023, 12, 4)]
    wrong, right = weeks_before(reset, march.first_day()), weeks_before(periods, march.first_day())
    assert (wrong, right) == (12, 23)
    wrong_refund = refund_for_period(march, Decimal("15272.00"), wrong)
    right_refund = refund_for_period(march, Decimal("15272.00"), right)
    assert [p.step.number for p in wrong_refund.parts] == [2] and wrong_refund.refund == Decimal("6108.80")
    assert [p.step.number for p in right_refund.parts] == [2, 3] and right_refund.refund == Decimal("5419.10")
    # without the ledighedsydelse (a § 3 benefit) the count would lose 3 weeks: it is counted, not skipped
    without = [p for p in periods if p.benefit != "ledighedsydelse"]
    assert weeks_before(without, march.first_day()) == 20


def test_the_statement_finds_the_planted_difference(sqlite_url: str) -> None:
    replay(JOB_CHANGE, sqlite_url)
    result = run(sqlite_url, "finance", "2024-03", "--json", "--statement", str(JOB_CHANGE / "statement-2024-03.csv"))
    data = json.loads(result.stdout)
    assert (data["statement_total"], data["expected_total"], data["difference"]) == ("9708.80", "5419.10", "4289.70")
    rec = data["reconciliation"]
    assert (rec["unmatched_cpr"], rec["unmatched_refund"], rec["skipped_other_benefits"]) == (1, "3600.00", 1)
    [difference] = rec["differences"]
    assert (difference["person"], difference["cause"], difference["refund_difference"]) == (
        "J1", "wrong_step", "689.70")
    for cpr in CPRS:  # matched at the door: no CPR number comes out
        assert cpr not in result.stdout and cpr not in result.stderr
    text = run(sqlite_url, "finance", "2024-03", "--statement", str(JOB_CHANGE / "statement-2024-03.csv")).stdout
    assert "the state refunds 9708.80, flexcalc expects 5419.10, difference 4289.70" in text


def test_history_import_is_append_only_idempotent_and_never_echoes_a_cpr(sqlite_url: str) -> None:
    from sqlalchemy import text

    from flexcalc.ledger.models import AppendOnlyError
    from flexcalc.ledger.refund_history import RefundHistoryRow
    from flexcalc.ledger.store import open_ledger

    replay(JOB_CHANGE, sqlite_url)
    again = run(sqlite_url, "finance", "history", "import", str(JOB_CHANGE / "history.csv"), "--source",
                "Opera (tidligere system)", "--by", "økonomi", "--json")
    assert json.loads(again.stdout) == {"rows": 8, "stored": 0, "already_stored": 7, "unknown_cpr": 1, "cases": ["J1"]}
    assert not any(cpr in again.stdout for cpr in CPRS)
    factory = open_ledger(sqlite_url)
    with factory() as session:
        row = session.query(RefundHistoryRow).first()
        assert row is not None
        row.source = "changed"
        with pytest.raises(AppendOnlyError):
            session.flush()
    with factory() as session, pytest.raises(Exception, match="append-only"):
        session.execute(text("UPDATE ledger_refund_history SET source = 'x'"))
    shown = json.loads(run(sqlite_url, "finance", "history", "show", "J1").stdout)
    assert shown["visitation_date"] == "2023-08-15" and shown["visitation_source"] == "Opera (tidligere system)"
    assert {"kind": "benefit", "start": "2023-11-13", "end": "2023-12-03", "benefit": "ledighedsydelse",
            "source": "Opera (ledighedsydelse)"} in shown["periods"]
    # April 2024: 23 + 5 March weeks (24–28) = 28 weeks before it, so it starts on step 3
    assert shown["next_month"] == {"month": "2024-04", "on_ladder": True, "cohort": "visiteret on 1 July 2014 or "
                                   "later (§ 30 stk. 2)", "weeks_before": 28, "first_step": 3}


def test_a_retraction_is_bitemporal(sqlite_url: str) -> None:
    """Withdrawing the ledighedsydelse period (known from an instant) changes the count from then on only."""
    from sqlalchemy import text

    from flexcalc.finance.report import place_from_history
    from flexcalc.ledger.refund_history import HistoryFact, record_history, refund_histories
    from flexcalc.ledger.store import open_ledger, transaction
    from flexcalc.period import Month

    replay(JOB_CHANGE, sqlite_url)
    factory = open_ledger(sqlite_url)
    with factory() as session:
        target = session.execute(text("SELECT id FROM ledger_refund_history WHERE benefit = 'ledighedsydelse'"))\
            .scalar_one()
    before = dt.datetime.now(dt.UTC)
    later = before + dt.timedelta(seconds=1)
    with transaction(factory) as session:
        record_history(session, [HistoryFact("J1", "retraction", None, source="rettelse", known_at=later,
                                             retracts=target)], "økonomi")
    march = Month.parse("2024-03")
    with factory() as session:
        then = place_from_history(refund_histories(session, ["J1"], before)["J1"], march)
        now = place_from_history(refund_histories(session, ["J1"], later)["J1"], march)
    assert (then.weeks_before, now.weeks_before) == (23, 20)


def test_the_profiles_file_is_an_import_path(sqlite_url: str, tmp_path: Path) -> None:
    """The hand-made profile of S1 imported once gives the report the profile gave by hand: 2 weeks before
    February 2024 → 6 before March, weeks 7–11 at 40 %: 6.108,80 (fixtures/finance/README.md)."""
    replay(SCENARIOS / "late_report", sqlite_url)
    by_hand = report(sqlite_url, "2024-03", "--profiles", str(FINANCE / "profiles.csv"))["lines"][0]
    rows = (FINANCE / "profiles.csv").read_text(encoding="utf-8").splitlines()
    r = invoke("finance", "history", "import", str(FINANCE / "profiles.csv"), "--db", sqlite_url)
    assert r.exit_code == 2 and "error: row 3.case_id: the case 'S2' does not exist" in r.stderr  # nothing stored
    assert report(sqlite_url, "2024-03")["totals"]["refund"] == "0.00"
    path = tmp_path / "profiles-s1.csv"
    path.write_text("\n".join(rows[:2]) + "\n", encoding="utf-8")
    imported = json.loads(run(sqlite_url, "finance", "history", "import", str(path), "--json").stdout)
    assert (imported["rows"], imported["stored"]) == (1, 3)  # visitation, job start, weeks counted
    line = report(sqlite_url, "2024-03")["lines"][0]
    assert (line["weeks_before"], line["refund"]) == (by_hand["weeks_before"], by_hand["refund"]) == (6, "6108.80")


@pytest.mark.parametrize(("row", "field"), [
    ("J1,benefit,2024-01-01,,ledighedsydelse", "row 2.end"),
    ("J1,holiday,2024-01-01,2024-01-02,", "row 2.kind"),
    ("J1,benefit,2024-01-05,2024-01-02,ledighedsydelse", "row 2.end"),
    ("J1,benefit,2024-01-01,2024-01-02,", "row 2.benefit"),
    ("NOPE,benefit,2024-01-01,2024-01-02,ledighedsydelse", "row 2.case_id"),
])
def test_bad_history_rows_exit_2_and_store_nothing(sqlite_url: str, tmp_path: Path, row: str, field: str) -> None:
    replay(JOB_CHANGE, sqlite_url)
    path = tmp_path / "bad.csv"
    path.write_text(f"case_id,kind,start,end,benefit\nJ1,visitation,2023-09-01,,\n{row}\n", encoding="utf-8")
    before = json.loads(run(sqlite_url, "finance", "history", "show", "J1").stdout)["stored_rows"]
    r = invoke("finance", "history", "import", str(path), "--db", sqlite_url)
    assert r.exit_code == 2 and f"error: {field.replace('row 2', 'row 3')}:" in r.stderr and "fejl:" in r.stderr
    after = json.loads(run(sqlite_url, "finance", "history", "show", "J1").stdout)["stored_rows"]
    assert after == before


def _client(sqlite_url: str, monkeypatch: pytest.MonkeyPatch, role: str) -> TestClient:
    from api.app import create_app
    from flexcalc.ledger.db import session_factory, upgrade
    from flexcalc.security.keys import create_key

    monkeypatch.setenv("FLEXCALC_DATABASE_URL", sqlite_url)
    upgrade(sqlite_url)
    with session_factory(sqlite_url).begin() as session:
        key = create_key(session, role)[1]
    return TestClient(create_app(), headers={"Authorization": f"Bearer {key}"})


def test_history_and_statement_over_the_api(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from flexcalc.ledger.store import open_ledger
    from flexcalc.security.audit import query

    replay(JOB_CHANGE, sqlite_url)
    finance = _client(sqlite_url, monkeypatch, "finance")
    history = "cpr,kind,start,end,benefit\n1503841234,benefit,2023-01-02,2023-01-15,kontanthjaelp\n"
    r = finance.post("/v1/finance/history", json={"history_csv": history, "source": "Opera", "recorded_by": "øk"})
    assert r.status_code == 201, r.text
    assert r.json() == {"rows": 1, "stored": 1, "already_stored": 0, "unknown_cpr": 0, "cases": ["J1"]}
    assert "1503841234" not in r.text
    shown = finance.get("/v1/finance/history/J1").json()
    assert {"kind": "benefit", "start": "2023-01-02", "end": "2023-01-15", "benefit": "kontanthjaelp",
            "source": "Opera"} in shown["periods"]
    statement = (JOB_CHANGE / "statement-2024-03.csv").read_text(encoding="utf-8")
    r = finance.post("/v1/finance/reports", json={"month": "2024-03", "statement_csv": statement})
    assert r.status_code == 200, r.text
    data = r.json()
    # kontanthjælp 2–15 January 2023, then 35 weeks of self-support: no restart (< 52), so 2 more weeks: 25
    assert data["lines"][0]["weeks_before"] == 25
    assert (data["statement_total"], data["expected_total"]) == ("9708.80", data["totals"]["refund"])
    assert not any(cpr in r.text for cpr in CPRS)
    with open_ledger(sqlite_url)() as session:
        routes = [(e.route, e.action, e.status) for e in query(session)]
    assert ("/v1/finance/history", "write", 201) in routes
    caseworker = _client(sqlite_url, monkeypatch, "caseworker")
    assert caseworker.post("/v1/finance/history", json={"history_csv": history, "recorded_by": "x"}).status_code == 403
    assert finance.get("/v1/finance/history/NOPE").status_code == 404


def test_year_figures_say_which_months_have_no_data(sqlite_url: str) -> None:
    replay(JOB_CHANGE, sqlite_url)
    year = report(sqlite_url, "2024-04", "--year")["year"]
    assert [(m["month"], m["status"]) for m in year["months"]] == [
        ("2024-01", "no_data"), ("2024-02", "ok"), ("2024-03", "ok"), ("2024-04", "no_data")]
    assert year["months"][0]["totals"] is None  # not 0 kr.
    # February 6.108,80 + March 5.419,10
    assert (year["months_with_data"], year["totals"]["refund"], year["totals"]["subsidy"]) == (
        2, "11527.90", "30544.00")


def test_the_report_says_which_kinds_of_money_lines_it_books(sqlite_url: str) -> None:
    from flexcalc.finance.lines import BUILT, LineKind, money_line_kinds

    assert set(BUILT) == set(LineKind)  # every kind is booked (tests/finance/test_money_lines.py)
    assert {k.kind for k in money_line_kinds()} == set(LineKind)
    replay(JOB_CHANGE, sqlite_url)
    kinds = report(sqlite_url, "2024-03")["line_kinds"]
    assert kinds["payment"] == "booked" and kinds["efterbetaling"] == "booked" and len(kinds) == 6


def test_0013_on_sqlite_and_postgresql_append_only_and_downgrade(database_url: str) -> None:
    from alembic import command
    from sqlalchemy import inspect, text

    from flexcalc.ledger.db import alembic_config, dispose_all, make_engine, upgrade

    replay(JOB_CHANGE, database_url)
    upgrade(database_url)
    engine = make_engine(database_url)
    with engine.begin() as c:
        assert c.execute(text("SELECT count(*) FROM ledger_refund_history")).scalar_one() == 7
    for statement in ("UPDATE ledger_refund_history SET source = 'x'", "DELETE FROM ledger_refund_history"):
        with pytest.raises(Exception, match="append-only"), engine.begin() as c:
            c.execute(text(statement))
    if database_url.startswith("postgresql"):
        with pytest.raises(Exception, match="append-only"), engine.begin() as c:
            c.execute(text("TRUNCATE ledger_refund_history CASCADE"))
    else:
        with pytest.raises(Exception, match="append-only"), engine.begin() as c:
            c.execute(text("CREATE TEMP TABLE copy_history AS SELECT * FROM ledger_refund_history"))
            c.execute(text("INSERT OR REPLACE INTO ledger_refund_history SELECT * FROM copy_history"))
    with pytest.raises(Exception, match="kind"), engine.begin() as c:  # the CHECK on kind
        c.execute(text("INSERT INTO ledger_refund_history (case_id, kind, start_date, source, known_at, recorded_by, "
                       "recorded_at, digest) VALUES ('J1', 'holiday', '2024-01-01', 's', '2024-01-01', 'x', "
                       "'2024-01-01', 'd')"))
    dispose_all()
    command.downgrade(alembic_config(database_url), "0008_workbench")
    assert "ledger_refund_history" not in inspect(make_engine(database_url)).get_table_names()
    dispose_all()


@settings(max_examples=200, deadline=None)
@given(start=st.dates(dt.date(2014, 7, 1), dt.date(2023, 12, 31)), length=st.integers(1, 900),
       cut=st.integers(1, 899), gap=st.integers(0, 60), month_after=st.integers(0, 24))
def test_a_job_change_or_ledighedsydelse_between_never_restarts_the_count(
        start: dt.date, length: int, cut: int, gap: int, month_after: int) -> None:
    """Fleksjob A, then (optionally) ledighedsydelse for ``gap`` days, then fleksjob B: the person's count equals
    that of one unbroken benefit period — the job change is invisible to the ladder (§ 3)."""
    from flexcalc.finance.history import Period, weeks_before
    from flexcalc.period import Month

    cut = min(cut, length - 1) if length > 1 else 0
    end = start + dt.timedelta(days=length + gap)
    first_day = Month.of(end).next().first_day()
    for _ in range(month_after):
        first_day = Month.of(first_day).next().first_day()
    whole = [Period("benefit", start, end, "fleksloentilskud")]
    a_end = start + dt.timedelta(days=cut)
    split = [Period("benefit", start, a_end, "fleksloentilskud")]
    if gap:
        split.append(Period("benefit", a_end + dt.timedelta(days=1), a_end + dt.timedelta(days=gap), "ledighedsydelse"))
    split.append(Period("benefit", a_end + dt.timedelta(days=gap + 1), end, "fleksloentilskud"))
    assert weeks_before(split, first_day) == weeks_before(whole, first_day)
    # and counting from fleksjob B's start (the audit's error) never gives more weeks than the person's count
    reset = [p for p in split if p.start >= a_end + dt.timedelta(days=gap + 1)]
    assert weeks_before(reset, first_day) <= weeks_before(whole, first_day)


def test_weeks_counted_by_another_system_up_to_the_month_are_taken_as_they_are() -> None:
    from flexcalc.finance.history import Period, weeks_before

    march = dt.date(2024, 3, 1)  # its calendar week starts Monday 26 February
    assert weeks_before([], march, [(march, 41)]) == 41
    assert weeks_before([], march, [(dt.date(2024, 2, 26), 41)]) == 41
    # counted 10 before the week of 5 February; benefit weeks of 5, 12, 19 February follow: 13
    february = [Period("benefit", dt.date(2024, 2, 5), dt.date(2024, 2, 25), "fleksloentilskud")]
    assert weeks_before(february, march, [(dt.date(2024, 2, 5), 10)]) == 13
    # a count after the month is not known yet for it
    assert weeks_before(february, march, [(dt.date(2024, 4, 1), 99)]) == 3


def test_the_cli_import_is_audited_and_bad_usage_exits_2(sqlite_url: str) -> None:
    from flexcalc.ledger.store import open_ledger
    from flexcalc.security.audit import query

    replay(JOB_CHANGE, sqlite_url)  # the scenario's last step is the CLI import
    with open_ledger(sqlite_url)() as session:
        rows = [(e.method, e.route, e.action, e.status) for e in query(session)]
    # every CLI write is audited (the scenario's case, report and payment steps too); the import is one row
    assert [row for row in rows if "history" in row[1]] == [("CLI", "finance history import", "write", 200)]
    assert all(row[0] == "CLI" and row[2] == "write" for row in rows)
    for args in (["history"], ["history", "export", "x.csv"], ["history", "import", "/nonexistent.csv"],
                 ["2024-03", "extra"]):
        r = invoke("finance", *args, "--db", sqlite_url)
        assert r.exit_code == 2 and "error:" in r.stderr and "fejl:" in r.stderr, args
