"""The month's events on a case: registered like reports, append-only and
bitemporal.

A registration holds the ``events`` object of one **benefit month** (the same shape as
``POST /v1/calculations``: periods may lie in the basis or the benefit month, incomes and sickness
benefit belong to the basis month; ``flexcalc.month.events``), the instant the municipality learned of them
(``received_at``), who registered them and the document they rest on. A later registration for the
same month restates the month's events: at an instant, the registration received last wins (ties by
the content's digest, so arrival order never matters). Nothing is updated in place; an empty
``events`` object restates that nothing happened.

The events are checked before anything is stored (``flexcalc.month.events.validate_events``, the same check
as a calculation): a month outside the case, overlapping periods, sickness benefit without a sickness
period, more holiday days than the month's working days — an ``InputError`` naming the field.
Registering the events the month already has is a no-op that says so.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from flexcalc.errors import InputError
from flexcalc.month.events import MonthEvents, validate_events
from flexcalc.period import Month
from flexcalc.text_da.format import date_da

from .free_text import required_text
from .models import Case, EventRegistration

UNBOUNDED_WAGE = Decimal("1e12")
"""The wage the events are checked against when registered: the checks that compare an amount with
the month's wage (feriegodtgørelse, bonus moved out) run again when the month is computed."""

PERIOD_WORDS_DA = {
    "holiday": "ferie", "holiday_ledighedsydelse": "ferie med ledighedsydelse", "sickness_paid": "sygdom med løn",
    "sickness_unpaid": "sygdom", "maternity_paid": "barsel med løn", "maternity_unpaid": "barsel",
}


def parse_events(data: Any, field: str = "events") -> tuple[str, MonthEvents]:
    """The events object validated (as the API's ``events``), as canonical JSON and as ``MonthEvents``."""
    from flexcalc.parsing.model import EventsModel, input_error_from_validation

    if not isinstance(data, dict):
        raise InputError(field, "must be an object like the calculation's events",
                         "skal være et objekt som beregningens events", code="model_type")
    try:
        model = EventsModel.model_validate(data)
    except ValidationError as error:
        raise input_error_from_validation(error, field) from None
    canonical = json.dumps(model.model_dump(mode="json", exclude_defaults=True), sort_keys=True,
                           separators=(",", ":"), ensure_ascii=False)
    return canonical, model.to_events()


@lru_cache(maxsize=8192)
def events_of(canonical: str) -> MonthEvents:
    """``MonthEvents`` of a stored registration (parsed once per content)."""
    return parse_events(json.loads(canonical))[1]


def digest_of(canonical: str) -> str:
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Registration:
    """One stored registration, as the as-of calculation reads it."""

    id: int
    benefit_month: Month
    events_json: str
    digest: str
    received_at: dt.datetime
    registered_by: str = ""
    document: str | None = None

    @property
    def events(self) -> MonthEvents:
        return events_of(self.events_json)

    def order_key(self) -> tuple[dt.datetime, str]:
        return (self.received_at, self.digest)

    def describe_da(self) -> str:
        """The registration in words, as a correction's cause: "sygdom registreret 20. marts 2024"."""
        return f"{what_da(self.events)} registreret {date_da(local_date(self.received_at))}"

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "benefit_month": str(self.benefit_month), "events": json.loads(self.events_json),
                "received_at": self.received_at.isoformat(), "registered_by": self.registered_by,
                "document": self.document, "description_da": self.describe_da()}


def local_date(instant: dt.datetime) -> dt.date:
    from flexcalc.ledger.reports import LOCAL_ZONE

    return instant.astimezone(LOCAL_ZONE).date()


def what_da(events: MonthEvents) -> str:
    """The kinds of event a registration holds, in Danish ("sygdom", "ferie med ledighedsydelse og
    anden indkomst"); "ingen hændelser" for an empty registration."""
    words: list[str] = []

    def add(word: str) -> None:
        if word not in words:
            words.append(word)

    for period in events.periods:
        add(PERIOD_WORDS_DA[period.kind])
    if events.holiday_days is not None:
        add("ferie med ledighedsydelse" if events.ledighedsydelse_days else "ferie")
    if events.incomes:
        add("anden indkomst")
    if events.feriekonto:
        add("feriegodtgørelse fra FerieKonto")
    if events.sickness_benefit is not None and not any(p.unpaid_absence for p in events.periods):
        add("dagpenge")
    if events.employment_start is not None:
        add("ansættelsens start")
    if events.employment_end is not None:
        add("ansættelsens ophør")
    if events.ceiling_changes:
        add("ændret lønloft i måneden")
    if events.paid_hours is not None and not words:
        add("timetal")
    if events.regulation_wage is not None:
        add("efterregulering efter ferie med ledighedsydelse")
    if not words:
        return "ingen hændelser"
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " og " + words[-1]


