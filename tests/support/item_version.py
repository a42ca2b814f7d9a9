"""The version a write on a worklist item states (``If-Match``), read the way a client reads it: the ETag of
the month (``GET /v1/cases/{case}/months/{month}``) or of a correction's hearing."""

from __future__ import annotations

from typing import Any


def month_if_match(client: Any, case_id: str, month: str, headers: dict[str, str] | None = None) -> dict[str, str]:
    answer = client.get(f"/v1/cases/{case_id}/months/{month}", headers=headers or {})
    assert answer.status_code == 200, answer.text
    return {"If-Match": answer.headers["ETag"]}


def correction_if_match(client: Any, case_id: str, correction_id: int,
                        headers: dict[str, str] | None = None) -> dict[str, str]:
    answer = client.get(f"/v1/cases/{case_id}/corrections/{correction_id}/hearing", headers=headers or {})
    assert answer.status_code == 200, answer.text
    return {"If-Match": answer.headers["ETag"]}


def stored_if_match(case_id: str, month: str) -> dict[str, str]:
    """The month's version read from the database the API uses (FLEXCALC_DATABASE_URL), for a month the API
    would not show (e.g. before the case's first month)."""
    from flexcalc.ledger.item_version import month_version
    from flexcalc.ledger.store import open_ledger
    from flexcalc.period import Month

    with open_ledger(None)() as session:
        return {"If-Match": f'"{month_version(session, case_id, Month.parse(month))}"'}
