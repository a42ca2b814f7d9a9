"""Cases, ceilings, employments and the ingestion of wage reports into the database.

Ingestion is **all or nothing**: a file (or an API batch) is checked as a whole and stored in one
transaction; one bad row refuses the whole file, names the row and the field, and changes nothing.
A report id already stored with the same content is a no-op ("already stored"); the same id with
other content is refused, naming the fields that differ (never their values: a report is personal).
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session

from flexcalc.errors import ConflictError, FlexcalcError, InputError, require
from flexcalc.ledger.db import session_factory, upgrade
from flexcalc.parsing.identifiers import check_identifier, safe_identifier
from flexcalc.period import Month

from .asof import CeilingEntry, EmploymentEntry, MonthDue, basis_view, month_due
from .caserows import get_case as get_case  # re-exported: callers use the store
from .caserows import lock_case as lock_case
from .caserows import now as now
from .models import Case, Ceiling, Employment, Report
from .reports import LOCAL_ZONE, MAX_ADVANCE, WageReport, check_not_ahead, resolve_reversal

if TYPE_CHECKING:
    from .registrations import Registration

T = TypeVar("T")
_UPGRADED: set[str] = set()
CPR_RE = re.compile(r"^\d{6}-?\d{4}$")


class SchemaNotReady(FlexcalcError):
    """The database is unreachable or not at the newest migration; the API refuses ledger requests
    (503) until an operator runs ``flexcalc db upgrade`` — it never migrates by itself."""


def open_ledger(url: str | None = None, *, migrate: bool = True) -> Callable[[], Session]:
    """A session factory for the ledger at ``url``. With ``migrate`` (the command line), the schema is
    brought up to date once per process; without (the API), a database not at the newest migration is
    refused with ``SchemaNotReady``."""
    from flexcalc.ledger.db import database_url, schema_problem

    resolved = database_url(url)
    if resolved not in _UPGRADED and not migrate:
        problem = schema_problem(resolved)
        if problem is not None:
            raise SchemaNotReady(problem)
        _UPGRADED.add(resolved)
    if resolved not in _UPGRADED:
        with _UPGRADE_LOCK:  # Alembic's command API is not thread-safe (first requests arrive in parallel)
            if resolved not in _UPGRADED:
                upgrade(resolved)
                _UPGRADED.add(resolved)
    return session_factory(resolved)


_UPGRADE_LOCK = threading.Lock()


def _retryable(error: Exception) -> bool:
    if isinstance(error, IntegrityError):
        return True
    if isinstance(error, OperationalError | DBAPIError):
        text = str(getattr(error, "orig", error)).lower()
        return any(s in text for s in ("could not serialize", "deadlock", "database is locked", "busy"))
    return False


def run_in_transaction(factory: Callable[[], Session], work: Callable[[Session], T], attempts: int = 8) -> T:
    """Run ``work`` in one transaction; on a unique-constraint clash, a serialisation failure or a
    deadlock (another process did the same thing at the same time), roll back and run it again."""
    for attempt in range(attempts):
        session = factory()
        try:
            result = work(session)
            session.commit()
            return result
        except Exception as error:
            session.rollback()
            if attempt == attempts - 1 or not _retryable(error):
                raise
        finally:
            session.close()
    raise AssertionError("unreachable")


def check_case_id(case_id: str, field: str = "case") -> str:
    """A case id: the one identifier check (``flexcalc.parsing.identifiers``), never a CPR number."""
    return check_identifier(case_id, field)


def create_case(session: Session, case_id: str, ceiling: Decimal, first_month: Month,
                employers: Sequence[str] = (), cpr: str | None = None) -> Case:
    """A new case with its first ceiling (from ``first_month``, the first benefit month) and its known
    employments, which report wage from the basis month before ``first_month``."""
    case_id = check_case_id(case_id)
    if ceiling <= 0:
        raise InputError("ceiling", "must be more than 0", "skal være over 0", code="ceiling_zero")
    if cpr is not None:
        cpr = cpr.strip().replace("-", "")
        if not CPR_RE.match(cpr):
            # never echo the value: it is (or looks like) a CPR number
            raise InputError("cpr", "must be 10 digits (DDMMYY-XXXX)", "skal være 10 cifre (DDMMÅÅ-XXXX)",
                             code="cpr_format")
    from .case_ids import case_id_taken  # a self-employed case's id is taken too

    if case_id_taken(session, case_id):
        raise ConflictError("case", f"the case '{case_id}' exists already", f"sagen '{case_id}' findes allerede",
                         code="case_exists")
    stamp = now()
    case = Case(id=case_id, cpr=cpr, first_month=first_month, created_at=stamp, revision=0)
    session.add(case)
    try:
        session.flush()
    except IntegrityError:  # created by another process meanwhile; the driver's message holds the CPR
        raise ConflictError("case", f"the case '{case_id}' exists already", f"sagen '{case_id}' findes allerede",
                         code="case_exists") from None
    session.add(Ceiling(case_id=case_id, effective_month=first_month, amount=ceiling, recorded_at=stamp,
                        note="oprettet med sagen"))
    for employer in employers:
        add_employment(session, case_id, employer, first_month.previous())
    session.flush()
    return case


def close_case(session: Session, case_id: str, last_month: Month) -> None:
    """Set the case's last benefit month (a payment run pays no month after it)."""
    case = get_case(session, case_id)
    if last_month < case.first_month:
        raise InputError("last", f"is before the case's first month {case.first_month}",
                         f"ligger før sagens første måned {case.first_month}", code="last_before_first")
    case.last_month = last_month
    session.flush()


