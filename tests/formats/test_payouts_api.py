"""The payouts over the API (finance role only): tax cards imported, the month's rows and totals without CPR
numbers — the same figures as the command line's; the files that carry CPR numbers are not served at all."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.formats.test_payout_round_trip import CARDS, CPRS, EXPECTED, build
from tests.support.ledger_cli import invoke


def _client(sqlite_url: str, monkeypatch: pytest.MonkeyPatch, role: str) -> TestClient:
    from api.app import create_app
    from flexcalc.ledger.db import session_factory, upgrade
    from flexcalc.security.keys import create_key

    monkeypatch.setenv("FLEXCALC_DATABASE_URL", sqlite_url)
    upgrade(sqlite_url)
    with session_factory(sqlite_url).begin() as session:
        key = create_key(session, role)[1]
    return TestClient(create_app(), headers={"Authorization": f"Bearer {key}"})


def test_payouts_over_the_api(sqlite_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    build(sqlite_url, tmp_path)
    finance = _client(sqlite_url, monkeypatch, "finance")
    answer = finance.get("/v1/finance/payouts/2024-04")
    assert answer.status_code == 200, answer.text
    data = answer.json()
    assert {r["case_id"]: (r["gross"], r["a_skat"], r["net"]) for r in data["rows"]} == EXPECTED["2024-04"]
    assert data["totals"]["gross"] == data["totals"]["run_total_payout"] == "37598.25"
    assert not any(cpr in answer.text for cpr in CPRS.values())
    cli = invoke("payout-file", "2024-04", "--output", str(tmp_path / "p.txt"), "--json", "--db", sqlite_url)
    assert json.loads(cli.stdout) == data  # one rule, two doors
    for path in ("/v1/finance/payouts/2024-04/payment-file", "/v1/finance/payouts/2024-04/income-report"):
        assert finance.get(path).status_code == 404  # CPR-bearing files only from the CLI, to a file
    for role in ("caseworker", "admin"):
        other = _client(sqlite_url, monkeypatch, role)
        assert other.get("/v1/finance/payouts/2024-04").status_code == 403
        assert other.post("/v1/finance/tax-cards", json={"tax_cards_csv": CARDS, "recorded_by": "x"}
                          ).status_code == 403
    bad = finance.get("/v1/finance/payouts/2024-13")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "month"


def test_tax_cards_over_the_api_all_or_nothing(sqlite_url: str, monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path) -> None:
    from sqlalchemy import text

    from flexcalc.ledger.db import session_factory

    build(sqlite_url, tmp_path)
    finance = _client(sqlite_url, monkeypatch, "finance")
    ok = finance.post("/v1/finance/tax-cards", json={"tax_cards_csv": CARDS, "recorded_by": "fin-1"})
    assert ok.status_code == 201 and ok.json() == {"stored": 3}
    bad = finance.post("/v1/finance/tax-cards", json={
        "tax_cards_csv": CARDS + "B;bikort;abc;;2024-02-01;\n", "recorded_by": "fin-1"})
    assert bad.status_code == 422
    error = bad.json()["errors"][0]
    assert error["field"] == "row 5: withholding_rate" and error["reason_da"]
    with session_factory(sqlite_url)() as session:
        assert session.execute(text("SELECT count(*) FROM ledger_tax_card")).scalar_one() == 6
