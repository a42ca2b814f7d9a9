"""The instalment from the person's income (BEK 585/2023; gældsinddrivelsesbekendtgørelsen § 11, stk. 1–2, 2024
bands of SKM2023.534.GÆLDST): net income × the band's rate / 12, rounded down to a whole or half hundred.
Values computed by hand from the table; the plan over the API and CLI on a claim (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flexcalc.errors import InputError
from flexcalc.ledger.instalment import instalment_from_income, without_income
from tests.ledger.test_ledger_scenarios import SCENARIOS, cli, replay
from tests.support.ledger_cli import invoke

ON = dt.date(2024, 7, 1)


@pytest.mark.parametrize(("income", "provider", "rate", "monthly"), [
    ("180000", False, 8, "1200.00"),     # 176.020–180.739: 8 % → 14.400 / 12 = 1.200
    ("180000", True, 4, "600.00"),       # 4 % → 7.200 / 12 = 600
    ("150000", False, 5, "600.00"),      # 133.590–166.589: 5 % → 7.500 / 12 = 625 → 600
    ("150000", True, 3, "350.00"),       # 3 % → 4.500 / 12 = 375 → 350
    ("215000", False, 16, "2850.00"),    # 213.730–218.449: 16 % → 34.400 / 12 = 2.866,67 → 2.850
    ("215000", True, 7, "1250.00"),      # 7 % → 15.050 / 12 = 1.254,17 → 1.250
    ("133589.99", False, 4, "400.00"),   # the first band to 133.589 kr.: 5.343,60 / 12 = 445,30 → 400
    ("133590", False, 5, "550.00"),      # the next band: 6.679,50 / 12 = 556,63 → 550
    ("0", False, 4, "0.00"),
])
def test_the_monthly_instalment_by_hand(income: str, provider: bool, rate: int, monthly: str) -> None:
    result = instalment_from_income(Decimal(income), provider, ON)
    assert (result.rate, f"{result.monthly:.2f}") == (rate, monthly)
    assert "SKM2023.534.GÆLDST" in result.reason_da() and f"{rate} %" in result.reason_da()


def test_outside_the_stored_table_is_an_error_not_a_guess() -> None:
    with pytest.raises(InputError) as above:
        instalment_from_income(Decimal("223160"), False, ON)
    assert (above.value.field, above.value.code) == ("net_income", "above_table")
    assert "223159" in above.value.reason_en and "i hånden" in above.value.reason_da
    with pytest.raises(InputError) as year:
        instalment_from_income(Decimal("180000"), False, dt.date(2025, 1, 1))
    assert (year.value.field, year.value.code) == ("on", "no_table")
    with pytest.raises(InputError) as negative:
        instalment_from_income(Decimal("-1"), False, ON)
    assert negative.value.field == "net_income"


def test_without_income_data_the_dated_fixed_amount() -> None:
    assert [str(without_income(dt.date(y, 6, 1)).value) for y in (2017, 2020, 2023)] == ["468.00", "500.00", "533.00"]
    assert without_income(dt.date(2024, 6, 1)).status == "assumed"
    with pytest.raises(InputError):
        without_income(dt.date(2016, 12, 31))


@settings(max_examples=300, deadline=None)
@given(income=st.decimals(min_value=0, max_value=223159, places=2), provider=st.booleans())
def test_the_instalment_is_the_annual_amount_rounded_down_to_50(income: Decimal, provider: bool) -> None:
    result = instalment_from_income(income, provider, ON)
    assert result.monthly % 50 == 0
    assert result.monthly <= result.annual / 12 < result.monthly + 50
    assert result.annual == income * result.rate / 100


def test_a_plan_from_income_over_the_api_and_the_cli(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from fastapi.testclient import TestClient

    from api.app import create_app
    from flexcalc.ledger.db import session_factory
    from flexcalc.security.keys import create_key

    replay(SCENARIOS / "claim_reaches_limitation", database_url)
    monkeypatch.setenv("FLEXCALC_DATABASE_URL", database_url)
    with session_factory(database_url).begin() as session:
        _, secret = create_key(session, "caseworker")
    api = TestClient(create_app(), headers={"Authorization": f"Bearer {secret}"})
    claim = api.get("/v1/claims", params={"case": "S15", "as_of": "2024-07-01"}).json()[0]
    body = {"method": "instalment", "net_income": "150000", "provider": True, "reason": "aftalt i telefonen",
            "balance_seen": claim["balance"], "by": "sb-7", "on": "2024-07-01", "first_month": "2024-08"}
    both = api.post(f"/v1/claims/{claim['id']}/plan", json={**body, "monthly_amount": "100.00"})
    assert both.status_code == 422 and "net_income" in both.text
    made = api.post(f"/v1/claims/{claim['id']}/plan", json=body)
    assert made.status_code == 201, made.text
    plan = made.json()["plan"]
    assert plan["monthly_amount"] == "350.00" and plan["reason"].startswith("aftalt i telefonen; afdrag efter indkomst")
    assert "afdragsprocent 3 %" in plan["reason"] and "med forsørgerpligt" in plan["reason"]
    # the command line: 180.000 kr. without children → 1.200,00 kr.; above the table: exit 2 naming the option
    out = cli(database_url, "claims", "plan", str(claim["id"]), "--method", "setoff", "--reason", "ny indkomst",
              "--by", "sb-7", "--net-income", "180000", "--as-of", "2024-07-02", "--json",
              "--balance-seen", claim["balance"])
    assert json.loads(out.stdout)["plan"]["monthly_amount"] == "1200.00"
    refused = invoke("claims", "plan", str(claim["id"]), "--method", "setoff", "--reason", "x", "--by", "sb-7",
                     "--net-income", "300000", "--as-of", "2024-07-03", "--db", database_url,
                     "--balance-seen", claim["balance"])
    assert refused.exit_code == 2 and "net_income" in refused.stderr