def add_ceiling(session: Session, case_id: str, amount: Decimal, effective_month: Month,
                note: str | None = None, known_at: dt.datetime | None = None, field: str = "ceiling") -> Ceiling:
    """Add an entry to the ceiling history, known from ``known_at`` (e.g. the day the employer's
    lønloftskema was received): a payment run as of an earlier instant does not see it, and
    reconciliation finds it as "lønloft ændret". Without ``known_at`` the entry is the case's own
    data, taken as always known (as entries from before 0004)."""
    get_case(session, case_id)
    if amount <= 0:
        raise InputError(field, "must be more than 0", "skal være over 0", code="ceiling_zero")
    if known_at is not None and known_at.tzinfo is None:
        raise InputError("known_at", "must carry a time zone", "skal have en tidszone", code="instant_format")
    entry = Ceiling(case_id=case_id, effective_month=effective_month, amount=amount, recorded_at=now(),
                    note=note, known_at=known_at)
    session.add(entry)
    session.flush()
    return entry


def add_employment(session: Session, case_id: str, employer_id: str, first_basis_month: Month,
                   start_date: dt.date | None = None) -> Employment:
    """A known (fleksjob) employment reporting wage from ``first_basis_month``. ``start_date``, the
    job's first day, must lie in that month; a start after the 1st makes it a part month."""
    get_case(session, case_id)
    if start_date is not None and Month.of(start_date) != first_basis_month:
        raise InputError("start", f"{start_date.isoformat()} is not in the first basis month {first_basis_month}",
                         f"{start_date.isoformat()} ligger ikke i første basismåned {first_basis_month}",
                         code="date_outside")
    employer_id = check_identifier(employer_id, "employer", kind="employer")
    existing = session.scalar(select(Employment).where(Employment.case_id == case_id,
                                                       Employment.employer_id == employer_id))
    if existing is not None:
        raise ConflictError("employer", f"the case knows the employer {employer_id} already",
                         f"sagen kender allerede arbejdsgiveren {employer_id}", code="employment_exists")
    employment = Employment(case_id=case_id, employer_id=employer_id, first_basis_month=first_basis_month,
                            created_at=now(), start_date=start_date)
    session.add(employment)
    session.flush()
    return employment


