"""The monthly payment run, held months and provisional payments.

``pay_month`` pays benefit month *m* for every case active in *m*, on the reports received up to the
as-of instant, with the rule version. A month is paid at most once (checked, and a unique constraint
on (case, month) makes a second payment impossible even for two runs at once). A month whose basis
month lacks a report of a known employment is **not** paid as if the wage were zero: it is held as
"awaiting report" with the reason, and listed for the caseworker, who may release a provisional
payment on a documented wage (payslip or contract); reconciliation settles it against the report
like any other payment (BEK 227/2024 § 14: the income register is the source; at job start the
municipality pays on the contract and regulates on the report).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, func, insert, or_, select
from sqlalchemy.orm import Session

from flexcalc import RULE_VERSION
from flexcalc.errors import ConflictError, InputError, require
from flexcalc.money import ZERO, amount_str
from flexcalc.period import Month
from flexcalc.text_da.format import month_name

from .asof import NO_FLEKSJOB_WAGE, CeilingEntry, EmploymentEntry, MonthDue, reason_words, rule_version_of
from .confirmations import rates_confirmed, rates_hold_reason
from .models import Case, Ceiling, Employment, EventRegistration, Hold, Payment, Report
from .registrations import Registration, registration_from_row
from .reports import WageReport
from .store import REPORT_FIELDS, CaseFacts, get_case, load_facts, lock_case, now, run_in_transaction
from .types import PaymentKind

if TYPE_CHECKING:
    from flexcalc.batch.kernel import KernelRates

CHUNK = 2000


@dataclass(slots=True)
class PayRunResult:
    month: str
    as_of: dt.datetime
    paid: list[dict[str, Any]] = field(default_factory=list)
    held: list[dict[str, Any]] = field(default_factory=list)
    already_paid: list[str] = field(default_factory=list)
    totals: dict[str, str] = field(default_factory=dict)
    """The month's totals over every payment of it (``month_totals``): total_subsidy, total_atp_own,
    total_payout, as amount strings."""
    schemes: dict[str, dict[str, Any]] = field(default_factory=dict)
    """The other schemes' flows run with the month (``flexcalc.ledger.scheme_flows``), by scheme; only the
    flows that had cases."""

    def summary(self) -> dict[str, int]:
        return {"paid": len(self.paid), "held": len(self.held), "already_paid": len(self.already_paid)}

    def to_dict(self) -> dict[str, Any]:
        """The run's answer (API and ``flexcalc pay --json``): the summary holds the counts and the
        month's totals."""
        out = {"month": self.month, "as_of": self.as_of.isoformat(), "rule_version": RULE_VERSION,
               "summary": {**self.summary(), **self.totals}, "paid": self.paid, "held": self.held,
               "already_paid": self.already_paid}
        if self.schemes:
            out["schemes"] = self.schemes
        return out


def hold_reason(benefit_month: Month, missing: Sequence[str]) -> tuple[str, str]:
    basis = benefit_month.previous()
    who = ", ".join(missing)
    en = (f"awaiting report: no wage report for {basis} from employer {who}; the month is not paid as if the "
          "wage were zero")
    da = (f"afventer indberetning: ingen lønindberetning for {month_name(basis)} fra arbejdsgiver {who}; "
          "måneden udbetales ikke, som om lønnen var 0")
    return en, da


def _payment_values(case_id: str, due: MonthDue, as_of: dt.datetime, stamp: dt.datetime, kind: str = "regular",
                    documentation: str | None = None, released_by: str | None = None) -> dict[str, Any]:
    result = require(due.result, f"the computed month {due.benefit_month} of case {case_id}")
    return {
        "case_id": case_id, "benefit_month": due.benefit_month, "kind": kind,
        "basis_wage": due.basis_wage, "ceiling": due.ceiling, "subsidy": result.subsidy,
        "atp_own": result.atp_own, "payout": result.payout,
        "report_ids": sorted(due.report_ids), "rule_version": rule_version_of(due.benefit_month),
        "as_of": as_of, "created_at": stamp, "documentation": documentation, "released_by": released_by,
        "event_registration": due.registration.id if due.registration else None, "reason": due.reason,
    }


