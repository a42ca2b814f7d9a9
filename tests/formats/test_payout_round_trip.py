"""Round trip: wage reports → payment run → tax cards → payment file and income report, checked to the øre
against a hand computation; the income report's fields give the finance report's expected refund.

Three cases, the same wages (ceiling 40.000, never binding; rates 2024: M = 19.952, T = 16.323):
- March 2024 (February's wage 15.600): subsidy 19.952 − 0,30 × 15.600 = 15.272,00; own ATP min(763,60; 500)
  = 500; A-income 14.772,00.
- April 2024 (March's wage 20.000): 15.055,10 − 0,55 × 3.677 = 13.032,75; own ATP 500; A-income 12.532,75.
Tax cards (SKAT's rounding, method 2: the tax in øre, rounded to whole kroner, 50 øre up):
- H (hovedkort 37 %, deduction 4.525/month): March (14.772 − 4.525) × 0,37 = 3.791,39 → 3.791, net 10.981,00;
  April (12.532,75 − 4.525) × 0,37 = 2.962,8675 → 2.963, net 9.569,75.
- B (bikort 40 %): March 14.772 × 0,40 = 5.908,80 → 5.909, net 8.863,00;
  April 12.532,75 × 0,40 = 5.013,10 → 5.013, net 7.519,75.
- F (frikort 20.000, then 37 %): March all free (14.772 used), A-skat 0, net 14.772,00; April 5.228 left free,
  (12.532,75 − 5.228) × 0,37 = 2.702,7575 → 2.703, net 9.829,75.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from flexcalc.formats.income_report import ReportError, check_income_report
from flexcalc.ledger.payments import pay_month
from flexcalc.ledger.reports import parse_report
from flexcalc.ledger.store import create_case, ingest, open_ledger, transaction
from flexcalc.period import Month
from tests.support.ledger_cli import invoke

CPH = ZoneInfo("Europe/Copenhagen")
CPRS = {"H": "0101901111", "B": "0101902222", "F": "0101903333"}  # synthetic
CARDS = """case_id;card;withholding_rate;monthly_deduction;valid_from;free_amount
H;hovedkort;37;4525;2024-01-01;
B;bikort;40;;2024-01-01;
F;frikort;37;;2024-01-01;20000
"""
EXPECTED = {
    "2024-03": {"H": ("14772.00", "3791.00", "10981.00"), "B": ("14772.00", "5909.00", "8863.00"),
                "F": ("14772.00", "0.00", "14772.00")},
    "2024-04": {"H": ("12532.75", "2963.00", "9569.75"), "B": ("12532.75", "5013.00", "7519.75"),
                "F": ("12532.75", "2703.00", "9829.75")},
}


def _report(rid: str, case: str, payment: str, wage: str, received: str) -> dict[str, object]:
    return {"report_id": rid, "case_id": case, "employer_id": "11111111", "payment_date": payment,
            "period_start": payment[:8] + "01", "period_end": payment, "wage": wage, "pension_own": "0",
            "pension_employer": "0", "hours": "64", "received_at": received, "kind": "original"}


def build(db: str, tmp_path: Path) -> None:
    from flexcalc.ledger.refund_history import HistoryFact, record_history

    factory = open_ledger(db)
    with transaction(factory) as session:
        for case, cpr in CPRS.items():
            create_case(session, case, Decimal("40000"), Month(2024, 3), ["11111111"], cpr=cpr)
            ingest(session, [parse_report(_report(f"{case}-F", case, "2024-02-29", "15600", "2024-03-04T09:00:00")),
                             parse_report(_report(f"{case}-M", case, "2024-03-28", "20000", "2024-04-03T09:00:00"))])
        # visitation 1 January 2024: on the ladder from then (LBK 221/2021 § 30)
        record_history(session, [HistoryFact(c, "visitation", dt.date(2024, 1, 1)) for c in CPRS], "test")
    pay_month(factory, Month(2024, 3), dt.datetime(2024, 3, 6, 12, tzinfo=CPH))
    pay_month(factory, Month(2024, 4), dt.datetime(2024, 4, 6, 12, tzinfo=CPH))
    cards = tmp_path / "cards.csv"
    cards.write_text(CARDS, encoding="utf-8")
    out = invoke("tax-cards", "import", str(cards), "--by", "sb-17", "--db", db)
    assert out.exit_code == 0, out.stderr


@pytest.mark.parametrize("benefit", ["2024-03", "2024-04"])
def test_payment_file_and_income_report_to_the_ore(database_url: str, tmp_path: Path, benefit: str) -> None:
    build(database_url, tmp_path)
    pay_file = tmp_path / "pay.txt"
    out = invoke("payout-file", benefit, "--output", str(pay_file), "--json", "--db", database_url)
    assert out.exit_code == 0, out.stderr
    data = json.loads(out.stdout)
    rows = {r["case_id"]: (r["gross"], r["a_skat"], r["net"]) for r in data["rows"]}
    assert rows == EXPECTED[benefit]
    gross = sum(Decimal(v[0]) for v in rows.values())
    skat = sum(Decimal(v[1]) for v in rows.values())
    assert data["totals"]["gross"] == data["totals"]["run_total_payout"] == f"{gross:.2f}"
    assert Decimal(data["totals"]["net"]) == gross - skat
    assert not any(cpr in out.stdout for cpr in CPRS.values())  # --json prints no CPR number
    day = "2024-03-29" if benefit == "2024-03" else "2024-04-30"  # the month's last weekday
    lines = pay_file.read_text(encoding="utf-8").splitlines()
    month_da = "marts" if benefit == "2024-03" else "april"
    assert lines[0] == f"H;flexcalc-udbetaling;2;{benefit};{day};11223344"
    assert lines[1] == f"D;B;{CPRS['B']};{day};{';'.join(EXPECTED[benefit]['B'])};Fleksløntilskud {month_da} 2024"
    assert lines[-1] == f"T;3;{gross:.2f};{skat:.2f};{gross - skat:.2f}"

    report = tmp_path / "report.txt"
    out = invoke("income-report", benefit, "--output", str(report), "--db", database_url)
    assert out.exit_code == 0, out.stderr
    people = {p.case_id: p for p in check_income_report(report.read_text(encoding="utf-8"))}
    assert set(people) == set(CPRS)
    plain = invoke("payout-file", benefit, "--output", str(pay_file), "--db", database_url)
    for shown in (out, plain):  # the files hold CPR numbers; what is printed never does
        assert shown.exit_code == 0 and not any(cpr in shown.stdout + shown.stderr for cpr in CPRS.values())
    for case, (a_income, a_skat, _) in EXPECTED[benefit].items():
        p = people[case]
        assert p.cpr == CPRS[case]
        assert p.fields == {"0014": Decimal(a_income), "0015": Decimal(a_skat), "0046": Decimal("500")}
        assert p.account.startswith("urn:oio:") and p.period[0] == benefit.replace("-", "") + "01"


def test_the_reported_fields_give_the_finance_reports_refund(sqlite_url: str, tmp_path: Path) -> None:
    """What Ydelsesrefusion reads (A-income 0014 + own ATP 0046 = the subsidy, for the period 0215) gives
    the refund the finance report expects, case by case and in total."""
    from flexcalc.finance.ladder import refund_for_period
    from flexcalc.finance.report import finance_report

    build(sqlite_url, tmp_path)
    report = tmp_path / "report.txt"
    assert invoke("income-report", "2024-04", "--output", str(report), "--db", sqlite_url).exit_code == 0
    people = {p.case_id: p for p in check_income_report(report.read_text(encoding="utf-8"))}
    finance = finance_report(open_ledger(sqlite_url), Month(2024, 4))
    assert len(finance.lines) == 3
    total = Decimal(0)
    for line in finance.lines:
        reported = people[line.case_id]
        subsidy = reported.fields["0014"] + reported.fields["0046"]
        assert subsidy == line.amounts["subsidy"] == Decimal("13032.75")
        assert line.weeks_before is not None and line.refund is not None
        from_report = refund_for_period(Month(2024, 4), subsidy, line.weeks_before).refund
        # by hand: 5 benefit weeks before April, so all of April lies in weeks 6–10, at 40 %:
        # 13.032,75 × 0,40 = 5.213,10 kr.
        assert line.weeks_before == 5
        assert from_report == line.amounts["refund"] == Decimal("5213.10")
        total += from_report
    assert total == finance.totals()["refund"] == Decimal("15639.30")


def test_bad_tax_card_files_store_nothing(sqlite_url: str, tmp_path: Path) -> None:
    from sqlalchemy import text

    build(sqlite_url, tmp_path)
    cases = [
        ("case_id;card;withholding_rate;monthly_deduction;valid_from\nH;kort;37;0;2024-05-01\n", "row 2: card"),
        ("case_id;card;withholding_rate;monthly_deduction;valid_from\nH;hovedkort;137;0;2024-05-01\n",
         "row 2: withholding_rate"),
        ("case_id;card;withholding_rate;monthly_deduction;valid_from\nH;bikort;37;100;2024-05-01\n",
         "row 2: monthly_deduction"),
        ("case_id;card;withholding_rate;monthly_deduction;valid_from\nH;frikort;37;;2024-05-01\n",
         "row 2: free_amount"),
        ("case_id;card;withholding_rate;monthly_deduction;valid_from\nH;hovedkort;37;0;2024-05-01\n"
         "NOPE;hovedkort;37;0;2024-05-01\n", "row 3: case_id"),
        ("case_id;card;withholding_rate;monthly_deduction;valid_from\nH;hovedkort;37;0;1.5.2024x\n",
         "row 2: valid_from"),
        ("case_id;card;monthly_deduction;valid_from\nH;hovedkort;0;2024-05-01\n", "withholding_rate"),
    ]
    for content, field in cases:
        bad = tmp_path / "bad.csv"
        bad.write_text(content, encoding="utf-8")
        out = invoke("tax-cards", "import", str(bad), "--db", sqlite_url)
        assert out.exit_code == 2 and field in out.stderr, (field, out.stderr)
    from flexcalc.ledger.db import session_factory

    with session_factory(sqlite_url)() as session:  # only the three good cards of ``build``
        assert session.execute(text("SELECT count(*) FROM ledger_tax_card")).scalar_one() == 3
        audited = session.execute(text("SELECT count(*) FROM audit_log WHERE route = 'flexcalc tax-cards import'"))
        assert audited.scalar_one() == 1  # the good import, audited in its own transaction; the refused ones not


def test_a_new_card_is_a_new_row_and_governs_from_its_date(sqlite_url: str, tmp_path: Path) -> None:
    """A bikort from 1 April replaces H's hovedkort for April only; March is unchanged; nothing overwritten."""
    build(sqlite_url, tmp_path)
    new = tmp_path / "new.csv"
    new.write_text("case_id,card,withholding_rate,monthly_deduction,valid_from\nH,bikort,40,,2024-04-01\n",
                   encoding="utf-8")
    assert invoke("tax-cards", "import", str(new), "--db", sqlite_url).exit_code == 0
    for benefit, expected in (("2024-03", ["14772.00", "3791.00", "10981.00"]),
                              ("2024-04", ["12532.75", "5013.00", "7519.75"])):
        out = invoke("payout-file", benefit, "--output", str(tmp_path / "p.txt"), "--json", "--db", sqlite_url)
        row = next(r for r in json.loads(out.stdout)["rows"] if r["case_id"] == "H")
        assert [row["gross"], row["a_skat"], row["net"]] == expected


