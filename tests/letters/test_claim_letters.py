"""The demand letter (opkrævning) and the instalment-plan letter of a repayment claim through the letters'
pipeline: text, HTML and the tagged PDF (PDF/UA: language da, headings, table, list), read back with pypdf;
LIX of the running text ≤ 35; through the CLI and the API (the citizen reads their own). Claim #1 of
fixtures/ledger/late_report_collected_by_setoff: 919,25 kr. for March 2024, decided 10 May, due 9 June."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.ledger.test_ledger_scenarios import SCENARIOS, replay
from tests.letters.support import lix
from tests.support.ledger_cli import invoke


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def _tags(pdf: bytes) -> tuple[str, set[str]]:
    root = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    tags: set[str] = set()

    def walk(node: object) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, dict):
            if "/S" in node:
                tags.add(str(node["/S"]))
            kids = node.get("/K")
            for kid in (kids if isinstance(kids, list) else [kids]) if kids is not None else []:
                walk(kid)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(root["/StructTreeRoot"])
    assert bool(root["/MarkInfo"]["/Marked"])
    return str(root["/Lang"]), tags


@pytest.fixture
def ledger(database_url: str) -> str:
    replay(SCENARIOS / "late_report_collected_by_setoff", database_url)
    return database_url


def test_the_demand_and_plan_letters_as_tagged_pdfs_in_plain_danish(ledger: str) -> None:
    from flexcalc.ledger.claims import get_claim
    from flexcalc.ledger.store import open_ledger
    from flexcalc.letters.demand import demand_document, plan_document

    with open_ledger(ledger)() as session:
        first = get_claim(session, 1, dt.date(2024, 5, 10))
        setoff = get_claim(session, 1, dt.date(2024, 7, 20))
    demand = demand_document(first, dt.date(2024, 5, 10))
    pdf = demand.pdf()
    text = _text(pdf)
    for expected in ("Du skal betale fleksløntilskud tilbage", "Du skylder nu 919,25 kr.",
                     "Betal senest den 9. juni 2024", "Skriv FLX-1 på betalingen", "533,00 kr. om måneden",
                     "Gældsstyrelsen", "LAB) § 125", "S14"):
        assert expected in text, expected
    lang, tags = _tags(pdf)
    assert lang == "da" and {"/H1", "/H2", "/Table", "/TH", "/TD", "/P", "/L", "/LI"} <= tags, tags
    plan = plan_document(setoff, dt.date(2024, 7, 20))
    plan_text = _text(plan.pdf())
    for expected in ("Vi trækker 300,00 kr. i dit tilskud hver måned fra august 2024", "Du har betalt 500,00 kr.",
                     "Du skylder nu 419,25 kr."):
        assert expected in plan_text, expected
    figures = {"demand": lix(demand.running_text()), "plan": lix(plan.running_text())}
    assert all(value <= 35 for value in figures.values()), figures
    with pytest.raises(Exception) as no_plan:
        plan_document(first, dt.date(2024, 5, 10))
    assert getattr(no_plan.value, "field", None) == "plan"


def test_the_letters_over_the_cli_and_the_api(ledger: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from fastapi.testclient import TestClient

    from api.app import create_app
    from flexcalc.ledger.db import session_factory
    from flexcalc.security.keys import create_key

    refused = invoke("claims", "letter", "1", "--format", "pdf", "--as-of", "2024-05-10", "--db", ledger)
    assert refused.exit_code == 2 and "--output" in refused.stderr + refused.stdout
    out = tmp_path / "krav.pdf"
    made = invoke("claims", "letter", "1", "--format", "pdf", "--output", str(out), "--as-of", "2024-05-10",
                  "--db", ledger)
    assert made.exit_code == 0, made.stdout + made.stderr
    assert out.read_bytes().startswith(b"%PDF") and "919,25 kr." in _text(out.read_bytes())
    monkeypatch.setenv("FLEXCALC_DATABASE_URL", ledger)
    with session_factory(ledger).begin() as session:
        _, own = create_key(session, "citizen", case_id="S14")
        _, other = create_key(session, "citizen", case_id="S1")
    citizen = TestClient(create_app(), headers={"Authorization": f"Bearer {own}"})
    got = citizen.get("/v1/cases/S14/claims/1/letter", params={"as_of": "2024-07-20", "kind": "plan"})
    assert got.status_code == 200 and got.headers["content-type"] == "application/pdf"
    assert "Vi trækker 300,00 kr." in _text(got.content)
    stranger = TestClient(create_app(), headers={"Authorization": f"Bearer {other}"})
    assert stranger.get("/v1/cases/S14/claims/1/letter").status_code == 403
    assert citizen.get("/v1/cases/S14/claims/99/letter").status_code == 404
    text = citizen.get("/v1/cases/S14/claims/1/letter", params={"as_of": "2024-05-10", "format": "text"})
    assert text.status_code == 200 and "Betal senest den 9. juni 2024" in text.text
