"""Append-only cannot be bypassed, on SQLite and PostgreSQL.

The attacks: SQLite's ``INSERT OR REPLACE`` (its implicit delete fires no DELETE trigger), PostgreSQL's
``TRUNCATE ... CASCADE``, and UPDATE/DELETE on the history tables that had no trigger (ceilings, holds,
cases, employments, keys). Which columns of cases, employments and keys may change: migration
``0005_hardening``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from flexcalc.ledger.payments import pay_month
from flexcalc.ledger.reconcile import reconcile
from flexcalc.ledger.reports import parse_report
from flexcalc.ledger.store import create_case, ingest, open_ledger, transaction
from flexcalc.period import Month
from flexcalc.security import audit
from flexcalc.security.audit import AuditEvent
from flexcalc.security.keys import create_key

HISTORY = ("ledger_report", "ledger_payment", "ledger_correction", "ledger_decision", "ledger_hold",
           "ledger_ceiling", "audit_log", "ledger_case", "ledger_employment", "api_keys")


def _report(rid: str, case: str, wage: str, received: str, kind: str = "original",
            corrects: str | None = None) -> dict[str, object]:
    return {"report_id": rid, "case_id": case, "employer_id": "11111111", "payment_date": "2024-02-29",
            "period_start": "2024-02-01", "period_end": "2024-02-29", "wage": wage, "pension_own": "0",
            "pension_employer": "0", "hours": "64", "received_at": received, "kind": kind, "corrects": corrects}


def _fill(url: str) -> Callable[[], Session]:
    """A row in every history table: cases, employments, ceilings, reports, a payment, a hold, a
    correction with its decision, an audit entry and a key."""
    from flexcalc.ledger.corrections import record_decision
    from flexcalc.ledger.models import Correction

    factory = open_ledger(url)
    with transaction(factory) as session:
        create_case(session, "P1", Decimal("30000"), Month(2024, 3), ["11111111"])
        create_case(session, "H1", Decimal("30000"), Month(2024, 3), ["22222222"])
        ingest(session, [parse_report(_report("A", "P1", "15600", "2024-03-04T10:00:00+01:00"))])
        create_key(session, "caseworker", label="team")
        audit.record(session, [AuditEvent(action="read", case_id="P1")], method="GET", route="/v1/cases/{case_id}",
                     status=200)
    pay_month(factory, Month(2024, 3), dt.datetime(2024, 3, 6, tzinfo=dt.UTC))
    with transaction(factory) as session:
        ingest(session, [parse_report(_report("A2", "P1", "25600", "2024-03-20T10:00:00+01:00", "correction", "A"))])
    reconcile(factory, dt.datetime(2024, 3, 21, tzinfo=dt.UTC), None)
    with transaction(factory) as session:
        correction = session.query(Correction).one()
        record_decision(session, correction.id, "waive", "good faith", "cw")
    return factory


def _counts(factory: Callable[[], Session]) -> dict[str, int]:
    with factory() as session:
        return {t: int(session.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()) for t in HISTORY}


def _refused(factory: Callable[[], Session], *statements: str) -> None:
    with pytest.raises(DBAPIError), transaction(factory) as session:
        for statement in statements:
            session.execute(text(statement))


def test_every_history_table_refuses_update_delete_and_truncate(database_url: str) -> None:
    factory = _fill(database_url)
    before = _counts(factory)
    assert all(n >= 1 for n in before.values()), before
    postgres = database_url.startswith("postgresql")
    for table in HISTORY:
        _refused(factory, f"DELETE FROM {table}")
        if postgres:
            _refused(factory, f"TRUNCATE {table} CASCADE")
    for table in ("ledger_report", "ledger_payment", "ledger_correction", "ledger_decision", "ledger_hold",
                  "ledger_ceiling", "audit_log"):
        column = {"ledger_report": "wage", "ledger_payment": "subsidy", "ledger_correction": "difference",
                  "ledger_decision": "outcome", "ledger_hold": "reason", "ledger_ceiling": "amount",
                  "audit_log": "status"}[table]
        value = "'collect'" if table == "ledger_decision" else "'x'" if table == "ledger_hold" else "0"
        _refused(factory, f"UPDATE {table} SET {column} = {value}")
    # cases, employments and keys: only the columns that record a later event may change
    _refused(factory, "UPDATE ledger_case SET cpr = '0101901234'")
    _refused(factory, "UPDATE ledger_case SET first_month = '2020-01'")
    _refused(factory, "UPDATE ledger_employment SET employer_id = '99999999'")
    _refused(factory, "UPDATE api_keys SET role = 'admin'")
    with transaction(factory) as session:  # allowed: the row lock, closing a case, ending an employment, revoking
        session.execute(text("UPDATE ledger_case SET revision = revision + 1, last_month = '2024-12'"))
        session.execute(text("UPDATE ledger_employment SET last_basis_month = '2024-11'"))
        session.execute(text("UPDATE api_keys SET revoked_at = created_at"))
    _refused(factory, "UPDATE api_keys SET revoked_at = NULL")  # a revocation is never undone
    assert _counts(factory) == before


def test_sqlite_insert_or_replace_cannot_rewrite_history(sqlite_url: str) -> None:
    factory = _fill(sqlite_url)
    before = _counts(factory)
    with factory() as session:
        wage = session.execute(text("SELECT wage FROM ledger_report WHERE report_id = 'A'")).scalar_one()
    for table in HISTORY:
        # copy the stored rows and write them back over themselves: REPLACE deletes the originals first
        _refused(factory, f"CREATE TEMP TABLE IF NOT EXISTS copy_{table} AS SELECT * FROM {table}",
                 f"INSERT OR REPLACE INTO {table} SELECT * FROM copy_{table}")
    _refused(factory, "INSERT OR REPLACE INTO ledger_report (employer_id, report_id, case_id, payment_date, "
                      "basis_month, period_start, period_end, wage, pension_own, pension_employer, hours, "
                      "received_at, kind, corrects, root_id, ingested_at) VALUES ('11111111', 'A', 'P1', "
                      "'2024-02-29', '2024-02', '2024-02-01', '2024-02-29', 0, 0, 0, 0, '2024-03-04 09:00:00', "
                      "'original', NULL, 'A', '2024-03-04 09:00:00')")
    _refused(factory, "REPLACE INTO ledger_payment (id, case_id, benefit_month, kind, basis_wage, ceiling, subsidy, "
                      "atp_own, payout, report_ids, rule_version, as_of, created_at) SELECT id + 1000, case_id, "
                      "benefit_month, kind, 0, 0, 0, 0, 0, '', rule_version, as_of, created_at FROM ledger_payment")
    assert _counts(factory) == before
    with factory() as session:
        assert session.execute(text("SELECT wage FROM ledger_report WHERE report_id = 'A'")).scalar_one() == wage
