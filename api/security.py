"""Authentication, roles, audit and the request size limit for the API.

``SecurityMiddleware`` (installed by ``api.app``) runs on every request, cheaply:

* refuses a body larger than ``FLEXCALC_MAX_BODY_BYTES`` (default 1 MiB) with 413 problem+json,
  by ``Content-Length`` or while the body streams in;
* when the request carries ``Authorization: Bearer <secret>``, verifies the key (cached a few seconds,
  see ``flexcalc.security.keys.KeyCache``) and puts the ``Principal`` on ``request.state.principal``;
  an unknown or revoked key is 401 on every route, a missing key is 401 only where one is needed;
* writes the audit entries that the authorization dependencies collected, with the answer's status,
  before the answer is sent (if the audit cannot be written, the client gets a 500, not the data).

Routers opt in with one line, e.g.::

    @router.get("/cases/{case_id}")
    def read(case_id: str, principal: CaseReaderDep) -> ...

``CaseReaderDep`` / ``CaseWriterDep`` (``read_case`` / ``write_case``) authorize the path's ``case_id``
and audit it; ``CaseworkerDep`` and the other aliases check the role; ``require_role(...)``,
``authorize_case(request, principal, case_id, action)`` and ``authorize_employer(request, principal, cvr)``
are the building blocks for routes that find the case or the employer some other way.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.problem import PROBLEM_JSON
from flexcalc import RULE_VERSION
from flexcalc.errors import ForbiddenError, InputError, UnauthorizedError
from flexcalc.ledger.db import session_factory
from flexcalc.parsing.identifiers import check_identifier
from flexcalc.security import audit
from flexcalc.security.audit import AuditEvent
from flexcalc.security.keys import KEY_CACHE, Principal, lookup, secret_hash
from flexcalc.settings import settings

log = logging.getLogger("flexcalc.security")
_RULE_VERSION_HEADER = (b"x-flexcalc-rule-version", RULE_VERSION.encode())

DEFAULT_MAX_BODY = 1024 * 1024
bearer_scheme = HTTPBearer(auto_error=False, description="An API key made with `flexcalc keys create`.")

PROBLEM_REF = "#/components/schemas/Problem"
#: The one shared problem+json component (RFC 9457) of every error answer; ``document_problems`` puts it
#: (and ``FieldError``) in ``components.schemas``, so a generated client has one ``Problem`` model.
PROBLEM_COMPONENTS: dict[str, dict[str, Any]] = {
    "Problem": {
        "title": "Problem",
        "type": "object",
        "description": "An error as RFC 9457 problem details (application/problem+json), naming the field.",
        "required": ["type", "title", "status", "detail"],
        "properties": {
            "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
            "detail": {"type": "string"}, "detail_da": {"type": "string"},
            "errors": {"type": "array", "items": {"$ref": "#/components/schemas/FieldError"}},
        },
    },
    "FieldError": {
        "title": "FieldError",
        "type": "object",
        "description": "One bad field, with the reason in English and Danish.",
        "properties": {"field": {"type": "string"}, "code": {"type": "string"}, "reason": {"type": "string"},
                       "reason_da": {"type": "string"}},
    },
}
_PROBLEM_SCHEMA = {"$ref": PROBLEM_REF}


def problem_response(description: str) -> dict[str, Any]:
    return {"description": description, "content": {PROBLEM_JSON: {"schema": _PROBLEM_SCHEMA}}}


#: OpenAPI ``responses`` for routes that need a key: ``@router.get(..., responses=AUTH_RESPONSES)``.
AUTH_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: problem_response("No key, or an unknown or revoked key (problem+json)"),
    403: problem_response("The key's role or scope does not allow this (problem+json)"),
    422: problem_response("Invalid input (problem+json naming the field)"),
}


def max_body_bytes() -> int:
    return settings().max_body_bytes


def db() -> sessionmaker[Session]:
    """The session factory of the configured database (``FLEXCALC_DATABASE_URL`` or the SQLite file)."""
    return session_factory()


def _lookup_in_db(secret: str) -> Principal | None:
    with db()() as session:
        return lookup(session, secret)


async def authenticate(secret: str) -> Principal | None:
    digest = secret_hash(secret)
    principal = KEY_CACHE.get(digest)
    if principal is None:
        principal = await run_in_threadpool(_lookup_in_db, secret)
        if principal is not None:
            KEY_CACHE.put(digest, principal)
    return principal


def _problem_bytes(status: int, title: str, detail: str) -> bytes:
    return json.dumps({"type": "about:blank", "title": title, "status": status, "detail": detail}).encode()


async def _send_problem(send: Send, status: int, title: str, detail: str,
                        extra_headers: list[tuple[bytes, bytes]] | None = None) -> None:
    body = _problem_bytes(status, title, detail)
    headers = [(b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(body)).encode()),
               *(extra_headers or [])]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class SecurityMiddleware:
    """Size limit, authentication when a key is presented, and the audit entries of the request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = max_body_bytes()
        if not await _admit(scope, send, limit):
            return
        state = scope["state"]

        received = 0
        refused = False  # the body grew past the limit while streaming in: 413 sent, the rest dropped
        started = False

        async def limited_receive() -> Message:
            nonlocal received, refused, started
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    refused = True
                    if not started:
                        started = True
                        await _send_problem(send, 413, "Request too large", f"the body is larger than {limit} bytes")
                    return {"type": "http.disconnect"}
            return message

        finished = False
        withheld = False

        async def audited_send(message: Message) -> None:
            nonlocal started, finished, withheld
            if refused or withheld:
                return
            if message["type"] == "http.response.start" and not started:
                started = True
                message["headers"] = [*message.get("headers", []), _RULE_VERSION_HEADER]
                events = _unwritten(state)
                if events:
                    try:
                        await run_in_threadpool(_write_audit, scope, events, message["status"])
                    except Exception:
                        log.exception("the audit log could not be written; the answer is withheld")
                        withheld = finished = True
                        await _send_problem(send, 500, "Internal error", "An unexpected error occurred; "
                                            "it has been logged.")
                        raise _AnswerWithheld() from None
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                finished = True
            await send(message)

        try:
            await self.app(scope, limited_receive, audited_send)
        except Exception as error:
            # Answered here, not re-raised: a re-raised error makes the server drop the keep-alive
            # connection after the answer. Only a half-sent answer is re-raised.
            if refused or isinstance(error, _AnswerWithheld):
                return
            await _answer_unexpected(scope, state, send, error, started=started, finished=finished)


