"""``/v1/keys``: API keys, for admins (the same as ``flexcalc keys``)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from api.idempotency import IdempotentRoute, mark_applied
from api.pagination import PAGED, PageRequest, page_of, page_params, paged_response
from api.security import AUTH_RESPONSES, audit_event, db, problem_response, require_role
from flexcalc.security import keys
from flexcalc.security.audit import AuditEvent
from flexcalc.security.keys import Principal, Role
from flexcalc.security.models import ApiKey
from flexcalc.security.redact import RedactedText

router = APIRouter(prefix="/v1", tags=["keys"], route_class=IdempotentRoute)


class KeyOut(BaseModel):
    id: str
    role: str
    case_id: str | None
    employer_cvr: str | None
    label: str | None
    created_at: str
    revoked_at: str | None


class NewKeyOut(KeyOut):
    secret: str | None = Field(description="Shown once; only its hash is stored (null when an "
                               "Idempotency-Key retry answers with the key made first).")


class KeyRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role
    case_id: str | None = Field(default=None, max_length=64)
    employer_cvr: str | None = Field(default=None, max_length=8)
    label: RedactedText | None = Field(default=None, max_length=200)


def key_out(row: ApiKey) -> dict[str, Any]:
    return {"id": row.id, "role": row.role, "case_id": row.case_id, "employer_cvr": row.employer_cvr,
            "label": row.label, "created_at": row.created_at.isoformat(),
            "revoked_at": row.revoked_at.isoformat() if row.revoked_at else None}


admin = require_role("admin")


@router.get("/keys", response_model=list[KeyOut], responses={**AUTH_RESPONSES, 200: PAGED},
            summary="Every API key (admins), by key id, a page at a time")
def list_keys(request: Request, page: PageRequest = Depends(page_params("keys")),
              principal: Principal = Depends(admin)) -> Any:
    from sqlalchemy import select

    query = select(ApiKey).order_by(ApiKey.id)
    if page.after is not None:
        query = query.where(ApiKey.id > page.after[0])
    with db()() as session:
        rows = [key_out(row) for row in session.scalars(query.limit(page.limit + 1))]
    items, next_key = page_of(rows, lambda k: (k["id"],), page)
    return paged_response(request, "keys", items, next_key)


@router.post("/keys", response_model=NewKeyOut, status_code=201, responses=AUTH_RESPONSES,
             summary="Make an API key (admins); the secret is shown once")
def create_key(body: KeyRequest, request: Request, principal: Principal = Depends(admin)) -> Any:
    """With ``Idempotency-Key`` a retry makes no second key: it answers with the first key, whose
    secret is not shown again (``secret`` is null; only its hash was ever stored)."""
    audit_event(request, AuditEvent(action="key-create", case_id=body.case_id, employer_cvr=body.employer_cvr,
                                    principal=principal))
    with db().begin() as session:
        mark_applied(request, session)  # the key, its idempotency record and its audit row: one transaction
        row, secret = keys.create_key(session, body.role, case_id=body.case_id, employer_cvr=body.employer_cvr,
                                      label=body.label)
        out = {**key_out(row), "secret": secret}
    request.scope.setdefault("state", {})["idempotent_stored_body"] = json.dumps({**out, "secret": None}).encode()
    return out


@router.post("/keys/{key_id}/revoke", response_model=KeyOut,
             responses={**AUTH_RESPONSES, 404: problem_response("No such key (problem+json)")},
             summary="Revoke an API key (admins)")
def revoke_key(key_id: str, request: Request, principal: Principal = Depends(admin)) -> Any:
    from fastapi import HTTPException

    audit_event(request, AuditEvent(action="key-revoke", principal=principal))
    with db().begin() as session:
        if session.get(ApiKey, key_id) is None:
            raise HTTPException(404, "no such key")
        mark_applied(request, session)
        row = keys.revoke_key(session, key_id)
        out = key_out(row)
    return out
