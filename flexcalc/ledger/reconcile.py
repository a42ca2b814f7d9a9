"""Reconciliation: recompute every paid month that newer reports (or a changed ceiling) affect, and
record a correction per case and month for the difference only.

For each paid month the amount settled so far is the payment plus every earlier correction; the
amount now due is the as-of calculation on what is known at the as-of instant. If they differ, a
correction records: paid so far, now due, the difference, the reports that caused it (those touching
the basis month that the previous computation did not know), the reasons in words, the legal basis,
and the earliest month affected in the case by this reconciliation (each revision names its reason
and pays only the difference, like helse-spleis' revurderinger). Reconciling again with nothing new
finds no difference and records nothing.

A provisional payment stands until every missing report has come; then it is settled on the reports.
A paid month whose basis month has lost a known employment's report (an employment added afterwards)
is left as it is until that report comes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from flexcalc import RULE_VERSION
from flexcalc.money import ZERO
from flexcalc.period import Month

from .asof import NO_FLEKSJOB_WAGE, basis_view, ceiling_for, month_due, rule_version_of
from .corrections import (
    LEGAL_BASIS,
    REGULATION_DA,
    REGULATION_EN,
    REPAYMENT_BASIS,
    STATUS_PAYABLE,
    STATUS_REVIEW,
    explain,
    reasons_for,
)
from .models import Correction, Payment
from .registrations import Registration
from .store import CaseFacts, load_facts, lock_case, now, run_in_transaction
from .tracks import Track, basis_of, event_kinds, track_for


@dataclass(slots=True)
class ReconcileResult:
    as_of: dt.datetime
    corrections: list[dict[str, Any]] = field(default_factory=list)
    cases_checked: int = 0
    months_checked: int = 0
    waiting: list[dict[str, str]] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        from flexcalc.money import amount_str

        pay = sum((Decimal(c["difference"]) for c in self.corrections if Decimal(c["difference"]) > 0), ZERO)
        review = [c for c in self.corrections if c["status"] == STATUS_REVIEW and c.get("track") != "regulation"]
        regulated = [c for c in self.corrections if c["status"] == STATUS_REVIEW and c.get("track") == "regulation"]
        back = sum((Decimal(c["difference"]) for c in review), ZERO)
        netted = sum((Decimal(c["difference"]) for c in regulated), ZERO)
        return {"cases_checked": self.cases_checked, "months_checked": self.months_checked,
                "corrections": len(self.corrections),
                "efterbetaling": sum(1 for c in self.corrections if c["status"] == STATUS_PAYABLE),
                "repayment_review": len(review), "regulation": len(regulated),
                "to_pay": amount_str(pay), "possible_repayment": amount_str(-back), "to_regulate": amount_str(-netted)}

    def to_dict(self) -> dict[str, Any]:
        return {"as_of": self.as_of.isoformat(), "rule_version": RULE_VERSION, "summary": self.summary(),
                "corrections": self.corrections, "waiting": self.waiting}


def reconcile_case(session: Session, case_id: str, as_of: dt.datetime, result: ReconcileResult) -> None:
    """Reconcile one case inside the caller's transaction (the case row is locked first)."""
    from .corrections import correction_dict

    lock_case(session, case_id)
    payments = list(session.scalars(select(Payment).where(Payment.case_id == case_id)))
    if not payments:
        return
    earlier: dict[Month, list[Correction]] = defaultdict(list)
    for c in session.scalars(select(Correction).where(Correction.case_id == case_id).order_by(Correction.sequence)):
        earlier[c.benefit_month].append(c)
    facts = load_facts(session, case_id)
    stored = [Correction(**row) for row in case_corrections(payments, earlier, facts, as_of, result)]
    if stored:
        session.add_all(stored)
        session.flush()
        result.corrections += [correction_dict(c) for c in stored]


