"""A case id is one case of one table: a fleksjob case (``ledger_case``) or a self-employed case
(``self_employed_case``), never both (docs/decisions.md, "One engine, three flows"). The tables are named here
by lightweight constructs, so the modules that create cases can ask without importing each other."""

from __future__ import annotations

from sqlalchemy import column, select, table
from sqlalchemy.orm import Session

CASE_TABLES = ("ledger_case", "self_employed_case")


def case_id_taken(session: Session, case_id: str) -> bool:
    """Whether ``case_id`` is the id of a case in either table."""
    for name in CASE_TABLES:
        rows = table(name, column("id"))
        if session.execute(select(rows.c.id).where(rows.c.id == case_id)).first() is not None:
            return True
    return False
