"""Management supervision on the hand-built caseload (tests/insight/caseload.py), SQLite and PostgreSQL: the
sample is reproducible from its recorded seed; c08's repayment was decided without a hearing or an exception
and fails that check, c02's (heard first) passes: the share is 1 of 2. Findings reach the caseworker's worklist
until their follow-up is recorded done; the complaint register refuses a stale step."""

from __future__ import annotations

import datetime as dt

import pytest

from flexcalc.errors import ConflictError, InputError
from tests.insight.caseload import AS_OF, at, build


def _run(url: str, size: int = 20, seed: int = 7, days: int = 30) -> dict:  # type: ignore[type-arg]
    from flexcalc.insight.supervision import run_supervision
    from flexcalc.ledger.store import open_ledger

    return run_supervision(open_ledger(url), "2024-05-01", "2024-05-31", size, "leder", seed=seed,
                           reconcile_days=days, as_of=AS_OF)


def _result(run: dict, case: str, check: str) -> str:  # type: ignore[type-arg]
    case_row = next(c for c in run["cases"] if c["case_id"] == case)
    return str(next(x["result"] for x in case_row["checks"] if x["check"] == check))


def test_checklist_results_and_shares(database_url: str) -> None:
    build(database_url)
    run = _run(database_url)
    assert (run["population"], run["sampled"], run["seed"]) == (8, 8, 7)
    assert [c["case_id"] for c in run["cases"]] == [f"c{n:02d}" for n in range(1, 9)]
    s = run["shares"]
    assert s["hearing_before_repayment"] == {"pass": 1, "fail": 1, "not_applicable": 6, "share_passing": "0.5000"}
    assert _result(run, "c08", "hearing_before_repayment") == "fail"
    assert _result(run, "c02", "hearing_before_repayment") == "pass"
    assert s["decision_letter"] == {"pass": 0, "fail": 3, "not_applicable": 5, "share_passing": "0.0000"}
    assert s["released_documented"]["share_passing"] == "1.0000" and s["released_documented"]["pass"] == 1
    assert (s["ceiling_form"]["fail"], s["ceiling_form"]["share_passing"]) == (1, "0.8750")
    assert _result(run, "c02", "ceiling_form") == "fail"
    assert (s["events_documented"]["pass"], s["events_documented"]["fail"]) == (1, 1)
    assert s["corrections_in_time"] == {"pass": 4, "fail": 0, "not_applicable": 4, "share_passing": "1.0000"}
    assert s["claims_limitation"]["pass"] == 1
    assert run["cases_passing"] == 4  # c01, c03, c06, c07
    checks = {c["check"]: c["provision"] for c in run["checks"]}
    assert checks["hearing_before_repayment"] == "Forvaltningsloven § 19 (partshøring)"
    # corrected 1–2 days after the report: within 30 days, not within 0
    strict = _run(database_url, days=0)
    assert strict["shares"]["corrections_in_time"]["fail"] == 4


def test_a_sent_decision_letter_with_basis_and_guidance_passes(sqlite_url: str) -> None:
    from flexcalc.ledger.store import open_ledger, transaction
    from flexcalc.letters.models import LetterRow, LetterSending

    ids = build(sqlite_url)
    with transaction(open_ledger(sqlite_url)) as s:
        letter = LetterRow(case_id="c02", kind="decision", correction_ids=[str(ids["k2"])],
                           benefit_month="2024-05", letter_date=dt.date(2024, 5, 29),
                           complaint_deadline=dt.date(2024, 6, 26), subject="Afgørelse",
                           text="Afgørelsen har hjemmel i LAB § 125. Klagevejledning: du kan klage inden 4 uger.",
                           html="", content_sha256="0" * 64, created_by="sb", created_at=at("2024-05-29"))
        s.add(letter)
        s.flush()
        s.add(LetterSending(letter_id=letter.id, sent_by="sb", sent_at=at("2024-05-29"), channel="digital_post"))
    run = _run(sqlite_url)
    assert _result(run, "c02", "decision_letter") == "pass"
    assert run["shares"]["decision_letter"]["share_passing"] == "0.3333"