def reconcile_cases(session: Session, case_ids: Sequence[str], as_of: dt.datetime, result: ReconcileResult) -> None:
    """``reconcile_case`` for many cases inside the caller's transaction, their rows locked first and
    their payments, corrections and facts read in a few queries, the corrections stored
    in one flush: the same corrections as ``reconcile_case`` case by case."""
    from .corrections import correction_dict
    from .models import Case
    from .store import load_facts_many

    ids = list(dict.fromkeys(case_ids))
    if not ids:
        return
    for i in range(0, len(ids), 900):  # the row locks first, as reconcile_case takes its one
        session.execute(update(Case).where(Case.id.in_(ids[i:i + 900])).values(revision=Case.revision + 1))
    payments: dict[str, list[Payment]] = defaultdict(list)
    earlier: dict[str, dict[Month, list[Correction]]] = defaultdict(lambda: defaultdict(list))
    for i in range(0, len(ids), 900):
        part = ids[i:i + 900]
        for p in session.scalars(select(Payment).where(Payment.case_id.in_(part))):
            payments[p.case_id].append(p)
        for c in session.scalars(select(Correction).where(Correction.case_id.in_(part))
                                 .order_by(Correction.sequence)):
            earlier[c.case_id][c.benefit_month].append(c)
    facts = load_facts_many(session, [c for c in ids if payments.get(c)])
    stored: list[Correction] = []
    for case_id in case_ids:
        if not payments.get(case_id):
            continue
        rows = case_corrections(payments.pop(case_id), earlier[case_id], facts[case_id], as_of, result)
        stored += [Correction(**row) for row in rows]
    if stored:
        session.add_all(stored)
        session.flush()
        result.corrections += [correction_dict(c) for c in stored]


def case_corrections(payments: Sequence[Payment], earlier: dict[Month, list[Correction]], facts: CaseFacts,
                     as_of: dt.datetime, result: ReconcileResult) -> list[dict[str, Any]]:
    """The new corrections of one case (rows to store) from its payments, earlier corrections and facts;
    counts the case and its months checked and notes the months waiting for a report."""
    case_id = facts.case_id
    view = basis_view(facts.reports, as_of)
    kinds = {r.report_id: r.kind for r in facts.reports}
    registrations = {r.id: r for r in facts.registrations}
    result.cases_checked += 1
    new_rows: list[dict[str, Any]] = []
    stamp = now()
    for payment in sorted(payments, key=lambda p: p.benefit_month):
        history = earlier[payment.benefit_month]
        known_at = history[-1].as_of if history else payment.as_of
        if known_at > as_of:
            continue  # knowledge is never un-known: a month computed later than as_of is not rolled back
        result.months_checked += 1
        month = payment.benefit_month
        last = history[-1] if history else None
        previous_ids = set(last.report_ids if last else payment.report_ids)
        previous_ceiling = last.ceiling if last else payment.ceiling
        previous_events = last.event_registration if last else payment.event_registration
        previous_version = last.rule_version if last else payment.rule_version
        version = rule_version_of(month)
        # a version from before the fingerprint ("2026.11.1") cannot be compared: not a change
        rates_changed = "+" in previous_version and previous_version != version
        registration = facts.registration(month, as_of)
        events_changed = (registration.id if registration else None) != previous_events
        basis = view.get(month.previous())
        if (basis.report_ids if basis else set()) == previous_ids and payment.kind == "regular" and \
                ceiling_for(facts.ceilings, month, as_of) == previous_ceiling and not events_changed and \
                not rates_changed:
            continue  # nothing the month rests on has changed: nothing to redo
        due = month_due(month, view, facts.ceilings, facts.employments, as_of=as_of, registration=registration)
        if due.result is None:
            result.waiting.append({"case_id": case_id, "benefit_month": str(month),
                                   "missing_employers": " ".join(due.missing_employers),
                                   **({"reason": due.reason} if due.reason else {})})
            continue
        settled = payment.subsidy + sum((c.difference for c in history), ZERO)
        settled_payout = history[-1].due_payout if history else payment.payout
        if due.result.subsidy == settled:
            continue
        caused = sorted(due.report_ids - previous_ids)
        provisional_settled = payment.kind == "provisional" and not history
        reasons = reasons_for((kinds[r] for r in caused), due.ceiling != previous_ceiling, provisional_settled,
                              events_changed, rates_changed)
        difference = due.result.subsidy - settled
        event_cause, touched = (_event_change(registration, registrations.get(previous_events or 0))
                                if events_changed else (None, frozenset[str]()))
        track = track_for(reasons, difference, touched)
        regulation = track == Track.REGULATION and difference < 0
        da, en = explain(month, reasons, caused, settled, due.result.subsidy, previous_ceiling, due.ceiling,
                         event_cause_da=event_cause, versions=(previous_version, version) if rates_changed else None,
                         regulation=regulation)
        da, en = _with_notes(da, en, regulation, due.reason == NO_FLEKSJOB_WAGE)
        new_rows.append({
            "track": track,
            "case_id": case_id, "benefit_month": month, "sequence": len(history) + 1,
            "previous_subsidy": settled, "due_subsidy": due.result.subsidy, "difference": difference,
            "previous_payout": settled_payout, "due_payout": due.result.payout, "basis_wage": due.basis_wage,
            "ceiling": due.ceiling, "report_ids": sorted(due.report_ids), "caused_by": caused,
            "reasons": reasons, "explanation_da": da, "explanation_en": en,
            "legal_basis": _legal_basis(difference, track, reasons, touched),
            "earliest_affected_month": month, "status": STATUS_PAYABLE if difference > 0 else STATUS_REVIEW,
            "rule_version": version, "as_of": as_of, "created_at": stamp,
            "event_registration": registration.id if registration else None,
            "previous_rule_version": previous_version if rates_changed else None, "event_cause": event_cause,
        })
    if new_rows:
        earliest = min(r["benefit_month"] for r in new_rows)
        for row in new_rows:
            row["earliest_affected_month"] = earliest
    return new_rows


