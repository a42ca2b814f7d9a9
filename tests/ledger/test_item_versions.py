"""Every write on a worklist item acts on the state it was shown in (HTTP ETag / If-Match), on the
constructed workbench ledger (tests/support/workbench_ledger.py), on SQLite and PostgreSQL.

For EVERY item action — release a held month, record a hearing, its reply, an exception from it, decide,
register a month's events, reconcile the month — a write without ``If-Match`` is 428 and one with a stale
version is 412 carrying the item's current state (Danish and English); in both cases nothing is stored
(every ledger table counted before and after). A resend with the same Idempotency-Key is a replay of the
first answer; a new request with the old version is refused as stale."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from tests.support.workbench_ledger import build

TABLES = ("ledger_payment", "ledger_hold", "ledger_correction", "ledger_decision", "ledger_hearing_event",
          "ledger_hearing_exception", "ledger_event_registration")


@pytest.fixture
def api(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[TestClient, dict[str, str], Any]]:
    from api.app import create_app
    from flexcalc.ledger.db import session_factory
    from flexcalc.security.keys import create_key

    ids = build(database_url)
    monkeypatch.setenv("FLEXCALC_DATABASE_URL", database_url)
    with session_factory(database_url).begin() as session:
        key = create_key(session, "caseworker")[1]
    with TestClient(create_app()) as client:
        yield client, {"Authorization": f"Bearer {key}"}, (database_url, ids)


def _counts(url: str) -> dict[str, int]:
    from flexcalc.ledger.db import session_factory

    with session_factory(url)() as session:
        return {t: int(session.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()) for t in TABLES}


def _items(client: TestClient, h: dict[str, str]) -> dict[tuple[str, str, str], dict[str, Any]]:
    got = client.get("/v1/worklist", params={"today": "2024-06-01"}, headers=h)
    assert got.status_code == 200, got.text
    return {(i["case_id"], i["month"], i["kind"]): i for i in got.json()}


def _href(item: dict[str, Any], action: str) -> str:
    return next(a["href"] for a in item["actions"] if a["action"] == action)


ACTIONS: list[tuple[str, tuple[str, str, str], str, dict[str, Any], str]] = [
    # (name, item, action, body, the table a success adds to)
    ("release", ("A", "2024-04", "held_month"), "release",
     {"wage": "15600", "documentation": "lønseddel marts 2024", "released_by": "sb-9"}, "ledger_payment"),
    ("hearing", ("A", "2024-03", "repayment_awaiting_hearing"), "hearing",
     {"sent_on": "2024-05-03", "by": "sb-9"}, "ledger_hearing_event"),
    ("exception", ("A", "2024-03", "repayment_awaiting_hearing"), "exception",
     {"ground": "own_information", "explanation": "Borgeren sendte selv lønsedlen", "by": "sb-9"},
     "ledger_hearing_exception"),
    ("reply", ("B", "2024-03", "hearing_reply_overdue"), "reply",
     {"received_on": "2024-05-20", "summary": "Vidste det ikke", "by": "sb-9"}, "ledger_hearing_event"),
    ("decide", ("C", "2024-03", "awaiting_decision"), "decide",
     {"outcome": "waive", "reason": "god tro", "decided_by": "sb-9"}, "ledger_decision"),
    ("events", ("F", "2024-03", "events_after_payment"), "events",
     {"events": {}, "registered_by": "sb-9", "received_at": "2024-05-30T10:00:00+02:00"},
     "ledger_event_registration"),
    ("reconcile", ("F", "2024-03", "events_after_payment"), "reconcile", {"as_of": "2024-06-01T12:00:00+02:00"},
     "ledger_correction"),
]


@pytest.mark.parametrize(("name", "key", "action", "body", "grows"), ACTIONS, ids=[a[0] for a in ACTIONS])
def test_every_item_action_refuses_a_missing_or_stale_version_and_stores_nothing(
        api: tuple[TestClient, dict[str, str], Any], name: str, key: tuple[str, str, str], action: str,
        body: dict[str, Any], grows: str) -> None:
    client, h, (url, _) = api
    item = _items(client, h)[key]
    path = (f"/v1/cases/{key[0]}/months/{key[1]}/events" if action == "events" else _href(item, action))
    version = item["version"]
    assert len(version) == 20
    # the item read alone carries the same version as its ETag
    one = client.get(f"/v1/worklist/items/{item['id']}", params={"today": "2024-06-01"}, headers=h)
    assert one.status_code == 200 and one.headers["ETag"] == f'"{version}"' and one.json()["id"] == item["id"]
    before = _counts(url)
    missing = client.post(path, json=body, headers={**h, "Idempotency-Key": f"{name}-1"})
    assert missing.status_code == 428, missing.text
    assert missing.headers["content-type"].startswith("application/problem+json")
    assert missing.json()["errors"][0]["field"] == "If-Match" and missing.json()["detail_da"]
    assert _counts(url) == before
    stale = client.post(path, json=body, headers={**h, "If-Match": '"00000000000000000000"',
                                                  "Idempotency-Key": f"{name}-2"})
    assert stale.status_code == 412, stale.text
    problem = stale.json()
    assert problem["current_version"] == version and stale.headers["ETag"] == f'"{version}"'
    assert "nothing was stored" in problem["detail"] and "intet er gemt" in problem["detail_da"]
    assert (item["id"], version) in [(i["id"], i["version"]) for i in problem["items"]]  # the state now
    assert _counts(url) == before
    # the version it was shown in: done, once
    done = client.post(path, json=body, headers={**h, "If-Match": f'"{version}"', "Idempotency-Key": f"{name}-3"})
    assert done.status_code in (200, 201), done.text
    after = _counts(url)
    assert after[grows] == before[grows] + 1 and all(after[t] == before[t] for t in TABLES if t != grows)
    # a double click (same key, same body) is a replay of the first answer, not a second action
    again = client.post(path, json=body, headers={**h, "If-Match": f'"{version}"', "Idempotency-Key": f"{name}-3"})
    assert again.status_code == done.status_code and again.headers.get("Idempotent-Replayed") == "true"
    assert again.content == done.content and _counts(url) == after
    # a new request on the old version is stale: refused, nothing stored
    late = client.post(path, json=body, headers={**h, "If-Match": f'"{version}"', "Idempotency-Key": f"{name}-4"})
    assert late.status_code == 412 and _counts(url) == after
    assert late.json()["current_version"] != version


def test_the_version_follows_the_facts_of_the_month(api: tuple[TestClient, dict[str, str], Any]) -> None:
    """A new fact on the month (here: a hearing recorded on A's March) changes March's version and no other."""
    client, h, _ = api
    items = _items(client, h)
    march, april = items[("A", "2024-03", "repayment_awaiting_hearing")], items[("A", "2024-04", "held_month")]
    assert client.get("/v1/cases/A/months/2024-03", headers=h).headers["ETag"] == f'"{march["version"]}"'
    answer = client.post(_href(march, "hearing"), json={"sent_on": "2024-05-03", "by": "sb-9"},
                         headers={**h, "If-Match": f'"{march["version"]}"'})
    assert answer.status_code == 201, answer.text
    now = _items(client, h)
    assert now[("A", "2024-04", "held_month")]["version"] == april["version"]
    assert ("A", "2024-03", "repayment_awaiting_hearing") not in now
    assert now[("A", "2024-03", "hearing_reply_overdue")]["version"] != march["version"]
    gone = client.get(f"/v1/worklist/items/{march['id']}", params={"today": "2024-06-01"}, headers=h)
    assert gone.status_code == 404  # its work is done: the item is no longer there


def test_if_match_is_documented_in_openapi(api: tuple[TestClient, dict[str, str], Any]) -> None:
    client, _, _ = api
    spec = client.get("/openapi.json").json()
    for path in ("/v1/cases/{case_id}/months/{month}/provisional-payment",
                 "/v1/cases/{case_id}/corrections/{correction_id}/hearing",
                 "/v1/cases/{case_id}/corrections/{correction_id}/hearing/reply",
                 "/v1/cases/{case_id}/corrections/{correction_id}/hearing/exception",
                 "/v1/cases/{case_id}/corrections/{correction_id}/decision",
                 "/v1/cases/{case_id}/months/{month}/events",
                 "/v1/cases/{case_id}/months/{month}/reconciliation"):
        post = spec["paths"][path]["post"]
        assert {"412", "428"} <= set(post["responses"]), path
        assert any(p["name"] == "If-Match" and p["in"] == "header" for p in post["parameters"]), path
