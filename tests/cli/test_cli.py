from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from flexcalc.cli import app

# The CLI never migrates: each test's database gets the explicit `flexcalc db upgrade` first.
pytestmark = pytest.mark.usefixtures("migrated_databases")

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_calculate_json_star_2024() -> None:
    code, out, _ = run("calculate", "--month", "2024-03", "--wage", "15600", "--ceiling", "32067", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["subsidy"] == "15272.00"
    assert data["max_subsidy"] == "19952.00"
    assert data["threshold"] == "16323.00"
    assert data["reduction"] == "4680.00"
    assert data["subsidy_before_ceiling"] == "15272.00"
    assert data["atp_own"] == "500.00"
    assert data["payout"] == "14772.00"
    assert data["basis_month"] == "2024-02"
    assert [s["key"] for s in data["steps"]][:3] == ["timing", "wage_income", "max_subsidy"]


def test_calculate_text_is_danish_with_provisions() -> None:
    code, out, _ = run("calculate", "--month", "2024-03", "--wage", "15600", "--ceiling", "32067")
    assert code == 0
    assert "Fleksløntilskud: 15.272,00 kr." in out
    assert "februar 2024" in out and "LAB § 123, stk. 2" in out


def test_other_wage_counts() -> None:
    code, out, _ = run("calculate", "--month", "2024-03", "--wage", "10000", "--other-wage", "5600",
                       "--ceiling", "32067", "--json")
    assert code == 0 and json.loads(out)["subsidy"] == "15272.00"


def test_derived_rates_are_marked() -> None:
    code, out, _ = run("calculate", "--month", "2026-03", "--wage", "15600", "--ceiling", "32067", "--json")
    assert code == 0 and json.loads(out)["derived_rates"] == ["max_subsidy", "threshold",
                                                               "highest_unemployment_benefit"]
    code, out, _ = run("calculate", "--month", "2026-03", "--wage", "15600", "--ceiling", "32067")
    assert "Satserne for marts 2026 er et skøn. De er ikke offentliggjort endnu" in out and "afledt" not in out


@pytest.mark.parametrize(("args", "field"), [
    (["--month", "2024-03", "--wage", "-100", "--ceiling", "32067"], "wage"),
    (["--month", "2024-03", "--wage", "nan", "--ceiling", "32067"], "wage"),
    (["--month", "2024-03", "--wage", "inf", "--ceiling", "32067"], "wage"),
    (["--month", "2024-03", "--wage", "15600.001", "--ceiling", "32067"], "wage"),
    (["--month", "2024-03", "--wage", "10000001", "--ceiling", "32067"], "wage"),
    (["--month", "2024-03", "--wage", "abc", "--ceiling", "32067"], "wage"),
    (["--month", "2013-12", "--wage", "100", "--ceiling", "32067"], "month"),
    (["--month", "2028-03", "--wage", "100", "--ceiling", "32067"], "month"),
    (["--month", "2024-13", "--wage", "100", "--ceiling", "32067"], "month"),
    (["--month", "2024-03", "--wage", "100", "--ceiling", "-1"], "ceiling"),
    (["--month", "2024-03", "--wage", "100", "--ceiling", "1", "--other-wage", "x"], "other_wage"),
])
def test_bad_input_exits_2_naming_the_field(args: list[str], field: str) -> None:
    code, out, err = run("calculate", *args)
    assert code == 2
    assert f"error: {field}:" in err and f"fejl: {field}:" in err
    assert out == ""


def test_month_past_the_table_says_so() -> None:
    _, _, err = run("calculate", "--month", "2028-03", "--wage", "100", "--ceiling", "1")
    assert "no rates for 2028-03" in err


def test_missing_option_exits_2() -> None:
    code, _, err = run("calculate", "--month", "2024-03", "--wage", "100")
    assert code == 2 and "--ceiling" in err


def test_rates_table_shows_status_and_sources() -> None:
    code, out, _ = run("rates")
    assert code == 0
    assert "19.952 kr." in out and "BEREGNET" in out and "ANTAGET" in out and "offentliggjort" in out
    assert "star.dk" in out
    code, out, _ = run("rates", "--json")
    data = json.loads(out)
    assert {v["status"] for v in data["threshold"]["values"] if v["value"]} == {"published", "assumed"}
    [m_2025] = [v for v in data["max_subsidy"]["values"] if v["start"] == "2025-01-01"]
    assert (m_2025["status"], m_2025["value"], m_2025["rule"]) == ("computed", "20670", "share")
    assert [(i["name"], i["value"], i["status"], i["from"]) for i in m_2025["inputs"]] == [
        ("factor", "0.98", "published", "literal"),
        ("amount", "21092", "published", "highest_unemployment_benefit@2025-01-01")]


def test_installed_entry_point_help() -> None:
    done = subprocess.run([sys.executable, "-m", "flexcalc", "--help"], capture_output=True, text=True, check=True)
    assert "calculate" in done.stdout and "rates" in done.stdout and "serve" in done.stdout


def test_rates_warns_on_stderr_and_in_json_when_the_table_ends_soon() -> None:
    code, out, err = run("rates", "--json", "--today", "2027-10-01")
    assert code == 0
    assert json.loads(out)["warning"]["last_month"] == "2027-12"
    assert "Advarsel: satserne slutter med 2027-12" in err
    code, out, err = run("rates", "--json", "--today", "2027-06-01")
    assert code == 0 and "warning" not in json.loads(out) and "slutter" not in err
    # the coming months whose rates are assumed are named (June to September 2027)
    assert json.loads(out)["assumed_months"] == ["2027-06", "2027-07", "2027-08", "2027-09"]
    assert json.loads(out)["law_warning"]["since"] == "2027-01"  # the table covers 2027: citations unconfirmed
    assert "satserne for juni 2027, juli 2027, august 2027, september 2027 er antaget" in err
    code, out, err = run("rates", "--json", "--today", "2024-05-01")
    assert code == 0 and json.loads(out)["assumed_months"] == [] and "satserne for" not in err
    code, _, err = run("rates", "--today", "2027-13-01")
    assert code == 2 and "today" in err
