"""Two original reports of one employer with the same wage period and amount under
different ids are flagged as a possible double submission — stored and counted, never refused."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from flexcalc.ledger.db import session_factory, upgrade
from flexcalc.ledger.duplicates import duplicate_groups
from flexcalc.ledger.reports import parse_report
from flexcalc.security.keys import KEY_CACHE, create_key


def report(rid: str, wage: str = "15600", employer: str = "11111111", case: str = "S1", **extra: Any) -> dict[str, Any]:
    return {"report_id": rid, "case_id": case, "employer_id": employer, "payment_date": "2024-02-29",
            "period_start": "2024-02-01", "period_end": "2024-02-29", "wage": wage, "pension_own": "0",
            "pension_employer": "0", "hours": "64", "received_at": "2024-03-04T10:00:00+01:00",
            "kind": "original", "corrects": None, **extra}


def test_duplicate_groups_by_hand() -> None:
    reports = [parse_report(r) for r in [
        report("A"), report("B"),                     # same employer, period, 15600: a possible double
        report("C", "1000"),                          # another amount: a separate payment
        report("D", employer="22222222"),             # another employer: not the same payment
        report("E", "14000", pension_employer="1600"),  # 14000 + 1600 = 15600 in total: flagged with A, B
    ]]
    assert duplicate_groups(reports) == [("11111111", ["A", "B", "E"])]
    # the employer reverses the one sent twice: no longer flagged
    reversal = parse_report(report("B-REV", kind="reversal", corrects="B", received_at="2024-03-05",
                                   wage="", payment_date="", period_start="", period_end=""))
    reversal_e = parse_report(report("E-REV", kind="reversal", corrects="E", received_at="2024-03-05",
                                     wage="", payment_date="", period_start="", period_end=""))
    assert duplicate_groups([*reports, reversal, reversal_e]) == []


@pytest.fixture
def api(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[TestClient, dict[str, Any]]]:
    monkeypatch.setenv("FLEXCALC_DATABASE_URL", database_url)
    upgrade(database_url)
    KEY_CACHE.clear()
    with session_factory(database_url).begin() as session:
        _, secret = create_key(session, "caseworker")
    h = {"Authorization": f"Bearer {secret}"}
    client = TestClient(create_app(), raise_server_exceptions=False)
    assert client.post("/v1/cases", headers=h, json={"case_id": "S1", "ceiling": "32067", "first_month": "2024-03",
                                                     "employers": ["11111111"]}).status_code == 201
    yield client, h
    KEY_CACHE.clear()


def test_a_double_submission_is_stored_counted_and_flagged(api) -> None:  # type: ignore[no-untyped-def]
    client, h = api
    r = client.post("/v1/employer/wage-reports", headers=h, json={"reports": [report("R1"), report("R2"),
                                                                             report("R3", "500")]})
    assert r.status_code == 201 and r.json()["stored"] == ["R1", "R2", "R3"]  # never refused
    case = client.get("/v1/cases/S1", headers=h).json()
    assert {x["report_id"]: x["possible_duplicate"] for x in case["reports"]} == {"R1": True, "R2": True,
                                                                                  "R3": False}
    # both count: 15600 + 15600 + 500 = 31700.00 in basis month 2024-02
    assert case["months"][0]["basis_wage"] == "31700.00"
    listed = client.get("/v1/possible-duplicates", headers=h)
    assert listed.status_code == 200
    assert listed.json() == [{"case_id": "S1", "employer_id": "11111111", "report_ids": ["R1", "R2"]}]
    assert client.get("/v1/possible-duplicates", headers=h, params={"case_id": "S9"}).json() == []
