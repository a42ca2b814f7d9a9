"""A back payment paid at once on a caseworker's release (``flexcalc corrections release``, ``POST
/v1/cases/{case}/corrections/{id}/back-payment``): the month's open back payment, computed by hand, paid once,
audited, and refused on a stale or missing item version. SQLite and PostgreSQL.

Hand computation (fixtures/ledger/sickness_registered_late): March 2024 was paid 0 kr.; after the two
corrections the subsidy due is 19.952 − 10.500 = 9.452,00 kr., own ATP 5 % = 472,60 → 473 kr., payout
8.979,00 kr. The person holds 0 kr. for March, so 8.979,00 kr. is owed: one line, whichever correction.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.app import create_app
from tests.ledger.test_ledger_scenarios import SCENARIOS, cli, replay
from tests.support.ledger_cli import invoke

OWED = "8979.00"


def _version(db: str) -> str:
    shown = json.loads(cli(db, "case", "show", "S7", "--month", "2024-03", "--json").stdout)
    return str(shown["version"])


def _today_month() -> str:
    from flexcalc.ledger.reports import LOCAL_ZONE

    return dt.datetime.now(dt.UTC).astimezone(LOCAL_ZONE).strftime("%Y-%m")


def _routes(db: str) -> list[str]:
    from flexcalc.ledger.store import open_ledger
    from flexcalc.security.models import AuditEntry

    with open_ledger(db)() as session:
        return [r for (r,) in session.execute(select(AuditEntry.route))]


def test_release_on_the_command_line_pays_the_open_back_payment_once(database_url: str) -> None:
    replay(SCENARIOS / "sickness_registered_late", database_url)
    rows = json.loads(cli(database_url, "corrections", "list", "--case", "S7", "--json").stdout)
    first, newest = rows[0]["id"], rows[-1]["id"]
    version = _version(database_url)
    # a stale version: refused, exit 2, nothing stored
    stale = invoke("corrections", "release", str(first), "--by", "sb-7", "--expect-version", "v-old", "--json",
                   "--db", database_url)
    assert stale.exit_code == 2 and "expect-version" in stale.stderr
    done = invoke("corrections", "release", str(first), "--by", "sb-7", "--expect-version", version, "--json",
                  "--db", database_url)
    assert done.exit_code == 0, done.stdout + done.stderr
    line = json.loads(done.stdout)
    assert (line["amount"], line["concerns_month"], line["kind"], line["correction_id"], line["released_by"]) == \
        (OWED, "2024-03", "efterbetaling", newest, "sb-7")
    assert line["payment_month"] == _today_month() and line["cause"] == "events_registered"
    # the release changed the item's version: the same version again is stale
    again = invoke("corrections", "release", str(newest), "--by", "sb-8", "--expect-version", version,
                   "--db", database_url)
    assert again.exit_code == 2 and "expect-version" in again.stderr
    # with the fresh version: nothing is open any more (field and reason in both languages)
    nothing = invoke("corrections", "release", str(newest), "--by", "sb-8", "--expect-version",
                     _version(database_url), "--db", database_url)
    assert nothing.exit_code == 2 and "no back payment open" in nothing.stderr and "ingen åben" in nothing.stderr
    # the account: paid 0, back paid 8.979,00, nothing open, balanced to the øre; audited once
    balance = json.loads(cli(database_url, "claims", "balance", "S7", "--as-of", "2024-04-30", "--json").stdout)
    assert (balance["back_paid"], balance["open_back_payment"], balance["received"], balance["due"],
            balance["balanced"]) == (OWED, "0.00", OWED, OWED, "true")
    assert _routes(database_url).count(f"flexcalc corrections release {first}") == 1
    # a released line is not a line of any month's payment statement
    from flexcalc.ledger.settlement import statement_of
    from flexcalc.ledger.store import open_ledger
    from flexcalc.period import Month

    with open_ledger(database_url)() as session:
        assert statement_of(session, "S7", Month.parse(_today_month())) is None
        march = statement_of(session, "S7", Month(2024, 3))
        assert march is not None and march.lines == []


def test_release_over_the_api_needs_the_items_version(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from flexcalc.ledger.db import session_factory
    from flexcalc.security.keys import create_key

    replay(SCENARIOS / "sickness_registered_late", database_url)
    monkeypatch.setenv("FLEXCALC_DATABASE_URL", database_url)
    with session_factory(database_url).begin() as session:
        _, worker = create_key(session, "caseworker")
        _, citizen = create_key(session, "citizen", case_id="S7")
    api = TestClient(create_app(), headers={"Authorization": f"Bearer {worker}"})
    correction = api.get("/v1/cases/S7/corrections").json()
    items = correction["items"] if isinstance(correction, dict) else correction
    cid = items[-1]["id"]
    url = f"/v1/cases/S7/corrections/{cid}/back-payment"
    body = {"released_by": "sb-7"}
    assert api.post(url, json=body).status_code == 428  # no If-Match
    assert api.post(url, json=body, headers={"If-Match": '"v-old"'}).status_code == 412
    as_citizen = TestClient(create_app(), headers={"Authorization": f"Bearer {citizen}"})
    assert as_citizen.post(url, json=body, headers={"If-Match": f'"{_version(database_url)}"'}).status_code == 403
    done = api.post(url, json=body, headers={"If-Match": f'"{_version(database_url)}"'})
    assert done.status_code == 201, done.text
    assert (done.json()["amount"], done.json()["concerns_month"]) == (OWED, "2024-03")
    twice = api.post(url, json=body, headers={"If-Match": f'"{_version(database_url)}"'})
    assert twice.status_code == 409 and "nothing_to_release" in twice.text
    assert any(r.endswith("/back-payment") for r in _routes(database_url))
    balance = json.loads(cli(database_url, "claims", "balance", "S7", "--as-of", "2024-04-30", "--json").stdout)
    assert (balance["back_paid"], balance["balanced"]) == (OWED, "true")