def set_employment_start(session: Session, case_id: str, employer_id: str, start_date: dt.date) -> None:
    """Record the job's first day on a known employment (it must lie in its first basis month)."""
    employment = session.scalar(select(Employment).where(Employment.case_id == case_id,
                                                         Employment.employer_id == employer_id))
    if employment is None:
        raise InputError("employer", f"the case has no employment with {employer_id}",
                         f"sagen har ingen ansættelse hos {employer_id}", code="unknown_employment")
    if Month.of(start_date) != employment.first_basis_month:
        raise InputError("start", f"{start_date.isoformat()} is not in the first basis month "
                         f"{employment.first_basis_month}", f"{start_date.isoformat()} ligger ikke i første "
                         f"basismåned {employment.first_basis_month}", code="date_outside")
    employment.start_date = start_date
    session.flush()


def end_employment(session: Session, case_id: str, employer_id: str, last_basis_month: Month,
                   end_date: dt.date | None = None) -> None:
    """End an employment: ``last_basis_month`` is the last month it reports wage; ``end_date``, the
    job's last day, if given, decides that month."""
    if end_date is not None:
        last_basis_month = Month.of(end_date)
    employment = session.scalar(select(Employment).where(Employment.case_id == case_id,
                                                         Employment.employer_id == employer_id))
    if employment is None:
        raise InputError("employer", f"the case has no employment with {employer_id}",
                         f"sagen har ingen ansættelse hos {employer_id}", code="unknown_employment")
    employment.last_basis_month = last_basis_month
    if end_date is not None:
        employment.end_date = end_date
    session.flush()


REPORT_FIELDS = ("report_id", "case_id", "employer_id", "payment_date", "period_start", "period_end", "wage",
                 "pension_own", "pension_employer", "hours", "received_at", "kind", "corrects")
"""The columns of a stored report that make a ``WageReport``, in its field order."""


def report_from_row(row: Report) -> WageReport:
    return WageReport(
        report_id=row.report_id, case_id=row.case_id, employer_id=row.employer_id, payment_date=row.payment_date,
        period_start=row.period_start, period_end=row.period_end, wage=row.wage, pension_own=row.pension_own,
        pension_employer=row.pension_employer, hours=row.hours, received_at=row.received_at, kind=row.kind,
        corrects=row.corrects)


@dataclass(slots=True)
class IngestResult:
    stored: list[str] = field(default_factory=list)
    already_stored: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"stored": self.stored, "already_stored": self.already_stored,
                "counts": {"stored": len(self.stored), "already_stored": len(self.already_stored)}}


def _where(index: int, where: Sequence[str] | None) -> str:
    return where[index] if where else f"report {index + 1}"


def ingest(session: Session, reports: Sequence[WageReport], where: Sequence[str] | None = None, *,
           reporter: str | None = None) -> IngestResult:
    """Check every report against the batch and the stored ones, then store the new ones.

    Raises ``InputError`` naming the first bad report (by ``where``, e.g. "row 4") and field; the caller
    rolls back, so nothing is stored. A correction may name a report stored earlier or anywhere in the
    same batch, of the same employer (report ids are unique per employer).

    ``reporter``: the CVR number of an employer key sending the batch. Then every report must
    be the reporter's own, for a case in which the reporter has an employment — a case that does not
    exist and a case that is not the reporter's get the same answer, so an employer key learns nothing
    of other cases — and ``received_at`` is the server's instant of receipt (the stated value is kept
    as ``stated_received_at``). Without ``reporter`` (a caseworker, or the income register's bulk import,
    LAB § 123 stk. 2) a report may come from an employer the case does not know, and its stated
    ``received_at`` is the register's own timestamp.
    """
    result = IngestResult()
    stamp = now()
    stored = _stored_reports(session, reports)
    known_cases = _known_cases(session, reports, reporter)
    batch = _batch_without_repeats(reports, where, reporter)
    order = _in_correction_order(batch, stored, where)
    result.already_stored.extend(_already_stored(list(batch.values()), stored, where, reporter))
    new, stated = _checked_new_reports(order, stored, known_cases, where, reporter, stamp)
    rows = _report_rows(order, new, stated, stored, stamp)
    result.stored.extend(row.report_id for row in rows)
    session.add_all(rows)
    session.flush()
    return result


