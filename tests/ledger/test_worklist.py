"""The worklist across cases on a constructed ledger whose figures are computed by hand
(tests/support/workbench_ledger.py): kinds, ages, amounts, filters, the stable cursor, and who may read it."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.support.workbench_ledger import TODAY, build

# The CLI never migrates: each test's database gets the explicit `flexcalc db upgrade` first.
pytestmark = pytest.mark.usefixtures("migrated_databases")

EXPECTED = [  # (case, month, kind, since, age on 1 June 2024, amount)
    ("E", "2024-03", "possible_duplicate", "2024-03-05", 88, "15600.00"),
    ("F", "2024-03", "events_after_payment", "2024-03-20", 73, "8952.00"),
    ("A", "2024-04", "held_month", "2024-04-06", 56, None),
    ("A", "2024-03", "repayment_awaiting_hearing", "2024-04-30", 32, "-919.25"),
    ("C", "2024-03", "awaiting_decision", "2024-05-10", 22, "-919.25"),
    ("B", "2024-03", "hearing_reply_overdue", "2024-05-16", 16, "-919.25"),
]


def _summary(items: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(i["case_id"], i["month"], i["kind"], i["since"], i["age_days"], i["amount"]) for i in items]


@pytest.fixture
def ledger(database_url: str) -> tuple[str, dict[str, int]]:
    return database_url, build(database_url)


def test_every_kind_with_its_age_and_amount(ledger: tuple[str, dict[str, int]]) -> None:
    from flexcalc.ledger.store import open_ledger
    from flexcalc.ledger.worklist import worklist

    url, ids = ledger
    with open_ledger(url)() as session:
        items = [i.to_dict(TODAY) for i in worklist(session, TODAY)]
    assert _summary(items) == EXPECTED
    by_kind = {i["kind"]: i for i in items}
    held = by_kind["held_month"]
    assert held["label_da"] == "Lønnen for marts 2024 er ukendt — afventer indberetning fra arbejdsgiver 11111111"
    assert [a["href"] for a in held["actions"]][:2] == ["/v1/cases/A/months/2024-04/provisional-payment",
                                                       "/v1/cases/A/months/2024-04/events"]
    hearing = by_kind["repayment_awaiting_hearing"]
    assert hearing["correction_id"] == ids["A"] and hearing["details"]["hearing"]["status"] == "not_sent"
    assert {a["action"]: a["href"] for a in hearing["actions"]}["hearing"] == \
        f"/v1/cases/A/corrections/{ids['A']}/hearing"
    overdue = by_kind["hearing_reply_overdue"]
    assert overdue["details"]["hearing"]["reply_by"] == "2024-05-16"  # 2 May + 14 days
    assert overdue["label_da"] == "Svarfristen 16.05.2024 er udløbet uden svar: træf afgørelse"
    replied = by_kind["awaiting_decision"]["details"]["hearing"]
    assert (replied["received_on"], replied["letter_id"]) == ("2024-05-10", "L-7")
    duplicate = by_kind["possible_duplicate"]
    assert duplicate["details"] == {"employer_id": "11111111", "report_ids": ["E-1", "E-2"], "basis_month": "2024-02"}
    events = by_kind["events_after_payment"]
    assert events["details"]["settled"] == "0.00" and events["details"]["due"] == "8952.00"
    assert events["label_da"] == "Sygdom registreret 20. marts 2024 efter udbetalingen af marts 2024: kør " \
                                 "efterregulering"
    assert events["actions"][0]["href"] == "/v1/cases/F/months/2024-03/reconciliation"


def test_the_list_follows_the_days_and_the_work(ledger: tuple[str, dict[str, int]]) -> None:
    from flexcalc.ledger.corrections import record_decision
    from flexcalc.ledger.hearings import record_hearing_sent
    from flexcalc.ledger.reconcile import reconcile
    from flexcalc.ledger.store import open_ledger, transaction
    from flexcalc.ledger.worklist import worklist

    url, ids = ledger
    factory = open_ledger(url)
    with factory() as session:  # on 16 May B's reply date has not passed: B waits for the person's reply
        kinds = [(i.case_id, i.kind) for i in worklist(session, dt.date(2024, 5, 16))]
    assert ("B", "hearing_reply_overdue") not in kinds and ("B", "hearing_awaiting_reply") in kinds
    assert len(kinds) == 6
    with transaction(factory) as session:
        record_hearing_sent(session, "A", ids["A"], "2024-06-01", "2024-06-20", "sb-2")
        record_decision(session, ids["C"], "collect", "burde vide det", "sb-2", reply_summary="vidste det ikke",
                        reply_weighing="lønsedlen viste bijobbet")
    reconcile(factory, dt.datetime(2024, 6, 1, tzinfo=dt.UTC), ["F"])  # settles F's events: +8.952,00
    with factory() as session:  # A's hearing is open: a reply can be recorded early from its item
        assert _summary([i.to_dict(TODAY) for i in worklist(session, TODAY)]) == [
            EXPECTED[0], EXPECTED[2], EXPECTED[5], ("A", "2024-03", "hearing_awaiting_reply", "2024-06-01", 0,
                                                    "-919.25")]


@pytest.fixture
def api(ledger: tuple[str, dict[str, int]], monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[TestClient, Any]]:
    from api.app import create_app
    from flexcalc.ledger.db import session_factory
    from flexcalc.security.keys import create_key

    url, _ = ledger
    monkeypatch.setenv("FLEXCALC_DATABASE_URL", url)
    with session_factory(url).begin() as session:
        keys = {role: {"Authorization": f"Bearer {create_key(session, role, **scope)[1]}"} for role, scope in
                (("caseworker", {}), ("citizen", {"case_id": "A"}), ("employer", {"employer_cvr": "11111111"}))}
    with TestClient(create_app()) as client:
        yield client, keys


def test_get_worklist_filters_and_pages(api: tuple[TestClient, Any]) -> None:
    client, keys = api
    h = keys["caseworker"]
    answer = client.get("/v1/worklist", params={"today": "2024-06-01"}, headers=h)
    assert answer.status_code == 200 and _summary(answer.json()) == EXPECTED
    assert "X-Next-Cursor" not in answer.headers

    def only(**params: Any) -> list[tuple[Any, ...]]:
        got = client.get("/v1/worklist", params={"today": "2024-06-01", **params}, headers=h)
        assert got.status_code == 200, got.text
        return _summary(got.json())

    assert only(kind="held_month") == [EXPECTED[2]]
    assert only(kind=["awaiting_decision", "hearing_reply_overdue"]) == EXPECTED[4:]
    assert only(case_id="B") == [EXPECTED[5]]
    assert only(month="2024-03") == [e for e in EXPECTED if e[1] == "2024-03"]
    assert only(min_age=30) == EXPECTED[:4]
    assert only(min_age=30, case_id="A", kind="held_month") == [EXPECTED[2]]
    # ages follow ?today=
    assert [i["age_days"] for i in client.get("/v1/worklist", params={"today": "2024-06-11"},
                                              headers=h).json()] == [98, 83, 66, 42, 32, 26]
    # a page at a time: the cursor continues after the last item shown
    pages, cursor = [], None
    while True:
        params = {"today": "2024-06-01", "limit": 2, **({"cursor": cursor} if cursor else {})}
        got = client.get("/v1/worklist", params=params, headers=h)
        pages.append(_summary(got.json()))
        cursor = got.headers.get("X-Next-Cursor")
        if cursor is None:
            break
        assert got.headers["Link"].endswith('rel="next"')
    assert pages == [EXPECTED[0:2], EXPECTED[2:4], EXPECTED[4:6]]


def test_the_cursor_is_stable_when_the_list_changes_between_pages(api: tuple[TestClient, Any]) -> None:
    client, keys = api
    h = keys["caseworker"]
    first = client.get("/v1/worklist", params={"today": "2024-06-01", "limit": 3}, headers=h)
    assert _summary(first.json()) == EXPECTED[:3]
    # meanwhile the first item is resolved away and a hearing is recorded (A moves from hearing to waiting)
    correction_a = first.json()[2]["actions"]  # held month: its actions
    assert correction_a[0]["action"] == "release"
    items = client.get("/v1/worklist", params={"today": "2024-06-01", "kind": "repayment_awaiting_hearing"},
                       headers=h).json()
    actions = {a["action"]: a["href"] for a in items[0]["actions"]}
    decided = client.post(actions["decide"], json={"outcome": "waive", "reason": "god tro", "decided_by": "sb-3"},
                          headers={**h, "Idempotency-Key": "decide-a-1", "If-Match": f'"{items[0]["version"]}"'})
    assert decided.status_code == 201, decided.text
    rest = client.get("/v1/worklist", params={"today": "2024-06-01", "limit": 3,
                                              "cursor": first.headers["X-Next-Cursor"]}, headers=h)
    assert _summary(rest.json()) == EXPECTED[4:]  # nothing repeated, nothing skipped; A's repayment is gone


def test_only_caseworkers_read_the_worklist_and_bad_filters_name_the_field(api: tuple[TestClient, Any]) -> None:
    client, keys = api
    assert client.get("/v1/worklist").status_code == 401
    assert client.get("/v1/worklist", headers=keys["citizen"]).status_code == 403
    assert client.get("/v1/worklist", headers=keys["employer"]).status_code == 403
    h = keys["caseworker"]
    for params, field in (({"kind": "nope"}, "kind"), ({"month": "2024-13"}, "month"), ({"today": "1.6.2024"}, "today"),
                          ({"case_id": "0101901234"}, "case_id"), ({"cursor": "abc"}, "cursor")):
        answer = client.get("/v1/worklist", params=params, headers=h)
        assert answer.status_code == 422, (params, answer.text)
        assert answer.json()["errors"][0]["field"] == field
        assert "0101901234" not in answer.text
    audit = client.get("/v1/audit", headers=h).json()
    assert any(e["route"] == "/v1/worklist" and e["action"] == "read" for e in audit["entries"])


def test_the_cli_prints_the_worklist(ledger: tuple[str, dict[str, int]]) -> None:
    from tests.support.ledger_cli import invoke

    url, _ = ledger
    out = invoke("worklist", "--today", "2024-06-01", "--json", "--db", url)
    assert out.exit_code == 0, out.stderr
    assert _summary(json.loads(out.stdout)) == EXPECTED
    text = invoke("worklist", "--today", "2024-06-01", "--kind", "held_month", "--db", url)
    assert text.stdout.splitlines() == [
        "A 2024-04 [held_month] 56 dage: Lønnen for marts 2024 er ukendt — afventer indberetning fra arbejdsgiver "
        "11111111", "1 opgave(r)"]
    bad = invoke("worklist", "--kind", "nope", "--db", url)
    assert bad.exit_code == 2 and "kind" in bad.stderr
