"""The database session wiring of the ledger endpoints (the one router-facing module that knows SQLAlchemy).

The database is the one of ``FLEXCALC_DATABASE_URL`` (else the embedded SQLite file), read per request
so tests and deployments choose it by environment. Routers take a session from here and hand it to the
ledger's services and read model (``flexcalc.ledger.queries``); they build no query themselves.
Authentication, roles, audit and Idempotency-Key are wired onto the routes elsewhere (security);
errors become HTTP answers by their class in ``api.problem``; nothing here returns a CPR number.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from fastapi import Request

    from flexcalc.security.keys import Principal

LedgerSession = Session
"""The session type a router's write callback receives (``on_write=lambda session: ...``)."""


STAFF_ONLY_FIELDS = frozenset({"internal_note"})
"""Fields of a case's data that only caseworkers read: the decision's internal note stays in the case file."""


def for_reader(payload: Any, role: str) -> Any:
    """``payload`` as the reader of ``role`` may see it: a citizen (or any non-caseworker) gets every
    dictionary in it without the staff-only fields, at any depth; a caseworker gets it unchanged."""
    if role == "caseworker":
        return payload
    if isinstance(payload, dict):
        return {key: for_reader(value, role) for key, value in payload.items() if key not in STAFF_ONLY_FIELDS}
    if isinstance(payload, list):
        return [for_reader(item, role) for item in payload]
    return payload


def factory() -> Callable[[], Session]:
    from flexcalc.ledger.store import open_ledger

    return open_ledger(None, migrate=False)  # the API never migrates (`flexcalc db upgrade` does)


@contextmanager
def ledger_session(write: bool = False) -> Iterator[Session]:
    from flexcalc.ledger.store import transaction

    if write:
        with transaction(factory()) as session:
            yield session
    else:
        with factory()() as session:
            yield session


def created(body: Any) -> JSONResponse:
    return JSONResponse(body, status_code=201)


def import_write(request: Request, principal: Principal, source: str, recorded_by: str,
                 run: Callable[[Session], Any]) -> Any:
    """An audited append-only import (tax cards, refund history): a CPR number in ``source`` or ``recorded_by``
    is refused (field ``source``); ``run`` stores in one transaction with the audit row and the Idempotency-Key,
    so nothing is stored half-written. Gives what ``run`` gives."""
    from api.idempotency import mark_applied
    from api.security import audit_event
    from flexcalc.errors import InputError
    from flexcalc.parsing.identifiers import looks_like_cpr
    from flexcalc.security.audit import AuditEvent

    if looks_like_cpr(source) or looks_like_cpr(recorded_by):
        raise InputError("source", "must not hold a CPR number", "må ikke indeholde et CPR-nummer",
                         code="identifier_cpr")
    audit_event(request, AuditEvent(action="write", principal=principal))
    with ledger_session(write=True) as session:
        result = run(session)
        mark_applied(request, session, 201)
    return result