def registration_from_row(row: EventRegistration) -> Registration:
    return Registration(row.id, row.benefit_month, row.events, row.digest, row.received_at,
                        row.registered_by, row.document)


def load_registrations(session: Session, case_id: str, month: Month | None = None) -> list[Registration]:
    query = select(EventRegistration).where(EventRegistration.case_id == case_id)
    if month is not None:
        query = query.where(EventRegistration.benefit_month == str(month))
    return [registration_from_row(r) for r in session.scalars(query.order_by(EventRegistration.id))]


def latest(registrations: Iterable[Registration], month: Month, as_of: dt.datetime | None) -> Registration | None:
    """The registration of ``month`` in force at ``as_of`` (``None``: everything registered)."""
    best: Registration | None = None
    for r in registrations:
        if r.benefit_month == month and (as_of is None or r.received_at <= as_of) and (
                best is None or r.order_key() > best.order_key()):
            best = r
    return best


def by_month(registrations: Sequence[Registration]) -> dict[Month, list[Registration]]:
    out: dict[Month, list[Registration]] = {}
    for r in registrations:
        out.setdefault(r.benefit_month, []).append(r)
    return out


@dataclass(slots=True)
class Registered:
    registration: Registration
    already_registered: bool

    def to_dict(self) -> dict[str, Any]:
        return {**self.registration.to_dict(), "already_registered": self.already_registered,
                "status": "already_registered" if self.already_registered else "registered"}


def _check_month_of_case(case: Case, month: Month) -> None:
    """A month outside the case's first and last benefit month is refused naming ``month``."""
    first = case.first_month
    if month < first:
        raise InputError("month", f"{month} is before the case's first benefit month {first}",
                         f"{month} ligger før sagens første ydelsesmåned {first}", code="month_outside_case")
    if case.last_month is not None and month > case.last_month:
        raise InputError("month", f"{month} is after the case's last benefit month {case.last_month}",
                         f"{month} ligger efter sagens sidste ydelsesmåned {case.last_month}",
                         code="month_outside_case")


def _registered_by(registered_by: str) -> str:
    """Who registers the events: required, at most 64 characters; a CPR number typed here is never stored."""
    return required_text(registered_by, "by", 64, "say who registers the events",
                         "angiv hvem der registrerer hændelserne")


def register_events(session: Session, case_id: str, month: Month, data: Any, *, received_at: dt.datetime | None = None,
                    registered_by: str = "", document: str | None = None) -> Registered:
    """Check and store the events of benefit ``month`` of the case (inside the caller's transaction).

    Raises ``InputError`` naming the field; nothing is stored then. Not stored again (a no-op that
    says so): the same events with the same ``received_at``, or the events in force now registered
    again later. (A registration back-dated between two others is always stored, so the order in
    which registrations arrive does not change what is in force at an instant.)
    """
    from .caserows import get_case, lock_case, now

    _check_month_of_case(get_case(session, case_id), month)
    from flexcalc.security.redact import redact

    from .reports import check_not_ahead

    who = _registered_by(registered_by)
    canonical, events = parse_events(data)
    validate_events(month, UNBOUNDED_WAGE, events)
    digest = digest_of(canonical)
    stamp = now()
    received = received_at or stamp
    if received.tzinfo is None:
        raise InputError("received_at", "must carry a time zone", "skal have en tidszone", code="instant_format")
    check_not_ahead(received, "received_at", stamp)
    lock_case(session, case_id)
    stored = load_registrations(session, case_id, month)
    for r in stored:  # the very same registration again (a retried request, a file read twice)
        if r.digest == digest and r.received_at == received:
            return Registered(r, True)
    current = latest(stored, month, None)
    if current is not None and current.digest == digest and received >= current.received_at:
        return Registered(current, True)  # the events in force already, and nothing registered after them
    row = EventRegistration(case_id=case_id, benefit_month=month, events=canonical, digest=digest,
                            received_at=received, registered_by=who,
                            document=redact((document or "").strip()) or None, recorded_at=stamp)
    session.add(row)
    session.flush()
    return Registered(registration_from_row(row), False)