def test_the_sample_is_reproducible_from_its_seed(database_url: str) -> None:
    from flexcalc.insight.supervision import draw_sample, get_supervision, supervision_trend
    from flexcalc.ledger.store import open_ledger

    build(database_url)
    first = _run(database_url, size=3, seed=12345)
    again = _run(database_url, size=3, seed=12345)
    picked = [c["case_id"] for c in first["cases"]]
    assert len(picked) == 3 and picked == [c["case_id"] for c in again["cases"]]
    assert draw_sample([f"c{n:02d}" for n in range(8, 0, -1)], 3, 12345) == picked  # order of the population
    stored = get_supervision(open_ledger(database_url), first["id"])
    assert stored["seed"] == 12345 and [c["case_id"] for c in stored["cases"]] == picked
    other = _run(database_url, size=3, seed=None)  # type: ignore[arg-type]
    assert 0 <= other["seed"] < 2**31
    trend = supervision_trend(open_ledger(database_url))
    assert [t["id"] for t in trend] == [first["id"], again["id"], other["id"]]
    with pytest.raises(InputError) as bad:
        _run(database_url, size=0)
    assert bad.value.field == "size"


def test_a_finding_is_in_the_worklist_until_its_follow_up_is_done(database_url: str) -> None:
    from flexcalc.ledger.oversight import record_finding, record_finding_done
    from flexcalc.ledger.store import open_ledger, transaction
    from flexcalc.ledger.worklist import FOLLOW_UP, WorklistFilter, worklist

    build(database_url)
    run = _run(database_url)
    factory = open_ledger(database_url)
    with transaction(factory) as s:
        f = record_finding(s, "c08", "Krav uden partshøring", "Genoptag sagen og send partshøring", "leder",
                           run_id=run["id"], check_id="hearing_before_repayment", due_on="2024-06-15",
                           at=at("2024-06-03"))
    with factory() as s:
        items = worklist(s, dt.date(2024, 6, 10), WorklistFilter(case_id="c08", kinds=frozenset({FOLLOW_UP})))
    assert [(i.kind, i.case_id, str(i.month), i.since, i.age_days(dt.date(2024, 6, 10))) for i in items] == [
        (FOLLOW_UP, "c08", "2024-06", dt.date(2024, 6, 3), 7)]
    assert items[0].details["follow_up"] == "Genoptag sagen og send partshøring"
    assert "15.06.2024" in items[0].label_da
    with transaction(factory) as s:
        assert record_finding_done(s, f["id"], "Partshøring sendt 10. juni", "sb")["status"] == "done"
    with pytest.raises(ConflictError), transaction(factory) as s:
        record_finding_done(s, f["id"], "igen", "sb")
    with factory() as s:
        assert worklist(s, dt.date(2024, 6, 10), WorklistFilter(case_id="c08", kinds=frozenset({FOLLOW_UP}))) == []


def test_complaint_steps_are_refused_on_a_stale_version(sqlite_url: str) -> None:
    from flexcalc.ledger.oversight import get_complaint, record_complaint_step
    from flexcalc.ledger.store import open_ledger, transaction

    ids = build(sqlite_url)
    factory = open_ledger(sqlite_url)
    cid = ids["complaint_c02"]
    with transaction(factory) as s:
        record_complaint_step(s, "c02", cid, "reconsidered", "2024-06-03", "sb", version=0, result="kept")
    with pytest.raises(ConflictError) as stale, transaction(factory) as s:  # a second user who saw version 0
        record_complaint_step(s, "c02", cid, "reconsidered", "2024-06-03", "sb2", version=0, result="changed",
                              effect="new_decision")
    assert (stale.value.field, stale.value.code) == ("version", "stale")
    with pytest.raises(InputError) as no_effect, transaction(factory) as s:
        record_complaint_step(s, "c02", cid, "outcome", "2024-07-01", "sb", version=1, result="upheld")
    assert no_effect.value.field == "effect"
    with factory() as s:
        assert get_complaint(s, "c02", cid)["version"] == 1
