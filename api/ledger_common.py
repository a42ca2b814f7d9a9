"""Shared pieces of the ledger endpoints: the database session and error mapping.

The database is the one of ``FLEXCALC_DATABASE_URL`` (else the embedded SQLite file), read per request
so tests and deployments choose it by environment. Authentication, roles, audit and Idempotency-Key
are wired onto these routes elsewhere (security); nothing here returns a CPR number.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import HTTPException
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from api.problem import problem
from flexcalc.errors import InputError

CONFLICT_CODES = {"report_conflict", "already_paid", "case_exists", "decided", "employment_exists"}
NOT_FOUND_CODES = {"unknown_case", "unknown_correction"}


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


def conflict_or_raise(error: InputError, path_fields: tuple[str, ...] = ()) -> JSONResponse:
    """A conflict (409) or a missing path resource (404) as problem+json; other input errors re-raise (422)."""
    if error.code in CONFLICT_CODES:
        return problem(409, "Conflict", f"{error.field}: {error.reason_en}", type_="/problems/conflict",
                       detail_da=f"{error.field}: {error.reason_da}", errors=[error.as_dict()])
    if error.code in NOT_FOUND_CODES and (error.field in path_fields or not path_fields):
        raise HTTPException(404, error.reason_en) from None
    raise error


def created(body: Any) -> JSONResponse:
    return JSONResponse(body, status_code=201)
