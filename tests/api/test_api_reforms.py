"""``POST /v1/reforms/run``: the comparison as the CLI prints it; bad reforms and people are 422 naming the key."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import app
from fixtures.population import generate
from flexcalc.period import Month
from flexcalc.reforms import load_reform
from flexcalc.reforms.run import compare_table

client = TestClient(app)
ROOT = Path(__file__).parents[2] / "fixtures" / "reforms"


def test_synthetic_population_equals_the_library_comparison() -> None:
    text = (ROOT / "minimum_gain_150.yaml").read_text(encoding="utf-8")
    response = client.post("/v1/reforms/run", json={"month": "2024-03", "reform": text,
                                                    "synthetic": {"people": 3000, "seed": 4}})
    assert response.status_code == 200
    expected = compare_table(Month(2024, 3), generate(3000, seed=4), load_reform(ROOT / "minimum_gain_150.yaml"))
    assert response.json() == expected.to_dict()


def test_uploaded_people_hand_computed() -> None:
    # Person A of fixtures/reforms/hand_computed.yaml under one rate of 40 %: 17.352,00 → 16.485,33.
    response = client.post("/v1/reforms/run", json={
        "month": "2024-03", "reform_object": {"name": "40 %", "rules": {"single_reduction_rate": {"rate": "0.40"}}},
        "people": [{"wage": "8666.67", "ceiling": "32066.67", "hours": 10, "sex": "F", "hourly_wage": "200"}]})
    assert response.status_code == 200
    data = response.json()
    assert (data["cost_before"], data["cost_after"], data["difference"]) == ("17352.00", "16485.33", "-866.67")
    assert data["by_sex"][0]["losers"] == 1
    assert Decimal(data["one_more_hour"]["keep_share_before"]) == Decimal("0.7000")


@pytest.mark.parametrize(("body", "field"), [
    ({"month": "2024-03", "reform": "name: x\nrules:\n  flat: {}", "synthetic": {"people": 10}}, "rules.flat"),
    ({"month": "2024-03", "reform": "name: x\nparameters:\n  max_subsidy: {2024-01-01: 'x'}",
      "synthetic": {"people": 10}}, "parameters.max_subsidy.2024-01-01"),
    ({"month": "2024-03", "reform": "name: x", "people": [{"wage": "1", "ceiling": "2", "hours": 40}]}, "hours"),
    ({"month": "2024-03", "reform": "name: x", "people": [{"wage": "-1", "ceiling": "2", "hours": 4}]}, "wage"),
    ({"month": "2024-03", "synthetic": {"people": 10}}, "reform"),
    ({"month": "2024-03", "reform": "name: x"}, "people"),
    ({"month": "2031-03", "reform": "name: x", "synthetic": {"people": 10}}, "month"),
])
def test_bad_input_is_422_naming_the_key(body: dict[str, object], field: str) -> None:
    response = client.post("/v1/reforms/run", json=body)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["errors"][0]["field"] == field
    assert response.json()["errors"][0]["reason_da"]


def test_too_many_people_are_refused() -> None:
    people = [{"wage": "1", "ceiling": "2", "hours": 4}] * 20_001
    response = client.post("/v1/reforms/run", json={"month": "2024-03", "reform": "name: x", "people": people})
    assert response.status_code in (413, 422)
