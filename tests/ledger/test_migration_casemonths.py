"""Migration 0006_casemonths on SQLite and PostgreSQL with data in the tables: rows written under 0003
keep their meaning (a ceiling without known_at is always known; a payment's rule version without a
fingerprint is not read as a rate change), the new table is append-only, and it downgrades."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from alembic import command
from sqlalchemy import text

from flexcalc.ledger.db import alembic_config, make_engine, upgrade
from flexcalc.period import Month

REVISION = "0006_casemonths"


def _seed_0003(url: str) -> None:
    upgrade(url, "0003_merge")
    engine = make_engine(url)
    with engine.begin() as c:
        c.execute(text("INSERT INTO ledger_case (id, first_month, created_at, revision) "
                       "VALUES ('M1', '2024-03', '2024-01-01 00:00:00', 0)"))
        c.execute(text("INSERT INTO ledger_employment (case_id, employer_id, first_basis_month, created_at) "
                       "VALUES ('M1', '11111111', '2024-02', '2024-01-01 00:00:00')"))
        c.execute(text("INSERT INTO ledger_ceiling (case_id, effective_month, amount, recorded_at, note) "
                       "VALUES ('M1', '2024-03', 3206700, '2026-01-01 00:00:00', 'oprettet med sagen')"))
        c.execute(text(
            "INSERT INTO ledger_report (report_id, case_id, employer_id, payment_date, basis_month, period_start, "
            "period_end, wage, pension_own, pension_employer, hours, received_at, kind, corrects, root_id, "
            "ingested_at) VALUES ('M1-02', 'M1', '11111111', '2024-02-29', '2024-02', '2024-02-01', '2024-02-29', "
            "1560000, 0, 0, 6400, '2024-03-01 09:00:00', 'original', NULL, 'M1-02', '2024-03-01 09:00:00')"))
        c.execute(text(
            "INSERT INTO ledger_payment (case_id, benefit_month, kind, basis_wage, ceiling, subsidy, atp_own, payout, "
            "report_ids, rule_version, as_of, created_at) VALUES ('M1', '2024-03', 'regular', 1560000, 3206700, "
            "1527200, 50000, 1477200, 'M1-02', '2026.11.1', '2024-03-06 12:00:00', '2024-03-06 12:00:00')"))
        c.execute(text(  # a correction as 0003 wrote it: lists as space-separated text
            "INSERT INTO ledger_correction (case_id, benefit_month, sequence, previous_subsidy, due_subsidy, "
            "difference, previous_payout, due_payout, basis_wage, ceiling, report_ids, caused_by, reasons, "
            "explanation_da, explanation_en, legal_basis, earliest_affected_month, status, rule_version, as_of, "
            "created_at) VALUES ('M1', '2024-03', 1, 1527200, 1527200, 0, 1477200, 1477200, 1560000, 3206700, "
            "'M1-02 M1-02b', 'M1-02b', 'late_report ceiling_change', 'x', 'x', 'x', '2024-03', 'payable', "
            "'2026.11.1', '2024-03-07 12:00:00', '2024-03-07 12:00:00')"))


@pytest.mark.parametrize("hop", [False, True], ids=["up", "up-down-up"])
def test_0004_keeps_the_stored_rows_and_their_meaning(database_url: str, hop: bool) -> None:
    from flexcalc.ledger.payments import pay_month
    from flexcalc.ledger.reconcile import reconcile
    from flexcalc.ledger.store import load_facts, open_ledger

    _seed_0003(database_url)
    upgrade(database_url, REVISION)
    if hop:
        command.downgrade(alembic_config(database_url), "0003_merge")
        upgrade(database_url, REVISION)
    upgrade(database_url)  # and whatever comes after
    engine = make_engine(database_url)
    with engine.connect() as c:
        assert c.execute(text("SELECT known_at FROM ledger_ceiling")).scalar_one() is None
        assert c.execute(text("SELECT event_registration, reason FROM ledger_payment")).one() == (None, None)
        assert c.execute(text("SELECT count(*) FROM ledger_event_registration")).scalar_one() == 0
    factory = open_ledger(database_url)
    from sqlalchemy import select

    from flexcalc.ledger.models import Correction, Payment
    from flexcalc.ledger.types import CorrectionStatus, PaymentKind

    with factory() as session:
        facts = load_facts(session, "M1")
        old = session.scalars(select(Correction)).one()
        payment = session.scalars(select(Payment)).one()
    # typed on reading: months as Month, lists as lists, codes as enums (rows were not rewritten)
    assert (old.benefit_month, old.report_ids, old.reasons) == (Month(2024, 3), ["M1-02", "M1-02b"],
                                                                ["late_report", "ceiling_change"])
    assert old.status is CorrectionStatus.PAYABLE and payment.kind is PaymentKind.REGULAR
    assert payment.report_ids == ["M1-02"] and payment.benefit_month == Month(2024, 3)
    # the old ceiling (recorded 2026) is always known: a 2024 as-of still finds it
    due = facts.month_due(Month(2024, 3), dt.datetime(2024, 3, 6, tzinfo=dt.UTC))
    assert due.ceiling == Decimal("32067.00") and due.result is not None
    assert due.result.subsidy == Decimal("15272.00")
    # a rule version without a fingerprint is not a rate change: nothing to correct
    assert reconcile(factory, dt.datetime(2024, 4, 30, tzinfo=dt.UTC)).corrections == []
    with engine.connect() as c:  # and the old text stays as it was written
        assert c.execute(text("SELECT reasons FROM ledger_correction")).scalar_one() == "late_report ceiling_change"
    assert pay_month(factory, Month(2024, 3), dt.datetime(2024, 3, 6, tzinfo=dt.UTC)).already_paid == ["M1"]


def test_event_registrations_are_append_only_in_the_database(database_url: str) -> None:
    from flexcalc.ledger.registrations import register_events
    from flexcalc.ledger.store import open_ledger, transaction

    _seed_0003(database_url)
    factory = open_ledger(database_url)
    with transaction(factory) as session:
        register_events(session, "M1", Month(2024, 3), {"incomes": [{"kind": "bonus", "amount": "100"}]},
                        registered_by="sb")
    engine = make_engine(database_url)
    for statement in ("UPDATE ledger_event_registration SET registered_by = 'x'",
                      "DELETE FROM ledger_event_registration"):
        with pytest.raises(Exception, match="append-only"), engine.begin() as c:
            c.execute(text(statement))
