"""The order of correction, hearing and decision: a decision may not be dated before its correction, and a
hearing counts for a ``collect`` decision only if it was sent before the decision's day (an oral hearing: held
on or before it). Both refused with the field and the reason in English and Danish, nothing stored. On the
constructed workbench ledger (correction found 30 April 2024; tests/support/workbench_ledger.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from flexcalc.errors import InputError
from tests.support.workbench_ledger import at, build


def _decisions(factory: object) -> int:
    from flexcalc.ledger.models import Decision

    with factory() as session:  # type: ignore[operator]
        return int(session.scalar(select(func.count()).select_from(Decision)))


def test_a_decision_dated_before_its_correction_is_refused(database_url: str) -> None:
    from flexcalc.ledger.corrections import record_decision
    from flexcalc.ledger.store import open_ledger, transaction

    ids = build(database_url)
    factory = open_ledger(database_url)
    before = _decisions(factory)
    for outcome in ("collect", "waive"):
        with pytest.raises(InputError) as refused, transaction(factory) as session:
            record_decision(session, ids["B"], outcome, "burde vide", "sb", decided_at=at("2024-04-29", "23:59"))
        assert (refused.value.field, refused.value.code) == ("decided_at", "decision_before_correction")
        assert "2024-04-30" in refused.value.reason_en and "før efterreguleringen" in refused.value.reason_da
    assert _decisions(factory) == before
    # the day the correction was made is not before it: a waive that day stands
    with transaction(factory) as session:
        assert record_decision(session, ids["B"], "waive", "vidste ikke", "sb",
                               decided_at=at("2024-04-30", "18:00")).outcome == "waive"


def test_a_hearing_sent_on_or_after_the_decisions_day_does_not_count(database_url: str) -> None:
    from flexcalc.ledger.corrections import record_decision
    from flexcalc.ledger.hearings import record_hearing_reply, record_hearing_sent
    from flexcalc.ledger.store import open_ledger, transaction

    ids = build(database_url)
    factory = open_ledger(database_url)
    before = _decisions(factory)
    with transaction(factory) as session:  # A: a letter of 20 May, answered the same day
        record_hearing_sent(session, "A", ids["A"], "2024-05-20", None, "sb")
        record_hearing_reply(session, "A", ids["A"], "2024-05-20", "Hun vidste det ikke", "sb",
                             today=dt.date(2024, 6, 1))
    reply = {"reply_summary": "Du skrev, at du ikke vidste det", "reply_weighing": "Lønsedlen viste bijobbet"}
    # a decision dated before the hearing (a back-dated decision): the hearing does not count
    with pytest.raises(InputError) as early, transaction(factory) as session:
        record_decision(session, ids["A"], "collect", "burde vide", "sb", decided_at=at("2024-05-15"), **reply)
    assert (early.value.field, early.value.code) == ("hearing", "hearing_missing")
    assert "2024-05-20 is not before the decision dated 2024-05-15" in early.value.reason_en
    assert "ligger ikke før afgørelsen" in early.value.reason_da
    # the letter's own day: the person cannot have had it before the decision
    with pytest.raises(InputError) as same_day, transaction(factory) as session:
        record_decision(session, ids["A"], "collect", "burde vide", "sb", decided_at=at("2024-05-20", "16:00"),
                        **reply)
    assert "not before the decision dated 2024-05-20" in same_day.value.reason_en
    assert _decisions(factory) == before
    # the day after, with the reply recorded: the hearing counts
    with transaction(factory) as session:
        made = record_decision(session, ids["A"], "collect", "burde vide", "sb", decided_at=at("2024-05-21"), **reply)
    assert made.outcome == "collect"


def test_a_reply_received_after_the_decision_is_not_the_decisions_reply(database_url: str) -> None:
    """B: letter 2 May, reply date 16 May. Decided 10 May, a reply recorded as received 12 May does not make the
    hearing answered for that decision: the reply date had not passed, so collect is refused."""
    from flexcalc.ledger.corrections import record_decision
    from flexcalc.ledger.hearings import record_hearing_reply
    from flexcalc.ledger.store import open_ledger, transaction

    ids = build(database_url)
    factory = open_ledger(database_url)
    with transaction(factory) as session:
        record_hearing_reply(session, "B", ids["B"], "2024-05-12", "Svar", "sb", today=dt.date(2024, 6, 1))
    with pytest.raises(InputError) as refused, transaction(factory) as session:
        record_decision(session, ids["B"], "collect", "burde vide", "sb", decided_at=at("2024-05-10"),
                        reply_summary="x", reply_weighing="y")
    assert "the reply date 2024-05-16 has not passed" in refused.value.reason_en


def test_the_claims_legal_basis_is_the_dated_provision_of_its_decision() -> None:
    from flexcalc.law.provisions import parse_citations
    from flexcalc.ledger.claims import legal_basis

    now = legal_basis(dt.date(2024, 5, 10))
    assert now == "LAB § 125; BEK 585/2023; forældelsesloven §§ 2, 3, 15 og 19 (LBK 1238/2015)"
    assert [c.law for c in parse_citations(now)][:2] == ["LAB", "BEK 585/2023"]
    # before the collection order of 24 May 2023 was in force, it is not cited
    assert "BEK 585/2023" not in legal_basis(dt.date(2023, 5, 1))
    assert legal_basis(dt.date(2023, 6, 1)).startswith("LAB § 125; BEK 585/2023")
