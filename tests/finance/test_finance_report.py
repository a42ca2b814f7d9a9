"""The finance report after the ledger fixtures' payment runs: its totals equal the payment runs' to the
øre, its accounts add up to the net municipal cost, and the refund statement's differences are found."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.ledger.test_ledger_scenarios import use_parameters
from tests.support.ledger_cli import invoke, with_version

# The CLI never migrates: each test's database gets the explicit `flexcalc db upgrade` first.
pytestmark = pytest.mark.usefixtures("migrated_databases")

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "fixtures" / "ledger"
FINANCE = ROOT / "fixtures" / "finance"


def scenario_dirs() -> list[Path]:
    return sorted(p for p in SCENARIOS.iterdir() if (p / "scenario.yaml").exists())


def run(db: str, *args: str) -> Any:
    result = invoke(*args, "--db", db)
    assert result.exit_code == 0, f"{args}: {result.stdout}{result.stderr}"
    return result


def replay(folder: Path, db: str) -> dict[str, dict[str, Decimal]]:
    """Run a scenario; return, per benefit month, the totals of subsidy and payout of its payment runs and
    of its provisional payments (a held month released on a documented wage)."""
    scenario = yaml.safe_load((folder / "scenario.yaml").read_text(encoding="utf-8"))
    runs: dict[str, dict[str, Decimal]] = {}
    try:
        _replay_steps(folder, scenario, db, runs)
    finally:
        use_parameters(None)  # a scenario may publish rates after payment (FLEXCALC_PARAMETERS_DIR)
    return runs


def _replay_steps(folder: Path, scenario: dict[str, Any], db: str, runs: dict[str, dict[str, Decimal]]) -> None:
    from flexcalc.cli.demo import scenario_steps
    from flexcalc.ledger.store import open_ledger

    for step, args in scenario_steps(folder, open_ledger(db), lambda args: with_version(db, args)):
        if args is None:
            use_parameters(folder / step["parameters"])
            continue
        if args[0] == "pay":
            data = json.loads(run(db, *args, "--json").stdout)
            month = runs.setdefault(data["month"], {"subsidy": Decimal(0), "payout": Decimal(0), "paid": Decimal(0)})
            for paid in data["paid"]:
                month["subsidy"] += Decimal(paid["subsidy"])
                month["payout"] += Decimal(paid["payout"])
                month["paid"] += 1
        elif args[:2] == ["held", "release"]:
            paid = json.loads(run(db, *args, "--json").stdout)
            month = runs.setdefault(args[3], {"subsidy": Decimal(0), "payout": Decimal(0), "paid": Decimal(0)})
            month["subsidy"] += Decimal(paid["subsidy"])
            month["payout"] += Decimal(paid["payout"])
            month["paid"] += 1
        else:
            run(db, *args)


def finance(db: str, month: str, *extra: str) -> dict[str, Any]:
    return json.loads(run(db, "finance", month, "--json", "--profiles", str(FINANCE / "profiles.csv"), *extra).stdout)


@pytest.mark.parametrize("folder", scenario_dirs(), ids=lambda p: p.name)
def test_the_finance_report_equals_the_payment_runs_to_the_ore(folder: Path, database_url: str) -> None:
    runs = replay(folder, database_url)
    assert runs
    for month, totals in runs.items():
        report = finance(database_url, month)
        t = {k: Decimal(v) for k, v in report["totals"].items()}
        assert report["payments"] == totals["paid"], month
        assert t["subsidy"] == totals["subsidy"], month
        assert t["payout"] == totals["payout"], month
        assert t["subsidy"] - t["atp_own"] == t["payout"], month
        accounts = sum(Decimal(a["amount"]) for a in report["accounts"])
        lines_net = sum((Decimal(m["net_municipal_cost"]) for m in report["money_lines"]), Decimal(0))
        with_lines = Decimal(report["totals_with_lines"]["net_municipal_cost"])
        assert with_lines == t["net_municipal_cost"] + lines_net, month
        assert accounts == with_lines, month  # booking loses nothing: payments and money lines
        assert sum(Decimal(b["amount"]) for m in report["money_lines"] for b in m["bookings"]) == lines_net, month
        steps = report["refund_by_step"]
        assert sum(Decimal(v["subsidy"]) for v in steps.values()) == t["subsidy"], month
        assert sum(Decimal(v["refund"]) for v in steps.values()) == t["refund"], month
        assert t["op"] == t["op_refund"] and t["municipal_atp"] == t["municipal_atp_refund"]  # 100 % refund


def test_late_report_s1_march_hand_computed(sqlite_url: str) -> None:
    # S1: 2 weeks before February 2024 → 6 before March (see test_rules); March 2024 is weeks 7–11: 40 %.
    # subsidy 15.272,00 → refund 6.108,80; OP 1,5 % × (15.272 − 500 own ATP) = 221,58 → 222 (LAB § 138 a);
    # the municipal ATP (LAB § 138) on February's
    # 64 paid hours: (160,33 − 64) × 1,23 = 118,49 → 118 kr., refunded in full
    replay(SCENARIOS / "late_report", sqlite_url)
    report = finance(sqlite_url, "2024-03")
    line = report["lines"][0]
    assert (line["case_id"], line["weeks_before"], line["refund"], line["op"]) == ("S1", 6, "6108.80", "222.00")
    assert [s["step"] for s in line["refund_steps"]] == [2]
    assert (line["municipal_atp"], line["municipal_atp_refund"]) == ("118.00", "118.00")
    assert report["refund_by_step"]["weeks_5_26"] == {"subsidy": "15272.00", "refund": "6108.80"}
    # net: 15.272 + ATP + OP − 6.108,80 − ATP − OP = 9.163,20
    assert line["net_municipal_cost"] == "9163.20"
    booked = {(b["account"], b["kind"]): b["amount"] for b in line["bookings"]}
    assert booked[("5.58.81.1", "subsidy")] == "15272.00" and booked[("5.58.81.2", "refund")] == "-6108.80"
    assert booked[("8.51.52.124", "op")] == "222.00" and booked[("8.51.52.126", "op_refund")] == "-222.00"
    assert sum(Decimal(v) for v in booked.values()) == Decimal("9163.20")


def test_the_refund_statement_differences(sqlite_url: str) -> None:
    replay(SCENARIOS / "late_report", sqlite_url)
    report = finance(sqlite_url, "2024-03", "--statement", str(FINANCE / "statement-2024-03.csv"))
    rec = report["reconciliation"]
    causes = [(d["person"], d["cause"]) for d in rec["differences"]]
    # row 2: S1 refunded at 80 % (12.217,60 = 15.272 × 0,80) where flexcalc has step 2 → wrong step;
    # row 3: S9 has no payment → a difference, not an error; row 4: another benefit, skipped;
    # row 5: a February line in the March statement → wrong period
    assert causes == [("S1", "wrong_step"), ("S9", "missing_payment"), ("S1", "wrong_period")]
    assert rec["skipped_other_benefits"] == 1 and rec["matched"] == 0
    wrong = rec["differences"][0]
    assert (wrong["ours_refund"], wrong["statement_refund"], wrong["refund_difference"]) == (
        "6108.80", "12217.60", "6108.80")
    assert wrong["cause_da"] == "forkert trin på refusionstrappen"


def test_csv_and_xlsx(sqlite_url: str, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    replay(SCENARIOS / "late_report", sqlite_url)
    totals_path = tmp_path / "totals.csv"
    out = run(sqlite_url, "finance", "2024-03", "--csv", "--profiles", str(FINANCE / "profiles.csv"),
              "--totals-csv", str(totals_path), "--year").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    # the data rows are payments only: no TOTAL row among them, so a column's sum is the total
    assert [r["case_id"] for r in rows] == ["S1"] and rows[0]["refund"] == "6108.80"
    assert sum(Decimal(r["subsidy"]) for r in rows) == Decimal("15272.00")
    totals = list(csv.DictReader(io.StringIO(totals_path.read_text(encoding="utf-8"))))
    # the month, then January (no payments: late_report pays from February), February, March, and the year
    assert [(t["period"], t["status"], t["subsidy"]) for t in totals] == [
        ("2024-03", "ok", "15272.00"), ("2024-01", "no_data", ""), ("2024-02", "ok", "15272.00"),
        ("2024-03", "ok", "15272.00"), ("2024 (through 2024-03)", "ok", "30544.00")]
    path = tmp_path / "finance.xlsx"
    run(sqlite_url, "finance", "2024-03", "--xlsx", str(path), "--profiles", str(FINANCE / "profiles.csv"),
        "--statement", str(FINANCE / "statement-2024-03.csv"))
    book = load_workbook(path)
    assert book.sheetnames == ["Totaler", "Konti", "Trin", "Udbetalinger", "Afvigelser"]
    totals = {row[0].value: row[1].value for row in book["Totaler"].iter_rows()}
    assert Decimal(str(totals["subsidy"])) == Decimal("15272.00")


def test_without_a_visitation_date_or_job_start_no_refund_is_guessed(sqlite_url: str) -> None:
    # S1's history is its paid months only: no visitation date, no recorded fleksjob start → no cohort
    replay(SCENARIOS / "late_report", sqlite_url)
    report = json.loads(run(sqlite_url, "finance", "2024-03", "--json").stdout)
    assert report["totals"]["refund"] == "0.00"
    assert report["refund_by_step"]["cohort_unknown"]["subsidy"] == "15272.00"
    assert report["lines"][0]["cohort"].startswith("cohort not established")


def test_a_profile_that_does_not_fit_names_the_case(sqlite_url: str, tmp_path: Path) -> None:
    replay(SCENARIOS / "late_report", sqlite_url)
    profiles = tmp_path / "profiles.csv"
    profiles.write_text("case_id,visitation_date,job_start,month,weeks_before\nS1,2012-05-01,,2024-02,0\n")
    r = invoke("finance", "2024-03", "--profiles", str(profiles), "--db", sqlite_url)
    assert r.exit_code == 2 and "error: profiles.S1.visitation_date:" in r.stderr and "fejl: profiles.S1" in r.stderr
