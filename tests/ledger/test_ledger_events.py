"""The month's events on a case: registration, bad input, no wage → 0 vs held, the
ceiling's history as known at an instant, job start from the employment, the API endpoints."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from flexcalc.errors import InputError
from flexcalc.ledger.models import EventRegistration
from flexcalc.ledger.payments import pay_month
from flexcalc.ledger.reconcile import reconcile
from flexcalc.ledger.registrations import register_events
from flexcalc.ledger.reports import WageReport
from flexcalc.ledger.store import add_ceiling, add_employment, create_case, ingest, load_facts, open_ledger, transaction
from flexcalc.money import ZERO
from flexcalc.period import Month
from tests.support.ledger_cli import invoke, with_version

# The CLI never migrates: each test's database gets the explicit `flexcalc db upgrade` first.
pytestmark = pytest.mark.usefixtures("migrated_databases")

UTC = dt.UTC
SICK = {"periods": [{"kind": "sickness_unpaid", "start": "2024-02-05", "end": "2024-02-16"}],
        "sickness_benefit": "4000"}


def at(day: str, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), UTC)


def report(rid: str, case: str, wage: str, paid: str, received: str, employer: str = "11111111") -> WageReport:
    day = dt.date.fromisoformat(paid)
    return WageReport(rid, case, employer, day, day.replace(day=1), day, Decimal(wage), ZERO, ZERO, ZERO,
                      at(received, 9), "original", None)


def new_case(url: str, case: str = "E1", first: Month = Month(2024, 3), last: Month | None = None) -> Any:
    factory = open_ledger(url)
    with transaction(factory) as session:
        create_case(session, case, Decimal("30000"), first, ["11111111"])
        if last is not None:
            from flexcalc.ledger.store import close_case

            close_case(session, case, last)
    return factory


def count(factory: Any) -> int:
    with factory() as session:
        return int(session.scalar(select(func.count()).select_from(EventRegistration)) or 0)


@pytest.mark.parametrize(("month", "events", "field", "code"), [
    (Month(2024, 2), SICK, "month", "month_outside_case"),
    (Month(2024, 7), SICK, "month", "month_outside_case"),
    (Month(2024, 3), {"periods": [{"kind": "holiday", "start": "2024-03-04", "end": "2024-03-08"},
                                  {"kind": "sickness_paid", "start": "2024-03-07", "end": "2024-03-12"}]},
     "events.periods.1", "period_overlap"),
    (Month(2024, 3), {"sickness_benefit": "4000"}, "events.sickness_benefit", "benefit_without_period"),
    (Month(2024, 3), {"holiday_days": "22"}, "events.holiday_days", "too_many_days"),
    (Month(2024, 3), {"periods": [{"kind": "flu", "start": "2024-02-05", "end": "2024-02-06"}]},
     "events.periods.0.kind", "literal_error"),
    (Month(2024, 3), {"unknown": 1}, "events.unknown", "extra_forbidden"),
])
def test_bad_events_are_refused_naming_the_field_and_nothing_is_stored(
        sqlite_url: str, month: Month, events: dict[str, Any], field: str, code: str) -> None:
    factory = new_case(sqlite_url, last=Month(2024, 6))
    with pytest.raises(InputError) as caught, transaction(factory) as session:
        register_events(session, "E1", month, events, registered_by="sb")
    assert caught.value.field == field and caught.value.code == code
    assert caught.value.reason_en and caught.value.reason_da
    assert count(factory) == 0


def test_unknown_case_and_missing_registrant(sqlite_url: str) -> None:
    factory = new_case(sqlite_url)
    with pytest.raises(InputError) as caught, transaction(factory) as session:
        register_events(session, "nope", Month(2024, 3), SICK, registered_by="sb")
    assert caught.value.code == "unknown_case"
    with pytest.raises(InputError) as caught, transaction(factory) as session:
        register_events(session, "E1", Month(2024, 3), SICK, registered_by=" ")
    assert caught.value.field == "by"
    assert count(factory) == 0


def test_the_same_events_twice_are_a_no_op_and_a_later_registration_restates(sqlite_url: str) -> None:
    factory = new_case(sqlite_url)
    with transaction(factory) as session:
        first = register_events(session, "E1", Month(2024, 3), SICK, received_at=at("2024-03-20"),
                                registered_by="sb", document="lægeerklæring")
    with transaction(factory) as session:  # same content, later: the events in force already
        again = register_events(session, "E1", Month(2024, 3), dict(reversed(list(SICK.items()))),
                                received_at=at("2024-03-21"), registered_by="sb")
    assert not first.already_registered and again.already_registered
    assert again.registration.id == first.registration.id and count(factory) == 1
    with transaction(factory) as session:
        register_events(session, "E1", Month(2024, 3), {}, received_at=at("2024-04-02"), registered_by="sb")
    with factory() as session:
        facts = load_facts(session, "E1")
    assert facts.registration(Month(2024, 3), at("2024-03-25")).events.sickness_benefit == Decimal("4000")
    assert facts.registration(Month(2024, 3), at("2024-04-05")).events.periods == ()
    assert facts.registration(Month(2024, 3), at("2024-03-19")) is None


def test_no_wage_from_the_fleksjob_employer_is_paid_0_not_held(sqlite_url: str) -> None:
    """Reports of 0 kr. → paid 0 with the reason; a missing report → held."""
    factory = new_case(sqlite_url)
    with transaction(factory) as session:
        create_case(session, "E2", Decimal("30000"), Month(2024, 3), ["11111111"])
        ingest(session, [report("E1-02", "E1", "0", "2024-02-29", "2024-03-01"),
                         # wage from another employer alone does not open the month
                         report("E1-02s", "E1", "5000", "2024-02-29", "2024-03-01", employer="99999999")])
    run = pay_month(factory, Month(2024, 3), at("2024-03-05"))
    assert [(p["case_id"], p["subsidy"], p["reason_code"]) for p in run.paid] == [("E1", "0.00", "no_fleksjob_wage")]
    assert "ingen løn fra fleksjobarbejdsgiveren i februar 2024" in run.paid[0]["reason_da"]
    assert [h["case_id"] for h in run.held] == ["E2"]
    assert run.held[0]["reason_da"].startswith("afventer indberetning")
    # unpaid sickness with dagpenge opens the month: W = 5.000 (other employer) → 19.952 − 1.500 − 4.000
    with transaction(factory) as session:
        register_events(session, "E1", Month(2024, 3), SICK, received_at=at("2024-03-20"), registered_by="sb")
    result = reconcile(factory, at("2024-03-31"), ["E1"])
    assert [(c["due_subsidy"], c["difference"], c["reasons"]) for c in result.corrections] == [
        ("14452.00", "14452.00", ["events_registered"])]
    assert "sygdom registreret 20. marts 2024" in result.corrections[0]["explanation_da"]
    assert reconcile(factory, at("2024-03-31"), ["E1"]).corrections == []


def test_a_ceiling_raised_back_in_time_is_known_from_its_instant(sqlite_url: str) -> None:
    """The ceiling history is bitemporal; a payment run before the entry was known
    does not use it; reconciliation afterwards records "lønloft ændret"."""
    factory = new_case(sqlite_url)
    with transaction(factory) as session:
        ingest(session, [report("E1-02", "E1", "16000", "2024-02-29", "2024-03-01")])
        # a lower ceiling from March, known only from 20 March (the form came late)
        add_ceiling(session, "E1", Decimal("28000"), Month(2024, 3), "lønloftskema", known_at=at("2024-03-20"))
    # known at 5 March: ceiling 30.000; W = 16.000 → 19.952 − 4.800 = 15.152 > room 14.000 → 14.000
    paid = pay_month(factory, Month(2024, 3), at("2024-03-05"))
    assert [p["subsidy"] for p in paid.paid] == ["14000.00"]
    assert reconcile(factory, at("2024-03-10"), ["E1"]).corrections == []  # not yet known
    # known at 25 March: ceiling 28.000 → room 12.000 → −2.000
    result = reconcile(factory, at("2024-03-25"), ["E1"])
    assert [(c["due_subsidy"], c["difference"], c["reasons"]) for c in result.corrections] == [
        ("12000.00", "-2000.00", ["ceiling_change"])]
    assert "lønloft ændret" in result.corrections[0]["explanation_da"]


def test_job_start_from_the_employment_uses_the_part_month_rule(sqlite_url: str) -> None:
    """The employment's start date becomes the month's employment_start event, so the
    ledger computes a part month exactly as POST /v1/calculations does with that event."""
    from flexcalc.month import MonthInput, calculate_month
    from flexcalc.month.events import MonthEvents

    factory = open_ledger(sqlite_url)
    with transaction(factory) as session:
        create_case(session, "J1", Decimal("28000"), Month(2024, 4))
        add_employment(session, "J1", "88888888", Month(2024, 3), dt.date(2024, 3, 15))
        ingest(session, [report("J1-03", "J1", "6000", "2024-03-28", "2024-04-02", employer="88888888")])
    run = pay_month(factory, Month(2024, 4), at("2024-04-05"))
    # 17 of March's 31 days: M = 19.952 × 17/31 = 10.941,42; 30 % of 6.000 = 1.800 → 9.141,42
    assert [p["subsidy"] for p in run.paid] == ["9141.42"]
    direct = calculate_month(MonthInput(Month(2024, 4), Decimal("6000"), Decimal("28000"),
                                        events=MonthEvents(employment_start=dt.date(2024, 3, 15))))
    assert direct.subsidy == Decimal("9141.42")


def test_cli_events_add_and_list(sqlite_url: str, tmp_path: Path) -> None:
    new_case(sqlite_url)
    path = tmp_path / "ev.json"
    path.write_text(json.dumps({"events": SICK}), encoding="utf-8")
    out = invoke(*with_version(sqlite_url, ["events", "add", "E1", "--month", "2024-03", "--events", str(path),
                                            "--received-at",
                 "2024-03-20T10:00", "--by", "sb-7", "--document", "lægeerklæring"]), "--db", sqlite_url)
    assert out.exit_code == 0 and "sygdom registreret 20. marts 2024" in out.stdout
    out = invoke(*with_version(sqlite_url, ["events", "add", "E1", "--month", "2024-03", "--events", str(path),
                                            "--received-at",
                 "2024-03-20T10:00", "--by", "sb-7"]), "--db", sqlite_url)
    assert out.exit_code == 0 and "allerede registreret" in out.stdout
    listed = json.loads(invoke("events", "list", "E1", "--json", "--db", sqlite_url).stdout)
    assert [(r["benefit_month"], r["registered_by"], r["document"]) for r in listed] == [
        ("2024-03", "sb-7", "lægeerklæring")]
    path.write_text(json.dumps({"holiday_days": "25"}), encoding="utf-8")
    out = invoke(*with_version(sqlite_url, ["events", "add", "E1", "--month", "2024-03", "--events", str(path),
                                            "--by", "sb"]), "--db",
                 sqlite_url)
    assert out.exit_code == 2 and "events.holiday_days" in out.stderr
    out = invoke("events", "list", "nope", "--db", sqlite_url)
    assert out.exit_code == 2 and "case" in out.stderr


def test_case_show_month_gives_the_caseworker_the_whole_month_in_danish(sqlite_url: str) -> None:
    """Reports, events, ceiling, the computation with its trace, paid, corrections."""
    factory = new_case(sqlite_url)
    with transaction(factory) as session:
        ingest(session, [report("E1-02", "E1", "0", "2024-02-29", "2024-03-01")])
    pay_month(factory, Month(2024, 3), at("2024-03-05"))
    with transaction(factory) as session:
        register_events(session, "E1", Month(2024, 3), SICK, received_at=at("2024-03-20"), registered_by="sb-7",
                        document="lægeerklæring")
    reconcile(factory, at("2024-03-31"), ["E1"])
    out = invoke("case", "show", "E1", "--month", "2024-03", "--db", sqlite_url)
    assert out.exit_code == 0, out.stderr
    text = out.stdout
    for expected in ("marts 2024, beregnet på lønnen i februar 2024", "E1-02", "sygdom registreret 20. marts 2024 "
                     "af sb-7, lægeerklæring [gælder]", "30.000,00 kr. fra 2024-03",
                     "Syge- eller barselsdagpenge fradrages fuldt", "Skyldigt tilskud: 15.952,00 kr.",
                     "Udbetalt 0,00 kr.", "efterregulering #1: 15.952,00 kr.", "I alt afregnet: 15.952,00 kr."):
        assert expected in text, expected
    data = json.loads(invoke("case", "show", "E1", "--month", "2024-03", "--json", "--db", sqlite_url).stdout)
    assert data["payment"]["reason"] == "no_fleksjob_wage" and data["settled"] == "15952.00"
    assert data["computation"]["result"]["subsidy"] == "15952.00"  # 19.952 − 4.000 dagpenge
    before = json.loads(invoke("case", "show", "E1", "--month", "2024-03", "--as-of", "2024-03-10", "--json",
                               "--db", sqlite_url).stdout)
    assert before["events"][0]["known"] is False and before["computation"]["reason"] == "no_fleksjob_wage"


def test_events_that_do_not_fit_the_reports_hold_the_month_with_the_reason(sqlite_url: str) -> None:
    """The checks that compare amounts with the wage run when the month is computed: feriegodtgørelse of
    6.000 kr. in a wage of 5.000 kr. cannot be; the month is held (never paid on a guess), naming why."""
    factory = new_case(sqlite_url)
    with transaction(factory) as session:
        ingest(session, [report("E1-02", "E1", "5000", "2024-02-29", "2024-03-01")])
        register_events(session, "E1", Month(2024, 3), {"feriekonto_earned": "6000"}, received_at=at("2024-03-02"),
                        registered_by="sb")
    run = pay_month(factory, Month(2024, 3), at("2024-03-05"))
    assert run.paid == [] and [h["case_id"] for h in run.held] == ["E1"]
    assert "events.feriekonto_earned" in run.held[0]["reason"]
    assert run.held[0]["reason_da"].startswith("de registrerede hændelser passer ikke til måneden")