def paid_entry(case_id: str, due: MonthDue) -> dict[str, Any]:
    """A paid month as the run reports it (with the reason when it is paid 0 for want of wage)."""
    result = require(due.result, f"the computed month {due.benefit_month} of case {case_id}")
    entry: dict[str, Any] = {"case_id": case_id, "benefit_month": str(due.benefit_month),
                             "basis_wage": amount_str(due.basis_wage), "subsidy": amount_str(result.subsidy),
                             "payout": amount_str(result.payout)}
    words = reason_words(due)
    if words is not None:
        entry.update({"reason_code": due.reason, "reason": words[0], "reason_da": words[1]})
    if due.registration is not None:
        entry["event_registration"] = due.registration.id
    return entry


def _cases_in(column: Any, case_ids: Sequence[str], contiguous: bool) -> Any:
    """Which cases a chunk holds: a range of ids when the chunk is a contiguous slice of every case in
    id order (cheap for the database: no list of 2,000 parameters), else the list itself."""
    if contiguous:
        return and_(column >= case_ids[0], column <= case_ids[-1])
    return column.in_(case_ids)


def _load_for_month(session: Session, case_ids: Sequence[str], basis: Month,
                    contiguous: bool = False) -> dict[str, CaseFacts]:
    """The facts of many cases, with only the reports whose chains touch the basis month (plain rows,
    not ORM objects: a run over 100,000 cases spends its time here otherwise)."""
    wanted = set(case_ids)
    cases = [row for row in session.execute(select(Case.id, Case.first_month, Case.last_month).where(
        _cases_in(Case.id, case_ids, contiguous))) if row[0] in wanted]
    ceilings: dict[str, list[CeilingEntry]] = defaultdict(list)
    for cid, effective, amount, seq, known_at in session.execute(select(
            Ceiling.case_id, Ceiling.effective_month, Ceiling.amount, Ceiling.id, Ceiling.known_at).where(
            _cases_in(Ceiling.case_id, case_ids, contiguous))):
        ceilings[cid].append(CeilingEntry(effective, amount, seq, known_at))
    employments: dict[str, list[EmploymentEntry]] = defaultdict(list)
    for cid, employer, first, last, start, end in session.execute(select(
            Employment.case_id, Employment.employer_id, Employment.first_basis_month, Employment.last_basis_month,
            Employment.start_date, Employment.end_date)
            .where(_cases_in(Employment.case_id, case_ids, contiguous))):
        employments[cid].append(EmploymentEntry(employer, first, last, start, end))
    registrations: dict[str, list[Registration]] = defaultdict(list)
    for registered in session.scalars(select(EventRegistration).where(
            _cases_in(EventRegistration.case_id, case_ids, contiguous),
            EventRegistration.benefit_month == str(basis.next()))):
        registrations[registered.case_id].append(registration_from_row(registered))
    roots = select(Report.root_id).where(_cases_in(Report.case_id, case_ids, contiguous),
                                         Report.basis_month == str(basis))
    reports: dict[str, list[WageReport]] = defaultdict(list)
    columns = [getattr(Report, name) for name in REPORT_FIELDS]
    for row in session.execute(select(*columns).where(Report.root_id.in_(roots))):
        report = WageReport(*row)
        reports[report.case_id].append(report)
    return {
        cid: CaseFacts(cid, first, last, ceilings[cid],
                       employments[cid], reports[cid], registrations[cid])
        for cid, first, last in cases
    }


def _active_case_ids(session: Session, month: Month) -> list[str]:
    m = str(month)
    return list(session.connection().execute(select(Case.id).where(  # Core: 100.000 ids, no ORM layer
        Case.first_month <= m, or_(Case.last_month.is_(None), Case.last_month >= m)).order_by(Case.id)).scalars())


def month_totals(session: Session, month: Month, case_ids: Sequence[str] | None = None) -> dict[str, str]:
    """The month's totals over every payment of it (of ``case_ids`` only, when given): paid in this
    run or before; a held month counts nothing until it is paid."""
    from .payrun import ore_str, raw_ore

    sums = [func.coalesce(func.sum(raw_ore(col)), 0) for col in (Payment.subsidy, Payment.atp_own, Payment.payout)]
    totals = [0, 0, 0]
    if case_ids is None:
        parts: list[Any] = [session.execute(select(*sums).where(Payment.benefit_month == str(month))).one()]
    else:
        ids = list(dict.fromkeys(case_ids))
        parts = [session.execute(select(*sums).where(Payment.benefit_month == str(month),
                                                     Payment.case_id.in_(ids[i:i + 900]))).one()
                 for i in range(0, len(ids), 900)]
    for part in parts:
        for i in range(3):
            totals[i] += int(part[i])
    return {"total_subsidy": ore_str(totals[0]), "total_atp_own": ore_str(totals[1]),
            "total_payout": ore_str(totals[2])}


