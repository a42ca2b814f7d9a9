"""The whole chain through the CLI: a register answer (eIndkomst, XML) → ``reports ingest --format eindkomst``
→ the payment run → tax cards → the payment file and the income report, to the øre against this hand
computation; the finance report's expected refund agrees with the reported fields.

Benefit month April 2024, basis month March 2024 (rates 2024: M = 19.952,00, T = 16.323,00 a month;
subsidy = M − 0,30 × min(W, T) − 0,55 × max(W − T, 0); own ATP = min(5 % of the subsidy, 500) in whole
kroner, LAB § 137). Wage W = felt 13 + felt 147 + felt 148 (the register fields 057, 197, 198); the other
fields of the answer (ATP 076, own ATP 199, A-skat 059, hours 096, earned holiday pay 098) do not count.

- P1 (SE 12345678): felt 13 12.000,00 + felt 147 480,00 + felt 148 960,00 = W 13.440,00;
  subsidy 19.952 − 0,30 × 13.440 = 15.920,00; own ATP min(796,00; 500) = 500; A-income 15.420,00.
  Hovedkort 37 %, deduction 4.525: (15.420 − 4.525) × 0,37 = 4.031,15 → 4.031; net 11.389,00.
- P2 (SE 12345678): 18.500,00 + 740,00 + 1.480,00 = W 20.720,00;
  subsidy 19.952 − 0,30 × 16.323 − 0,55 × 4.397 = 19.952 − 4.896,90 − 2.418,35 = 12.636,75;
  own ATP min(631,84; 500) = 500; A-income 12.136,75. Bikort 40 %: 4.854,70 → 4.855; net 7.281,75.
- P3 (SE 87654321): 27.000,00 + 1.000,00 + 2.000,00 = W 30.000,00;
  subsidy 15.055,10 − 0,55 × 13.677 = 15.055,10 − 7.522,35 = 7.532,75; own ATP 5 % = 376,6375 → 377;
  A-income 7.155,75. Hovedkort 38 %, deduction 3.000: 4.155,75 × 0,38 = 1.579,185 → 1.579; net 5.576,75.
- Totals: gross 34.712,50; A-skat 10.465,00; net 24.247,50. Payment date: 30 April 2024 (a Tuesday).
- Refund (LBK 221/2021 § 5 stk. 2: the ladder counts benefit weeks; visitation 1 January 2024, no benefit
  weeks before April, so weeks 1–4 are 1–28 April at 80 % and 29–30 April week 5 at 40 %; the subsidy shared
  by days 28/30 and 2/30, rounded to øre): P1 15.920,00 → 14.858,67 × 0,80 = 11.886,94 + 1.061,33 × 0,40 =
  424,53 = 12.311,47; P2 12.636,75 → 11.794,30 × 0,80 = 9.435,44 + 842,45 × 0,40 = 336,98 = 9.772,42;
  P3 7.532,75 → 7.030,57 × 0,80 = 5.624,46 + 502,18 × 0,40 = 200,87 = 5.825,33. The same figures come out of
  the reported fields 0014 + 0046 (= the subsidy) for the period 0215.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
import xmlschema

from fixtures.eindkomst import XSD, Period, Person, write_answer
from flexcalc.formats.income_report import check_income_report
from tests.support.ledger_cli import invoke

pytestmark = pytest.mark.usefixtures("migrated_databases")  # the CLI never migrates: the explicit step first

CPRS = {"P1": "0101801111", "P2": "0101802222", "P3": "0101803333"}  # synthetic test series
PARTS = {"P1": ("12345678", "12000.00", "480.00", "960.00"), "P2": ("12345678", "18500.00", "740.00", "1480.00"),
         "P3": ("87654321", "27000.00", "1000.00", "2000.00")}
EXPECTED = {"P1": ("15920.00", "500.00", "15420.00", "4031.00", "11389.00"),
            "P2": ("12636.75", "500.00", "12136.75", "4855.00", "7281.75"),
            "P3": ("7532.75", "377.00", "7155.75", "1579.00", "5576.75")}
REFUND = {"P1": Decimal("12311.47"), "P2": Decimal("9772.42"), "P3": Decimal("5825.33")}
CARDS = """case_id,card,withholding_rate,monthly_deduction,valid_from,free_amount
P1,hovedkort,37,4525,2024-01-01,
P2,bikort,40,,2024-01-01,
P3,hovedkort,38,3000,2024-01-01,
"""
PAY_DAY = "2024-04-30"


def answer(path: Path) -> None:
    people = []
    for n, (case, cpr) in enumerate(CPRS.items()):
        se, felt13, own, employer = PARTS[case]
        people.append(Person(cpr, [Period(
            se=se, own_id=f"L2403-{case}", register_id=7000 + n, received="2024-04-05T10:00:00+02:00",
            disposition="2024-03-28", start="2024-03-01", end="2024-03-31",
            amounts={"057": felt13, "197": own, "198": employer, "076": "94.65", "199": "31.55", "059": "4000.00",
                     "096": "64", "098": "1500.00"})]))
    with path.open("w", encoding="utf-8") as out:
        write_answer(out, people)
    xmlschema.XMLSchema(str(XSD)).validate(str(path))


def run_chain(db: str, tmp_path: Path) -> None:
    for case, cpr in CPRS.items():
        made = invoke("case", "create", case, "--ceiling", "45000", "--from", "2024-04", "--cpr", cpr,
                      "--employer", PARTS[case][0], "--db", db)
        assert made.exit_code == 0, made.output
    xml = tmp_path / "answer.xml"
    answer(xml)
    read = invoke("reports", "ingest", "--format", "eindkomst", str(xml), "--json", "--db", db)
    assert read.exit_code == 0, read.output
    assert json.loads(read.stdout)["stored"] == 3 and json.loads(read.stdout)["held"] == 0
    history = tmp_path / "history.csv"
    history.write_text("case_id,kind,start\n" + "".join(f"{c},visitation,2024-01-01\n" for c in CPRS), encoding="utf-8")
    assert invoke("finance", "history", "import", str(history), "--db", db).exit_code == 0
    paid = invoke("pay", "2024-04", "--as-of", "2024-04-08", "--json", "--db", db)
    assert paid.exit_code == 0, paid.output
    cards = tmp_path / "cards.csv"
    cards.write_text(CARDS, encoding="utf-8")
    assert invoke("tax-cards", "import", str(cards), "--by", "fin-1", "--db", db).exit_code == 0


def test_register_answer_to_payment_file_and_income_report(database_url: str, tmp_path: Path) -> None:
    run_chain(database_url, tmp_path)
    trace = json.loads(invoke("reports", "register", "P2", "--json", "--db", database_url).stdout)
    assert [r["wage_income"] for r in trace["reports"]] == ["20720.00"]  # the wage parts, from 057 + 197 + 198

    pay_file = tmp_path / "pay.txt"
    out = invoke("payout-file", "2024-04", "--output", str(pay_file), "--json", "--db", database_url)
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert {r["case_id"]: (r["gross"], r["a_skat"], r["net"]) for r in data["rows"]} == {
        c: e[2:] for c, e in EXPECTED.items()}
    totals = data["totals"]
    assert (totals["gross"], totals["a_skat"], totals["net"]) == ("34712.50", "10465.00", "24247.50")
    assert totals["run_total_subsidy"] == "36089.50" and totals["run_total_atp_own"] == "1377.00"
    lines = pay_file.read_text(encoding="utf-8").splitlines()
    assert lines[0] == f"H;flexcalc-udbetaling;2;2024-04;{PAY_DAY};11223344"
    assert lines[1:4] == [f"D;{c};{CPRS[c]};{PAY_DAY};{';'.join(EXPECTED[c][2:])};Fleksløntilskud april 2024"
                          for c in ("P1", "P2", "P3")]
    assert lines[4] == "T;3;34712.50;10465.00;24247.50"

    report = tmp_path / "report.txt"
    assert invoke("income-report", "2024-04", "--output", str(report), "--db", database_url).exit_code == 0
    people = {p.case_id: p for p in check_income_report(report.read_text(encoding="utf-8"))}
    for case, (subsidy, atp, a_income, a_skat, _) in EXPECTED.items():
        p = people[case]
        assert p.cpr == CPRS[case] and p.period == ("20240401", "20240430")
        assert p.fields == {"0014": Decimal(a_income), "0015": Decimal(a_skat), "0046": Decimal(atp)}
        assert p.fields["0014"] + p.fields["0046"] == Decimal(subsidy)

    finance = invoke("finance", "2024-04", "--json", "--db", database_url)
    assert finance.exit_code == 0, finance.output
    from flexcalc.finance.ladder import refund_for_period
    from flexcalc.period import Month

    lines_by_case = {x["case_id"]: x for x in json.loads(finance.stdout)["lines"]}
    for case, p in people.items():
        line = lines_by_case[case]
        reported = p.fields["0014"] + p.fields["0046"]
        from_report = refund_for_period(Month(2024, 4), reported, line["weeks_before"]).refund
        assert from_report == Decimal(line["refund"]) == REFUND[case]


def _old_scheme_case(db: str) -> None:
    """OLD-1: fleksjob begun 2011 under the old rules (LAB § 133), ⅔, the employer 55667788 is the payee.
    April 2024: agreement wage 30.000,00 + employer contributions 2.700,00 = basis 32.700,00 (under the
    monthly cap 49.015,67); subsidy ⅔ × 32.700 = 21.800,00 to the employer, no A-skat (not the person's
    income); not in the income report."""
    from typer.testing import CliRunner

    from flexcalc.cli import app

    runner = CliRunner()
    for args in (["case", "OLD-1", "--from", "2024-01", "--employer", "55667788", "--fraction", "2/3",
                  "--job-start", "2011-03-01", "--known-at", "2024-01-02T10:00:00+00:00"],
                 ["claim", "OLD-1", "--month", "2024-04", "--employer", "55667788", "--agreement-wage", "30000",
                  "--employer-contributions", "2700", "--received-at", "2024-04-02T10:00:00+00:00"]):
        done = runner.invoke(app, ["--by", "sb-7", "old-scheme", *args, "--db", db])
        assert done.exit_code == 0, done.output


def test_employer_payees_of_the_old_scheme_in_the_payment_file(database_url: str, tmp_path: Path) -> None:
    _old_scheme_case(database_url)
    run_chain(database_url, tmp_path)
    pay_file = tmp_path / "pay.txt"
    out = invoke("payout-file", "2024-04", "--output", str(pay_file), "--json", "--db", database_url)
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["employer_rows"] == [{"case_id": "OLD-1", "payee": "employer", "cvr": "55667788", "sequence": 1,
                                      "gross": "21800.00", "a_skat": "0.00", "net": "21800.00"}]
    assert data["totals"]["gross"] == data["totals"]["run_total_payout"] == "34712.50"  # the persons' run
    lines = pay_file.read_text(encoding="utf-8").splitlines()
    assert lines[4] == f"V;OLD-1;55667788;{PAY_DAY};21800.00;0.00;21800.00;Tilskud fleksjob før 2013 april 2024"
    assert lines[5] == "T;4;56512.50;10465.00;46047.50"  # 34.712,50 + 21.800; A-skat only the persons'
    plain = invoke("payout-file", "2024-04", "--output", str(pay_file), "--db", database_url)
    assert "+ 1 udbetalinger til arbejdsgivere (fleksjob før 2013): 21800.00, ingen A-skat" in plain.stdout
    # the employer corrects the claim (wage 31.000,00 + 2.790,00 = 33.790,00; ⅔ = 22.526,67): a re-run of the
    # period pays the difference 726,67 as the period's second transfer, its text saying it is a back payment
    from typer.testing import CliRunner

    from flexcalc.cli import app

    for args in (["claim", "OLD-1", "--month", "2024-04", "--employer", "55667788", "--agreement-wage", "31000",
                  "--employer-contributions", "2790", "--replaces", "1", "--received-at", "2024-04-20T10:00:00+00:00"],
                 ["pay", "--month", "2024-04", "--as-of", "2024-04-21T10:00:00+00:00"]):
        done = CliRunner().invoke(app, ["--by", "sb-7", "old-scheme", *args, "--db", database_url])
        assert done.exit_code == 0, done.output
    again = json.loads(invoke("payout-file", "2024-04", "--output", str(pay_file), "--json", "--db",
                              database_url).stdout)
    assert [(r["sequence"], r["net"]) for r in again["employer_rows"]] == [(1, "21800.00"), (2, "726.67")]
    assert pay_file.read_text(encoding="utf-8").splitlines()[5] == (
        f"V;OLD-1;55667788;{PAY_DAY};726.67;0.00;726.67;Efterbetaling tilskud fleksjob før 2013 april 2024")
    report = tmp_path / "report.txt"
    assert invoke("income-report", "2024-04", "--output", str(report), "--db", database_url).exit_code == 0
    text = report.read_text(encoding="utf-8")
    assert "OLD-1" not in text and "55667788" not in text  # the employer's subsidy is not a person's income
    assert {p.case_id for p in check_income_report(text)} == set(CPRS)


def test_a_back_payment_is_paid_and_reported_in_the_month_it_is_paid(sqlite_url: str, tmp_path: Path) -> None:
    """The register corrects P1's March felt 13 from 12.000,00 to 11.000,00 (W 12.440,00) and brings April's
    report (W 13.440,00 as in March before). April's subsidy becomes 19.952 − 0,30 × 12.440 = 16.220,00
    (+300,00; own ATP still 500): a back payment of 300,00 concerning April, paid in May's run.
    May: subsidy 15.920,00, ATP 500, payout 15.420,00, A-skat 4.031 (as April before), net 11.389,00.
    The back payment is A-income of May's payment date: the tax on 15.720,00 is (15.720 − 4.525) × 0,37 =
    4.142,15 → 4.142, so its A-skat is 4.142 − 4.031 = 111,00 and its net 189,00. Reported in May's report as
    its own group: 0014 300,00, 0015 111,00, 0046 0,00, period 0215 = April (the month it concerns)."""
    run_chain(sqlite_url, tmp_path)
    xml = tmp_path / "may.xml"
    fields = {"076": "94.65", "199": "31.55", "096": "64"}
    with xml.open("w", encoding="utf-8") as out:
        write_answer(out, [Person(CPRS["P1"], [
            Period(se="12345678", own_id="L2403-P1", register_id=7100, received="2024-05-03T10:00:00+02:00",
                   disposition="2024-03-28", start="2024-03-01", end="2024-03-31",
                   amounts={"057": "11000.00", "197": "480.00", "198": "960.00", **fields}),
            Period(se="12345678", own_id="L2404-P1", register_id=7101, received="2024-05-03T10:00:00+02:00",
                   disposition="2024-04-26", start="2024-04-01", end="2024-04-30",
                   amounts={"057": "12000.00", "197": "480.00", "198": "960.00", **fields})])])
    read = json.loads(invoke("reports", "ingest", "--format", "eindkomst", str(xml), "--json", "--db",
                             sqlite_url).stdout)
    assert (read["stored"], read["corrections"]) == (1, 1)
    assert invoke("reconcile", "--as-of", "2024-05-06", "--json", "--db", sqlite_url).exit_code == 0
    paid = invoke("pay", "2024-05", "--as-of", "2024-05-08", "--json", "--db", sqlite_url)
    assert paid.exit_code == 0, paid.output
    pay_file = tmp_path / "pay.txt"
    out = invoke("payout-file", "2024-05", "--output", str(pay_file), "--json", "--db", sqlite_url)
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert [(r["case_id"], r["gross"], r["a_skat"], r["net"]) for r in data["rows"]] == [
        ("P1", "15420.00", "4031.00", "11389.00")]
    assert data["back_payment_rows"] == [{"case_id": "P1", "gross": "300.00", "a_skat": "111.00", "net": "189.00",
                                          "concerns_month": "2024-04"}]
    lines = pay_file.read_text(encoding="utf-8").splitlines()
    assert lines[2] == f"D;P1;{CPRS['P1']};2024-05-31;300.00;111.00;189.00;Efterbetaling fleksløntilskud april 2024"
    assert lines[3] == "T;2;15720.00;4142.00;11578.00"
    plain = invoke("payout-file", "2024-05", "--output", str(pay_file), "--db", sqlite_url)
    assert "+ 1 efterbetalinger: brutto 300.00, A-skat 111.00" in plain.stdout and CPRS["P1"] not in plain.stdout
    report = tmp_path / "report.txt"
    written = invoke("income-report", "2024-05", "--output", str(report), "--db", sqlite_url)
    assert written.exit_code == 0 and "2 indberetninger 2024-05" in written.stdout
    groups = check_income_report(report.read_text(encoding="utf-8"))
    assert [(g.case_id, g.fields["0014"], g.fields["0015"], g.fields["0046"], g.period) for g in groups] == [
        ("P1", Decimal("15420.00"), Decimal("4031.00"), Decimal("500.00"), ("20240501", "20240531")),
        ("P1", Decimal("300.00"), Decimal("111.00"), Decimal("0.00"), ("20240401", "20240430"))]


def test_a_month_that_pays_only_employers_still_has_its_payment_file(sqlite_url: str, tmp_path: Path) -> None:
    _old_scheme_case(sqlite_url)
    assert invoke("pay", "2024-04", "--as-of", "2024-04-08", "--db", sqlite_url).exit_code == 0
    pay_file = tmp_path / "pay.txt"
    out = invoke("payout-file", "2024-04", "--output", str(pay_file), "--db", sqlite_url)
    assert out.exit_code == 0, out.output
    assert pay_file.read_text(encoding="utf-8").splitlines()[1:] == [
        f"V;OLD-1;55667788;{PAY_DAY};21800.00;0.00;21800.00;Tilskud fleksjob før 2013 april 2024",
        "T;1;21800.00;0.00;21800.00"]
    nothing = invoke("payout-file", "2024-06", "--output", str(tmp_path / "none.txt"), "--db", sqlite_url)
    assert nothing.exit_code == 2 and "betalingskørsel" in nothing.stderr  # no run at all: still an error
