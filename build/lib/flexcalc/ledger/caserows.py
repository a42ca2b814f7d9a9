"""The case row's own operations, below the store: the clock, the case's lock and finding a case.

Kept apart from ``flexcalc.ledger.store`` so modules the store uses (event registrations) can take the
case's lock without importing the store (no import cycle in ``flexcalc/``).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update
from sqlalchemy.orm import Session

from flexcalc.errors import InputError
from flexcalc.identifiers import safe_identifier

from .models import Case


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)

def lock_case(session: Session, case_id: str) -> bool:
    """Take the case's row lock as the transaction's first write (PostgreSQL: row lock; SQLite: the
    write lock) so two processes paying or reconciling one case run one after the other."""
    result = session.execute(update(Case).where(Case.id == case_id).values(revision=Case.revision + 1))
    return bool(result.rowcount)  # type: ignore[attr-defined]

def get_case(session: Session, case_id: str, field: str = "case") -> Case:
    case = session.get(Case, case_id)
    if case is None:
        shown = safe_identifier(case_id)  # never echo a CPR number or other junk typed as a case id
        raise InputError(field, f"there is no case '{shown}'", f"der er ingen sag '{shown}'", code="unknown_case")
    return case