async def _admit(scope: Scope, send: Send, limit: int) -> bool:
    """The request's headers checked before the route sees it: a declared body over ``limit`` is 413, more
    than one Authorization header 400, an unknown key 401 (each refusal audited); a known key's principal
    goes into the request's state. False when the request was answered here."""
    authorization: bytes | None = None
    authorizations = 0
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                too_large = int(value) > limit
            except ValueError:
                too_large = False
            if too_large:
                await _send_problem(send, 413, "Request too large", f"the body is larger than {limit} bytes")
                return False
        elif name == b"authorization":
            authorization = value
            authorizations += 1
    state = scope.setdefault("state", {})
    if authorizations > 1:
        # Which one would count? Our reader took the last, FastAPI's the first: refuse.
        await run_in_threadpool(_write_refusal, scope, None, 400)
        await _send_problem(send, 400, "Bad request", "the request has more than one Authorization header")
        return False
    if authorization is not None:
        scheme, _, secret = authorization.decode("latin-1").partition(" ")
        principal = await authenticate(secret.strip()) if scheme.lower() == "bearer" else None
        if principal is None:
            # every refused attempt is audited, with the key id it claims (never the secret)
            await run_in_threadpool(_write_refusal, scope, claimed_key_id(secret.strip()), 401)
            await _send_problem(send, 401, "Unauthorized", "the API key is unknown, malformed or revoked",
                                [(b"www-authenticate", b"Bearer")])
            return False
        state["principal"] = principal
    return True


async def _answer_unexpected(scope: Scope, state: dict[str, Any], send: Send, error: Exception, *,
                             started: bool, finished: bool) -> None:
    """An error the route did not answer: logged; a 500 (with the request's audit rows) unless the answer
    was sent already; a half-sent answer is re-raised."""
    logging.getLogger("flexcalc.api").error("unexpected error on %s %s", scope["method"], scope.get("path", ""),
                                            exc_info=error)
    if finished:
        return
    if started:
        raise error
    events = _unwritten(state)
    if events:
        try:
            await run_in_threadpool(_write_audit, scope, events, 500)
        except Exception:
            log.exception("the audit log could not be written")
    await _send_problem(send, 500, "Internal error", "An unexpected error occurred; it has been logged.")


class _AnswerWithheld(Exception):
    """The audit row of an answer could not be written: a 500 was sent instead; stop the route."""


def _unwritten(state: dict[str, Any]) -> list[AuditEvent]:
    """The request's audit events not yet committed with its write (``write_audit_in``)."""
    events: list[AuditEvent] = state.get("audit") or []
    return events[state.get("audit_committed", 0):]


def _pending_audit(request: Request) -> tuple[dict[str, Any], list[AuditEvent], Any, str]:
    """The request's state, its audit events not yet committed, its route and the route's path template."""
    state = request.scope.setdefault("state", {})
    route = request.scope.get("route")
    return state, _unwritten(state), route, getattr(route, "path", None) or request.scope.get("path", "")


