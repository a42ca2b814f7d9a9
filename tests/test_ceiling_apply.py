"""Issue 5, item 6: a ceiling from the employer's lønloft form joins the case's ceiling history, and the
paid months it affects are reconciled (through the CLI, on SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from flexcalc.ledger.ceilings import first_benefit_month_of
from flexcalc.period import Month
from tests.ledger_cli import invoke

FIXTURES = Path(__file__).parents[1] / "fixtures" / "ledger"


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