_Key = tuple[str, str]
"""A report's key: (employer id, report id); report ids are unique per employer."""


def _stored_reports(session: Session, reports: Sequence[WageReport]) -> dict[_Key, Report]:
    """The stored rows of the batch's reports and of the reports they correct, by key."""
    stored: dict[_Key, Report] = {}
    wanted: dict[str, set[str]] = {}
    for r in reports:
        wanted.setdefault(r.employer_id, set()).add(r.report_id)
        if r.corrects:
            wanted[r.employer_id].add(r.corrects)
    for employer_id, report_ids in sorted(wanted.items()):
        id_list = sorted(report_ids)
        for start in range(0, len(id_list), 500):
            chunk = id_list[start:start + 500]
            for row in session.scalars(select(Report).where(Report.employer_id == employer_id,
                                                            Report.report_id.in_(chunk))):
                stored[(row.employer_id, row.report_id)] = row
    return stored


def _known_cases(session: Session, reports: Sequence[WageReport], reporter: str | None) -> set[str]:
    """The batch's cases that exist (for an employer key: in which the reporter has an employment)."""
    case_ids = sorted({r.case_id for r in reports})
    if not case_ids:
        return set()
    if reporter is None:
        return set(session.scalars(select(Case.id).where(Case.id.in_(case_ids))))
    return set(session.scalars(select(Employment.case_id).where(
        Employment.employer_id == reporter, Employment.case_id.in_(case_ids))))


def _batch_without_repeats(reports: Sequence[WageReport], where: Sequence[str] | None,
                           reporter: str | None) -> dict[_Key, tuple[int, WageReport]]:
    """The batch by key, each report once: an employer key's own reports only; a report id twice in the
    batch only with the same content."""
    batch: dict[_Key, tuple[int, WageReport]] = {}
    for index, report in enumerate(reports):
        label = _where(index, where)
        if reporter is not None and report.employer_id != reporter:
            raise InputError(f"{label}, employer_id", "an employer key reports for its own CVR number only",
                             "en arbejdsgivernøgle indberetter kun for sit eget CVR-nummer", code="not_yours")
        key = (report.employer_id, report.report_id)
        if key in batch:
            first_index, first = batch[key]
            if first.differences(report):
                raise ConflictError(f"{label}, report_id", f"the report id {report.report_id} appears twice in the "
                                 f"file with different content ({_where(first_index, where)})",
                                 f"indberetningen {report.report_id} står to gange i filen med forskelligt "
                                 "indhold", code="report_conflict")
            continue
        batch[key] = (index, report)
    return batch


def _in_correction_order(batch: dict[_Key, tuple[int, WageReport]], stored: dict[_Key, Report],
                         where: Sequence[str] | None) -> list[tuple[int, WageReport]]:
    """The batch's new reports in an order where a corrected report comes before its correction; reports
    that correct each other in a circle are refused."""
    order: list[tuple[int, WageReport]] = []
    placed: set[_Key] = set()

    def place(index: int, report: WageReport, trail: tuple[_Key, ...] = ()) -> None:
        key = (report.employer_id, report.report_id)
        if key in placed or key in stored:
            return
        if key in trail:
            raise InputError(f"{_where(index, where)}, corrects", "the reports correct each other in a circle",
                             "indberetningerne retter hinanden i ring", code="corrects_cycle")
        target_key = (report.employer_id, report.corrects) if report.corrects else None
        if target_key and target_key in batch and target_key not in stored:
            target_index, target = batch[target_key]
            place(target_index, target, (*trail, key))
        placed.add(key)
        order.append((index, report))

    for index, report in batch.values():
        place(index, report)
    return order