def test_no_run_or_no_card_writes_no_file(sqlite_url: str, tmp_path: Path) -> None:
    build(sqlite_url, tmp_path)
    target = tmp_path / "p.txt"
    out = invoke("payout-file", "2024-06", "--output", str(target), "--db", sqlite_url)
    assert out.exit_code == 2 and "month" in out.stderr and "betalingskørsel" in out.stderr
    out = invoke("payout-file", "2023-12", "--output", str(target), "--payment-date", "2023-12-29", "--db", sqlite_url)
    assert out.exit_code == 2 and not target.exists()
    out = invoke("payout-file", "2024-03", "--output", str(target), "--payment-date", "2023-12-29",
                 "--db", sqlite_url)  # the cards are valid from 2024: none in force
    assert out.exit_code == 2 and "tax_card" in out.stderr and "skattekort" in out.stderr and not target.exists()
    assert not list(tmp_path.glob("*.partial"))


def test_the_report_check_finds_a_broken_report(sqlite_url: str, tmp_path: Path) -> None:
    build(sqlite_url, tmp_path)
    report = tmp_path / "r.txt"
    assert invoke("income-report", "2024-03", "--output", str(report), "--db", sqlite_url).exit_code == 0
    good = report.read_text(encoding="utf-8").splitlines()
    check_income_report(good)
    broken = [
        [x.replace("6001;0015;3791.00", "6001;0015;3792.00") for x in good],  # totals no longer add up
        [x for x in good if not x.startswith("6004")],                        # the refund account left out
        [x.replace(f"6000;{CPRS['H']}", "6000;12345") for x in good],         # not a CPR number
        [x.replace(";04", ";00") if x.startswith("5000") else x for x in good],  # AM-liable income type
        good[:-1],                                                            # no trailer
    ]
    for lines in broken:
        with pytest.raises(ReportError):
            check_income_report(lines)


