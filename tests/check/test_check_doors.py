"""The check through its doors: ``flexcalc check FILE.yaml [--json]`` and ``POST /v1/checks`` give the same
differences and causes to the øre; nothing is stored; anonymous use is rate-limited like other routes."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest
import yaml
from fastapi.testclient import TestClient
from sqlalchemy import func, inspect, select, table
from typer.testing import CliRunner

from api import middleware
from api.app import create_app
from flexcalc.cli import app as cli_app
from flexcalc.ledger.db import make_engine, session_factory, upgrade

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "check"
runner = CliRunner()

EXPECTED = {  # hand-computed in tests/check/test_check_core.py
    "ceiling_without_evening.yaml": [("2024-03", "14682.75", "1442.75", ["ceiling_differs",
                                                                          "ceiling_without_supplements"])],
    "pension_missing.yaml": [("2024-03", "14792.75", "-659.25", ["wage_differs", "pension_missing"])],
    "holiday_wrong_month.yaml": [("2024-06", "14132.75", "-959.25", ["wage_differs", "holiday_wrong_month"]),
                                 ("2024-07", "15092.00", "959.25", ["wage_differs", "holiday_wrong_month"])],
    "simple.yaml": [("2024-03", "14132.75", "1132.75", ["ceiling_differs"])],
}


@pytest.fixture(autouse=True)
def _fresh_limits() -> Iterator[None]:
    middleware.clear_limits()
    yield
    middleware.clear_limits()


def _summary(data: dict[str, object]) -> list[tuple[str, str, str, list[str]]]:
    months = data["months"]
    assert isinstance(months, list)
    return [(m["month"], m["right_subsidy"], m["difference"],
             [c for cause in m["causes"] for c in (cause["code"], cause["reason"]) if c]) for m in months]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_cli_and_api_agree_to_the_ore(name: str) -> None:
    result = runner.invoke(cli_app, ["check", str(FIXTURES / name), "--json"])
    assert result.exit_code == 0, result.output
    cli = json.loads(result.stdout)
    assert _summary(cli) == EXPECTED[name]
    body = yaml.load((FIXTURES / name).read_text(), Loader=yaml.BaseLoader)  # every scalar as text
    api = TestClient(create_app()).post("/v1/checks", json=body)
    assert api.status_code == 200, api.text
    assert _summary(api.json()) == EXPECTED[name]
    assert api.json()["total_difference"] == cli["total_difference"]


def test_cli_text_and_draft_pdf(tmp_path: Path) -> None:
    out = tmp_path / "henvendelse.pdf"
    result = runner.invoke(cli_app, ["check", str(FIXTURES / "holiday_wrong_month.yaml"), "--request", str(out),
                                     "--today", "2024-08-20"])
    assert result.exit_code == 0, result.output
    assert "juli 2024: rigtigt tilskud 15.092,00 kr., udbetalt 14.132,75 kr., forskel +959,25 kr." in result.stdout
    text = " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(out.read_bytes())).pages).split())
    assert "Klage over beregningen" in text and "2. september 2024" in text and "959,25" in text


def test_cli_bad_file_names_the_field_in_both_languages(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("months:\n  - month: 2024-03\n    paid_subsidy: tretten\n    wage: '1'\n    ceiling: '2'\n")
    result = runner.invoke(cli_app, ["check", str(bad)])
    assert result.exit_code == 2
    assert "error: months.0.paid_subsidy" in result.stderr and "fejl: months.0.paid_subsidy" in result.stderr


def test_api_refuses_bad_input_naming_the_field_and_a_cpr_field() -> None:
    client = TestClient(create_app())
    response = client.post("/v1/checks", json={"months": [{"month": "2024-03", "paid_subsidy": "x", "wage": "1",
                                                             "ceiling": "1"}]})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "months.0.paid_subsidy"
    response = client.post("/v1/checks", json={"cpr": "0101901234", "months": [
        {"month": "2024-03", "paid_subsidy": "1", "wage": "1", "ceiling": "1"}]})
    assert response.status_code == 422 and response.json()["errors"][0]["code"] == "extra_forbidden"
    response = client.post("/v1/checks", json={"months": [{"month": "2024-03", "paid_subsidy": "1"}]})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "months.0.wage"


def test_api_draft_request_as_pdf_and_text() -> None:
    body = yaml.load((FIXTURES / "pension_missing.yaml").read_text(), Loader=yaml.BaseLoader)
    client = TestClient(create_app())
    pdf = client.post("/v1/checks/request?format=pdf", json=body)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = " ".join(pypdf.PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text().split())
    assert "14.792,75" in text and "659,25" in text
    plain = client.post("/v1/checks/request", json=body)
    assert plain.status_code == 200 and "Anmodning om genoptagelse" in plain.text


def test_a_check_stores_nothing(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    upgrade(sqlite_url)
    engine = make_engine(sqlite_url)

    def rows() -> dict[str, int]:
        with session_factory(sqlite_url)() as session:
            return {name: int(session.scalar(select(func.count()).select_from(table(name))) or 0)
                    for name in inspect(engine).get_table_names() if name != "alembic_version"}

    before = rows()
    monkeypatch.setenv("FLEXCALC_DATABASE_URL", sqlite_url)
    client = TestClient(create_app())
    body = yaml.load((FIXTURES / "simple.yaml").read_text(), Loader=yaml.BaseLoader)
    assert client.post("/v1/checks", json=body).status_code == 200
    assert client.post("/v1/checks/request?format=text", json=body).status_code == 200
    assert rows() == before


def test_anonymous_checks_are_rate_limited(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLEXCALC_RATE_LIMIT_ANONYMOUS", "3")
    client = TestClient(create_app())
    body = yaml.load((FIXTURES / "simple.yaml").read_text(), Loader=yaml.BaseLoader)
    codes = [client.post("/v1/checks", json=body).status_code for _ in range(5)]
    assert codes == [200] * 3 + [429] * 2
