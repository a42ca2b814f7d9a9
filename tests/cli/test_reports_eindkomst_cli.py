"""``flexcalc reports ingest --format eindkomst``: the summary as JSON, the progress bar, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.ledger_cli import invoke

pytestmark = pytest.mark.usefixtures("migrated_databases")  # the CLI never migrates: the explicit step first

ANSWERS = Path(__file__).resolve().parents[2] / "fixtures" / "eindkomst"


def _cases(db: str) -> None:
    for case_id, cpr in (("K-A", "0101901234"), ("K-B", "0101911234")):
        made = invoke("case", "create", case_id, "--ceiling", "32000", "--from", "2024-04", "--cpr", cpr, "--db", db)
        assert made.exit_code == 0, made.output


def test_json_summary_and_a_second_reading_changes_nothing(sqlite_url: str) -> None:
    _cases(sqlite_url)
    first = invoke("reports", "ingest", "--format", "eindkomst", str(ANSWERS / "answer_2024_03.xml"), "--json",
                   "--progress", "--db", sqlite_url)
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout) == {"read": 5, "stored": 2, "unchanged": 0, "corrections": 0, "reversals": 0,
                                        "held": 0, "unknown_cpr": 3, "held_reasons": {}}
    assert "Indlæser" not in first.stderr  # never a bar with --json
    assert "0101" not in first.stdout + first.stderr  # no CPR number printed
    again = invoke("reports", "ingest", "--format", "eindkomst", str(ANSWERS / "answer_2024_03.xml"), "--progress",
                   "--db", sqlite_url)
    assert again.exit_code == 0, again.output
    assert "read 5: stored 0, unchanged 2" in again.stdout and "Indlæser" in again.stderr


def test_a_file_that_is_not_xml_exits_2_and_stores_nothing(sqlite_url: str, tmp_path: Path) -> None:
    _cases(sqlite_url)
    bad = tmp_path / "bad.xml"
    bad.write_bytes((ANSWERS / "answer_2024_03.xml").read_bytes()[:-300])
    out = invoke("reports", "ingest", "--format", "eindkomst", str(bad), "--json", "--db", sqlite_url)
    assert out.exit_code == 2 and "file" in out.output
    again = invoke("reports", "ingest", "--format", "eindkomst", str(ANSWERS / "answer_2024_03.xml"), "--json",
                   "--db", sqlite_url)
    assert json.loads(again.stdout)["stored"] == 2  # the broken file left nothing behind


def test_an_unknown_format_is_refused(sqlite_url: str) -> None:
    out = invoke("reports", "ingest", "--format", "xlsx", str(ANSWERS / "answer_2024_03.xml"), "--db", sqlite_url)
    assert out.exit_code == 2 and "format" in out.output


def test_the_register_trace_of_a_case_in_danish(sqlite_url: str) -> None:
    _cases(sqlite_url)
    for month in ("03", "04"):
        assert invoke("reports", "ingest", "--format", "eindkomst", str(ANSWERS / f"answer_2024_{month}.xml"),
                      "--db", sqlite_url).exit_code == 0
    shown = invoke("reports", "register", "K-A", "--db", sqlite_url)
    assert shown.exit_code == 0, shown.output
    assert "lønindtægt 13.440,00 kr." in shown.stdout and "tilbagefører L2403-0001" in shown.stdout
    assert "Lønmodtagers pensionsandel: 480,00 kr. (felt 147, 100000000000000197; tæller)" in shown.stdout
    assert "ATP-bidrag i alt: 94,65 kr. (felt 46, 100000000000000076; tæller ikke)" in shown.stdout
    data = json.loads(invoke("reports", "register", "K-A", "--json", "--db", sqlite_url).stdout)
    assert [r["wage_income"] for r in data["reports"]] == ["13440.00", None, "12320.00"]
