"""The old scheme in the ledger on SQLite and PostgreSQL: an employer's claims registered, computed, paid and
corrected (bitemporal, append-only, with causes), a reassessment of the fraction, and a job change to the new
scheme. Amounts hand-computed (2024 cap 588.188 kr. a year, 49.015,67 kr. a month)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from flexcalc.errors import AppendOnlyError, ConflictError, InputError
from flexcalc.ledger.payments import pay_month
from flexcalc.ledger.scheme_flows import pay_old_scheme
from flexcalc.ledger.scheme_models import CaseScheme
from flexcalc.ledger.schemes import (
    cases_outside_new_scheme,
    change_job,
    create_old_scheme_case,
    reassess_fraction,
    register_claim,
    scheme_at,
    settlements,
)
from flexcalc.ledger.store import open_ledger
from flexcalc.old_scheme import OldSchemeInput, SubsidyFraction
from flexcalc.period import Month

D = Decimal
CVR = "12345678"
T0 = dt.datetime(2024, 1, 5, 9, tzinfo=dt.UTC)


def at(day: int, month: int = 4) -> dt.datetime:
    return dt.datetime(2024, month, day, 12, tzinfo=dt.UTC)


@pytest.fixture
def factory(database_url: str) -> Callable[[], Session]:
    make = open_ledger(database_url)
    with make() as session:
        create_old_scheme_case(session, "OLD-1", Month(2024, 1), employer_id=CVR, fraction="2/3",
                               job_start=dt.date(2010, 5, 1), known_at=T0, recorded_by="sb-1")
        session.commit()
    return make


def claim(wage: str, contributions: str, month: Month = Month(2024, 3)) -> OldSchemeInput:
    return OldSchemeInput(month, D(wage), SubsidyFraction.TWO_THIRDS, D(contributions))


def test_claim_paid_corrected_and_reassessed_with_causes(factory: Callable[[], Session]) -> None:
    march = Month(2024, 3)
    with factory() as session:
        first = register_claim(session, "OLD-1", claim("30000", "2700"), employer_id=CVR, received_at=at(2),
                               recorded_by="sb-1")
        session.commit()
    paid = pay_old_scheme(factory, march, at(3))
    assert [(o["status"], o["due"], o["employer_id"]) for o in paid.outcomes] == [("paid", "21800.00", CVR)]
    with factory() as session:  # the employer corrects the claim: 33.790 × ⅔ = 22.526,67
        with pytest.raises(ConflictError):  # a correction must name the claim it replaces
            register_claim(session, "OLD-1", claim("31000", "2790"), employer_id=CVR, received_at=at(6),
                           recorded_by="sb-1")
        register_claim(session, "OLD-1", claim("31000", "2790"), employer_id=CVR, received_at=at(6),
                       recorded_by="sb-1", replaces=first.id)
        session.commit()
    assert pay_old_scheme(factory, march, at(5)).outcomes[0]["status"] == "unchanged"  # not yet known at 5 April
    corrected = pay_old_scheme(factory, march, at(7)).outcomes[0]
    assert (corrected["status"], corrected["difference"], corrected["causes"]) == (
        "corrected", "726.67", ["claim_corrected"])
    with factory() as session:  # reassessed to ½ from 1 March, known 10 April: ½ × 33.790 = 16.895,00
        latest = max(s.row_id or 0 for s in [scheme_at(session, "OLD-1", dt.date(2024, 3, 1))])
        reassess_fraction(session, "OLD-1", dt.date(2024, 3, 1), "1/2", known_at=at(10), recorded_by="sb-2",
                          expected_row=latest)
        session.commit()
        assert scheme_at(session, "OLD-1", dt.date(2024, 3, 15), as_of=at(9)).fraction == "2/3"
        assert scheme_at(session, "OLD-1", dt.date(2024, 3, 15)).fraction == "1/2"
    again = pay_old_scheme(factory, march, at(11)).outcomes[0]
    assert (again["difference"], again["due"], again["causes"]) == ("-5631.67", "16895.00", ["fraction_changed"])
    with factory() as session:
        rows = settlements(session, "OLD-1", march)
        assert [(r.kind, r.difference) for r in rows] == [
            ("payment", D("21800.00")), ("correction", D("726.67")), ("correction", D("-5631.67"))]
        assert sum(r.difference for r in rows) == D("16895.00")
        with pytest.raises(AppendOnlyError):
            rows[0].due = D("1")
            session.flush()


def test_above_the_cap_through_the_payment_run_and_a_job_change(factory: Callable[[], Session]) -> None:
    april = Month(2024, 4)
    with factory() as session:  # 66.000 is above the month's cap 49.015,67: ⅔ × 49.015,67 = 32.677,11
        register_claim(session, "OLD-1", claim("60000", "6000", april), employer_id=CVR, received_at=at(30),
                       recorded_by="sb-1")
        with pytest.raises(InputError) as error:  # only the payee employer claims
            register_claim(session, "OLD-1", claim("1000", "0", april), employer_id="87654321",
                           received_at=at(30), recorded_by="sb-1")
        assert error.value.field == "employer_id"
        session.commit()
    run = pay_month(factory, april, dt.datetime(2024, 5, 2, tzinfo=dt.UTC)).to_dict()
    old = run["schemes"]["old"]
    assert old["outcomes"][0]["due"] == "32677.11" and old["total_paid"] == "32677.11"
    assert run["summary"]["paid"] == 0  # the new scheme's run does not pay the old-scheme case
    with factory() as session:  # a new fleksjob with another employer from 1 May: the new scheme from then
        row = scheme_at(session, "OLD-1", dt.date(2024, 4, 30)).row_id
        state = change_job(session, "OLD-1", dt.date(2024, 5, 1), new_employer_id="87654321", new_employer=True,
                           new_tasks_and_terms=True, known_at=dt.datetime(2024, 5, 3, tzinfo=dt.UTC),
                           recorded_by="sb-1", expected_row=row)
        session.commit()
        assert state.scheme == "new_2013" and state.reason == "job_change"
        assert "OLD-1" in cases_outside_new_scheme(session, Month(2024, 5))  # basis April: still old
        assert "OLD-1" not in cases_outside_new_scheme(session, Month(2024, 6))  # basis May: new scheme
        with pytest.raises(InputError) as error:  # no claim under the old rules after the change
            register_claim(session, "OLD-1", claim("30000", "0", Month(2024, 5)), employer_id=CVR,
                           received_at=at(31, 5), recorded_by="sb-1")
        assert error.value.code == "not_old_scheme"
        with pytest.raises(InputError) as error:  # and no way back
            reassess_fraction(session, "OLD-1", dt.date(2024, 6, 1), "2/3", known_at=at(1, 6), recorded_by="x",
                              expected_row=state.row_id)
        with pytest.raises(ConflictError):  # a stale view of the scheme is refused
            change_job(session, "OLD-1", dt.date(2024, 4, 15), new_employer_id=None, new_employer=False,
                       new_tasks_and_terms=False, known_at=at(3, 5), recorded_by="x", expected_row=row)


def test_same_job_after_a_merger_stays_old_with_the_new_payee(factory: Callable[[], Session]) -> None:
    with factory() as session:
        row = scheme_at(session, "OLD-1", dt.date(2024, 2, 1)).row_id
        state = change_job(session, "OLD-1", dt.date(2024, 2, 1), new_employer_id="11112222", new_employer=True,
                           new_tasks_and_terms=False, same_tasks_moved=True, known_at=at(1, 2), recorded_by="sb",
                           expected_row=row)
        session.commit()
        assert (state.scheme, state.employer_id, state.fraction) == ("old", "11112222", "2/3")


def test_old_scheme_needs_a_job_begun_before_2013_and_rows_are_append_only(database_url: str) -> None:
    make = open_ledger(database_url)
    with make() as session:
        with pytest.raises(InputError) as error:
            create_old_scheme_case(session, "OLD-2", Month(2024, 1), employer_id=CVR, fraction="2/3",
                                   job_start=dt.date(2013, 2, 1), known_at=T0, recorded_by="sb")
        assert error.value.field == "job_start"
        session.rollback()
        create_old_scheme_case(session, "OLD-3", Month(2024, 1), employer_id=CVR, fraction="1/2",
                               job_start=dt.date(2012, 12, 31), known_at=T0, recorded_by="sb")
        session.commit()
    from sqlalchemy.exc import DBAPIError

    with make() as session, pytest.raises(DBAPIError) as raised:  # the database itself refuses the update
        session.execute(update(CaseScheme).values(fraction="2/3"))
        session.commit()
    assert "append-only" in str(raised.value)


def test_worklist_items_show_the_scheme_of_the_month(factory: Callable[[], Session]) -> None:
    from flexcalc.ledger.worklist import HELD, WorkItem, _with_schemes

    with factory() as session:
        row = scheme_at(session, "OLD-1", dt.date(2024, 5, 1)).row_id
        change_job(session, "OLD-1", dt.date(2024, 5, 1), new_employer_id="87654321", new_employer=True,
                   new_tasks_and_terms=True, known_at=at(3, 5), recorded_by="sb", expected_row=row)
        session.commit()
        items = [WorkItem(HELD, "OLD-1", Month(2024, m), dt.date(2024, m, 1), "x") for m in (4, 5)]
        items.append(WorkItem(HELD, "NEW-1", Month(2024, 4), dt.date(2024, 4, 1), "x"))
        shown = [i.to_dict(dt.date(2024, 6, 1))["scheme"] for i in _with_schemes(session, items)]
    assert shown == ["old", "new_2013", "new_2013"]


def test_letters_to_the_employer_decision_and_specification(factory: Callable[[], Session]) -> None:
    from flexcalc.letters.old_scheme import old_scheme_decision_letter, old_scheme_specification_letter
    from tests.letters.support import LIX_TARGET, lix

    with factory() as session:
        first = register_claim(session, "OLD-1", claim("30000", "2700"), employer_id=CVR, received_at=at(2),
                               recorded_by="sb-1")
        session.commit()
    pay_old_scheme(factory, Month(2024, 3), at(3))
    with factory() as session:
        register_claim(session, "OLD-1", claim("31000", "2790"), employer_id=CVR, received_at=at(6),
                       recorded_by="sb-1", replaces=first.id)
        session.commit()
    pay_old_scheme(factory, Month(2024, 3), at(7))
    with factory() as session:
        decision = old_scheme_decision_letter(session, "OLD-1", dt.date(2024, 4, 8))
        text = decision.text()
        assert "to tredjedele af lønnen" in text and "CVR 12345678" in text and "588.188 kr." in text
        assert "LAB § 133, stk. 2" in text and decision.complaint_deadline == dt.date(2024, 5, 6)
        spec = old_scheme_specification_letter(session, "OLD-1", Month(2024, 3), dt.date(2024, 4, 8))
        body = spec.text()
        assert "22.526,67 kr." in body and "+726,67 kr." in body and "rettet sin anmodning" in body
        assert spec.facts["paid"] == "22526.67"
        assert lix(decision.running_text()) <= LIX_TARGET and lix(spec.running_text()) <= LIX_TARGET  # 23,6 and 24,8


def test_a_job_change_learned_late_corrects_a_paid_period_to_nothing(factory: Callable[[], Session]) -> None:
    """The person began a new fleksjob on 1 March, but the municipality learned it on 20 April, after March was paid
    to the old employer: March is corrected to 0 with the cause 'left the old scheme'."""
    march = Month(2024, 3)
    with factory() as session:
        register_claim(session, "OLD-1", claim("30000", "2700"), employer_id=CVR, received_at=at(2),
                       recorded_by="sb-1")
        session.commit()
    assert pay_old_scheme(factory, march, at(3)).outcomes[0]["due"] == "21800.00"
    with factory() as session:
        row = scheme_at(session, "OLD-1", dt.date(2024, 3, 1)).row_id
        change_job(session, "OLD-1", dt.date(2024, 3, 1), new_employer_id="87654321", new_employer=True,
                   new_tasks_and_terms=True, known_at=at(20), recorded_by="sb", expected_row=row)
        session.commit()
    assert pay_old_scheme(factory, march, at(10)).outcomes[0]["status"] == "unchanged"  # not known on 10 April
    late = pay_old_scheme(factory, march, at(21)).outcomes[0]
    assert (late["status"], late["due"], late["difference"], late["causes"]) == (
        "corrected", "0.00", "-21800.00", ["left_old_scheme"])


def test_a_job_change_within_a_month(factory: Callable[[], Session]) -> None:
    """New job from 15 May: the old employer claims May (the days before); June's benefit month is the new
    scheme's (its basis month May ends in the new scheme)."""
    with factory() as session:
        row = scheme_at(session, "OLD-1", dt.date(2024, 5, 15)).row_id
        change_job(session, "OLD-1", dt.date(2024, 5, 15), new_employer_id="87654321", new_employer=True,
                   new_tasks_and_terms=True, known_at=at(16, 5), recorded_by="sb", expected_row=row)
        register_claim(session, "OLD-1", claim("14000", "1260", Month(2024, 5)), employer_id=CVR,
                       received_at=at(1, 6), recorded_by="sb")
        session.commit()
        assert "OLD-1" not in cases_outside_new_scheme(session, Month(2024, 6))
    # ⅔ × 15.260 = 10.173,33
    assert pay_old_scheme(factory, Month(2024, 5), at(2, 6)).outcomes[0]["due"] == "10173.33"


def test_a_claim_with_sickness_refund_is_reduced_per_day(factory: Callable[[], Session]) -> None:
    # ⅔ × 32.700 = 21.800; 5 days with 6.000 kr. refund: the days' share 21.800 × 5 / 21,6667 = 5.030,76 → 16.769,24
    sick = OldSchemeInput(Month(2024, 3), D("30000"), SubsidyFraction.TWO_THIRDS, D("2700"), sick_refund_days=5,
                          sick_refund_amount=D("6000"))
    with factory() as session:
        register_claim(session, "OLD-1", sick, employer_id=CVR, received_at=at(2), recorded_by="sb")
        session.commit()
    assert pay_old_scheme(factory, Month(2024, 3), at(3)).outcomes[0]["due"] == "16769.24"