def _write_audit(scope: Scope, events: list[AuditEvent], status: int) -> None:
    route = scope.get("route")
    template = getattr(route, "path", None) or scope.get("path", "")
    with db().begin() as session:
        audit.record(session, events, method=scope["method"], route=template, status=status)


_KEY_ID = re.compile(r"^fck_(k[0-9a-f]{12})_")


def claimed_key_id(secret: str) -> str | None:
    """The key id a presented secret claims (``fck_<key id>_...``), for the audit of a refused key."""
    match = _KEY_ID.match(secret)
    return match.group(1) if match else None


def _write_refusal(scope: Scope, key_id: str | None, status: int) -> None:
    """Audit a request refused before any route ran (unknown or revoked key, two Authorization headers)."""
    principal = Principal(key_id=key_id, role="unknown") if key_id else None
    try:
        with db().begin() as session:
            audit.record(session, [AuditEvent(action="auth", principal=principal)], method=scope["method"][:8],
                         route=scope.get("path", ""), status=status)
    except Exception:  # the refusal stands even if it cannot be recorded; it is logged
        log.exception("a refused request could not be audited")


def write_audit_in(request: Request, session: Session, status: int | None = None) -> None:
    """Write the request's audit events inside the write's own transaction: they commit
    together, or neither does — a write whose audit row cannot be written is not made. The row records
    ``status`` (default: the route's success status); the middleware writes nothing more for these
    events once committed."""
    from sqlalchemy import event

    state, events, route, template = _pending_audit(request)
    if not events:
        return
    status = status or getattr(route, "status_code", None) or 200
    audit.record(session, events, method=request.method, route=template, status=status)
    upto = len(state.get("audit") or [])

    @event.listens_for(session, "after_commit", once=True)
    def _committed(_session: Session) -> None:
        state["audit_committed"] = max(state.get("audit_committed", 0), upto)


def audit_before_write(request: Request) -> None:
    """For a write made in many transactions (payment runs, reconciliations): commit its audit row
    first, so a write whose audit row cannot be written never starts."""
    state, events, route, template = _pending_audit(request)
    if not events:
        return
    with db().begin() as session:
        audit.record(session, events, method=request.method, route=template,
                     status=getattr(route, "status_code", None) or 200)
    state["audit_committed"] = len(state.get("audit") or [])


# --- dependencies -------------------------------------------------------------------------------

def current_principal(request: Request) -> Principal | None:
    principal = request.scope.get("state", {}).get("principal")
    return principal if isinstance(principal, Principal) else None


def _unauthorized() -> UnauthorizedError:
    return UnauthorizedError("this needs an API key: Authorization: Bearer <key>",
                             headers={"WWW-Authenticate": "Bearer"})


def _forbidden(detail: str) -> ForbiddenError:
    return ForbiddenError(detail)


def require_principal(request: Request,
                      _credentials: HTTPAuthorizationCredentials | None = Security(bearer_scheme)) -> Principal:
    """The caller's key, or 401."""
    principal = current_principal(request)
    if principal is None:
        raise _unauthorized()
    return principal


def require_role(*roles: str) -> Callable[..., Principal]:
    """A dependency: the caller's key if its role is one of ``roles``, else 403 (401 without a key)."""

    def dependency(principal: Principal = Depends(require_principal)) -> Principal:
        if principal.role not in roles:
            raise _forbidden(f"the role '{principal.role}' may not do this")
        return principal

    return dependency


def audit_event(request: Request, event: AuditEvent) -> None:
    """Add an entry to write to the audit log when the answer's status is known."""
    state = request.scope.setdefault("state", {})
    state.setdefault("audit", []).append(event)


def authorize_case(request: Request, principal: Principal | None, case_id: str, action: str = "read") -> Principal:
    """May ``principal`` read (or write) the case as a whole — subsidy, payments, decisions? Audited.

    caseworker: every case; supervisor: every case, read only; citizen: its own case, read only; employer,
    admin, finance and manager: no."""
    audit_event(request, AuditEvent(action=action, case_id=case_id, principal=principal))
    if principal is None:
        raise _unauthorized()
    if principal.role == "caseworker":
        return principal
    if principal.role == "supervisor":
        if action == "read":
            return principal
        raise _forbidden("a supervisor key reads cases and records supervisions and findings only")
    if principal.role == "citizen" and principal.case_id == case_id:
        if action == "read":
            return principal
        raise _forbidden("a citizen key reads its own case and writes nothing")
    if principal.role == "citizen":
        raise _forbidden("a citizen key reads only its own case")
    raise _forbidden(f"the role '{principal.role}' may not see a case")