ProgressHook = Callable[[int, int], None]
"""``(cases done, cases in the run)``: called as the run goes (the CLI's progress bar)."""


def pay_month(factory: Callable[[], Session], month: Month, as_of: dt.datetime,
              case_ids: Sequence[str] | None = None, *, set_based: bool = True,
              progress: ProgressHook | None = None) -> PayRunResult:
    """Pay benefit month ``month`` for every active case (or ``case_ids``) on the reports received up
    to ``as_of``. Cases are paid in chunks, each in its own transaction; a chunk that meets a payment
    made meanwhile by another run is rolled back and redone, so nothing is paid twice.

    The months already paid are found for the whole run in one query and not looked at again (a
    re-run reads only what is left: the held months and the cases not yet paid). With ``set_based``
    (the default) the plain months of a chunk are computed by the exact batch kernel at once and
    written as one multi-row insert (``flexcalc.ledger.payrun``); every other month goes through the
    month pipeline case by case. ``set_based=False`` computes every month case by case (the
    reference the tests compare with). A run of every case (no ``case_ids``) then pays the other schemes'
    flows, the old scheme and the self-employed (``flexcalc.ledger.scheme_flows``), under ``schemes``."""
    from flexcalc.law.params import rates_for

    from .payrun import no_gc

    rates_for(month)  # a month outside the rates table is an error before anything is paid
    with no_gc():
        result = _pay_month(factory, month, as_of, case_ids, set_based, progress)
    if case_ids is None:  # one engine, three flows: the other schemes' cases of the month
        from .scheme_flows import run_scheme_flows

        result.schemes = {scheme: run.to_dict() for scheme, run in run_scheme_flows(factory, month, as_of).items()
                          if run.outcomes}
    return result


@dataclass(frozen=True, slots=True)
class _Run:
    """What every chunk of one payment run shares."""

    month: Month
    as_of: dt.datetime
    kernel_rates: KernelRates | None  # None: every month through the pipeline
    version: str
    no_wage_words: tuple[str, str]
    contiguous: bool
    position: dict[str, int]
    held_before: set[str]


def _no_wage_words(month: Month) -> tuple[str, str]:
    """The reason of a month paid at 0 kr. because the fleksjob paid no wage (English, Danish)."""
    words = reason_words(MonthDue(month, month.previous(), ZERO, ZERO, ZERO, [], frozenset(), None,
                                  reason=NO_FLEKSJOB_WAGE))
    return require(words, "the words of a month without fleksjob wage")


def _kernel_rates(month: Month, set_based: bool) -> KernelRates | None:
    """The batch kernel's rates of ``month`` for a set-based run, else None."""
    from flexcalc.batch.kernel import KernelRates

    if not set_based:
        return None
    try:
        return KernelRates.for_month(month)
    except ValueError:  # a rate the kernel cannot hold exactly: every month through the pipeline
        return None


def _month_before_run(factory: Callable[[], Session], month: Month, as_of: dt.datetime,
                      case_ids: Sequence[str] | None) -> tuple[list[str], set[str], set[str], bool, set[str]]:
    """What the run starts from, read once for the whole month: the cases to run (the new scheme's only),
    those paid and held already, whether the month's rates may be paid, and the month's active cases."""
    from .schemes import cases_outside_new_scheme

    with factory() as session:
        ids = list(dict.fromkeys(case_ids)) if case_ids is not None else _active_case_ids(session, month)
        elsewhere = cases_outside_new_scheme(session, month, as_of)  # paid by their own scheme's flow
        if elsewhere:
            ids = [c for c in ids if c not in elsewhere]
        # paid and held already, for the whole month at once (re-read per chunk only on a retry)
        conn = session.connection()
        paid_before = set(conn.execute(select(Payment.case_id).where(Payment.benefit_month == str(month))).scalars())
        held_before = set(conn.execute(select(Hold.case_id).where(Hold.benefit_month == str(month))).scalars())
        confirmed = rates_confirmed(session, month)
        active = set(ids) if case_ids is None else set(_active_case_ids(session, month))
    return ids, paid_before, held_before, confirmed, active