def _already_stored(pending: list[tuple[int, WageReport]], stored: dict[_Key, Report], where: Sequence[str] | None,
                    reporter: str | None) -> list[str]:
    """The ids of the batch's reports stored already with the same content; other content is refused
    (a correction is a new report)."""
    already: list[str] = []
    for index, report in pending:
        key = (report.employer_id, report.report_id)
        if key in stored:
            label = _where(index, where)
            row = stored[key]
            existing_cmp = report_from_row(row)
            candidate = report
            if reporter is not None:  # an employer's received_at is the server's instant: not compared
                existing_cmp = replace(existing_cmp, received_at=row.stated_received_at or row.received_at)
                candidate = replace(candidate, received_at=existing_cmp.received_at)
            if candidate.kind == "reversal" and candidate.payment_date == dt.date.min:
                candidate = resolve_reversal(candidate, existing_cmp)
            diff = existing_cmp.differences(candidate)
            if diff:
                raise ConflictError(f"{label}, {diff[0]}",
                                 f"the report {report.report_id} is stored already with other content "
                                 f"(differs in: {', '.join(diff)}); send a correction instead",
                                 f"indberetningen {report.report_id} er allerede gemt med andet indhold "
                                 f"(forskel i: {', '.join(diff)}); send en rettelse i stedet",
                                 code="report_conflict")
            already.append(report.report_id)
    return already


def _checked_new_reports(order: list[tuple[int, WageReport]], stored: dict[_Key, Report], known_cases: set[str],
                         where: Sequence[str] | None, reporter: str | None, stamp: dt.datetime,
                         ) -> tuple[dict[_Key, WageReport], dict[_Key, dt.datetime]]:
    """The new reports as they will be stored (an employer key's stamped with the instant of receipt, a
    reversal resolved against its target) and the ``received_at`` each stated, checked in order: a known
    case, no payment date far ahead, a correction of a known report of the same case."""
    new: dict[_Key, WageReport] = {}
    stated: dict[_Key, dt.datetime] = {}
    for index, report in order:
        label = _where(index, where)
        key = (report.employer_id, report.report_id)
        if report.case_id not in known_cases:
            if reporter is not None:
                raise InputError(f"{label}, case_id", "is not a case in which this employer has an employment",
                                 "er ikke en sag, hvor arbejdsgiveren har en ansættelse", code="unknown_case")
            raise InputError(f"{label}, case_id", f"there is no case '{safe_identifier(report.case_id)}'",
                             f"der er ingen sag '{safe_identifier(report.case_id)}'", code="unknown_case")
        stated[key] = report.received_at
        if reporter is None:
            check_not_ahead(report.received_at, f"{label}, received_at", stamp)
        if reporter is not None:
            report = replace(report, received_at=stamp)
            if report.payment_date != dt.date.min and (
                    report.payment_date > stamp.astimezone(LOCAL_ZONE).date() + MAX_ADVANCE):
                raise InputError(f"{label}, payment_date", f"is far in the future: more than {MAX_ADVANCE.days} "
                                 "days after the report was received", "ligger langt ude i fremtiden: mere end "
                                 f"{MAX_ADVANCE.days} dage efter, at indberetningen blev modtaget",
                                 code="payment_date_future")
        if report.corrects is not None:
            report = _resolved_correction(report, label, new, stored)
        new[key] = report
    return new, stated