def authorize_employer(request: Request, principal: Principal | None, cvr: str, *, case_id: str | None = None,
                       action: str = "read") -> Principal:
    """May ``principal`` read (or write) what belongs to the employer ``cvr`` — its employments' ceilings,
    the status of its reports? Audited (with the case, if known).

    caseworker: every employer; employer: its own CVR number only; citizen and admin: no."""
    audit_event(request, AuditEvent(action=action, case_id=case_id, employer_cvr=cvr, principal=principal))
    if principal is None:
        raise _unauthorized()
    if principal.role == "caseworker":
        return principal
    if principal.role == "employer" and principal.employer_cvr == cvr:
        return principal
    if principal.role == "employer":
        raise _forbidden("an employer key sees only its own employments")
    raise _forbidden(f"the role '{principal.role}' may not see an employer's data")


def _case_access(action: str) -> Callable[..., Principal]:
    def dependency(request: Request, case_id: str,
                   _credentials: HTTPAuthorizationCredentials | None = Security(bearer_scheme)) -> Principal:
        principal = current_principal(request)
        try:
            check_identifier(case_id, "case_id")  # a CPR number or junk is refused, audited redacted
        except InputError:
            audit_event(request, AuditEvent(action=action, case_id=case_id, principal=principal))
            if principal is None:
                raise _unauthorized() from None
            raise
        return authorize_case(request, principal, case_id, action)

    dependency.__name__ = f"{action}_case"
    return dependency


#: ``Depends(read_case)``: the path's ``case_id`` may be read by the caller (audited), else 401/403.
read_case = _case_access("read")
#: ``Depends(write_case)``: the path's ``case_id`` may be written by the caller (audited), else 401/403.
write_case = _case_access("write")


# --- dependency aliases: ``def route(..., principal: CaseworkerDep)`` ------------------------------

#: Any valid key (401 without one); the route authorizes what it finds (``authorize_case`` …).
PrincipalDep = Annotated[Principal, Depends(require_principal)]
#: A key that may read the path's ``case_id`` (audited).
CaseReaderDep = Annotated[Principal, Depends(read_case)]
#: A key that may write the path's ``case_id`` (audited).
CaseWriterDep = Annotated[Principal, Depends(write_case)]
#: A caseworker's key.
CaseworkerDep = Annotated[Principal, Depends(require_role("caseworker"))]
#: An admin's key (API keys).
AdminDep = Annotated[Principal, Depends(require_role("admin"))]
#: Finance staff or a caseworker.
FinanceDep = Annotated[Principal, Depends(require_role("finance", "caseworker"))]
#: An employer (its own CVR number's reports) or a caseworker (the income register's).
ReporterDep = Annotated[Principal, Depends(require_role("employer", "caseworker"))]
#: A manager's key (the month's figures without persons).
ManagerDep = Annotated[Principal, Depends(require_role("manager"))]
#: A supervisor's key (management supervision; reads cases).
SupervisorDep = Annotated[Principal, Depends(require_role("supervisor"))]


# --- OpenAPI: document the problem answers every route can give -----------------------------------

def _is_default_validation(response: dict[str, Any]) -> bool:
    """FastAPI's own 422 answer (``HTTPValidationError``), which this API never gives (see api/problem.py)."""
    return "HTTPValidationError" in json.dumps(response.get("content", {}))


def document_problems(app: FastAPI) -> None:
    """Make ``app.openapi()`` list the problem+json answers of the middleware and handlers on every
    operation: 401 (an unknown key is refused everywhere), 413 (bodies), 500; and give every 4xx answer
    without a documented body the problem+json schema."""
    from fastapi.openapi.utils import get_openapi

    from api.operation_ids import check_unique

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        for path, path_item in schema.get("paths", {}).items():
            for operation in path_item.values():
                if not isinstance(operation, dict) or "responses" not in operation:
                    continue
                responses = operation["responses"]
                responses.setdefault("401", problem_response("An unknown, malformed or revoked API key "
                                                             "(problem+json)"))
                if "{" in path:
                    responses.setdefault("404", problem_response("No such resource (problem+json)"))
                if "requestBody" in operation:
                    responses.setdefault("413", problem_response("The body is too large (problem+json)"))
                responses.setdefault("500", problem_response("An unexpected error, without internals "
                                                             "(problem+json)"))
                for code, response in responses.items():
                    if code[0] in "45" and ("content" not in response or _is_default_validation(response)):
                        response["content"] = {PROBLEM_JSON: {"schema": _PROBLEM_SCHEMA}}
        check_unique(schema)  # operationIds: unique snake_case function names (api/operation_ids.py)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.update(PROBLEM_COMPONENTS)
        for name in ("HTTPValidationError", "ValidationError"):  # FastAPI's defaults: never answered here
            if name in components and f"#/components/schemas/{name}" not in json.dumps(schema["paths"]):
                del components[name]
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented way to customise the document
