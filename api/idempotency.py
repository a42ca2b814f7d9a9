"""``Idempotency-Key`` on write routes: ``APIRouter(..., route_class=IdempotentRoute)``.

On POST, PUT, PATCH and DELETE of such a router, a request with an ``Idempotency-Key`` header is
claimed in the database (``flexcalc.security.idempotency``); a retry with the same key and the same
body gets the first answer again (header ``Idempotent-Replayed: true``) and changes nothing; the same
key with a different body is refused (422 naming the field ``Idempotency-Key``); a retry while the
first is still running is 409. The answer is stored before it is sent, so every acknowledged write
can be replayed after a restart. A write endpoint should also call ``mark_applied(request, session)``
inside its own transaction, so that the write and its idempotency record commit together (see the
module docstring of ``flexcalc.security.idempotency``). The route class also parses JSON strictly.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Header, Request, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.types import Message

from api.problem import problem, problem_of, validation_problem
from api.security import audit_event, current_principal, db, write_audit_in
from api.strict_json import StrictJSONRoute
from flexcalc.errors import ConflictError
from flexcalc.security.audit import AuditEvent
from flexcalc.security.idempotency import KEY_MAX_LENGTH, Claim, Conflict, Replay, claim, fingerprint

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")
HEADER = "Idempotency-Key"


def idempotency_key_header(
    idempotency_key: str | None = Header(
        default=None, alias=HEADER, max_length=KEY_MAX_LENGTH, pattern=r"^[\x21-\x7e]+$",
        description="Any unique string (e.g. a UUID) per intended write; a retry with the same key and body "
                    "returns the first answer and changes nothing.",
    ),
) -> str | None:
    return idempotency_key


def idempotency_claim(request: Request) -> Claim | None:
    value = request.scope.get("state", {}).get("idempotency")
    return value if isinstance(value, Claim) else None


def mark_applied(request: Request, session: Session, status: int | None = None) -> None:
    """Inside the write's transaction, before commit: tie the write to its idempotency key (no-op
    without one) and write the request's audit rows (``api.security.write_audit_in``). Raises
    ``LeaseLost`` if another request took the key over — let it roll back."""
    current = idempotency_claim(request)
    if current is not None:
        current.mark_applied(session)
    write_audit_in(request, session, status)  # the audit row commits with the write, or the write is not made


def _key_error(reason: str, reason_da: str, code: str) -> Response:
    return validation_problem([{"field": HEADER, "code": code, "reason": reason, "reason_da": reason_da}])


_CONFLICTS = {
    "in_progress": ("a request with this Idempotency-Key is still being processed; retry shortly",),
    "applied": ("the write with this Idempotency-Key was made but its answer was lost (the server stopped); "
                "it will not be made again — read the resource to see it",),
}


def _case_ids(request: Request, body: bytes) -> list[str]:
    """The cases a write is about, for the audit of its replay: the path's, or the body's."""
    found: list[str] = []
    if isinstance(request.path_params.get("case_id"), str):
        found.append(request.path_params["case_id"])
    try:
        data = json.loads(body) if body else None
    except ValueError:
        data = None
    if isinstance(data, dict):
        items = [data, *(data.get("reports") or [] if isinstance(data.get("reports"), list) else [])]
        found += [item["case_id"] for item in items if isinstance(item, dict) and isinstance(item.get("case_id"), str)]
    return sorted(set(found))[:100]


class IdempotentRoute(StrictJSONRoute):
    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        methods = {m.upper() for m in (kwargs.get("methods") or [])}
        if methods & WRITE_METHODS:
            from fastapi import Depends

            kwargs["dependencies"] = [*(kwargs.get("dependencies") or []), Depends(idempotency_key_header)]
            responses = dict(kwargs.get("responses") or {})
            from api.security import problem_response

            responses.setdefault(409, problem_response("A request with this Idempotency-Key is in progress, or "
                                                       "was applied and its answer lost (problem+json)"))
            responses.setdefault(422, problem_response("Invalid input, or the Idempotency-Key was used with "
                                                       "another body (problem+json naming the field)"))
            kwargs["responses"] = responses
        super().__init__(path, endpoint, **kwargs)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def idempotent_handler(request: Request) -> Response:
            key = request.headers.get(HEADER)
            if key is None or request.method not in WRITE_METHODS:
                return await handler(request)
            if not _KEY.match(key):
                return _key_error(f"must be 1-{KEY_MAX_LENGTH} visible ASCII characters",
                                  f"skal være 1-{KEY_MAX_LENGTH} synlige ASCII-tegn", "idempotency_key_format")
            body = await request.body()
            principal = current_principal(request)
            owner = principal.key_id if principal else "-"
            factory = db()
            outcome = await run_in_threadpool(claim, factory, owner, key, request.method, request.url.path,
                                              fingerprint(request.method, _path_and_query(request), body))
            if isinstance(outcome, Replay):
                # a replay answers with case data again: audited like the first answer
                cases: list[str | None] = [*_case_ids(request, body)] or [None]
                for case_id in cases:
                    audit_event(request, AuditEvent(action="replay", case_id=case_id, principal=principal))
                return Response(outcome.body, status_code=outcome.status_code, media_type=outcome.content_type,
                                headers={"Idempotent-Replayed": "true"})
            if isinstance(outcome, Conflict):
                if outcome.reason == "mismatch":
                    return _key_error("was already used with a different request body",
                                      "er allerede brugt med et andet indhold", "idempotency_key_reused")
                return problem(409, "Conflict", _CONFLICTS[outcome.reason][0], type_="/problems/idempotency-"
                               + outcome.reason.replace("_", "-"))
            request.scope.setdefault("state", {})["idempotency"] = outcome
            sent = False

            async def replay_body() -> Message:
                nonlocal sent
                if sent:
                    return {"type": "http.disconnect"}
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}

            try:
                response = await handler(Request(request.scope, replay_body))
            except ConflictError as error:  # a conflict is the key's answer: stored and replayed like any other
                response = problem_of(error)
            except BaseException:
                await run_in_threadpool(outcome.release, factory)
                raise
            stored_body = request.scope.get("state", {}).get("idempotent_stored_body") or getattr(
                response, "body", None)
            if response.status_code >= 500 or response.status_code in (401, 403) or not isinstance(stored_body,
                                                                                                     bytes):
                await run_in_threadpool(outcome.release, factory)
                return response
            content_type = response.headers.get("content-type", "application/json")
            await run_in_threadpool(outcome.complete, factory, response.status_code, content_type, stored_body)
            return response

        return idempotent_handler


def _path_and_query(request: Request) -> str:
    """What the fingerprint covers besides method and body: the path and the query string (the same key
    with another ``as_of`` is another request, refused with 422, never the first answer replayed)."""
    query = request.url.query
    return f"{request.url.path}?{query}" if query else request.url.path
