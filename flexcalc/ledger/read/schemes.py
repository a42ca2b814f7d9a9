"""Which scheme a case is in: the one answer for all three flows (``scheme_of``).

- A **self-employed** case (LAB § 126) lives in its own table (``self_employed_case``): that table is the truth
  for the flow, so every case there is of scheme ``self_employed`` from its first year on. Its id is never also
  a ``ledger_case`` id (both ways of creating a case refuse an id the other uses:
  ``flexcalc.ledger.case_ids.case_id_taken``).
- A **fleksjob case** (``ledger_case``) is in the scheme its dated statements say (``ledger_case_scheme``,
  ``flexcalc.ledger.schemes.scheme_at``): ``old`` or ``new_2013`` (the default without a statement). A
  ledger case cannot be stated ``self_employed``: the self-employed have no employer or wage reports, so such a
  case is created as a self-employed case instead (refused by ``set_scheme``).

The worklist asks here; the caseload by scheme (``read.insight.scheme_of_cases``) counts from the same two
sources in bulk, and each flow's finance reads its own payments.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

NEW, OLD, SELF_EMPLOYED = "new_2013", "old", "self_employed"


def self_employed_ids(session: Session, case_ids: Iterable[str] | None = None) -> set[str]:
    """The ids (of ``case_ids``, or all) that are self-employed cases."""
    from flexcalc.ledger.self_employed import SelfEmployedCase

    query = select(SelfEmployedCase.id)
    if case_ids is not None:
        wanted = set(case_ids)
        if not wanted:
            return set()
        query = query.where(SelfEmployedCase.id.in_(wanted))
    return set(session.scalars(query))


def scheme_of(session: Session, case_id: str, day: dt.date | None = None, as_of: dt.datetime | None = None) -> str:
    """The scheme of ``case_id`` on ``day`` (default: today) as known at ``as_of``: ``self_employed`` for a
    self-employed case, else the fleksjob case's dated statement (``new_2013`` without one)."""
    from flexcalc.ledger.schemes import scheme_at

    if self_employed_ids(session, [case_id]):
        return SELF_EMPLOYED
    return scheme_at(session, case_id, day or dt.date.today(), as_of).scheme


def schemes_of(session: Session, cases: Iterable[tuple[str, dt.date]]) -> dict[tuple[str, dt.date], str]:
    """``scheme_of`` for many (case, day) pairs; only the cases with a statement are read one by one."""
    from flexcalc.ledger.scheme_models import CaseScheme
    from flexcalc.ledger.schemes import scheme_at

    pairs = list(dict.fromkeys(cases))
    ids = {c for c, _ in pairs}
    if not ids:
        return {}
    self_employed = self_employed_ids(session, ids)
    stated = set(session.scalars(select(CaseScheme.case_id).where(CaseScheme.case_id.in_(ids - self_employed))))
    out: dict[tuple[str, dt.date], str] = {}
    for case_id, day in pairs:
        if case_id in self_employed:
            out[(case_id, day)] = SELF_EMPLOYED
        elif case_id in stated:
            out[(case_id, day)] = scheme_at(session, case_id, day).scheme
        else:
            out[(case_id, day)] = NEW
    return out