def _pay_month(factory: Callable[[], Session], month: Month, as_of: dt.datetime, case_ids: Sequence[str] | None,
               set_based: bool, progress: ProgressHook | None) -> PayRunResult:
    kernel_rates = _kernel_rates(month, set_based)
    result = PayRunResult(str(month), as_of)
    ids, paid_before, held_before, confirmed, active = _month_before_run(factory, month, as_of, case_ids)
    position = {c: i for i, c in enumerate(ids)}
    result.already_paid = [c for c in ids if c in paid_before]
    todo_all = [c for c in ids if c not in paid_before]
    if not confirmed:  # assumed rates, not confirmed: every case is held, by either path alike
        _hold_for_rates(factory, result, month, as_of, [c for c in todo_all if c in active], held_before)
        if progress is not None:
            progress(len(ids), len(ids))
        with factory() as session:
            result.totals = month_totals(session, month, case_ids)
        return result
    total, done = len(ids), len(result.already_paid)
    if progress is not None:
        progress(done, total)
    run = _Run(month, as_of, kernel_rates, rule_version_of(month), _no_wage_words(month), case_ids is None, position,
               held_before)
    late_paid: list[str] = []
    for start in range(0, len(todo_all), CHUNK):
        chunk = todo_all[start:start + CHUNK]
        attempts = [0]

        def work(session: Session, chunk: list[str] = chunk, attempts: list[int] = attempts) -> tuple[
                PayRunResult, list[str]]:
            attempts[0] += 1
            return _pay_chunk(session, run, chunk, attempts[0])

        part, paid_meanwhile = run_in_transaction(factory, work)
        result.paid += part.paid
        result.held += part.held
        late_paid += paid_meanwhile
        done += len(chunk)
        if progress is not None:
            progress(done, total)
    if late_paid:  # paid by another run while this one ran: in the run's order among the others
        result.already_paid = sorted([*result.already_paid, *late_paid], key=position.__getitem__)
    with factory() as session:
        result.totals = month_totals(session, month, case_ids)
    return result


def _pay_chunk(session: Session, run: _Run, chunk: list[str], attempt: int) -> tuple[PayRunResult, list[str]]:
    """Pay or hold one chunk of the run in one transaction; ``attempt`` > 1 is a retry, which reads again what
    another run paid or held meanwhile. Returns the chunk's part of the result and the cases paid meanwhile."""
    month, as_of = run.month, run.as_of
    part = PayRunResult(str(month), as_of)
    if attempt == 1:
        paid: set[str] = set()
    else:  # another run paid some of these meanwhile: read them again
        paid = set(session.scalars(select(Payment.case_id).where(
            Payment.benefit_month == str(month), Payment.case_id.in_(chunk))))
    held = set(session.scalars(select(Hold.case_id).where(
        Hold.benefit_month == str(month), Hold.case_id.in_(chunk)))) if attempt > 1 else \
        {c for c in chunk if c in run.held_before}
    todo = [c for c in chunk if c not in paid]
    # a range when the chunk is most of the cases between its first and last id, else the list
    dense = run.contiguous and bool(todo) and run.position[todo[-1]] - run.position[todo[0]] < 2 * len(todo)
    stamp = now()
    outcome: dict[str, tuple[str, dict[str, Any]]] = {}
    holds: list[dict[str, Any]] = []
    pipeline = todo
    if run.kernel_rates is not None and todo:
        pipeline = _pay_plain(session, run, run.kernel_rates, todo, dense, held, stamp, outcome, holds)
    payments = _pay_through_pipeline(session, run, pipeline, dense and len(pipeline) > len(todo) // 2, held, stamp,
                                     outcome, holds)
    if payments:
        session.execute(insert(Payment), payments)
    if holds:
        session.execute(insert(Hold), holds)
    settle_paid(session, month, outcome, stamp, as_of)
    for case_id in chunk:  # in the run's order, whichever path computed the month
        if case_id in paid:
            continue
        found = outcome.get(case_id)
        if found is not None:
            (part.paid if found[0] == "paid" else part.held).append(found[1])
    return part, sorted(paid, key=run.position.__getitem__)


