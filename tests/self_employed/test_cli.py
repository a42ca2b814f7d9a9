"""``flexcalc self-employed``: calculate, and a case's year through the ledger (expect, pay, settle, show),
audited, refusing stale writes, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

from sqlalchemy import select

from flexcalc.ledger.db import session_factory
from flexcalc.security.models import AuditEntry
from tests.support.ledger_cli import invoke


def _json(*args: str) -> dict:
    result = invoke(*args)
    assert result.exit_code == 0, result.stdout + result.stderr
    return json.loads(result.stdout)


def test_calculate_below_and_above_the_end_of_the_subsidy() -> None:
    below = _json("self-employed", "calculate", "--year", "2024", "--profit", "300000", "--json")
    assert (below["annual"], below["monthly"], below["basic_amount"], below["reduction"]) == (
        "66956.00", "5579.67", "156956.00", "90000.00")
    assert below["trace"][0]["provision"] == "BEK 233/2024 § 8, stk. 1"
    above = _json("self-employed", "calculate", "--year", "2024", "--profit", "500000", "--other-income", "50000",
                  "--json")
    assert (above["annual"], above["monthly"], above["reduction"]) == ("0.00", "0.00", "165000.00")
    text = invoke("self-employed", "calculate", "--year", "2023", "--profit", "200000", "--other-income", "50000")
    assert "77.086,00 kr." in text.stdout and "6.423,83 kr." in text.stdout


def test_bad_input_exits_2_naming_the_field_in_both_languages() -> None:
    for args, field in ((["--profit", "12,345"], "profit"), (["--profit", "1", "--other-income", "-1"], "other_income"),
                        (["--profit", "1", "--year", "2019"], "year")):
        full = ["self-employed", "calculate", "--year", "2024", *args] if "--year" not in args else \
            ["self-employed", "calculate", *args]
        result = invoke(*full)
        assert result.exit_code == 2
        assert f"error: {field}:" in result.stderr and f"fejl: {field}:" in result.stderr


def test_a_year_through_the_ledger_with_a_settlement(database_url: str) -> None:
    db = ("--db", database_url)
    assert invoke("--by", "sb-9", "self-employed", "case", "create", "S-1", "--first-year", "2024", *db).exit_code == 0
    version = _json("self-employed", "show", "--case", "S-1", "--year", "2024", "--json", *db)["version"]
    refused = invoke("self-employed", "expect", "--case", "S-1", "--year", "2024", "--profit", "300000",
                     "--source", "budget", *db)  # no terminal, no version
    assert refused.exit_code == 2 and "--expect-version" in refused.stderr
    state = _json("self-employed", "expect", "--case", "S-1", "--year", "2024", "--profit", "300000", "--source",
                  "budget", "--expect-version", version, "--json", *db)
    assert state["calculation"]["annual"] == "66956.00"
    stale = invoke("self-employed", "expect", "--case", "S-1", "--year", "2024", "--profit", "1", "--source", "x",
                   "--expect-version", version, *db)
    assert stale.exit_code == 2 and "nothing stored" in stale.stderr
    for number in range(1, 13):
        run = _json("self-employed", "pay", f"2024-{number:02d}", "--json", *db)
        assert run["paid"][0]["amount"] == ("5579.63" if number == 12 else "5579.67")
    preview = _json("self-employed", "settle", "--case", "S-1", "--year", "2024", "--assessed-profit", "350000",
                    "--preview", "--json", *db)
    assert (preview["stored"], preview["difference"], preview["treatment"]) == (False, "-15000.00", "repayment_review")
    version = _json("self-employed", "show", "--case", "S-1", "--year", "2024", "--json", *db)["version"]
    settled = _json("self-employed", "settle", "--case", "S-1", "--year", "2024", "--assessed-profit", "250000",
                    "--source", "årsopgørelse 2024", "--expect-version", version, "--json", *db)
    assert (settled["stored"], settled["difference"], settled["outcome"]) == (True, "15000.00", "underpayment")
    run = _json("self-employed", "pay", "2025-05", "--json", *db)
    assert run["back_payments"][0]["amount"] == "15000.00"
    version = _json("self-employed", "show", "--case", "S-1", "--year", "2024", "--json", *db)["version"]
    later = _json("self-employed", "settle", "--case", "S-1", "--year", "2024", "--assessed-profit", "400000",
                  "--expect-version", version, "--json", *db)   # 36.956 − 66.956 − 15.000 = −45.000
    assert (later["difference"], later["treatment"]) == ("-45000.00", "repayment_review")
    version = _json("self-employed", "show", "--case", "S-1", "--year", "2024", "--json", *db)["version"]
    no_hearing = invoke("self-employed", "decide", "--case", "S-1", "--settlement", str(later["settlement_id"]),
                        "--outcome", "collect", "--reason", "vidste det", "--expect-version", version, *db)
    assert no_hearing.exit_code == 2 and "fejl: hearing_on:" in no_hearing.stderr
    decided = _json("self-employed", "decide", "--case", "S-1", "--settlement", str(later["settlement_id"]),
                    "--outcome", "collect", "--reason", "vidste det", "--hearing-on", "2025-06-01",
                    "--expect-version", version, "--json", *db)
    assert (decided["outcome"], decided["amount"]) == ("collect", "45000.00")
    with session_factory(database_url)() as session:
        routes = [(r.route, r.case_id) for r in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert routes[0] == ("flexcalc self-employed case create", "S-1")
    assert ("flexcalc self-employed expect 2024", "S-1") in routes
    assert ("flexcalc self-employed settle 2024", "S-1") in routes
    assert ("flexcalc self-employed pay 2025-05", None) in routes
    assert (f"flexcalc self-employed decide {later['settlement_id']}", "S-1") in routes
    assert sum(1 for r, _ in routes if r == "flexcalc self-employed expect 2024") == 1  # the refused ones left none


def test_rates_show_the_self_employed_basic_amounts_with_status_and_source() -> None:
    data = _json("rates", "--json")["self_employed"]
    values = {v["start"]: v for v in data["self_employed_basic_amount"]["values"]}
    assert (values["2020-01-01"]["value"], values["2020-01-01"]["status"]) == ("143889", "published")
    assert values["2024-01-01"]["value"] == "156956" and "paragraf/8" in values["2024-01-01"]["source"]
    assert (values["2026-01-01"]["value"], values["2026-01-01"]["status"]) == ("169923", "computed")
    assert values["2027-01-01"]["status"] == "assumed"
    assert data["self_employed_reduction_rate"]["values"][0]["value"] == "0.30"
    table = invoke("rates").stdout
    assert "Selvstændige: Grundbeløb" in table and "156.956 kr." in table


def test_the_letters_from_the_ledger(sqlite_url: str) -> None:
    db = ("--db", sqlite_url)
    assert invoke("self-employed", "case", "create", "S-2", "--first-year", "2024", *db).exit_code == 0
    version = _json("self-employed", "show", "--case", "S-2", "--year", "2024", "--json", *db)["version"]
    _json("self-employed", "expect", "--case", "S-2", "--year", "2024", "--profit", "300000", "--source", "budget",
          "--expect-version", version, "--json", *db)
    decision = invoke("self-employed", "letter", "--case", "S-2", "--year", "2024", "--date", "2024-01-10", *db)
    assert decision.exit_code == 0 and "66.956,00 kr." in decision.stdout and "7. februar 2024" in decision.stdout
    none = invoke("self-employed", "letter", "--case", "S-2", "--year", "2024", "--kind", "settlement", *db)
    assert none.exit_code == 2 and "fejl: settlement:" in none.stderr
    for number in (1, 2, 3):
        _json("self-employed", "pay", f"2024-{number:02d}", "--json", *db)
    version = _json("self-employed", "show", "--case", "S-2", "--year", "2024", "--json", *db)["version"]
    _json("self-employed", "settle", "--case", "S-2", "--year", "2024", "--assessed-profit", "250000",
          "--expect-version", version, "--json", *db)
    letter = invoke("self-employed", "letter", "--case", "S-2", "--year", "2024", "--kind", "settlement",
                    "--date", "2025-05-02", "--format", "html", *db)
    # 3 × (6.829,67 − 5.579,67) = 3.750,00 owed for January–March
    assert letter.exit_code == 0 and "3.750,00 kr. mere" in letter.stdout and '<html lang="da">' in letter.stdout