def _event_change(registration: Registration | None, before: Registration | None) -> tuple[str, frozenset[str]]:
    """The month's events changed: the cause in Danish and the kinds of event touched (now or before)."""
    cause = registration.describe_da() if registration is not None else _withdrawn(before)
    touched = event_kinds(registration.events_json if registration else None) | \
        event_kinds(before.events_json if before else None)
    return cause, touched


def _with_notes(da: str, en: str, regulation: bool, no_wage: bool) -> tuple[str, str]:
    """The explanation with the regulation's note and the note of a month with no fleksjob wage."""
    if regulation:
        da += " " + REGULATION_DA
        en += " " + REGULATION_EN
    if no_wage:
        da += " Ingen løn fra fleksjobarbejdsgiveren i basismåneden: intet tilskud."
        en += " No wage from the fleksjob employer in the basis month: no subsidy."
    return da, en


def _legal_basis(difference: Decimal, track: Track, reasons: list[str], touched: frozenset[str]) -> str:
    if difference > 0:
        return LEGAL_BASIS
    if track == Track.REPAYMENT_REVIEW:
        return f"{LEGAL_BASIS}. {REPAYMENT_BASIS}"
    return f"{LEGAL_BASIS}. Regulering: {basis_of(reasons, touched)}"


def _withdrawn(registration: Registration | None) -> str:
    """The cause when the month's events are no longer known at the instant (never, for append-only
    registrations, unless reconciling as of an earlier instant)."""
    return "hændelser ikke længere registreret" if registration is None else \
        f"{registration.describe_da()} gælder ikke længere"


RECONCILE_CHUNK = 2000


def _changed_cases(session: Session, ids: Sequence[str], as_of: dt.datetime,
                   contiguous: bool) -> tuple[set[str], dict[str, int]]:
    """Which cases of a chunk have a paid month that ``reconcile_case`` would recompute, found from
    columns in a handful of queries: the same test as ``reconcile_case`` makes month by month (the
    reports touching the basis month known at the instant, the ceiling in force then, the event
    registration in force then, the rule version, a provisional payment), exactly, without loading
    any case's facts. Returns those cases and, for every case with payments, the number of paid
    months known at ``as_of`` (what ``reconcile_case`` counts as checked)."""
    from .payrun import bound, cases_in, fetch_all, raw, raw_ore, raw_text
    from .types import ListColumn

    def where(col: Any) -> Any:
        return cases_in(col, ids, contiguous)

    wanted = set(ids)
    conn = session.connection()  # Core rows: no ORM loading layer
    dialect = conn.dialect
    as_of_raw = bound(Payment.__table__.c.as_of, as_of, dialect)
    lists = ListColumn()

    def id_list(text: str | None) -> list[str]:
        return lists.process_result_value(text, dialect) or []

    last = _last_corrections(conn, where)
    ceilings = _ceilings_known(conn, where, as_of)
    registered = _registrations_known(conn, where, as_of)
    chains = _report_chains(conn, where, as_of)
    versions: dict[str, str] = {}
    changed: set[str] = set()
    checked: dict[str, int] = {}
    for cid, month, kind, ceiling, report_ids, events, version, known in fetch_all(conn, select(
            Payment.case_id, raw_text(Payment.benefit_month), raw_text(Payment.kind), raw_ore(Payment.ceiling),
            raw(Payment.report_ids), Payment.event_registration, Payment.rule_version, raw(Payment.as_of))
            .where(where(Payment.case_id))):
        if cid not in wanted:
            continue
        checked.setdefault(cid, 0)
        previous = last.get((cid, month))
        if previous is not None:
            ceiling, report_ids, events, version, known = previous
        if known > as_of_raw:
            continue  # known later than as_of: not rolled back (reconcile_case skips it too)
        checked[cid] += 1
        if cid in changed:
            continue
        if _month_changed(month, (kind, ceiling, events, version), versions, registered.get((cid, month)),
                          ceilings.get(cid, ()), chains.get(cid, {}), report_ids, id_list):
            changed.add(cid)
    return changed, checked


