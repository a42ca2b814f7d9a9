"""Money lines in the finance report: back payments, regulations, repayments, set-offs and collections, booked in
the month paid or collected, refunded at the step of the benefit month they concern (docs/finance.md, "Money
lines"). Hand-computed to the øre on the ledger fixtures, SQLite and PostgreSQL.

Regulation (fixtures/ledger/holiday_ly_regulated_next_month, S12): July 2024 regulated by 3.911,99 kr. (payout
and subsidy alike: the own ATP stays at its 500 kr. cap), netted in August's payment. Visitation 1 June 2024, no
earlier benefit: July's weeks are 1–4 (1–28 July, 28 days, 80 %) and 5 (29–31 July, 3 days, 40 %):
3.911,99 × 28/31 = 3.533,41 and 378,58; refund 2.826,73 + 151,43 = 2.978,16; net −933,83.

Back payment (fixtures/ledger/sickness_registered_late, S7): March 2024 paid 0; due 9.452,00 subsidy, 473 kr. own
ATP, 8.979,00 payout; released 12 April 2024. Visitation 1 February 2024; March paid 0 kr. is subsidised work, no
benefit week before: 26 Feb–3 Mar is week 1, so 1–24 March (24 days) at 80 % and 25–31 March (7 days) at 40 %:
9.452 × 24/31 = 7.317,68 and 2.134,32; refund 5.854,14 + 853,73 = 6.707,87; net 2.744,13.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

from tests.ledger.test_ledger_scenarios import SCENARIOS, cli, replay


def _visitation(db: str, tmp_path: Path, case: str, day: str) -> None:
    path = tmp_path / f"{case}.csv"
    path.write_text(f"case_id,kind,start\n{case},visitation,{day}\n", encoding="utf-8")
    cli(db, "finance", "history", "import", str(path), "--source", "test", "--by", "fin-1")


def _report(db: str, month: str) -> dict:  # type: ignore[type-arg]
    return json.loads(cli(db, "finance", month, "--json").stdout)


def _pick(line: dict, *keys: str) -> tuple:  # type: ignore[type-arg]
    return tuple(line[k] for k in keys)


KEYS = ("kind", "booked_month", "concerns_month", "refund_month", "amount", "subsidy", "atp_own", "refund",
        "net_municipal_cost", "refund_step")


def test_a_regulation_is_booked_when_netted_at_the_step_of_its_month(database_url: str, tmp_path: Path) -> None:
    replay(SCENARIOS / "holiday_ly_regulated_next_month", database_url)
    _visitation(database_url, tmp_path, "S12", "2024-06-01")
    august = _report(database_url, "2024-08")
    assert [_pick(m, *KEYS) for m in august["money_lines"]] == [
        ("regulation", "2024-08", "2024-07", "2024-08", "3911.99", "-3911.99", "0.00", "-2978.16", "-933.83",
         "weeks_1_4+weeks_5_26")]
    totals, both = august["totals"], august["totals_with_lines"]
    for key, line in (("subsidy", "-3911.99"), ("refund", "-2978.16"), ("net_municipal_cost", "-933.83")):
        assert Decimal(both[key]) == Decimal(totals[key]) + Decimal(line), key
    # the accounts carry the lines too: the subsidy account is the payments' subsidy less the regulation
    accounts = {a["id"]: Decimal(a["amount"]) for a in august["accounts"]}
    assert accounts["5.58.81.1"] == Decimal(totals["subsidy"]) - Decimal("3911.99")
    assert august["line_kinds"]["regulation"] == "booked"
    assert _report(database_url, "2024-07")["money_lines"] == []  # booked where netted, not in July
    # the CSV of the lines: one row each, no total row; the text report names the line
    path = tmp_path / "lines.csv"
    text = cli(database_url, "finance", "2024-08", "--lines-csv", str(path)).stdout
    rows = path.read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("case_id,kind,booked_month,concerns_month,refund_month,amount,subsidy")
    assert rows[1:] == ["S12,regulation,2024-08,2024-07,2024-08,3911.99,-3911.99,0.00,-2978.16,-933.83,"
                        "weeks_1_4+weeks_5_26,settlement 1"]
    assert "regulation" in text and f"net municipal cost {both['net_municipal_cost']}" in text


def test_a_released_back_payment_is_booked_in_the_month_released(database_url: str, tmp_path: Path) -> None:
    from flexcalc.ledger.release import release_back_payment
    from flexcalc.ledger.store import open_ledger, transaction

    replay(SCENARIOS / "sickness_registered_late", database_url)
    _visitation(database_url, tmp_path, "S7", "2024-02-01")
    with transaction(open_ledger(database_url)) as session:
        cid = json.loads(cli(database_url, "corrections", "list", "--case", "S7", "--json").stdout)[-1]["id"]
        release_back_payment(session, "S7", cid, "sb-7", dt.datetime(2024, 4, 12, 10, tzinfo=dt.UTC))
    april = _report(database_url, "2024-04")
    assert [_pick(m, *KEYS) for m in april["money_lines"]] == [
        ("efterbetaling", "2024-04", "2024-03", "2024-04", "8979.00", "9452.00", "473.00", "6707.87", "2744.13",
         "weeks_1_4+weeks_5_26")]
    assert "(released)" in april["money_lines"][0]["source"]
    assert april["money_line_totals"]["efterbetaling"]["refund"] == "6707.87"
    assert april["money_line_totals"]["all"]["lines"] == "1"


def test_claims_decided_set_off_and_collected_add_up_to_the_claim(database_url: str) -> None:
    """Claim #1 (S14, 919,25 kr. for March 2024; own ATP at its cap, so subsidy = payout): decided in May (a
    receivable: no expense, no refund), 500 kr. paid in June, 300 kr. set off in August, 119,25 kr. in
    September. No visitation is recorded: the refund is not computed (cohort not established), never guessed."""
    replay(SCENARIOS / "late_report_collected_by_setoff", database_url)
    found = []
    for month in ("2024-05", "2024-06", "2024-08", "2024-09"):
        found += [_pick(m, "kind", "booked_month", "amount", "subsidy", "refund")
                  for m in _report(database_url, month)["money_lines"]]
    assert found == [("repayment", "2024-05", "919.25", "0.00", "0.00"),
                     ("claim_collected", "2024-06", "500.00", "-500.00", "0.00"),
                     ("claim_set_off", "2024-08", "300.00", "-300.00", "0.00"),
                     ("claim_set_off", "2024-09", "119.25", "-119.25", "0.00")]
    assert sum(Decimal(f[3]) for f in found) == -Decimal("919.25")
    june = _report(database_url, "2024-06")
    assert june["money_lines"][0]["cohort"].startswith("cohort not established")
