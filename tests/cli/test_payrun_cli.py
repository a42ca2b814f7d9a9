"""``flexcalc pay --json`` gives the month's totals, equal to the øre to ``flexcalc batch`` on the same
people; the progress bar of long runs shows on request and never with --json."""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
from decimal import Decimal
from pathlib import Path

import pytest

from flexcalc.ledger.reports import WageReport
from flexcalc.ledger.store import create_case, ingest, open_ledger, transaction
from flexcalc.period import Month
from tests.support.ledger_cli import invoke

# The CLI never migrates: each test's database gets the explicit `flexcalc db upgrade` first.
pytestmark = pytest.mark.usefixtures("migrated_databases")

UTC = dt.UTC
FLEX, OTHER = "11111111", "22222222"
BASIS = Month(2024, 2)


def people(url: str, tmp_path: Path, count: int = 80) -> Path:
    """The same people as ledger cases (one February report, sometimes another employer's too) and as
    a batch input file (wage = the fleksjob report's wage + pensions, other_wage, ceiling)."""
    rng = random.Random(123)
    rows = []
    with transaction(open_ledger(url)) as session:
        for n in range(count):
            case_id = f"p{n:03d}"
            ceiling = Decimal(rng.randint(1_800_000, 4_200_000)) / 100
            wage = Decimal(0) if n % 10 == 0 else Decimal(rng.randint(0, 3_500_000)) / 100
            own, employer = Decimal(rng.randint(0, 40_000)) / 100, Decimal(rng.randint(0, 90_000)) / 100
            if n == 1:  # STAR's example: 15.600 kr. → 15.272 kr.
                ceiling, wage, own, employer = Decimal("32067"), Decimal("15600"), Decimal(0), Decimal(0)
            if wage == 0:
                own = employer = Decimal(0)
            other = Decimal(rng.randint(0, 900_000)) / 100 if n % 4 == 3 else Decimal(0)
            create_case(session, case_id, ceiling, BASIS.next(), [FLEX])
            received = dt.datetime(2024, 3, 3, 9, tzinfo=UTC)
            reports = [WageReport(f"{case_id}-f", case_id, FLEX, BASIS.last_day(), BASIS.first_day(), BASIS.last_day(),
                                  wage, own, employer, Decimal(60), received, "original")]
            if other:
                reports.append(WageReport(f"{case_id}-o", case_id, OTHER, BASIS.last_day(), BASIS.first_day(),
                                          BASIS.last_day(), other, Decimal(0), Decimal(0), Decimal(20), received,
                                          "original"))
            ingest(session, reports)
            rows.append({"person_id": n, "wage": f"{wage + own + employer:.2f}", "other_wage": f"{other:.2f}",
                         "ceiling": f"{ceiling:.2f}"})
    path = tmp_path / "people.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_pay_json_totals_equal_the_batch_run_to_the_ore(sqlite_url: str, tmp_path: Path) -> None:
    source = people(sqlite_url, tmp_path)
    paid = invoke("pay", "2024-03", "--as-of", "2024-03-06", "--json", "--db", sqlite_url)
    assert paid.exit_code == 0, paid.output
    run = json.loads(paid.stdout)
    batch = invoke("batch", "--month", "2024-03", "--input", str(source), "--output", str(tmp_path / "out.csv"),
                   "--json")
    assert batch.exit_code == 0, batch.output
    file_run = json.loads(batch.stdout)
    assert run["summary"]["paid"] == file_run["people"] == 80
    for key in ("total_subsidy", "total_atp_own", "total_payout"):
        assert run["summary"][key] == file_run[key], key
        assert isinstance(run["summary"][key], str)
    star = next(p for p in run["paid"] if p["case_id"] == "p001")
    assert star["subsidy"] == "15272.00" and star["payout"] == "14772.00"
    # the payments add up to the totals; ATP: subsidy − payout per case
    assert sum(Decimal(p["subsidy"]) for p in run["paid"]) == Decimal(run["summary"]["total_subsidy"])
    assert sum(Decimal(p["payout"]) for p in run["paid"]) == Decimal(run["summary"]["total_payout"])
    # a second run pays nothing and gives the same month's totals
    again = json.loads(invoke("pay", "2024-03", "--as-of", "2024-03-06", "--json", "--db", sqlite_url).stdout)
    assert again["summary"]["already_paid"] == 80 and again["summary"]["total_subsidy"] == file_run["total_subsidy"]


def test_progress_bar_on_request_never_with_json(sqlite_url: str, tmp_path: Path) -> None:
    people(sqlite_url, tmp_path, count=5)
    shown = invoke("pay", "2024-03", "--as-of", "2024-03-06", "--progress", "--db", sqlite_url)
    assert shown.exit_code == 0, shown.output
    assert "Udbetaler" in shown.stderr and "5/5" in shown.stderr
    assert "2024-03: paid 5, held 0, already paid 0" in shown.stdout
    quiet = invoke("reconcile", "--as-of", "2024-04-30", "--json", "--progress", "--db", sqlite_url)
    assert quiet.exit_code == 0 and "Efterregulerer" not in quiet.stderr
    assert json.loads(quiet.stdout)["summary"]["cases_checked"] == 5
    plain = invoke("reconcile", "--as-of", "2024-04-30", "--db", sqlite_url)  # not a terminal: no bar
    assert plain.exit_code == 0 and "Efterregulerer" not in plain.stderr
