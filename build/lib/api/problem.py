"""Errors as RFC 9457 problem details (``application/problem+json``), naming the field.

A validation error lists every bad field with the reason in English and Danish:
``{"type": ..., "title": ..., "status": 422, "detail": ..., "errors": [{"field": "wage",
"code": "amount_negative", "reason": "must not be negative", "reason_da": "må ikke være negativt"}]}``
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from flexcalc.errors import InputError
from flexcalc.inputs import errors_from_validation
from flexcalc.security.redact import redact

PROBLEM_JSON = "application/problem+json"

def problem(status: int, title: str, detail: str, *, type_: str = "about:blank", **extra: Any) -> JSONResponse:
    """A problem+json answer. CPR-shaped numbers in the texts are redacted (an error never echoes one)."""
    if "errors" in extra:
        extra["errors"] = [{k: redact(v) if isinstance(v, str) else v for k, v in e.items()} for e in extra["errors"]]
    if isinstance(extra.get("detail_da"), str):
        extra["detail_da"] = redact(extra["detail_da"])
    body = {"type": type_, "title": title, "status": status, "detail": redact(detail), **extra}
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


def field_errors(errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    """FastAPI's validation errors as problem+json items, through the one converter (``flexcalc.inputs``)."""
    return [error.as_dict() for error in errors_from_validation(errors)]


def validation_problem(errors: list[dict[str, str]]) -> JSONResponse:
    detail = "; ".join(f"{e['field']}: {e['reason']}" for e in errors)
    detail_da = "; ".join(f"{e['field']}: {e['reason_da']}" for e in errors)
    return problem(422, "Invalid input", detail, type_="/problems/invalid-input", detail_da=detail_da,
                   errors=errors)


def install(app: FastAPI) -> None:
    """Register the problem+json handlers on ``app``."""

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        return validation_problem(field_errors(list(exc.errors())))

    @app.exception_handler(InputError)
    async def _input(request: Request, exc: InputError) -> JSONResponse:
        return validation_problem([exc.as_dict()])

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        title = {400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found",
                 405: "Method not allowed", 409: "Conflict", 413: "Request too large"}.get(exc.status_code, "Error")
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