def test_tax_cards_are_append_only_in_the_database_and_the_migration_goes_down(database_url: str,
                                                                              tmp_path: Path) -> None:
    from alembic import command
    from sqlalchemy import inspect, text

    from flexcalc.ledger.db import alembic_config, dispose_all, make_engine

    build(database_url, tmp_path)
    engine = make_engine(database_url)
    for statement in ("UPDATE ledger_tax_card SET withholding_rate = '1.00'", "DELETE FROM ledger_tax_card"):
        with pytest.raises(Exception, match="append-only"), engine.begin() as c:
            c.execute(text(statement))
    if database_url.startswith("postgresql"):
        with pytest.raises(Exception, match="append-only"), engine.begin() as c:
            c.execute(text("TRUNCATE ledger_tax_card"))
    else:
        with pytest.raises(Exception, match="append-only"), engine.begin() as c:
            c.execute(text("INSERT OR REPLACE INTO ledger_tax_card SELECT * FROM ledger_tax_card"))
    with pytest.raises(Exception, match="card"), engine.begin() as c:  # the CHECK on the kind of card
        c.execute(text("INSERT INTO ledger_tax_card (case_id, card, withholding_rate, monthly_deduction, free_amount, "
                       "valid_from, source, recorded_by, recorded_at) VALUES ('H', 'kort', '37', 0, 0, '2024-01-01', "
                       "'s', 'x', '2024-01-01')"))
    with engine.begin() as c:
        assert c.execute(text("SELECT count(*) FROM ledger_tax_card")).scalar_one() == 3
    dispose_all()
    from alembic.script import ScriptDirectory

    config = alembic_config(database_url)
    before = ScriptDirectory.from_config(config).get_revision("0018_tax_cards_payouts").down_revision
    command.downgrade(config, str(before))  # just this migration's step back, wherever it sits in the chain
    inspector = inspect(make_engine(database_url))
    assert "ledger_tax_card" not in inspector.get_table_names()
    assert "message_id" not in {c["name"] for c in inspector.get_columns("ledger_letter_sending")}
    dispose_all()
    command.upgrade(alembic_config(database_url), "head")
    assert "ledger_tax_card" in inspect(make_engine(database_url)).get_table_names()
    dispose_all()
