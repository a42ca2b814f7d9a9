"""A ceiling from the employer's lønloft form joins the case's ceiling history, and the
paid months it affects are reconciled (through the CLI, on SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from flexcalc.ledger.ceilings import first_benefit_month_of
from flexcalc.period import Month
from tests.support.ledger_cli import invoke

# The CLI never migrates: each test's database gets the explicit `flexcalc db upgrade` first.
pytestmark = pytest.mark.usefixtures("migrated_databases")

FIXTURES = Path(__file__).parents[2] / "fixtures" / "ledger"


def test_first_benefit_month_of_a_ceiling() -> None:
    assert first_benefit_month_of(dt.date(2024, 7, 1)) == Month(2024, 7)
    assert first_benefit_month_of(dt.date(2024, 7, 15)) == Month(2024, 8)
    assert first_benefit_month_of(dt.date(2024, 12, 2)) == Month(2025, 1)


def test_a_new_lonloft_form_reconciles_the_paid_months(database_url: str) -> None:
    """Hand computation (2024 rates: M 19.952, T 16.323). Wage 11.000 + pension 400 + 600 = W 12.000.
    Before: ceiling 24.000 binds: 19.952 − 0,30 × 12.000 = 16.352 is cut to 24.000 − 12.000 = 12.000.
    The form: base 25.000 + employer pension 8 % = 2.000 → ceiling 27.000 from 1 July 2024.
    July and August (paid) are recomputed: 27.000 − 12.000 = 15.000, +3.000,00 each; May and June keep
    the old ceiling."""
    db = ["--db", database_url]
    assert invoke("db", "upgrade", *db).exit_code == 0
    assert invoke("case", "create", "S5", "--ceiling", "24000", "--from", "2024-05", "--employer", "77777777",
                  *db).exit_code == 0
    assert invoke("reports", "ingest", str(FIXTURES / "ceiling_rise" / "reports-1.csv"), *db).exit_code == 0
    for month in ("2024-05", "2024-06", "2024-07", "2024-08"):
        assert invoke("pay", month, "--as-of", f"{month}-06", *db).exit_code == 0
    result = invoke("ceiling", "apply", str(FIXTURES / "ceiling_from_form" / "lonloftskema-2024-07.json"),
                    "--case", "S5", "--as-of", "2024-08-31", "--json", *db)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["ceiling"] == "27000.00" and data["first_month"] == "2024-07"
    got = {(c["benefit_month"], c["previous_subsidy"], c["due_subsidy"], c["difference"], tuple(c["reasons"]),
            c["status"]) for c in data["corrections"]}
    assert got == {("2024-07", "12000.00", "15000.00", "3000.00", ("ceiling_change",), "payable"),
                   ("2024-08", "12000.00", "15000.00", "3000.00", ("ceiling_change",), "payable")}
    again = invoke("reconcile", "--as-of", "2024-08-31", "--json", *db)
    assert again.exit_code == 0 and json.loads(again.stdout)["corrections"] == []


def test_apply_to_an_unknown_case_exits_2(sqlite_url: str) -> None:
    assert invoke("db", "upgrade", "--db", sqlite_url).exit_code == 0
    result = invoke("ceiling", "apply", str(FIXTURES / "ceiling_from_form" / "lonloftskema-2024-07.json"),
                    "--case", "NOPE", "--db", sqlite_url)
    assert result.exit_code == 2 and "case" in result.stderr


def test_the_api_applies_a_form_to_a_case_and_reconciles(database_url: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The same hand computation as above, over the API with a caseworker key and an Idempotency-Key:
    July and August +3.000,00 each; a retry with the same key returns the first answer."""
    import csv

    from fastapi.testclient import TestClient

    from api.app import create_app
    from flexcalc.ledger.db import session_factory, upgrade
    from flexcalc.security.keys import create_key

    monkeypatch.setenv("FLEXCALC_DATABASE_URL", database_url)
    upgrade(database_url)
    with session_factory(database_url).begin() as session:
        _, secret = create_key(session, "caseworker")
    client = TestClient(create_app(), headers={"Authorization": f"Bearer {secret}"})
    assert client.post("/v1/cases", json={"case_id": "S5", "ceiling": "24000", "first_month": "2024-05",
                                          "employers": ["77777777"]}).status_code == 201
    with (FIXTURES / "ceiling_rise" / "reports-1.csv").open(encoding="utf-8") as handle:
        rows = [{k: (v or None) for k, v in row.items()} for row in csv.DictReader(handle)]
    assert client.post("/v1/employer/wage-reports", json={"reports": rows}).status_code == 201
    for month in ("2024-05", "2024-06", "2024-07", "2024-08"):
        assert client.post("/v1/payment-runs", json={"month": month, "as_of": f"{month}-06"}).status_code == 201
    form = json.loads((FIXTURES / "ceiling_from_form" / "lonloftskema-2024-07.json").read_text(encoding="utf-8"))
    headers = {"Idempotency-Key": "form-S5-2024-07"}
    first = client.post("/v1/cases/S5/ceilings/normal-wage?as_of=2024-08-31", json=form, headers=headers)
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["ceiling"] == "27000.00" and body["first_month"] == "2024-07"
    assert sorted((c["benefit_month"], c["difference"]) for c in body["corrections"]) == [
        ("2024-07", "3000.00"), ("2024-08", "3000.00")]
    retry = client.post("/v1/cases/S5/ceilings/normal-wage?as_of=2024-08-31", json=form, headers=headers)
    assert retry.status_code == 201 and retry.json() == body
    bad = client.post("/v1/cases/S5/ceilings/normal-wage", json={**form, "full_time_hours": "99"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "full_time_hours"
