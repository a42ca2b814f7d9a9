"""Bulk import of cases: ``flexcalc cases import FILE.csv|.parquet`` and
``POST /v1/cases/import``: all rows or none, each bad row named by its line and column, re-import a
no-op that says so; on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from tests.support.ledger_cli import invoke

# The CLI never migrates: each test's database gets the explicit `flexcalc db upgrade` first.
pytestmark = pytest.mark.usefixtures("migrated_databases")

GOOD = ("case_id,ceiling,first_month,employer_ids,cpr\n"
        "K-1,32067,2024-03,12345678,\n"
        "K-2,\"28000,50\",2024-04,12345678;87654321,010190-1234\n"
        "K-3,30000.00,2024-03,,\n")


def count_cases(url: str) -> int:
    from flexcalc.ledger.db import session_factory
    from flexcalc.ledger.models import Case

    with session_factory(url)() as session:
        return int(session.scalar(select(func.count()).select_from(Case)) or 0)


def case_file(url: str, case_id: str) -> dict[str, object]:
    from flexcalc.ledger.casefile import case_file as build
    from flexcalc.ledger.db import session_factory

    with session_factory(url)() as session:
        return build(session, case_id)


def test_import_a_csv_then_again_is_a_no_op(database_url: str, tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text(GOOD)
    result = invoke("cases", "import", str(path), "--db", database_url, "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["stored"] == ["K-1", "K-2", "K-3"] and out["no_op"] is False
    # each case as `case create` makes it: the ceiling from the first month, employments from the basis
    # month before it (paid in arrears)
    k2 = case_file(database_url, "K-2")
    assert k2["ceilings"] == [{"effective_month": "2024-04", "amount": "28000.50"}]
    assert k2["employments"] == [
        {"employer_id": "12345678", "first_basis_month": "2024-03", "last_basis_month": None},
        {"employer_id": "87654321", "first_basis_month": "2024-03", "last_basis_month": None}]
    assert k2["cpr_registered"] is True and case_file(database_url, "K-3")["employments"] == []

    again = invoke("cases", "import", str(path), "--db", database_url)
    assert again.exit_code == 0
    assert again.stdout.strip() == "intet at gøre: alle 3 sager er allerede gemt"
    again_json = json.loads(invoke("cases", "import", str(path), "--db", database_url, "--json").stdout)
    assert again_json["no_op"] is True and again_json["already_stored"] == ["K-1", "K-2", "K-3"]
    assert count_cases(database_url) == 3


def test_every_bad_row_is_named_by_line_and_column_and_nothing_is_stored(sqlite_url: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("case_id,ceiling,first_month,employer_ids,cpr\n"
                    "K-1,32067,2024-03,12345678,\n"          # line 2: good
                    "K-2,tretusinde,2024-03,12345678,\n"     # line 3: ceiling not an amount
                    "K-1,32067,2024-03,12345678,\n"          # line 4: K-1 again
                    "K-4,32067,1990-01,12345678,\n"          # line 5: month outside the rates table
                    "K-5,32067,2024-03,1234567;12345678,\n"  # line 6: malformed CVR (7 digits)
                    "K-6,32067,2024-03,,12345\n")            # line 7: malformed CPR
    result = invoke("cases", "import", str(path), "--db", sqlite_url)
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert [e.split(": ")[1] for e in errors] == ["line 3, ceiling", "line 4, case_id", "line 5, first_month",
                                                 "line 6, employer_ids", "line 7, cpr"]
    assert "appears twice in the file (line 2)" in errors[1]
    assert "no rates for 1990-01" in errors[2] and "'1234567' is not a CVR number" in errors[3]
    assert "fejl: line 3, ceiling" in result.stderr and "12345\n" not in result.stderr
    assert "nothing was stored / intet blev gemt" in result.stderr
    assert count_cases(sqlite_url) == 0


def test_a_stored_case_with_other_content_refuses_the_whole_file(sqlite_url: str, tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text(GOOD)
    assert invoke("cases", "import", str(path), "--db", sqlite_url).exit_code == 0
    path.write_text("case_id,ceiling,first_month,employer_ids\n"
                    "K-9,30000,2024-03,\n"
                    "K-2,29000,2024-04,12345678\n")
    result = invoke("cases", "import", str(path), "--db", sqlite_url)
    assert result.exit_code == 2 and "error: line 3, ceiling: the case K-2 is stored already" in result.stderr
    assert count_cases(sqlite_url) == 3  # K-9 was not stored either


def test_a_parquet_file_and_its_bad_rows(sqlite_url: str, tmp_path: Path) -> None:
    path = tmp_path / "cases.parquet"
    pq.write_table(pa.table({"case_id": ["Q-1", "Q-2"], "ceiling": [Decimal("32067.00"), Decimal("25000.25")],
                             "first_month": ["2024-03", "2024-05"], "employer_ids": ["12345678", ""]}), path)
    result = invoke("cases", "import", str(path), "--db", sqlite_url, "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)["stored"] == ["Q-1", "Q-2"]
    assert case_file(sqlite_url, "Q-2")["ceilings"] == [{"effective_month": "2024-05", "amount": "25000.25"}]

    floats = tmp_path / "floats.parquet"
    pq.write_table(pa.table({"case_id": ["Q-3"], "ceiling": [32067.0], "first_month": ["2024-03"],
                             "employer_ids": [""]}), floats)
    result = invoke("cases", "import", str(floats), "--db", sqlite_url)
    assert result.exit_code == 2 and "column ceiling: is floating point" in result.stderr
    bad = tmp_path / "bad.parquet"
    pq.write_table(pa.table({"case_id": ["Q-4", "Q-4"], "ceiling": ["1", "2"], "first_month": ["2024-03"] * 2,
                             "employer_ids": ["", "ABCDEFGH"]}), bad)
    result = invoke("cases", "import", str(bad), "--db", sqlite_url)
    assert result.exit_code == 2
    assert "error: row 2, case_id" in result.stderr and "error: row 2, employer_ids" in result.stderr
    assert count_cases(sqlite_url) == 2


def test_missing_or_unknown_columns(sqlite_url: str, tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text("case_id,ceiling,first_month\nK-1,1,2024-03\n")
    result = invoke("cases", "import", str(path), "--db", sqlite_url)
    assert result.exit_code == 2 and "line 1, employer_ids: the column 'employer_ids' is missing" in result.stderr
    path.write_text("case_id,ceiling,first_month,employer_ids,loft\nK-1,1,2024-03,,\n")
    result = invoke("cases", "import", str(path), "--db", sqlite_url)
    assert result.exit_code == 2 and "line 1, loft: 'loft' is not a known column" in result.stderr


@pytest.fixture
def client(database_url: str, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    from api.app import create_app
    from flexcalc.ledger.db import session_factory, upgrade
    from flexcalc.security.keys import create_key

    monkeypatch.setenv("FLEXCALC_DATABASE_URL", database_url)
    upgrade(database_url)
    with session_factory(database_url).begin() as session:
        _, secret = create_key(session, "caseworker")
        _, citizen = create_key(session, "citizen", case_id="K-1")
    client = TestClient(create_app(), headers={"Authorization": f"Bearer {secret}"})
    client.citizen = {"Authorization": f"Bearer {citizen}"}  # type: ignore[attr-defined]
    return client


def test_the_import_endpoint(client: TestClient, database_url: str) -> None:
    csv_headers = {"Content-Type": "text/csv"}
    r = client.post("/v1/cases/import", content=GOOD, headers={**csv_headers, "Idempotency-Key": "imp-1"})
    assert r.status_code == 201, r.text
    assert r.json()["counts"] == {"stored": 3, "already_stored": 0} and "010190" not in r.text
    replay = client.post("/v1/cases/import", content=GOOD, headers={**csv_headers, "Idempotency-Key": "imp-1"})
    assert replay.status_code == 201 and replay.headers["Idempotent-Replayed"] == "true"
    again = client.post("/v1/cases/import", content=GOOD, headers=csv_headers)
    assert again.status_code == 200 and again.json()["no_op"] is True
    assert again.json()["message"] == "nothing to do: all 3 cases are stored already"

    bad = "case_id,ceiling,first_month,employer_ids\nK-7,abc,2024-03,\nK-8,1,2024-03,99\n"
    r = client.post("/v1/cases/import", content=bad, headers=csv_headers)
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in r.json()["errors"]] == ["line 2, ceiling", "line 3, employer_ids"]
    assert all(e["reason_da"] for e in r.json()["errors"])
    assert client.post("/v1/cases/import", content="{}", headers={"Content-Type": "application/json"}
                       ).status_code == 422
    assert client.post("/v1/cases/import", content=GOOD, headers={**csv_headers,
                       **client.citizen}).status_code == 403  # type: ignore[attr-defined]
    assert count_cases(database_url) == 3