def _month_changed(month: str, paid: tuple[str, int, int | None, str], versions: dict[str, str],
                   registration: tuple[Any, str, int] | None, ceilings: Iterable[tuple[str, int, int]],
                   chains: dict[tuple[str, str], tuple[set[str], set[str]]], report_ids: str | None,
                   id_list: Callable[[str | None], list[str]]) -> bool:
    """``reconcile_case``'s test from columns: whether what a paid month rests on (``paid``: its kind, ceiling
    in øre, event registration and rule version, as last settled) differs from what is known now: a
    provisional payment, new rates, other events in force, another ceiling, other reports on the basis month.
    ``versions`` keeps each month's rule version once computed."""
    kind, ceiling, events, version = paid
    if month not in versions:
        versions[month] = rule_version_of(Month.parse(month))
    now_version = versions[month]
    in_force: tuple[str, int, int] | None = None
    for entry in ceilings:
        if entry[0] <= month and (in_force is None or entry[:2] > in_force[:2]):
            in_force = entry
    basis = str(Month.parse(month).previous())
    touching: set[str] = set()
    for members, months in chains.values():
        if basis in months:
            touching |= members
    return (kind != "regular" or ("+" in version and version != now_version)
            or (registration[2] if registration else None) != events
            or in_force is None or in_force[2] != ceiling or touching != set(id_list(report_ids)))


Where = Callable[[Any], Any]


def _last_corrections(conn: Any, where: Where) -> dict[tuple[str, str], tuple[Any, ...]]:
    """The last correction of each (case, month) as raw columns: ceiling, report ids, events, version, as-of."""
    from .payrun import fetch_all, raw, raw_ore, raw_text

    last: dict[tuple[str, str], tuple[Any, ...]] = {}
    for cid, month, _seq, ceiling, report_ids, events, version, known in fetch_all(conn, select(
            Correction.case_id, raw_text(Correction.benefit_month), Correction.sequence, raw_ore(Correction.ceiling),
            raw(Correction.report_ids), Correction.event_registration, Correction.rule_version,
            raw(Correction.as_of)).where(where(Correction.case_id)).order_by(Correction.sequence)):
        last[(cid, month)] = (ceiling, report_ids, events, version, known)
    return last


def _ceilings_known(conn: Any, where: Where, as_of: dt.datetime) -> dict[str, list[tuple[str, int, int]]]:
    """Each case's ceiling entries known at ``as_of``: (effective month, id, amount in øre)."""
    from .models import Ceiling
    from .payrun import fetch_all, raw_ore, raw_text

    ceilings: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    for cid, effective, amount, seq in fetch_all(conn, select(
            Ceiling.case_id, raw_text(Ceiling.effective_month), raw_ore(Ceiling.amount), Ceiling.id).where(
            where(Ceiling.case_id), or_(Ceiling.known_at.is_(None), Ceiling.known_at <= as_of))):
        ceilings[cid].append((effective, seq, amount))
    return ceilings