def _resolved_correction(report: WageReport, label: str, new: dict[_Key, WageReport],
                         stored: dict[_Key, Report]) -> WageReport:
    """A correction checked against the report it corrects (in the batch or stored): of the same case,
    not a reversal of a reversal, received after it; a reversal takes its target's figures."""
    target_key = (report.employer_id, require(report.corrects, "the id of the report it corrects"))
    if target_key in new:
        target: WageReport | None = new[target_key]
    elif target_key in stored:
        target = report_from_row(stored[target_key])
    else:
        target = None
    if target is None or target.case_id != report.case_id:
        # a report of this employer in this case: never a hint about another case or employer
        raise InputError(f"{label}, corrects", f"the report {report.corrects} it corrects is not known "
                         "in this case", f"indberetningen {report.corrects}, der rettes, kendes ikke i "
                         "denne sag", code="unknown_report")
    if report.kind == "reversal" and target.kind == "reversal":
        raise InputError(f"{label}, corrects", f"{report.corrects} is itself a reversal: a reversal cannot "
                         "be reversed (send a new original report instead)",
                         f"{report.corrects} er selv en tilbageførsel og kan ikke tilbageføres "
                         "(send en ny original indberetning)", code="reversal_of_reversal")
    if report.received_at < target.received_at:
        raise InputError(f"{label}, received_at", f"is before the report {report.corrects} it corrects "
                         "was received", f"ligger før indberetningen {report.corrects}, der rettes, "
                         "blev modtaget", code="received_before_target")
    return resolve_reversal(report, target)


def _report_rows(order: list[tuple[int, WageReport]], new: dict[_Key, WageReport], stated: dict[_Key, dt.datetime],
                 stored: dict[_Key, Report], stamp: dt.datetime) -> list[Report]:
    """The rows to store, each with the root of its chain (a correction's root is its target's)."""
    by_id_roots: dict[_Key, str] = {k: row.root_id for k, row in stored.items()}
    rows = []
    for _index, report in order:
        key = (report.employer_id, report.report_id)
        report = new[key]
        root = report.report_id if report.corrects is None else by_id_roots[(report.employer_id, report.corrects)]
        by_id_roots[key] = root
        rows.append(Report(
            report_id=report.report_id, case_id=report.case_id, employer_id=report.employer_id,
            payment_date=report.payment_date, basis_month=report.basis_month,
            period_start=report.period_start, period_end=report.period_end, wage=report.wage,
            pension_own=report.pension_own, pension_employer=report.pension_employer, hours=report.hours,
            received_at=report.received_at, kind=report.kind, corrects=report.corrects, root_id=root,
            ingested_at=stamp, stated_received_at=stated[key]))
    return rows


def ingest_reports(factory: Callable[[], Session], reports: Sequence[WageReport],
                   where: Sequence[str] | None = None, *, reporter: str | None = None) -> IngestResult:
    """Ingest a batch in one transaction, all or nothing; if another process stores one of the same
    reports at the same moment, the batch is redone and that report is found already stored."""
    return run_in_transaction(factory, lambda session: ingest(session, reports, where, reporter=reporter))


@dataclass(slots=True)
class CaseFacts:
    """What the as-of calculation needs of one case, loaded once."""

    case_id: str
    first_month: Month
    last_month: Month | None
    ceilings: list[CeilingEntry]
    employments: list[EmploymentEntry]
    reports: list[WageReport]
    registrations: list[Registration] = field(default_factory=list)
    """The month's event registrations (``flexcalc.ledger.registrations``), every month's."""
    _by_month: dict[Month, list[Registration]] | None = field(default=None, repr=False, compare=False)

    def registration(self, month: Month, as_of: dt.datetime | None) -> Registration | None:
        from .registrations import latest

        if not self.registrations:
            return None
        if self._by_month is None:
            from .registrations import by_month

            self._by_month = by_month(self.registrations)
        return latest(self._by_month.get(month, ()), month, as_of)

    def month_due(self, month: Month, as_of: dt.datetime | None,
                  documented_wage: Decimal | None = None) -> MonthDue:
        """Compute this case-month as known at ``as_of`` (reports, events, ceiling) through the one
        month pipeline. The per-month entry point of payment runs and reconciliation."""
        return compute_case_month(self, month, as_of, documented_wage)

    def active_in(self, month: Month) -> bool:
        return self.first_month <= month and (self.last_month is None or month <= self.last_month)


