"""The audit log: who (key id and role) read or wrote which case, when, and the outcome.

Entries are only ever inserted; the database refuses UPDATE and DELETE on ``audit_log`` (trigger
made by migration ``0002_security``). Entries carry the route template (``/v1/cases/{case_id}``),
never a query string or a body, so no personal data is copied into the log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from flexcalc.security.keys import Principal
from flexcalc.security.models import AuditEntry
from flexcalc.security.redact import redact


@dataclass
class AuditEvent:
    """One access to record, filled in by the authorization check; the status is known later."""

    action: str  # read | write
    case_id: str | None = None
    employer_cvr: str | None = None
    principal: Principal | None = None


def outcome_of(status: int) -> str:
    if status in (401, 403):
        return "denied"
    if status >= 500:
        return "error"
    if status >= 400:
        return "refused"
    return "ok"


def _clean(value: str | None, length: int) -> str | None:
    """An identifier as audited: CPR-shaped numbers redacted, cut to the column."""
    return None if value is None else redact(value)[:length]


def record(session: Session, events: list[AuditEvent], *, method: str, route: str, status: int,
           at: datetime | None = None) -> None:
    when = at or datetime.now(UTC)
    rows: list[dict[str, Any]] = [
        {"at": when, "key_id": e.principal.key_id if e.principal else None,
         "role": e.principal.role if e.principal else None, "case_id": _clean(e.case_id, 64),
         "employer_cvr": _clean(e.employer_cvr, 16), "action": e.action, "method": method,
         "route": redact(route)[:200],
         "status": status, "outcome": outcome_of(status)}
        for e in events
    ]
    if rows:
        session.execute(insert(AuditEntry), rows)


def query(session: Session, *, case_id: str | None = None, key_id: str | None = None, after_id: int = 0,
          limit: int = 100) -> list[AuditEntry]:
    statement = select(AuditEntry).where(AuditEntry.id > after_id)
    if case_id is not None:
        statement = statement.where(AuditEntry.case_id == case_id)
    if key_id is not None:
        statement = statement.where(AuditEntry.key_id == key_id)
    return list(session.scalars(statement.order_by(AuditEntry.id).limit(limit)))


def as_dict(entry: AuditEntry) -> dict[str, Any]:
    at = entry.at if entry.at.tzinfo else entry.at.replace(tzinfo=UTC)
    return {"id": entry.id, "at": at.isoformat(), "key_id": entry.key_id, "role": entry.role,
            "case_id": entry.case_id, "employer_cvr": entry.employer_cvr, "action": entry.action,
            "method": entry.method, "route": entry.route, "status": entry.status, "outcome": entry.outcome}
