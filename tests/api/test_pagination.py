"""Pagination of every list endpoint: cases, a case's months, corrections and held
months, all held months, the audit log and the keys; keyset on a unique order, an opaque cursor that
neither skips nor repeats a row when rows are written between pages, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.pagination import encode

EMPLOYER = "11111111"


@pytest.fixture
def client(database_url: str, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    from flexcalc.ledger.db import session_factory, upgrade
    from flexcalc.security.keys import create_key

    monkeypatch.setenv("FLEXCALC_DATABASE_URL", database_url)
    upgrade(database_url)
    with session_factory(database_url).begin() as session:
        _, secret = create_key(session, "caseworker")
        _, admin = create_key(session, "admin")
    client = TestClient(create_app(), headers={"Authorization": f"Bearer {secret}"})
    client.admin = {"Authorization": f"Bearer {admin}"}  # type: ignore[attr-defined]
    return client


def report(rid: str, case: str, payment_date: str, wage: str, received: str, kind: str = "original",
           corrects: str | None = None) -> dict[str, Any]:
    return {"report_id": rid, "case_id": case, "employer_id": EMPLOYER, "payment_date": payment_date,
            "period_start": payment_date[:8] + "01", "period_end": payment_date, "wage": wage,
            "pension_own": "0", "pension_employer": "0", "hours": "64", "received_at": received,
            "kind": kind, "corrects": corrects}


def walk(client: TestClient, path: str, limit: int, headers: dict[str, str] | None = None,
         items: str | None = None) -> tuple[list[Any], int]:
    """Every item of a list, following X-Next-Cursor (and checking Link agrees); and the page count."""
    out: list[Any] = []
    pages = 0
    params: dict[str, Any] = {"limit": limit}
    while True:
        response = client.get(path, params=params, headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        page = body[items] if items else body
        assert len(page) <= limit
        out += page
        pages += 1
        cursor = response.headers.get("X-Next-Cursor")
        if cursor is None:
            assert "Link" not in response.headers
            return out, pages
        assert response.headers["Link"].endswith('; rel="next"') and f"cursor={cursor}" in response.headers["Link"]
        params = {"limit": limit, "cursor": cursor}


def test_every_list_pages_with_a_stable_cursor(client: TestClient) -> None:
    for n in (3, 1, 5, 2, 4):
        r = client.post("/v1/cases", json={"case_id": f"P-{n}", "ceiling": "32067", "first_month": "2024-03",
                                           "employers": [EMPLOYER]})
        assert r.status_code == 201, r.text
    # P-1 reports February, March and April; the others report nothing: their months are held
    batch = [report("F1", "P-1", "2024-02-29", "15600", "2024-03-04T10:00:00+01:00"),
             report("M1", "P-1", "2024-03-29", "15600", "2024-04-04T10:00:00+02:00"),
             report("A1", "P-1", "2024-04-30", "15600", "2024-05-03T10:00:00+02:00")]
    assert client.post("/v1/employer/wage-reports", json={"reports": batch}).status_code == 201
    for month, as_of in (("2024-03", "2024-03-06"), ("2024-04", "2024-04-06"), ("2024-05", "2024-05-06")):
        r = client.post("/v1/payment-runs", json={"month": month, "as_of": as_of})
        assert r.json()["summary"] == {"paid": 1, "held": 4, "already_paid": 0,  # the month's totals: P-1's
                                        "total_subsidy": "15272.00", "total_atp_own": "500.00",
                                        "total_payout": "14772.00"}
    # late corrections of all three: 16.000 instead of 15.600 → three corrections of −120,00 (0,30 × 400)
    fixes = [report(f"{rid}c", "P-1", date, "16000", "2024-06-01T10:00:00+02:00", "correction", rid)
             for rid, date in (("F1", "2024-02-29"), ("M1", "2024-03-29"), ("A1", "2024-04-30"))]
    assert client.post("/v1/employer/wage-reports", json={"reports": fixes}).status_code == 201
    r = client.post("/v1/reconciliations", json={"as_of": "2024-06-02"})
    assert [c["difference"] for c in r.json()["corrections"]] == ["-120.00"] * 3

    cases, pages = walk(client, "/v1/cases", 2)
    assert [c["case_id"] for c in cases] == ["P-1", "P-2", "P-3", "P-4", "P-5"] and pages == 3
    assert cases[0] == {"case_id": "P-1", "first_month": "2024-03", "last_month": None, "cpr_registered": False}

    months, pages = walk(client, "/v1/cases/P-1/months", 2)
    assert [m["benefit_month"] for m in months] == ["2024-03", "2024-04", "2024-05"] and pages == 2
    assert months == client.get("/v1/cases/P-1/months").json()

    corrections, pages = walk(client, "/v1/cases/P-1/corrections", 1)
    assert [c["benefit_month"] for c in corrections] == ["2024-03", "2024-04", "2024-05"] and pages == 3

    held, pages = walk(client, "/v1/held-months", 5)
    assert [(h["case_id"], h["benefit_month"]) for h in held] == [
        (f"P-{n}", m) for n in (2, 3, 4, 5) for m in ("2024-03", "2024-04", "2024-05")]
    assert pages == 3
    case_held, pages = walk(client, "/v1/cases/P-4/held-months", 2)
    assert [h["benefit_month"] for h in case_held] == ["2024-03", "2024-04", "2024-05"] and pages == 2

    for _ in range(3):
        assert client.post("/v1/keys", json={"role": "citizen", "case_id": "P-1"},
                           headers=client.admin).status_code == 201  # type: ignore[attr-defined]
    keys, _ = walk(client, "/v1/keys", 2, headers=client.admin)  # type: ignore[attr-defined]
    assert len(keys) == 5 and [k["id"] for k in keys] == sorted(k["id"] for k in keys)

    entries, pages = walk(client, "/v1/audit", 3, items="entries")
    ids = [e["id"] for e in entries]
    assert ids == sorted(set(ids)) and len(ids) >= 10


def test_the_cursor_is_stable_when_rows_are_written_between_pages(client: TestClient) -> None:
    for name in ("B", "D", "F"):
        client.post("/v1/cases", json={"case_id": name, "ceiling": "30000", "first_month": "2024-03"})
    first = client.get("/v1/cases", params={"limit": 2})
    assert [c["case_id"] for c in first.json()] == ["B", "D"]
    # written between the pages: one before the cursor (never shown now), one after it (shown)
    for name in ("A", "E"):
        client.post("/v1/cases", json={"case_id": name, "ceiling": "30000", "first_month": "2024-03"})
    second = client.get("/v1/cases", params={"limit": 2, "cursor": first.headers["X-Next-Cursor"]})
    assert [c["case_id"] for c in second.json()] == ["E", "F"]
    assert "X-Next-Cursor" not in second.headers


@pytest.mark.parametrize("cursor", ["nonsense!", encode("keys", ["B"]), encode("cases", ["B", "C"]),
                                    encode("cases", [True])])
def test_a_cursor_of_another_list_or_no_cursor_at_all_is_refused(client: TestClient, cursor: str) -> None:
    r = client.get("/v1/cases", params={"cursor": cursor})
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["errors"][0]["field"] == "cursor" and r.json()["errors"][0]["reason_da"]
    assert client.get("/v1/cases", params={"limit": 0}).status_code == 422
    assert client.get("/v1/cases", params={"limit": 1001}).status_code == 422
