"""The self-employed in the ledger, on SQLite and PostgreSQL: a year paid month by month on the expected
profit, the settlement on the tax assessment (under- and overpayment), versions, append-only rows, and the
payment run's scheme flow."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from sqlalchemy import text

from flexcalc.errors import AppendOnlyError, InputError, NotFoundError
from flexcalc.ledger import self_employed as se
from flexcalc.ledger.store import open_ledger, transaction
from flexcalc.period import Month


def _year(factory, case_id: str, year: int, profit: str, other: str = "0") -> None:
    with transaction(factory) as session:
        version = se.year_version(session, case_id, year)
        se.record_expected(session, case_id, year, D(profit), D(other), source="budget", by="sb-1",
                           expected_version=version)


def _settle(factory, case_id: str, year: int, profit: str):
    with transaction(factory) as session:
        version = se.year_version(session, case_id, year)
        return se.settle(session, case_id, year, D(profit), source="årsopgørelse", by="sb-1",
                         expected_version=version)


@pytest.fixture
def ledger(database_url: str):
    factory = open_ledger(database_url)
    with transaction(factory) as session:
        se.create_case(session, "SE-1", 2024, "sb-1", cpr="010190-1234")
        se.create_case(session, "SE-2", 2024, "sb-1")
    return factory


def test_a_year_paid_and_settled_with_an_underpayment_and_an_overpayment(ledger) -> None:
    _year(ledger, "SE-1", 2024, "300000")   # 66.956 a year: 11 × 5.579,67 and December 5.579,63
    _year(ledger, "SE-2", 2024, "600000")   # above the end of the subsidy (523.186,67): 0
    for number in range(1, 13):
        run = se.pay_self_employed_month(ledger, Month(2024, number))
        amounts = {p["case_id"]: p["amount"] for p in run.paid}
        assert amounts == {"SE-1": "5579.63" if number == 12 else "5579.67", "SE-2": "0.00"}
    again = se.pay_self_employed_month(ledger, Month(2024, 3))
    assert again.paid == [] and sorted(again.already_paid) == ["SE-1", "SE-2"]

    _, under = _settle(ledger, "SE-1", 2024, "250000")   # 81.956 − 66.956 = 15.000 owed
    assert (under.difference, under.treatment) == (D("15000.00"), "back_payment")
    _, over = _settle(ledger, "SE-2", 2024, "450000")    # 156.956 − 135.000 = 21.956 paid too little
    assert over.difference == D("21956.00")
    run = se.pay_self_employed_month(ledger, Month(2025, 4))
    assert {(b["case_id"], b["amount"]) for b in run.back_payments} == {("SE-1", "15000.00"), ("SE-2", "21956.00")}
    assert se.pay_self_employed_month(ledger, Month(2025, 5)).back_payments == []  # paid once

    # A changed assessment later (BEK § 8, stk. 3): 350.000 → 51.956 for the year; 66.956 + 15.000 paid,
    # so 30.000 paid too much: a repayment to decide, never a back payment or a set-off.
    _, later = _settle(ledger, "SE-1", 2024, "350000")
    assert (later.settled_before, later.difference, later.outcome, later.treatment) == (
        D("15000.00"), D("-30000.00"), "overpayment", "repayment_review")
    assert se.pay_self_employed_month(ledger, Month(2025, 6)).back_payments == []
    with transaction(ledger) as session:
        state = se.year_state(session, "SE-1", 2024)
    assert state["basis_in_force"]["kind"] == "assessed" and state["basis_in_force"]["profit"] == "350000.00"
    assert [s["difference"] for s in state["settlements"]] == ["15000.00", "-30000.00"]
    assert state["paid_total"] == "81956.00"


def test_a_new_expectation_is_a_new_row_and_applies_from_the_next_month(ledger) -> None:
    _year(ledger, "SE-1", 2025, "200000")   # 2025: 162.606 − 60.000 = 102.606; 8.550,50 a month
    assert se.pay_self_employed_month(ledger, Month(2025, 1), case_ids=["SE-1"]).paid[0]["amount"] == "8550.50"
    _year(ledger, "SE-1", 2025, "400000")   # 162.606 − 120.000 = 42.606; 3.550,50 a month
    assert se.pay_self_employed_month(ledger, Month(2025, 2), case_ids=["SE-1"]).paid[0]["amount"] == "3550.50"
    with transaction(ledger) as session:
        assert [b["profit"] for b in se.year_state(session, "SE-1", 2025)["bases"]] == ["200000.00", "400000.00"]


def test_the_basis_known_at_an_instant_decides_bitemporally(ledger) -> None:
    with transaction(ledger) as session:
        version = se.year_version(session, "SE-1", 2025)
        se.record_expected(session, "SE-1", 2025, D("100000"), D("0"), source="budget", by="sb-1",
                           expected_version=version, known_at=dt.datetime(2025, 3, 1, tzinfo=dt.UTC))
        assert se.basis_in_force(session, "SE-1", 2025, dt.datetime(2025, 2, 1, tzinfo=dt.UTC)) is None
    run = se.pay_self_employed_month(ledger, Month(2025, 1), dt.datetime(2025, 2, 1, tzinfo=dt.UTC), ["SE-1"])
    assert run.held[0]["reason"] == "no_basis" and run.paid == []


def test_writes_state_the_version_they_act_on(ledger) -> None:
    with transaction(ledger) as session:
        old = se.year_version(session, "SE-1", 2024)
    _year(ledger, "SE-1", 2024, "300000")
    for given, error in ((None, se.YearVersionRequired), (old, se.YearStaleVersion)):
        with pytest.raises(error), transaction(ledger) as session:
            se.settle(session, "SE-1", 2024, D("1"), source="x", by="sb", expected_version=given)
    with transaction(ledger) as session:
        assert len(se.year_state(session, "SE-1", 2024)["bases"]) == 1  # nothing stored


def test_bad_input_stores_nothing(ledger) -> None:
    with transaction(ledger) as session:
        version = se.year_version(session, "SE-1", 2024)
    with pytest.raises(InputError) as error, transaction(ledger) as session:
        se.record_expected(session, "SE-1", 2024, D("1"), D("-1"), source="x", by="sb", expected_version=version)
    assert error.value.field == "other_income"
    with pytest.raises(InputError) as error, transaction(ledger) as session:
        se.record_expected(session, "SE-1", 2023, D("1"), D("0"), source="x", by="sb", expected_version=version)
    assert error.value.code == "year_before_case"
    with pytest.raises(NotFoundError), transaction(ledger) as session:
        se.year_state(session, "nobody", 2024)
    with pytest.raises(InputError) as error, transaction(ledger) as session:
        se.create_case(session, "SE-1", 2024, "sb")
    assert error.value.code == "case_exists"
    _settle(ledger, "SE-1", 2024, "1")
    with pytest.raises(InputError) as error, transaction(ledger) as session:
        version = se.year_version(session, "SE-1", 2024)
        se.record_expected(session, "SE-1", 2024, D("1"), D("0"), source="x", by="sb", expected_version=version)
    assert error.value.code == "year_assessed"


def test_history_rows_are_append_only_in_the_orm_and_the_database(ledger) -> None:
    _year(ledger, "SE-1", 2024, "300000")
    with pytest.raises(AppendOnlyError), transaction(ledger) as session:
        row = session.get(se.SelfEmployedBasis, 1)
        row.profit = D("1")
    with pytest.raises(Exception, match="append-only"), transaction(ledger) as session:
        session.execute(text("UPDATE self_employed_basis SET profit = 1"))
    with pytest.raises(Exception, match="append-only"), transaction(ledger) as session:
        session.execute(text("DELETE FROM self_employed_basis"))


def test_the_payment_run_pays_the_self_employed_as_a_scheme_flow(ledger) -> None:
    from flexcalc.ledger.payments import pay_month

    _year(ledger, "SE-1", 2024, "300000")
    as_of = dt.datetime.now(dt.UTC)
    answer = pay_month(ledger, Month(2024, 6), as_of).to_dict()
    assert "other_flows" not in answer
    flow = answer["schemes"]["self_employed"]
    assert [(o["case_id"], o["amount"]) for o in flow["outcomes"] if o["status"] == "paid"] == [("SE-1", "5579.67")]
    assert [o["case_id"] for o in flow["outcomes"] if o["status"] == "held"] == ["SE-2"]
    assert (flow["counts"], flow["total_paid"]) == ({"paid": 1, "held": 1}, "5579.67")
    again = pay_month(ledger, Month(2024, 6), as_of).to_dict()["schemes"]["self_employed"]
    assert (again["counts"], again["total_paid"]) == ({"already_paid": 1, "held": 1}, "0.00")
    with pytest.raises(TypeError):  # the opt-in parameter is gone: one dispatch for every flow
        pay_month(ledger, Month(2024, 7), as_of, self_employed=True)  # type: ignore[call-arg]


def test_a_case_id_is_one_case_of_one_table(ledger) -> None:
    from flexcalc.errors import ConflictError
    from flexcalc.ledger.read.schemes import scheme_of
    from flexcalc.ledger.store import create_case

    with pytest.raises(ConflictError), transaction(ledger) as session:
        create_case(session, "SE-1", D("30000"), Month(2024, 1))
    with transaction(ledger) as session:
        create_case(session, "F-1", D("30000"), Month(2024, 1))
    with pytest.raises(InputError) as taken, transaction(ledger) as session:
        se.create_case(session, "F-1", 2024, "sb-1")
    assert taken.value.code == "case_exists"
    with transaction(ledger) as session:
        assert (scheme_of(session, "SE-1"), scheme_of(session, "F-1")) == ("self_employed", "new_2013")


def test_every_history_table_refuses_update_and_delete_in_the_database(ledger) -> None:
    _year(ledger, "SE-1", 2024, "300000")
    se.pay_self_employed_month(ledger, Month(2024, 1))
    row, _ = _settle(ledger, "SE-1", 2024, "350000")   # January: 4.329,67 due, 5.579,67 paid
    with transaction(ledger) as session:
        se.decide_repayment(session, "SE-1", row.id, "waive", "lille beløb", by="sb-1",
                            expected_version=se.year_version(session, "SE-1", 2024))
    for table in ("self_employed_basis", "self_employed_payment", "self_employed_settlement",
                  "self_employed_decision"):
        for statement in (f"UPDATE {table} SET year = 1999", f"DELETE FROM {table}"):
            with pytest.raises(Exception, match="append-only"), transaction(ledger) as session:
                session.execute(text(statement))


def test_two_runs_at_once_pay_a_month_once(ledger) -> None:
    from concurrent.futures import ThreadPoolExecutor

    _year(ledger, "SE-1", 2024, "300000")
    with ThreadPoolExecutor(4) as pool:
        runs = list(pool.map(lambda _: se.pay_self_employed_month(ledger, Month(2024, 2), case_ids=["SE-1"]),
                             range(4)))
    assert sum(len(r.paid) for r in runs) == 1 and sum(len(r.already_paid) for r in runs) == 3
    with transaction(ledger) as session:
        assert [p["amount"] for p in se.year_state(session, "SE-1", 2024)["payments"]] == ["5579.67"]


def test_an_overpayment_is_decided_only_by_a_caseworker_and_only_after_a_hearing_to_collect(ledger) -> None:
    _year(ledger, "SE-1", 2024, "300000")
    _year(ledger, "SE-2", 2024, "300000")
    for number in range(1, 13):
        se.pay_self_employed_month(ledger, Month(2024, number))
    over, _ = _settle(ledger, "SE-1", 2024, "350000")     # 15.000 too much
    under, _ = _settle(ledger, "SE-2", 2024, "250000")    # 15.000 too little: nothing to decide

    def decide(case_id: str, settlement_id: int, outcome: str, hearing: dt.date | None = None):
        with transaction(ledger) as session:
            version = se.year_version(session, case_id, 2024)
            return se.decide_repayment(session, case_id, settlement_id, outcome, "vurderet", by="sb-1",
                                       expected_version=version, hearing_on=hearing)

    with pytest.raises(InputError) as error:
        decide("SE-2", under.id, "waive")
    assert error.value.code == "not_overpaid"
    with pytest.raises(InputError) as error:
        decide("SE-1", over.id, "collect")
    assert error.value.field == "hearing_on"
    with pytest.raises(NotFoundError):
        decide("SE-2", over.id, "waive")  # another case's settlement
    with pytest.raises(se.YearVersionRequired), transaction(ledger) as session:
        se.decide_repayment(session, "SE-1", over.id, "waive", "x", by="sb", expected_version=None)
    made = decide("SE-1", over.id, "collect", dt.date(2025, 5, 20))
    assert (made.outcome, made.amount) == ("collect", D("15000.00"))
    with pytest.raises(InputError) as error:
        decide("SE-1", over.id, "waive")
    assert error.value.code == "decided"
    # the decision is recorded, never set off: the next run pays nothing back and takes nothing
    run = se.pay_self_employed_month(ledger, Month(2025, 6), case_ids=["SE-1"])
    assert run.back_payments == [] and run.total == D("0")
    with transaction(ledger) as session:
        assert se.year_state(session, "SE-1", 2024)["decisions"][0]["hearing_on"] == "2025-05-20"
