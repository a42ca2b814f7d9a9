"""The payment file of a month in which the run netted a regulation or a set-off: the deduction is a record of
its own (F) after the person's D record, with its cause and the month it concerns, and the file's records sum
to what is transferred. Hand-computed to the øre on the ledger fixtures, SQLite and PostgreSQL.

Tax card of both persons: hovedkort 37 %, monthly deduction 4.525 kr. (SKAT's rounding, method 2: the tax in
øre, then whole kroner, 50 øre up). Payment date: the month's last weekday (30 August 2024, a Friday).

- Regulation (fixtures/ledger/holiday_ly_regulated_next_month, S12): August's payout 17.142,00 (subsidy
  17.642 less own ATP 500); A-skat (17.142 − 4.525) × 0,37 = 4.668,29 → 4.668; net 12.474,00. July regulated
  by 3.911,99 (ferie med ledighedsydelse, correction 1): transferred 12.474,00 − 3.911,99 = 8.562,01.
- Set-off (fixtures/ledger/late_report_collected_by_setoff, S14): August's payout 14.772,00; A-skat
  (14.772 − 4.525) × 0,37 = 3.791,39 → 3.791; net 10.981,00; claim 1 (March) set off by 300,00: transferred
  10.681,00. September (30 September 2024, a Monday): the last 119,25 → 10.861,75.
"""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from flexcalc.errors import InputError
from flexcalc.formats.payment_file import write_payment_file
from flexcalc.ledger.payouts import DeductionLine, MonthPayouts, PayoutLine
from flexcalc.period import Month
from tests.ledger.test_ledger_scenarios import SCENARIOS, cli, replay

CPR = "0101904444"  # synthetic


def _replay(name: str, db: str, tmp_path: Path) -> None:
    """The scenario as it stands, its case created with a CPR number (the payment file needs one)."""
    folder = tmp_path / name
    shutil.copytree(SCENARIOS / name, folder)
    scenario = yaml.safe_load((folder / "scenario.yaml").read_text(encoding="utf-8"))
    assert scenario["steps"][0]["args"][:2] == ["case", "create"]
    scenario["steps"][0]["args"] += ["--cpr", CPR]
    (folder / "scenario.yaml").write_text(yaml.safe_dump(scenario, allow_unicode=True), encoding="utf-8")
    replay(folder, db)


def _file(db: str, tmp_path: Path, case: str, month: str) -> list[str]:
    cards = tmp_path / "cards.csv"
    if not cards.exists():
        cards.write_text(f"case_id;card;withholding_rate;monthly_deduction;valid_from\n{case};hovedkort;37;4525;"
                         "2024-01-01\n", encoding="utf-8")
        cli(db, "tax-cards", "import", str(cards), "--by", "sb-17")
    out = tmp_path / f"pay-{month}.txt"
    shown = cli(db, "payout-file", month, "--output", str(out))
    assert CPR not in shown.stdout + shown.stderr
    return out.read_text(encoding="utf-8").splitlines()


def _sums_to_transfer(lines: list[str], transfer: str) -> None:
    """The net column of every record below H sums to the transfer, and T says so."""
    body = [line.split(";") for line in lines[1:-1]]
    total = sum((Decimal(r[6]) for r in body), Decimal(0))
    assert total == Decimal(transfer)
    trailer = lines[-1].split(";")
    assert trailer[0] == "T" and trailer[1] == str(len(body)) and Decimal(trailer[4]) == total


def test_a_regulation_is_a_deduction_record_and_the_records_sum_to_the_transfer(
        database_url: str, tmp_path: Path) -> None:
    _replay("holiday_ly_regulated_next_month", database_url, tmp_path)
    lines = _file(database_url, tmp_path, "S12", "2024-08")
    assert lines == [
        "H;flexcalc-udbetaling;2;2024-08;2024-08-30;11223344",
        f"D;S12;{CPR};2024-08-30;17142.00;4668.00;12474.00;Fleksløntilskud august 2024",
        f"F;S12;{CPR};2024-08-30;-3911.99;0.00;-3911.99;Regulering fleksløntilskud juli 2024;regulering;2024-07;"
        "events_registered;correction:1",
        "T;2;13230.01;4668.00;8562.01",
    ]
    _sums_to_transfer(lines, "8562.01")
    # the gross column less the deduction is the run's net payout (the settlement statement's 13.230,01)
    september = _file(database_url, tmp_path, "S12", "2024-09")  # nothing netted: no F record
    assert [line[0] for line in september] == ["H", "D", "T"]


def test_a_set_off_is_a_deduction_record_with_its_claim(database_url: str, tmp_path: Path) -> None:
    _replay("late_report_collected_by_setoff", database_url, tmp_path)
    august = _file(database_url, tmp_path, "S14", "2024-08")
    assert august[1:] == [
        f"D;S14;{CPR};2024-08-30;14772.00;3791.00;10981.00;Fleksløntilskud august 2024",
        f"F;S14;{CPR};2024-08-30;-300.00;0.00;-300.00;Modregning fleksløntilskud marts 2024;modregning;2024-03;"
        "claim;claim:1",
        "T;2;14472.00;3791.00;10681.00",
    ]
    _sums_to_transfer(august, "10681.00")
    september = _file(database_url, tmp_path, "S14", "2024-09")
    assert september[2] == (f"F;S14;{CPR};2024-09-30;-119.25;0.00;-119.25;Modregning fleksløntilskud marts 2024;"
                            "modregning;2024-03;claim;claim:1")
    _sums_to_transfer(september, "10861.75")


def _payouts(net: str, deducted: str) -> MonthPayouts:
    day, month = dt.date(2024, 8, 30), Month(2024, 8)
    line = PayoutLine("S1", CPR, month, day, Decimal("1500"), Decimal("500"), Decimal("1000"),
                      Decimal("1000") - Decimal(net), Decimal(net), "bikort", "40", Decimal(0))
    return MonthPayouts(month, day, [line], {"total_payout": "1000.00"},
                        deductions=[DeductionLine("S1", CPR, "setoff", Month(2024, 3), Decimal(deducted), "claim",
                                                  "claim:7", day)])


def test_a_deduction_larger_than_the_net_after_a_skat_refuses_the_file() -> None:
    import io

    handle = io.StringIO()
    with pytest.raises(InputError) as caught:
        write_payment_file(_payouts("600.00", "600.01"), handle)
    assert caught.value.code == "deduction_exceeds_net" and "S1" in caught.value.reason_en
    assert handle.getvalue() == ""  # nothing written
    write_payment_file(_payouts("600.00", "600.00"), handle)  # to the øre: a transfer of 0 is allowed
    assert handle.getvalue().splitlines()[-1] == "T;2;400.00;400.00;0.00"
