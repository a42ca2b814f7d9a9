"""``flexcalc refund`` and ``flexcalc finance`` on the command line: values, JSON, --help, and bad input
with exit code 2 naming the field in English and Danish."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.ledger_cli import invoke

# The CLI never migrates: each test's database gets the explicit `flexcalc db upgrade` first.
pytestmark = pytest.mark.usefixtures("migrated_databases")

ROOT = Path(__file__).resolve().parents[2]


def test_refund_json_straddling_4_and_5() -> None:
    r = invoke("refund", "--month", "2024-04", "--subsidy", "15272", "--weeks-before", "2", "--json")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert (data["refund"], data["refund_rate"]) == ("8959.57", "0.5867")
    assert [(s["step"], s["refund_rate"], s["refund"]) for s in data["steps"]] == [(1, "0.80", "5701.54"),
                                                                                  (2, "0.40", "3258.03")]
    assert all(s["provision"].endswith(f"§ 5, stk. 2, nr. {s['step']}") for s in data["steps"])


def test_refund_text_and_fleksbidrag() -> None:
    r = invoke("refund", "--month", "2024-04", "--subsidy", "15272", "--weeks-before", "60", "--wage", "12000")
    assert r.exit_code == 0
    assert "3054.40" in r.stdout and "særligt fleksbidrag: 531.00" in r.stdout
    assert "OP (obligatorisk pension, paid by the state on top): 222.00" in r.stdout


@pytest.mark.parametrize(("args", "field"), [
    (["--subsidy", "-1", "--weeks-before", "0"], "subsidy"),
    (["--subsidy", "100", "--weeks-before", "1.5"], "weeks-before"),
    (["--subsidy", "100", "--weeks-before", "-2"], "weeks-before"),
    (["--subsidy", "100", "--weeks-before", "x"], "weeks-before"),
    (["--subsidy", "100", "--weeks-before", "0", "--month", "2015-11"], "month"),
    (["--subsidy", "100", "--weeks-before", "0", "--visitation-date", "2012-06-01"], "visitation_date"),
])
def test_bad_refund_input_exits_2_naming_the_field(args: list[str], field: str) -> None:
    r = invoke("refund", "--month", "2024-04", *args)
    assert r.exit_code == 2
    assert f"error: {field}:" in r.stderr and f"fejl: {field}:" in r.stderr


def test_finance_unknown_account_exits_2(sqlite_url: str) -> None:
    r = invoke("finance", "2024-03", "--account", "1.23.45", "--db", sqlite_url)
    assert r.exit_code == 2 and "error: account: unknown account" in r.stderr
    assert "fejl: account: ukendt konto" in r.stderr


def test_finance_month_outside_the_rates_exits_2(sqlite_url: str) -> None:
    r = invoke("finance", "2031-01", "--db", sqlite_url)
    assert r.exit_code == 2 and "error: month:" in r.stderr


def test_help() -> None:
    assert invoke("refund", "--help").exit_code == 0
    assert "--xlsx" in invoke("finance", "--help").stdout


def test_refund_from_a_benefit_history() -> None:
    # 10 weeks in 2020, 52 whole weeks of self-support, then benefits from 15 March 2021: the count restarts.
    # The weeks of 15 and 22 March come before the week of Thursday 1 April 2021 (which began on 29 March and is
    # week 3): 1–11 April (weeks 3–4) 11 days at 80 %, 12–30 April (weeks 5–7) 19 days at 40 %
    path = ROOT / "fixtures" / "finance" / "history-restart.csv"
    r = invoke("refund", "--month", "2021-04", "--subsidy", "3000", "--history", str(path), "--json")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["weeks_before"] == 2
    # 3.000 × 11/30 = 1.100,00 × 0,80 = 880,00; 1.900,00 × 0,40 = 760,00
    assert [(s["step"], s["days"], s["refund"]) for s in data["steps"]] == [(1, 11, "880.00"), (2, 19, "760.00")]


def test_refund_needs_weeks_or_history() -> None:
    r = invoke("refund", "--month", "2021-04", "--subsidy", "3000")
    assert r.exit_code == 2 and "error: weeks-before:" in r.stderr
