"""The idempotency store on its own: claims, replays, conflicts, a crashed request's lease."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import text

from flexcalc.ledger.db import make_engine, session_factory, upgrade
from flexcalc.security import idempotency
from flexcalc.security.idempotency import Claim, Conflict, LeaseLost, Replay, claim, fingerprint

FP = fingerprint("POST", "/v1/cases/C-1/reports", b'{"wage": "1.00"}')


def test_claim_complete_replay(database_url: str) -> None:
    upgrade(database_url)
    factory = session_factory(database_url)
    first = claim(factory, "k1", "key", "POST", "/p", FP)
    assert isinstance(first, Claim)
    assert claim(factory, "k1", "key", "POST", "/p", FP) == Conflict("in_progress")
    assert claim(factory, "k1", "key", "POST", "/p", "0" * 64) == Conflict("mismatch")
    first.complete(factory, 201, "application/json", b'{"n": 1}')
    assert claim(factory, "k1", "key", "POST", "/p", FP) == Replay(201, "application/json", b'{"n": 1}')
    assert isinstance(claim(factory, "k2", "key", "POST", "/p", FP), Claim)  # scoped per API key


def test_only_one_of_many_concurrent_claims_wins(database_url: str) -> None:
    upgrade(database_url)
    factory = session_factory(database_url)
    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(lambda _: claim(factory, "k1", "same", "POST", "/p", FP), range(16)))
    assert sum(isinstance(o, Claim) for o in outcomes) == 1
    assert all(o == Conflict("in_progress") for o in outcomes if not isinstance(o, Claim))


def test_a_crashed_request_is_taken_over_and_cannot_commit_late(database_url: str,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    upgrade(database_url)
    factory = session_factory(database_url)
    crashed = claim(factory, "k1", "key", "POST", "/p", FP)
    assert isinstance(crashed, Claim)
    monkeypatch.setenv("FLEXCALC_IDEMPOTENCY_LEASE_SECONDS", "0")
    retry = claim(factory, "k1", "key", "POST", "/p", FP)
    assert isinstance(retry, Claim) and retry.lease_token != crashed.lease_token
    # the first request, were it still alive, can no longer tie its write to the key: it must roll back
    with pytest.raises(LeaseLost), factory.begin() as session:
        crashed.mark_applied(session)
    with factory.begin() as session:
        retry.mark_applied(session)
    # the write committed but the answer was lost (a crash before `complete`): never written again
    assert claim(factory, "k1", "key", "POST", "/p", FP) == Conflict("applied")
    retry.complete(factory, 201, "application/json", b"{}")
    assert isinstance(claim(factory, "k1", "key", "POST", "/p", FP), Replay)


def test_mark_applied_rolls_back_with_the_write(database_url: str) -> None:
    upgrade(database_url)
    factory = session_factory(database_url)
    mine = claim(factory, "k1", "key", "POST", "/p", FP)
    assert isinstance(mine, Claim)
    with pytest.raises(RuntimeError), factory.begin() as session:
        mine.mark_applied(session)
        raise RuntimeError("the write failed")
    with make_engine(database_url).connect() as connection:
        assert connection.execute(text("SELECT state FROM idempotency_keys")).scalar_one() == "pending"
    mine.release(factory)
    assert isinstance(claim(factory, "k1", "key", "POST", "/p", FP), Claim)


def test_lease_default() -> None:
    assert idempotency.lease_seconds() == 30


def test_a_resend_while_the_first_answer_is_being_stored_is_in_progress_not_lost(database_url: str) -> None:
    """A double click: the first request's write has committed (``applied``) and its answer is about to be
    stored. The resend must wait ("in progress"), not be told the answer was lost in a crash; once the answer
    is stored it is replayed. Only an expired lease means the answer was lost (the test above)."""
    upgrade(database_url)
    factory = session_factory(database_url)
    first = claim(factory, "k1", "key", "POST", "/p", FP)
    assert isinstance(first, Claim)
    with factory.begin() as session:
        first.mark_applied(session)
    assert claim(factory, "k1", "key", "POST", "/p", FP) == Conflict("in_progress")
    first.complete(factory, 201, "application/json", b'{"ok": true}')
    assert claim(factory, "k1", "key", "POST", "/p", FP) == Replay(201, "application/json", b'{"ok": true}')
