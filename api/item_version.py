"""Every write on a worklist item states the version it acts on: ``ETag`` on the item, ``If-Match`` on the write.

An item is read with ``GET /v1/worklist/items/{id}`` (or the month, ``GET /v1/cases/{case}/months/{month}``,
or a correction's hearing): the answer carries ``ETag: "<version>"`` (``flexcalc.ledger.item_version``).
Each write acting on the item — release a held month, record a hearing sent, its reply or an exception
from it, decide, register a month's events, reconcile the month — must send ``If-Match: "<version>"``:

* no ``If-Match`` (or ``*``): **428 Precondition Required**, nothing stored;
* another version than the item's now: **412 Precondition Failed**, nothing stored; the problem details
  (English and Danish) carry the current version (also as ``ETag``) and the month's items as they are now.

A resend with the same ``Idempotency-Key`` and body is answered from the first answer before the version is
looked at (a double click is a replay, not a second action); a new request with the old version is stale.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Request
from fastapi.responses import JSONResponse

from api.problem import problem
from api.security import problem_response
from flexcalc.ledger.item_version import StaleVersion, VersionError

HEADER = "If-Match"


def if_match_header(
    if_match: str | None = Header(default=None, alias=HEADER, max_length=200, description=(
        "The version of the worklist item the write acts on, as its ETag (e.g. \"9f2c…\"). Required: 428 "
        "without it, 412 with the item's current state when it is not the item's version now.")),
) -> str | None:
    return if_match


def expected_version(value: str | None) -> str | None:
    """The version in an ``If-Match`` value: the first entity tag, quotes and ``W/`` removed; ``*`` is no
    version (a write must say which state it acts on)."""
    if value is None:
        return None
    first = value.split(",")[0].strip()
    if first.startswith("W/"):
        first = first[2:]
    first = first.strip().strip('"').strip()
    return None if first in ("", "*") else first


def etag(version: str) -> str:
    return f'"{version}"'


VERSION_RESPONSES: dict[int | str, dict[str, Any]] = {
    412: problem_response("If-Match is not the item's version now: nothing stored; the problem details carry "
                          "current_version (also as ETag) and the month's items as they are now"),
    428: problem_response("If-Match is missing: state the version of the item the write acts on (its ETag)"),
}


def version_problem(error: VersionError) -> JSONResponse:
    month = str(error.month)
    if isinstance(error, StaleVersion):
        response = problem(
            412, "Precondition Failed",
            f"case {error.case_id}, month {month} changed since it was shown (version {error.expected}, now "
            f"{error.current}): nothing was stored; look at the item again and choose what to do",
            type_="/problems/stale-item",
            detail_da=f"sag {error.case_id}, {month} er ændret, siden den blev vist (version {error.expected}, nu "
                      f"{error.current}): intet er gemt; se opgaven igen, og vælg hvad der skal ske",
            case_id=error.case_id, month=month, current_version=error.current, items=error.items)
    else:
        response = problem(
            428, "Precondition Required",
            f"If-Match: state the version of the item (case {error.case_id}, month {month}) the write acts on; "
            "nothing was stored",
            type_="/problems/version-required",
            detail_da=f"If-Match: angiv versionen af opgaven (sag {error.case_id}, {month}), som handlingen "
                      "gælder; intet er gemt",
            case_id=error.case_id, month=month, current_version=error.current, items=error.items,
            errors=[{"field": HEADER, "code": "missing", "reason": "is required (the item's ETag)",
                     "reason_da": "skal angives (opgavens ETag)"}])
    response.headers["ETag"] = etag(error.current)
    return response


def install(app: FastAPI) -> None:
    @app.exception_handler(VersionError)
    async def _version(request: Request, exc: VersionError) -> JSONResponse:
        return version_problem(exc)


IfMatchDep = Annotated[str | None, Depends(if_match_header)]
"""The ``If-Match`` header of a write on a worklist item (its version as an entity tag)."""