def _pay_plain(session: Session, run: _Run, rates: KernelRates, todo: list[str], dense: bool, held: set[str],
               stamp: dt.datetime, outcome: dict[str, tuple[str, dict[str, Any]]],
               holds: list[dict[str, Any]]) -> list[str]:
    """The set-based path: the chunk's plain months computed by the batch kernel and written at once (a month
    missing a report is held); returns the cases left for the month pipeline."""
    from .payrun import NO_WAGE, classify, compute_plain, ore_str, payment_constants, payment_rows, write_payments

    month, as_of = run.month, run.as_of
    sorted_out = classify(session, todo, month, as_of, dense)
    for h in sorted_out.held.values():
        en, da = hold_reason(month, h.missing_employers)
        outcome[h.case_id] = ("held", {"case_id": h.case_id, "benefit_month": str(month),
                                       "missing_employers": h.missing_employers, "reason": en, "reason_da": da})
        if h.case_id not in held:
            holds.append({"case_id": h.case_id, "benefit_month": month, "missing_employers": h.missing_employers,
                          "reason": da, "as_of": as_of, "created_at": stamp})
    if sorted_out.plain:
        amounts = compute_plain(rates, sorted_out.plain)
        dialect = session.get_bind().dialect
        rows = payment_rows(sorted_out.plain, amounts, payment_constants(dialect, month, run.version, as_of, stamp),
                            NO_WAGE.value)
        for p, subsidy, payout in zip(sorted_out.plain, amounts.subsidy, amounts.payout, strict=True):
            entry: dict[str, Any] = {"case_id": p.case_id, "benefit_month": str(month),
                                     "basis_wage": ore_str(p.wage + p.other_wage),
                                     "subsidy": ore_str(subsidy), "payout": ore_str(payout)}
            if p.wage == 0:
                entry.update({"reason_code": NO_WAGE, "reason": run.no_wage_words[0],
                              "reason_da": run.no_wage_words[1]})
            outcome[p.case_id] = ("paid", entry)
        write_payments(session, rows)
    return list(sorted_out.pipeline)