def _registrations_known(conn: Any, where: Where, as_of: dt.datetime) -> dict[tuple[str, str], tuple[Any, str, int]]:
    """The event registration in force at ``as_of`` for each (case, month): (received, digest, id)."""
    from .models import EventRegistration
    from .payrun import fetch_all, raw, raw_text

    registered: dict[tuple[str, str], tuple[Any, str, int]] = {}
    for cid, month, rid, received, digest in fetch_all(conn, select(
            EventRegistration.case_id, raw_text(EventRegistration.benefit_month), EventRegistration.id,
            raw(EventRegistration.received_at), EventRegistration.digest).where(
            where(EventRegistration.case_id), EventRegistration.received_at <= as_of)):
        best = registered.get((cid, month))
        if best is None or (received, digest) > (best[0], best[1]):
            registered[(cid, month)] = (received, digest, rid)
    return registered


def _report_chains(conn: Any, where: Where,
                   as_of: dt.datetime) -> dict[str, dict[tuple[str, str], tuple[set[str], set[str]]]]:
    """Each case's report chains received by ``as_of``, by (employer, root): their report ids and basis months."""
    from .models import Report
    from .payrun import fetch_all, raw_text

    chains: dict[str, dict[tuple[str, str], tuple[set[str], set[str]]]] = defaultdict(dict)
    for cid, employer, report_id, root, basis in fetch_all(conn, select(
            Report.case_id, Report.employer_id, Report.report_id, Report.root_id, raw_text(Report.basis_month)).where(
            where(Report.case_id), Report.received_at <= as_of)):
        chain = chains[cid].setdefault((employer, root), (set(), set()))
        chain[0].add(report_id)
        chain[1].add(basis)
    return chains


ReconcileProgress = Callable[[int, int], None]


def reconcile(factory: Callable[[], Session], as_of: dt.datetime,
              case_ids: Sequence[str] | None = None, *, set_based: bool = True,
              progress: ReconcileProgress | None = None) -> ReconcileResult:
    """Reconcile every case with payments (or ``case_ids``).

    Set-based (the default): the cases are taken in chunks, one transaction each; the paid
    months that something has changed for are found from columns for the whole chunk
    (``_changed_cases``), and only those cases are reconciled by ``reconcile_case`` (the same code, the
    same corrections, causes and words); a case nothing has changed for is counted as checked and not
    locked or loaded. ``set_based=False``: every case in its own transaction, as before (the reference
    the tests compare with)."""
    from .payrun import no_gc

    with no_gc():
        return _reconcile(factory, as_of, case_ids, set_based, progress)


def _reconcile(factory: Callable[[], Session], as_of: dt.datetime, case_ids: Sequence[str] | None,
               set_based: bool, progress: ReconcileProgress | None) -> ReconcileResult:
    result = ReconcileResult(as_of)
    with factory() as session:
        ids = list(case_ids) if case_ids is not None else list(
            session.scalars(select(Payment.case_id).distinct().order_by(Payment.case_id)))
    if not set_based:
        for case_id in ids:
            def work(session: Session, case_id: str = case_id) -> ReconcileResult:
                part = ReconcileResult(as_of)
                reconcile_case(session, case_id, as_of, part)
                return part

            _add(result, run_in_transaction(factory, work))
        return result
    contiguous = case_ids is None
    if progress is not None:
        progress(0, len(ids))
    for start in range(0, len(ids), RECONCILE_CHUNK):
        chunk = ids[start:start + RECONCILE_CHUNK]
        unique = list(dict.fromkeys(chunk))

        def chunk_work(session: Session, chunk: list[str] = chunk, unique: list[str] = unique) -> ReconcileResult:
            part = ReconcileResult(as_of)
            changed, checked = _changed_cases(session, unique, as_of, contiguous)
            # the changed cases reconciled together (the same code as case by case), the others counted
            reconcile_cases(session, [c for c in unique if c in changed], as_of, part)
            for case_id in unique:
                if case_id not in changed and case_id in checked:
                    part.cases_checked += 1
                    part.months_checked += checked[case_id]
            return part

        _add(result, run_in_transaction(factory, chunk_work))
        if progress is not None:
            progress(start + len(chunk), len(ids))
    return result


def _add(result: ReconcileResult, part: ReconcileResult) -> None:
    result.corrections += part.corrections
    result.cases_checked += part.cases_checked
    result.months_checked += part.months_checked
    result.waiting += part.waiting