def compute_case_month(facts: CaseFacts, month: Month, as_of: dt.datetime | None,
                       documented_wage: Decimal | None = None) -> MonthDue:
    """Compute benefit ``month`` of a case as known at ``as_of``: the reports, the event registration
    and the ceiling history known then, the employments' start and end, through
    ``flexcalc.month.calculate_month`` (via ``asof.month_due``)."""
    return month_due(month, basis_view(facts.reports, as_of), facts.ceilings, facts.employments,
                     documented_wage, as_of=as_of, registration=facts.registration(month, as_of))


def ceiling_entries(rows: Sequence[Ceiling]) -> list[CeilingEntry]:
    return [CeilingEntry(r.effective_month, r.amount, r.id, r.known_at) for r in rows]


def employment_entries(rows: Sequence[Employment]) -> list[EmploymentEntry]:
    return [EmploymentEntry(r.employer_id, r.first_basis_month, r.last_basis_month, r.start_date, r.end_date)
            for r in rows]


def load_facts(session: Session, case_id: str) -> CaseFacts:
    case = get_case(session, case_id)
    ceilings = list(session.scalars(select(Ceiling).where(Ceiling.case_id == case_id)))
    employments = list(session.scalars(select(Employment).where(Employment.case_id == case_id)))
    columns = [getattr(Report, name) for name in REPORT_FIELDS]
    reports = [WageReport(*row) for row in session.execute(select(*columns).where(Report.case_id == case_id))]
    from .registrations import load_registrations

    return CaseFacts(case.id, case.first_month, case.last_month,
                     ceiling_entries(ceilings), employment_entries(employments), reports,
                     load_registrations(session, case_id))


def load_facts_many(session: Session, case_ids: Sequence[str]) -> dict[str, CaseFacts]:
    """``load_facts`` for many cases in a few queries (900 ids per IN list)."""
    from collections import defaultdict

    from .models import EventRegistration
    from .registrations import registration_from_row

    out: dict[str, CaseFacts] = {}
    columns = [getattr(Report, name) for name in REPORT_FIELDS]
    for i in range(0, len(case_ids), 900):
        ids = list(case_ids[i:i + 900])
        ceilings: dict[str, list[Ceiling]] = defaultdict(list)
        for c in session.scalars(select(Ceiling).where(Ceiling.case_id.in_(ids))):
            ceilings[c.case_id].append(c)
        employments: dict[str, list[Employment]] = defaultdict(list)
        for e in session.scalars(select(Employment).where(Employment.case_id.in_(ids))):
            employments[e.case_id].append(e)
        reports: dict[str, list[WageReport]] = defaultdict(list)
        for row in session.execute(select(*columns).where(Report.case_id.in_(ids))):
            report = WageReport(*row)
            reports[report.case_id].append(report)
        registrations: dict[str, list[Registration]] = defaultdict(list)
        for r in session.scalars(select(EventRegistration).where(EventRegistration.case_id.in_(ids))
                                 .order_by(EventRegistration.id)):
            registrations[r.case_id].append(registration_from_row(r))
        for case in session.scalars(select(Case).where(Case.id.in_(ids))):
            out[case.id] = CaseFacts(case.id, case.first_month, case.last_month, ceiling_entries(ceilings[case.id]),
                                     employment_entries(employments[case.id]), reports[case.id],
                                     registrations[case.id])
    return out


def case_cpr(session: Session, case_id: str) -> str | None:
    """The CPR number of a case, for its own case's users only (the caller checks who asks)."""
    return get_case(session, case_id).cpr


@contextmanager
def transaction(factory: Callable[[], Session]) -> Iterator[Session]:
    session = factory()
    try:
        yield session
        session.commit()
    except Exception:
        session.rollback()
        raise
    finally:
        session.close()