def _pay_through_pipeline(session: Session, run: _Run, pipeline: list[str], by_range: bool, held: set[str],
                          stamp: dt.datetime, outcome: dict[str, tuple[str, dict[str, Any]]],
                          holds: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every other month through the month pipeline, case by case; returns the payment rows to insert."""
    month, as_of = run.month, run.as_of
    payments: list[dict[str, Any]] = []
    facts = _load_for_month(session, pipeline, month.previous(), by_range) if pipeline else {}
    for case_id in pipeline:
        case = facts.get(case_id)
        if case is None or not case.active_in(month):
            continue
        due = case.month_due(month, as_of)
        if due.result is None:
            en, da = reason_words(due) or hold_reason(month, due.missing_employers)
            outcome[case_id] = ("held", {"case_id": case_id, "benefit_month": str(month),
                                         "missing_employers": due.missing_employers, "reason": en, "reason_da": da})
            if case_id not in held:
                holds.append({"case_id": case_id, "benefit_month": month, "missing_employers": due.missing_employers,
                              "reason": da, "as_of": as_of, "created_at": stamp})
            continue
        payments.append(_payment_values(case_id, due, as_of, stamp))
        outcome[case_id] = ("paid", paid_entry(case_id, due))
    return payments


MANUAL_DECISION_DA = "holdt tilbage til en sagsbehandlers afgørelse"
"""How the Danish reason of a month held for a manual decision begins (``asof.reason_words``)."""


def _hold_for_rates(factory: Callable[[], Session], result: PayRunResult, month: Month, as_of: dt.datetime,
                    case_ids: Sequence[str], held_before: set[str]) -> None:
    """Hold every case of ``month`` because its rates are assumed and not confirmed
    (``flexcalc.ledger.confirmations``); a case held before keeps its first hold record."""
    from .confirmations import rates_hold_reason

    en, da = rates_hold_reason(month)
    for start in range(0, len(case_ids), CHUNK):
        chunk = list(case_ids[start:start + CHUNK])

        def work(session: Session, chunk: list[str] = chunk) -> None:
            stamp = now()
            held = set(session.scalars(select(Hold.case_id).where(
                Hold.benefit_month == str(month), Hold.case_id.in_(chunk))))
            rows = [{"case_id": c, "benefit_month": month, "missing_employers": [], "reason": da, "as_of": as_of,
                     "created_at": stamp} for c in chunk if c not in held]
            if rows:
                session.execute(insert(Hold), rows)

        run_in_transaction(factory, work)
        result.held += [{"case_id": c, "benefit_month": str(month), "missing_employers": [], "reason_code":
                         "rates_not_confirmed", "reason": en, "reason_da": da} for c in chunk]


def settle_paid(session: Session, month: Month, outcome: dict[str, tuple[str, dict[str, Any]]],
                stamp: dt.datetime, as_of: dt.datetime) -> None:
    """Settle the open lines (efterbetalinger, regulations, set-offs) of the cases just paid, whichever path
    computed the month (``flexcalc.ledger.settlement``), and put each statement on the case's run entry."""
    from .settlement import settle

    payouts = {cid: Decimal(entry["payout"]) for cid, (kind, entry) in outcome.items() if kind == "paid"}
    from .registrations import local_date

    for cid, statement in settle(session, month, payouts, stamp, local_date(as_of)).items():
        outcome[cid][1]["settlement"] = statement.to_dict()


def open_holds(session: Session, case_id: str | None = None, *, after: tuple[str, str] | None = None,
               limit: int | None = None) -> list[dict[str, Any]]:
    """Held months still awaiting a report: a hold without a payment for the same case and month, in
    (case, month) order; ``after`` and ``limit`` give one page of them (keyset on the unique pair)."""
    query = (select(Hold).outerjoin(Payment, and_(Payment.case_id == Hold.case_id,
                                                  Payment.benefit_month == Hold.benefit_month))
             .where(Payment.id.is_(None)).order_by(Hold.case_id, Hold.benefit_month))
    if case_id is not None:
        query = query.where(Hold.case_id == case_id)
    if after is not None:
        query = query.where(or_(Hold.case_id > after[0], and_(Hold.case_id == after[0],
                                                                Hold.benefit_month > Month.parse(after[1]))))
    if limit is not None:
        query = query.limit(limit)
    from .confirmations import is_rates_hold, rates_hold_reason

    return [{"case_id": h.case_id, "benefit_month": str(h.benefit_month),
             "missing_employers": list(h.missing_employers), "reason_da": h.reason,
             "reason": rates_hold_reason(h.benefit_month)[0] if is_rates_hold(h.reason)
             else "held for a caseworker's manual decision" if h.reason.startswith(MANUAL_DECISION_DA)
             else hold_reason(h.benefit_month, h.missing_employers)[0],
             "held_as_of": h.as_of.isoformat()} for h in session.scalars(query)]


def release_provisional(session: Session, case_id: str, month: Month, documented_wage: Decimal,
                        documentation: str, released_by: str, as_of: dt.datetime | None = None) -> dict[str, Any]:
    """Pay a held month provisionally on a documented wage (payslip or contract) standing in for the
    missing employers' report; wage already reported by others counts too. Reconciliation settles it
    when the report comes."""
    get_case(session, case_id)
    if not (documentation or "").strip():
        raise InputError("document", "name the document the wage comes from (payslip, contract)",
                         "angiv dokumentationen for lønnen (lønseddel, kontrakt)", code="missing")
    if not (released_by or "").strip():
        raise InputError("by", "say who releases the payment", "angiv hvem der frigiver udbetalingen", code="missing")
    lock_case(session, case_id)
    if session.scalar(select(Payment.id).where(Payment.case_id == case_id,
                                               Payment.benefit_month == str(month))) is not None:
        raise ConflictError("month", f"{month} is paid already", f"{month} er allerede udbetalt", code="already_paid")
    hold = session.scalar(select(Hold).where(Hold.case_id == case_id, Hold.benefit_month == str(month)))
    if hold is None:
        raise InputError("month", f"{month} is not held for case {case_id}; run the payment run first",
                         f"{month} er ikke tilbageholdt for sag {case_id}; kør udbetalingen først", code="not_held")
    if not rates_confirmed(session, month):
        en, da = rates_hold_reason(month)
        raise InputError("month", en, da, code="rates_not_confirmed")
    stamp = now()
    as_of = as_of or hold.as_of  # what was known when the month was held; later reports reconcile it
    facts = load_facts(session, case_id)
    due = facts.month_due(month, as_of, documented_wage)
    if due.result is None and due.error is not None:
        raise due.error
    kind = PaymentKind.PROVISIONAL if due.missing_employers else PaymentKind.REGULAR
    values = _payment_values(case_id, due, as_of, stamp, kind, documentation.strip(), released_by.strip()[:64])
    session.execute(insert(Payment), [values])
    out = {**paid_entry(case_id, due), "kind": kind, "documentation": documentation.strip(),
           "released_by": released_by.strip()}
    outcome: dict[str, tuple[str, dict[str, Any]]] = {case_id: ("paid", out)}
    settle_paid(session, month, outcome, stamp, as_of)
    return out
