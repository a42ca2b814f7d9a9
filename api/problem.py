"""Errors as RFC 9457 problem details (``application/problem+json``), naming the field.

A validation error lists every bad field with the reason in English and Danish:
``{"type": ..., "title": ..., "status": 422, "detail": ..., "errors": [{"field": "wage",
"code": "amount_negative", "reason": "must not be negative", "reason_da": "må ikke være negativt"}]}``

The one place where an error becomes an HTTP status: ``STATUS`` maps the classes of
``flexcalc.errors`` (by their method resolution order, so a subclass answers as its family), and
``problem_of`` builds the body. Routers raise; they never pick a status for an error.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from flexcalc.errors import (
    AccessError,
    ConflictError,
    FlexcalcError,
    ForbiddenError,
    InputError,
    InvariantError,
    LeaseLost,
    NotFoundError,
    PreconditionFailedError,
    PreconditionRequiredError,
    RateLimitedError,
    UnauthorizedError,
)
from flexcalc.parsing.inputs import errors_from_validation
from flexcalc.security.redact import redact

PROBLEM_JSON = "application/problem+json"

STATUS: dict[type[FlexcalcError], int] = {
    InputError: 422,
    NotFoundError: 404,
    ConflictError: 409,
    LeaseLost: 409,
    UnauthorizedError: 401,
    ForbiddenError: 403,
    PreconditionFailedError: 412,
    PreconditionRequiredError: 428,
    RateLimitedError: 429,
    InvariantError: 500,
}
"""The HTTP status of each kind of error; a class not listed answers as its nearest listed base, and a
``FlexcalcError`` of no listed family is a 500 (logged, no internals shown)."""

TITLES = {400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found", 405: "Method not allowed",
          409: "Conflict", 412: "Precondition failed", 413: "Request too large", 428: "Precondition required",
          429: "Too many requests"}

def problem(status: int, title: str, detail: str, *, type_: str = "about:blank", **extra: Any) -> JSONResponse:
    """A problem+json answer. CPR-shaped numbers in the texts are redacted (an error never echoes one)."""
    if "errors" in extra:
        extra["errors"] = [{k: redact(v) if isinstance(v, str) else v for k, v in e.items()} for e in extra["errors"]]
    if isinstance(extra.get("detail_da"), str):
        extra["detail_da"] = redact(extra["detail_da"])
    body = {"type": type_, "title": title, "status": status, "detail": redact(detail), **extra}
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


def field_errors(errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    """FastAPI's validation errors as problem+json items, through the one converter (``flexcalc.parsing.inputs``)."""
    return [error.as_dict() for error in errors_from_validation(errors)]


def validation_problem(errors: list[dict[str, str]]) -> JSONResponse:
    detail = "; ".join(f"{e['field']}: {e['reason']}" for e in errors)
    detail_da = "; ".join(f"{e['field']}: {e['reason_da']}" for e in errors)
    return problem(422, "Invalid input", detail, type_="/problems/invalid-input", detail_da=detail_da,
                   errors=errors)


def status_of(error: FlexcalcError) -> int:
    """The HTTP status of ``error``: that of its class, or of its nearest base in ``STATUS``."""
    for kind in type(error).__mro__:
        if kind in STATUS:
            return STATUS[kind]
    return 500


def problem_of(error: FlexcalcError) -> JSONResponse:
    """The problem+json answer to ``error`` (bodies as they always were: a conflict names the field in
    both languages, a missing resource says what is missing, bad input lists every bad field)."""
    status = status_of(error)
    if status == 500:
        return problem(500, "Internal error", "An unexpected error occurred; it has been logged.")
    if isinstance(error, InputError) and status == 422:
        return validation_problem([e.as_dict() for e in error.each()])
    if isinstance(error, InputError) and status == 404:
        return problem(404, TITLES[404], error.reason_en)
    if isinstance(error, InputError):
        return problem(status, TITLES[status], f"{error.field}: {error.reason_en}", type_="/problems/conflict",
                       detail_da=f"{error.field}: {error.reason_da}", errors=[error.as_dict()])
    if isinstance(error, LeaseLost):
        return problem(409, TITLES[409], "a request with this Idempotency-Key took over while this one ran; "
                       "retry to see its answer", type_="/problems/idempotency-in-progress")
    detail = error.detail if isinstance(error, AccessError) else str(error)
    response = problem(status, TITLES.get(status, "Error"), detail)
    if isinstance(error, AccessError):
        response.headers.update(error.headers)
    return response


def install(app: FastAPI) -> None:
    """Register the problem+json handlers on ``app``."""

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        return validation_problem(field_errors(list(exc.errors())))

    @app.exception_handler(FlexcalcError)
    async def _flexcalc(request: Request, exc: FlexcalcError) -> JSONResponse:
        if status_of(exc) == 500:
            logging.getLogger("flexcalc.api").error("unexpected error on %s %s", request.method, request.url.path,
                                                    exc_info=exc)
        return problem_of(exc)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        title = TITLES.get(exc.status_code, "Error")
        detail = exc.detail if isinstance(exc.detail, str) else title
        response = problem(exc.status_code, title, detail)
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Logged with its traceback (CPR-shaped numbers redacted by flexcalc.security.redact); the
        # client gets no internals.
        logging.getLogger("flexcalc.api").error("unexpected error on %s %s", request.method, request.url.path,
                                                exc_info=exc)
        return problem(500, "Internal error", "An unexpected error occurred; it has been logged.")
