"""``GET /v1/audit``: the audit log, for caseworkers."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from api.pagination import PAGED, PageRequest, encode, page_of, page_params, paged_response
from api.security import AUTH_RESPONSES, audit_event, db, require_role
from flexcalc.security import audit
from flexcalc.security.audit import AuditEvent
from flexcalc.security.keys import Principal

router = APIRouter(prefix="/v1", tags=["audit"])


class AuditEntryOut(BaseModel):
    id: int
    at: str
    key_id: str | None
    role: str | None
    case_id: str | None
    employer_cvr: str | None
    action: str
    method: str
    route: str
    status: int
    outcome: str


class AuditPage(BaseModel):
    entries: list[AuditEntryOut]
    next_after_id: int | None
    next_cursor: str | None = None
    """The cursor of the next page (also in ``X-Next-Cursor``); null on the last page."""


@router.get("/audit", response_model=AuditPage, responses={**AUTH_RESPONSES, 200: PAGED},
            summary="Who read or wrote a case, and when (caseworkers)")
def list_audit_entries(
    request: Request,
    case_id: str | None = Query(default=None, max_length=64, description="Only entries about this case."),
    key_id: str | None = Query(default=None, max_length=32, description="Only entries made with this key."),
    after_id: int = Query(default=0, ge=0, le=2**62, description="Entries after this id (paging)."),
    page: PageRequest = Depends(page_params("audit", default=100)),
    principal: Principal = Depends(require_role("caseworker")),
) -> Any:
    """Entries oldest first; each says which key (id and role, never the secret) read or wrote which
    case through which route, when, and the answer's status. Reading the log is logged too."""
    audit_event(request, AuditEvent(action="audit-read", case_id=case_id, principal=principal))
    start = max(after_id, int(page.after[0])) if page.after else after_id
    with db()() as session:
        entries = audit.query(session, case_id=case_id, key_id=key_id, after_id=start, limit=page.limit + 1)
    rows, next_key = page_of([audit.as_dict(e) for e in entries], lambda e: (e["id"],), page)
    body = {"entries": rows, "next_after_id": next_key[0] if next_key else None,
            "next_cursor": encode("audit", next_key) if next_key else None}
    return paged_response(request, "audit", rows, next_key, body=body)
