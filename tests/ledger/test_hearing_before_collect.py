"""No repayment without a hearing (forvaltningsloven § 19): ``collect`` is refused unless a hearing is on file
(a letter sent, or an oral hearing with its date and who held it) and its reply date has passed or a reply is
recorded, or an exception is recorded with its legal ground; ``waive`` needs none. Refused: nothing stored.
On the constructed workbench ledger (tests/support/workbench_ledger.py), SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from flexcalc.errors import InputError
from tests.support.workbench_ledger import CPH, build


def _at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T12:00").replace(tzinfo=CPH)


def _decisions(session: object) -> int:
    from flexcalc.ledger.models import Decision

    return int(session.scalar(select(func.count()).select_from(Decision)))  # type: ignore[attr-defined]


def test_collect_needs_a_hearing_or_a_recorded_exception(database_url: str) -> None:
    from flexcalc.ledger.corrections import record_decision
    from flexcalc.ledger.hearings import record_hearing_reply, record_hearing_sent
    from flexcalc.ledger.store import open_ledger, transaction

    ids = build(database_url)
    factory = open_ledger(database_url)
    # A: no hearing at all → refused, naming what is missing, nothing stored
    with factory() as session:
        before = _decisions(session)
    with pytest.raises(InputError) as refused, transaction(factory) as session:
        record_decision(session, ids["A"], "collect", "burde vide", "sb", decided_at=_at("2024-06-01"))
    assert (refused.value.field, refused.value.code) == ("hearing", "hearing_missing")
    assert "no hearing is on file" in refused.value.reason_en and "ingen partshøring" in refused.value.reason_da
    with factory() as session:
        assert _decisions(session) == before
    # A: an oral hearing needs who held it
    with pytest.raises(InputError) as oral, transaction(factory) as session:
        record_hearing_sent(session, "A", ids["A"], "2024-05-03", None, "sb", channel="oral")
    assert oral.value.field == "held_by"
    with transaction(factory) as session:
        held = record_hearing_sent(session, "A", ids["A"], "2024-05-03", None, "sb", channel="oral",
                                   held_by="sb-9 med borgeren i telefonen")
    assert (held.event.channel, held.event.reply_by) == ("oral", dt.date(2024, 5, 17))
    # …while the reply date (17 May) has not passed and no reply is recorded: refused
    with pytest.raises(InputError) as waiting, transaction(factory) as session:
        record_decision(session, ids["A"], "collect", "burde vide", "sb", decided_at=_at("2024-05-10"))
    assert "2024-05-17" in waiting.value.reason_en and waiting.value.code == "hearing_missing"
    # an early reply, recorded while the hearing is open: then collect, with the reply for the letter
    with transaction(factory) as session:
        record_hearing_reply(session, "A", ids["A"], "2024-05-08", "Sagde i telefonen, at hun ikke vidste det", "sb",
                             today=dt.date(2024, 5, 10))
    with pytest.raises(InputError) as unstated, transaction(factory) as session:
        record_decision(session, ids["A"], "collect", "burde vide", "sb", decided_at=_at("2024-05-10"))
    assert unstated.value.field == "reply_summary"  # the letter must state what she replied
    with transaction(factory) as session:
        made = record_decision(session, ids["A"], "collect", "burde vide", "sb", decided_at=_at("2024-05-10"),
                               reply_summary="Du sagde, at du ikke vidste det",
                               reply_weighing="Lønsedlen viste bijobbet", internal_note="ringede kl. 10")
    assert (made.outcome, made.reply_summary, made.internal_note) == ("collect", "Du sagde, at du ikke vidste det",
                                                                      "ringede kl. 10")
    # B: a letter sent 2 May, reply date 16 May passed without reply → collect allowed
    with transaction(factory) as session:
        assert record_decision(session, ids["B"], "collect", "burde vide", "sb",
                               decided_at=_at("2024-06-01")).outcome == "collect"


def test_an_exception_with_its_legal_ground_allows_collect_and_waive_needs_none(database_url: str) -> None:
    from flexcalc.ledger.corrections import record_decision
    from flexcalc.ledger.hearings import EXCEPTION_GROUNDS, record_hearing_exception
    from flexcalc.ledger.store import open_ledger, transaction

    ids = build(database_url)
    factory = open_ledger(database_url)
    assert list(EXCEPTION_GROUNDS) == ["own_information", "fvl_19_2_1", "fvl_19_2_2", "fvl_19_2_3", "fvl_19_2_4",
                                       "fvl_19_2_5"]
    with pytest.raises(InputError) as unknown, transaction(factory) as session:
        record_hearing_exception(session, "A", ids["A"], "because", "x", "sb")
    assert unknown.value.field == "ground"
    with pytest.raises(InputError) as bare, transaction(factory) as session:
        record_hearing_exception(session, "A", ids["A"], "own_information", " ", "sb")
    assert bare.value.field == "explanation"
    with transaction(factory) as session:
        out = record_hearing_exception(session, "A", ids["A"], "own_information",
                                       "Borgeren sendte selv lønsedlen fra bijobbet den 3. maj", "sb")
        assert out["provision"] == "Forvaltningsloven § 19, stk. 1 (gælder ikke)" and not out["already_recorded"]
        assert record_decision(session, ids["A"], "collect", "burde vide", "sb").outcome == "collect"
    # C has a reply; a waiver needs no more (it is wholly in the person's favour)
    with transaction(factory) as session:
        assert record_decision(session, ids["C"], "waive", "god tro", "sb").outcome == "waive"
