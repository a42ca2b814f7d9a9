"""A decision's internal note stays with the caseworker: a citizen reading their own case through any of the
case's read routes (the case, its months, its corrections, one month) never gets it, at any depth, while the
caseworker reads it on the same routes. On the constructed workbench ledger, SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from tests.support.workbench_ledger import at, build

NOTE = "ringede til arbejdsgiveren kl. 10, tror hun lyver"  # what a caseworker writes only for colleagues
ROUTES = ("/v1/cases/C", "/v1/cases/C/months", "/v1/cases/C/corrections", "/v1/cases/C/months/2024-03")


def _client(database_url: str, monkeypatch: pytest.MonkeyPatch, role: str, case: str | None = None) -> TestClient:
    from flexcalc.ledger.db import session_factory
    from flexcalc.security.keys import create_key

    monkeypatch.setenv("FLEXCALC_DATABASE_URL", database_url)
    with session_factory(database_url).begin() as session:
        _, secret = create_key(session, role, case_id=case)
    return TestClient(create_app(), headers={"Authorization": f"Bearer {secret}"})


def test_a_citizen_never_reads_the_internal_note_a_caseworker_does(database_url: str,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from flexcalc.ledger.corrections import record_decision
    from flexcalc.ledger.store import open_ledger, transaction

    ids = build(database_url)
    with transaction(open_ledger(database_url)) as session:
        record_decision(session, ids["C"], "waive", "god tro", "sb-1", decided_at=at("2024-05-20"),
                        internal_note=NOTE)
    citizen = _client(database_url, monkeypatch, "citizen", "C")
    worker = _client(database_url, monkeypatch, "caseworker")
    for route in ROUTES:
        seen, staff = citizen.get(route), worker.get(route)
        assert seen.status_code == staff.status_code == 200, route
        assert NOTE not in seen.text and "internal_note" not in seen.text, route
        # the rest of the decision still reaches the citizen: the outcome and its reason
        assert "god tro" in seen.text, route
        assert NOTE in staff.text, route
    corrections = json.loads(citizen.get("/v1/cases/C/corrections").text)
    decided = [c["decision"] for c in corrections if c["decision"]]
    assert [(d["outcome"], d["reason"]) for d in decided] == [("waive", "god tro")]
