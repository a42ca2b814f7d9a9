"""One person's whole history through the finance report, to the øre (fixtures/finance/whole_history, its
README.md has every figure worked out by hand): fleksjob A, ledighedsydelse, a job change to fleksjob B, an
efterbetaling paid with a later payment and a repayment decided, collected and set off — the refund per step of
every month, each money line booked in its month on its accounts at the step of the month it concerns, the
month and year totals, and the state's statement with one planted difference. SQLite and PostgreSQL.

The ladder (LBK 221/2021 §§ 3, 5, 30 stk. 2): visitation 1 December 2023, no benefit before; paid months
February–April 2024 are weeks 1–14, ledighedsydelse 1 May – 30 June weeks 15–22, July none (fleksjob B's first
subsidy is August's), August weeks 23–27: 25 days at 40 %, 6 days (26–31 August) at 30 %.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.finance.test_money_lines import KEYS, _pick, _report
from tests.finance.test_refund_history import periods_before
from tests.ledger.test_ledger_scenarios import cli, replay

pytestmark = pytest.mark.usefixtures("migrated_databases")

WHOLE = Path(__file__).resolve().parents[2] / "fixtures" / "finance" / "whole_history"
CPR = "0107901234"

# month: (weeks before it, [(step, days, weeks, subsidy, refund)], refund, net municipal cost) — README.md
PAYMENTS = {
    "2024-02": (0, [(1, 25, [1, 4], "13165.52", "10532.42"), (2, 4, [5, 5], "2106.48", "842.59")],
                "11375.01", "3896.99"),
    "2024-03": (4, [(2, 31, [5, 9], "15272.00", "6108.80")], "6108.80", "9163.20"),
    "2024-04": (9, [(2, 30, [10, 14], "15272.00", "6108.80")], "6108.80", "9163.20"),
    "2024-08": (22, [(2, 25, [23, 26], "11840.93", "4736.37"), (3, 6, [27, 27], "2841.82", "852.55")],
                "5588.92", "9093.83"),
    "2024-09": (26, [(3, 30, [27, 32], "14682.75", "4404.83")], "4404.83", "10277.92"),
    "2024-10": (31, [(3, 31, [32, 36], "14682.75", "4404.83")], "4404.83", "10277.92"),
    "2024-11": (35, [(3, 30, [36, 40], "14682.75", "4404.83")], "4404.83", "10277.92"),
}
SPLIT_AUGUST = "weeks_5_26+weeks_27_52"
# month: the money lines booked in it (KEYS of tests/finance/test_money_lines.py)
LINES = {
    "2024-08": [("efterbetaling", "2024-08", "2024-02", "2024-08", "600.00", "600.00", "0.00", "446.89", "153.11",
                 "weeks_1_4+weeks_5_26")],
    "2024-10": [("claim_collected", "2024-10", "2024-08", "2024-10", "200.00", "-200.00", "0.00", "-76.13",
                 "-123.87", SPLIT_AUGUST),
                ("repayment", "2024-10", "2024-08", "2024-10", "440.00", "0.00", "0.00", "0.00", "0.00", "")],
    "2024-11": [("claim_set_off", "2024-11", "2024-08", "2024-11", "240.00", "-240.00", "0.00", "-91.36", "-148.64",
                 SPLIT_AUGUST)],
}
# month: (subsidy, refund, net municipal cost) with the money lines
WITH_LINES = {"2024-08": ("15282.75", "6035.81", "9246.94"), "2024-10": ("14482.75", "4328.70", "10154.05"),
              "2024-11": ("14442.75", "4313.47", "10129.28")}
# municipal ATP (hours 64, then 70) and OP, each refunded in full
CONTRIBUTIONS = {"2024-02": ("118.00", "222.00"), "2024-08": ("111.00", "213.00")}


def _payment(line: dict[str, Any]) -> tuple[Any, ...]:
    steps = [(s["step"], s["days"], s["weeks"], s["subsidy"], s["refund"]) for s in line["refund_steps"]]
    return line["weeks_before"], steps, line["refund"], line["net_municipal_cost"]


def test_the_refund_per_step_and_every_booking_to_the_ore(database_url: str) -> None:
    replay(WHOLE, database_url)
    for month in ("2024-05", "2024-06", "2024-07"):  # ledighedsydelse and July: no payment, no line
        empty = _report(database_url, month)
        assert (empty["lines"], empty["money_lines"]) == ([], []), month
    for month, (weeks, steps, refund, net) in PAYMENTS.items():
        report = _report(database_url, month)
        [line] = report["lines"]
        assert line["case_id"] == "W1" and _payment(line) == (weeks, steps, refund, net), month
        assert sum(Decimal(s[4]) for s in steps) == Decimal(refund)
        assert [_pick(m, *KEYS) for m in report["money_lines"]] == LINES.get(month, []), month
        totals, both = report["totals"], report["totals_with_lines"]
        assert (totals["refund"], totals["net_municipal_cost"], totals["fleksbidrag"]) == (refund, net, "0.00")
        subsidy = "15272.00" if month < "2024-05" else "14682.75"
        assert totals["subsidy"] == subsidy, month
        want = WITH_LINES.get(month, (subsidy, refund, net))
        assert (both["subsidy"], both["refund"], both["net_municipal_cost"]) == want, month
        # the accounts carry payments and lines: their sum is the net municipal cost with the lines
        accounts = {a["id"]: a["amount"] for a in report["accounts"]}
        assert (accounts["5.58.81.1"], accounts["5.58.81.2"]) == (want[0], f"-{want[1]}"), month
        assert sum(Decimal(v) for v in accounts.values()) == Decimal(want[2]), month
        if month in CONTRIBUTIONS:
            atp, op = CONTRIBUTIONS[month]
            assert (accounts["8.51.52.117"], accounts["8.51.52.097"]) == (atp, f"-{atp}"), month
            assert (accounts["8.51.52.124"], accounts["8.51.52.126"]) == (op, f"-{op}"), month
    # each line on its accounts: subsidy on 5.58.81.1, refund on 5.58.81.2 (a recovery is signed the other way)
    august_line = _report(database_url, "2024-08")["money_lines"][0]
    assert august_line["bookings"] == [{"account": "5.58.81.1", "kind": "subsidy", "amount": "600.00"},
                                       {"account": "5.58.81.2", "kind": "refund", "amount": "-446.89"}]
    set_off = _report(database_url, "2024-11")["money_lines"][0]
    assert set_off["bookings"] == [{"account": "5.58.81.1", "kind": "subsidy", "amount": "-240.00"},
                                   {"account": "5.58.81.2", "kind": "refund", "amount": "91.36"}]
    # the claim's payment and set-off add up to the claim, and their refund to the refund of 440,00 in August
    recovered = [LINES["2024-10"][0], LINES["2024-11"][0]]
    assert sum(Decimal(r[5]) for r in recovered) == -Decimal("440.00")
    assert sum(Decimal(r[7]) for r in recovered) == -Decimal("167.49")


def test_the_year_adds_the_months_and_says_which_have_no_data(database_url: str) -> None:
    replay(WHOLE, database_url)
    year = json.loads(cli(database_url, "finance", "2024-11", "--json", "--year").stdout)["year"]
    status = {m["month"]: m["status"] for m in year["months"]}
    assert [m for m, s in status.items() if s == "ok"] == list(PAYMENTS)
    assert {status[m] for m in ("2024-01", "2024-05", "2024-06", "2024-07")} == {"no_data"}
    # 3 × 15.272,00 + 4 × 14.682,75 = 104.547,00; 11.375,01 + 2 × 6.108,80 + 5.588,92 + 3 × 4.404,83 = 42.396,02
    assert (year["totals"]["subsidy"], year["totals"]["refund"]) == ("104547.00", "42396.02")


def test_the_statement_finds_the_planted_difference(database_url: str, tmp_path: Path) -> None:
    """The state's statement for August 2024 (statement-2024-08.csv) settles August's payment and the
    efterbetaling of February booked in August (600,00 at February's split: 446,89, matched). Planted: the state's
    data miss the 8 weeks of ledighedsydelse, so it has 14 weeks before August, all of it at 40 %: 14.682,75 ×
    0,40 = 5.873,10 against flexcalc's 5.588,92. Totals 5.873,10 + 446,89 = 6.319,99 against 5.588,92 + 446,89 =
    6.035,81 (the refund with the lines): 284,18, that one line's difference."""
    replay(WHOLE, database_url)
    statement = WHOLE / "statement-2024-08.csv"
    result = cli(database_url, "finance", "2024-08", "--json", "--statement", str(statement))
    data = json.loads(result.stdout)
    assert (data["statement_total"], data["expected_total"], data["difference"]) == ("6319.99", "6035.81", "284.18")
    assert data["expected_total"] == data["totals_with_lines"]["refund"]
    rec = data["reconciliation"]
    [difference] = rec["differences"]
    assert (difference["person"], difference["period"], difference["cause"], difference["ours_refund"],
            difference["statement_refund"], difference["refund_difference"]) == (
        "W1", "2024-08-01..2024-08-31", "wrong_step", "5588.92", "5873.10", "284.18")
    assert rec["matched"] == 1  # the efterbetaling's line: not a wrong period, its refund as flexcalc's
    assert CPR not in result.stdout + result.stderr
    # the same statement without the efterbetaling's line: that refund is missing, nothing else changes
    without = tmp_path / "without.csv"
    without.write_text("\n".join(statement.read_text(encoding="utf-8").splitlines()[:2]) + "\n", encoding="utf-8")
    data = json.loads(cli(database_url, "finance", "2024-08", "--json", "--statement", str(without)).stdout)
    assert (data["statement_total"], data["expected_total"], data["difference"]) == ("5873.10", "6035.81", "-162.71")
    missing = [(d["period"], d["cause"], d["ours_amount"], d["ours_refund"], d["refund_difference"])
               for d in data["reconciliation"]["differences"] if d["cause"] != "wrong_step"]
    assert missing == [("2024-02-01..2024-02-29", "missing_in_statement", "600.00", "446.89", "-446.89")]


def test_the_count_runs_on_across_the_job_change_and_the_ledighedsydelse(sqlite_url: str) -> None:
    """The audit's error (the date reset to fleksjob B's start, 1 July 2024) would put August on weeks 1–5:
    10.609,47 kr. of refund, 5.020,55 too much; the person's count gives 22 weeks and 5.588,92."""
    from flexcalc.finance.history import weeks_before
    from flexcalc.finance.ladder import refund_for_period
    from flexcalc.period import Month

    replay(WHOLE, sqlite_url)
    august = Month.parse("2024-08")
    periods = periods_before(sqlite_url, "W1", august)
    assert [(p.start.isoformat(), p.benefit) for p in periods] == [
        ("2024-02-01", "fleksloentilskud"), ("2024-03-01", "fleksloentilskud"), ("2024-04-01", "fleksloentilskud"),
        ("2024-05-01", "ledighedsydelse")]
    reset = [p for p in periods if p.start >= dt.date(2024, 7, 1)]  # fleksjob B's first day
    without_ly = [p for p in periods if p.benefit != "ledighedsydelse"]
    counts = [weeks_before(p, august.first_day()) for p in (periods, reset, without_ly)]
    assert counts == [22, 0, 14]
    refunds = [refund_for_period(august, Decimal("14682.75"), n).refund for n in counts]
    assert refunds == [Decimal("5588.92"), Decimal("10609.47"), Decimal("5873.10")]


def test_a_set_off_is_settled_in_the_statement_of_the_month_it_is_booked(sqlite_url: str, tmp_path: Path) -> None:
    """November's statement: the payment (4.404,83) and the set-off of the claim for August, a recovery: −240,00
    with −91,36 of refund at August's split. Both match; the totals are 4.404,83 − 91,36 = 4.313,47."""
    replay(WHOLE, sqlite_url)
    path = tmp_path / "statement-2024-11.csv"
    path.write_text("cpr;periode_start;periode_slut;ydelse;udgift;refusion\n"
                    f"{CPR};2024-11-01;2024-11-30;fleksløntilskud;14.682,75;4.404,83\n"
                    f"{CPR};2024-08-01;2024-08-31;fleksløntilskud;-240,00;-91,36\n", encoding="utf-8")
    data = json.loads(cli(sqlite_url, "finance", "2024-11", "--json", "--statement", str(path)).stdout)
    assert (data["statement_total"], data["expected_total"], data["difference"]) == ("4313.47", "4313.47", "0.00")
    assert (data["reconciliation"]["matched"], data["reconciliation"]["differences"]) == (2, [])
