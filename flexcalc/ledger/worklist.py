"""The caseworker's worklist across cases: what waits for a caseworker, and since when.

The rule of which item is which lives here; the API (``GET /v1/worklist``), the CLI (``flexcalc
worklist``) and the explainer's caseworker page only show it. Each item names its case and benefit
month, the day it started waiting (``since``) and its age in days on ``today``, an amount where one
belongs to it, a short Danish label, and the API actions that resolve it.

Kinds, each item one kind only:

=============================  =====================================================  ==========================
kind                           when                                                   since / amount
=============================  =====================================================  ==========================
``held_month``                 a month held as awaiting report (no payment yet):      the run that held it / —
                               the wage is unknown, it is never paid as 0 (LAB
                               § 123, stk. 1; BEK 227/2024 § 14)
``repayment_awaiting_hearing`` a possible repayment without a decision and no         the correction / its
                               hearing letter recorded (forvaltningsloven § 19;       difference
                               PM 6-23)
``hearing_awaiting_reply``     a hearing held (letter or oral), its reply date not    the letter / the
                               passed, no reply: an early reply can be recorded       difference
``hearing_reply_overdue``      a hearing letter sent, its reply date passed, no       the reply date / the
                               reply: ready for a decision                            difference
``awaiting_decision``          a hearing replied to, no decision yet                  the reply / the difference
``possible_duplicate``         two originals of one employer, same wage period and    the later report / the
                               amount (``flexcalc.ledger.duplicates``)                amount reported twice
``events_after_payment``       a paid month whose events registered since would       the registration / the
                               change it: reconciliation has not yet settled them     change reconciliation makes
``claim_due_unpaid``           a claim past its due date, nothing paid, no plan       the day after the due date /
                               (LAB § 125; BEK 585/2023)                              the balance
``instalment_missed``          an instalment plan whose payments lag behind           the instalment's day / the
                                                                                      balance
``claim_limitation_near``      a claim not handed over whose limitation date is       6 months before the date /
                               within 6 months (forældelsesloven §§ 3, 19)            the balance
``supervision_follow_up``      a supervisor's finding on the case whose follow-up is  the finding / —
                               not recorded done (``flexcalc.ledger.oversight``)
``self_employed_repayment_``   a self-employed case's settlement that found an        the settlement / the
``review``                     overpayment, not yet decided (BEK 233/2024 § 8,        amount paid too much
                               stk. 3; ``flexcalc.ledger.self_employed``)
=============================  =====================================================  ==========================

A regulation (``flexcalc.ledger.tracks``) is never an item: it is settled in the next payments.

A possible repayment whose hearing is open waits for the person; it is listed (``hearing_awaiting_reply``)
so that a reply that comes early can be recorded from the page. Each item has an ``id`` and a ``version``
(``flexcalc.ledger.item_version``) that every write acting on it states. Dates are Danish
(Europe/Copenhagen); the instants of the ledger's own time (a run's or a reconciliation's ``as_of``, a
report's or a registration's ``received_at``) give ``since``, so a replayed history ages as it happened.
Items are ordered oldest first, then by case, month, kind and reference: a unique key for a stable
cursor.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from flexcalc.errors import FlexcalcError, InputError, require
from flexcalc.money import ZERO, amount_str
from flexcalc.period import Month
from flexcalc.text_da.format import month_name
from flexcalc.text_da.worklist import KIND_LABELS_DA, KIND_PLAIN_DA

from .hearings import HearingEvent, hearing_state
from .models import Correction, Decision, EventRegistration, Hold, Payment
from .types import CorrectionStatus

HELD = "held_month"
AWAITING_HEARING = "repayment_awaiting_hearing"
REPLY_OVERDUE = "hearing_reply_overdue"
AWAITING_DECISION = "awaiting_decision"
AWAITING_REPLY = "hearing_awaiting_reply"
DUPLICATE = "possible_duplicate"
EVENTS_AFTER_PAYMENT = "events_after_payment"
CLAIM_DUE_UNPAID = "claim_due_unpaid"
INSTALMENT_MISSED = "instalment_missed"
LIMITATION_NEAR = "claim_limitation_near"
CLAIM_KINDS = (CLAIM_DUE_UNPAID, INSTALMENT_MISSED, LIMITATION_NEAR)
FOLLOW_UP = "supervision_follow_up"
SELF_EMPLOYED_REVIEW = "self_employed_repayment_review"
KINDS: tuple[str, ...] = (HELD, AWAITING_HEARING, AWAITING_REPLY, REPLY_OVERDUE, AWAITING_DECISION, DUPLICATE,
                          EVENTS_AFTER_PAYMENT, *CLAIM_KINDS, FOLLOW_UP, SELF_EMPLOYED_REVIEW)
"""The kinds in the worklist's order; their Danish labels and plain texts: ``flexcalc.text_da.worklist``."""

ITEM_ID_SEPARATOR = "~"

@dataclass(frozen=True, slots=True)
class Action:
    """An API call that acts on the item."""

    name: str
    method: str
    href: str
    label_da: str
    body: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"action": self.name, "method": self.method, "href": self.href,
                               "label_da": self.label_da}
        if self.body is not None:
            out["body"] = self.body
        return out


@dataclass(frozen=True, slots=True)
class WorkItem:
    kind: str
    case_id: str
    month: Month
    since: dt.date
    label_da: str
    ref: str = ""
    """What in the month the item is about (a correction id, an employer's report ids, a registration id)."""
    amount: Decimal | None = None
    correction_id: int | None = None
    details: dict[str, Any] = field(default_factory=dict)
    actions: tuple[Action, ...] = ()
    scheme: str = "new_2013"
    """The case's scheme in the item's month (``flexcalc.ledger.schemes``): new_2013, old or self_employed."""

    def key(self) -> tuple[str, str, str, str, str]:
        """The unique order of the list (oldest first), and the cursor's key."""
        return (self.since.isoformat(), self.case_id, str(self.month), self.kind, self.ref)

    def age_days(self, today: dt.date) -> int:
        return (today - self.since).days

    def item_id(self) -> str:
        """The item's id: kind, case, month and reference joined by ``~`` (a character no id contains)."""
        return ITEM_ID_SEPARATOR.join([self.kind, self.case_id, str(self.month), *([self.ref] if self.ref else [])])

    def to_dict(self, today: dt.date, version: str | None = None) -> dict[str, Any]:
        """The item as JSON; ``version`` (``flexcalc.ledger.item_version``) is the state it is shown in,
        which every write acting on it must state (HTTP ``If-Match``)."""
        return {"id": self.item_id(), "version": version, "kind": self.kind, "kind_da": KIND_LABELS_DA[self.kind],
                "kind_plain_da": KIND_PLAIN_DA[self.kind], "case_id": self.case_id,
                "month": str(self.month), "since": self.since.isoformat(), "age_days": self.age_days(today),
                "amount": None if self.amount is None else amount_str(self.amount), "label_da": self.label_da,
                "ref": self.ref, "correction_id": self.correction_id, "details": self.details,
                "actions": [a.to_dict() for a in self.actions], "scheme": self.scheme}


@dataclass(frozen=True, slots=True)
class WorklistFilter:
    case_id: str | None = None
    month: Month | None = None
    kinds: frozenset[str] = frozenset()
    min_age: int | None = None


def parse_kinds(values: Iterable[str] | None, field: str = "kind") -> frozenset[str]:
    """Kinds named by the caller; an unknown kind is an ``InputError`` naming ``field``."""
    kinds = frozenset(v.strip() for v in (values or ()) if v and v.strip())
    unknown = sorted(kinds - set(KINDS))
    if unknown:
        raise InputError(field, f"unknown kind {', '.join(unknown)} (one of {', '.join(KINDS)})",
                         f"ukendt slags {', '.join(unknown)} (en af {', '.join(KINDS)})", code="kind")
    return kinds


def _local(instant: dt.datetime) -> dt.date:
    from .reports import LOCAL_ZONE

    return instant.astimezone(LOCAL_ZONE).date()


def _case_path(case_id: str) -> str:
    return f"/v1/cases/{case_id}"


def _month_actions(case_id: str, month: Month) -> list[Action]:
    return [Action("month", "GET", f"{_case_path(case_id)}/months/{month}", "Se måneden")]


def _correction_actions(case_id: str, correction_id: int, month: Month, *names: str) -> tuple[Action, ...]:
    base = f"{_case_path(case_id)}/corrections/{correction_id}"
    known = {
        "hearing": Action("hearing", "POST", f"{base}/hearing", "Registrér sendt partshøring"),
        "reply": Action("reply", "POST", f"{base}/hearing/reply", "Registrér svar på partshøring"),
        "exception": Action("exception", "POST", f"{base}/hearing/exception",
                            "Registrér, hvorfor partshøring ikke skal ske (med hjemmel)"),
        "decide": Action("decide", "POST", f"{base}/decision", "Træf afgørelse: opkræv eller frafald"),
        "hearing_file": Action("hearing_file", "GET", f"{base}/hearing", "Se partshøringen"),
    }
    return (*(known[n] for n in names), *_month_actions(case_id, month))


def _held(session: Session, case_id: str | None) -> list[WorkItem]:
    query = (select(Hold).outerjoin(Payment, and_(Payment.case_id == Hold.case_id,
                                                  Payment.benefit_month == Hold.benefit_month))
             .where(Payment.id.is_(None)))
    if case_id is not None:
        query = query.where(Hold.case_id == case_id)
    items = []
    for hold in session.scalars(query):
        month = hold.benefit_month
        who = ", ".join(hold.missing_employers)
        label = (f"Lønnen for {month_name(month.previous())} er ukendt — afventer indberetning"
                 + (f" fra arbejdsgiver {who}" if who else ""))
        path = _case_path(hold.case_id)
        items.append(WorkItem(HELD, hold.case_id, month, _local(hold.as_of), label, amount=None,
                              details={"missing_employers": list(hold.missing_employers), "reason_da": hold.reason},
                              actions=(Action("release", "POST", f"{path}/months/{month}/provisional-payment",
                                              "Frigiv foreløbig udbetaling på dokumenteret løn"),
                                       Action("register_events", "POST", f"{path}/months/{month}/events",
                                              "Registrér månedens hændelser"),
                                       *_month_actions(hold.case_id, month))))
    return items


def _repayments(session: Session, case_id: str | None, today: dt.date) -> list[WorkItem]:
    query = (select(Correction).outerjoin(Decision, Decision.correction_id == Correction.id)
             .where(Decision.id.is_(None), Correction.status == CorrectionStatus.REPAYMENT_REVIEW.value,
                    or_(Correction.track.is_(None), Correction.track != "regulation")))
    hearing_query = select(HearingEvent).order_by(HearingEvent.id)
    if case_id is not None:
        query = query.where(Correction.case_id == case_id)
        hearing_query = hearing_query.where(HearingEvent.case_id == case_id)
    corrections = list(session.scalars(query))
    if not corrections:
        return []
    events: dict[int, list[HearingEvent]] = defaultdict(list)
    for row in session.scalars(hearing_query):
        events[row.correction_id].append(row)
    items = []
    for c in corrections:
        state = hearing_state(events.get(c.id, []), today)
        amount = c.difference
        month = c.benefit_month
        common = {"status": str(c.status), "track": "repayment_review", "hearing": state.to_dict(),
                  "explanation_da": c.explanation_da}
        if state.status == "not_sent":
            items.append(WorkItem(AWAITING_HEARING, c.case_id, month, _local(c.as_of),
                                  f"Mulig tilbagebetaling for {month_name(month)}: send partshøring", str(c.id),
                                  amount, c.id, common,
                                  _correction_actions(c.case_id, c.id, month, "hearing", "exception", "decide")))
        elif state.status == "awaiting_reply":
            reply_by = require(state.reply_by, "reply_by")
            items.append(WorkItem(AWAITING_REPLY, c.case_id, month, require(state.sent_on, "sent_on"),
                                  f"Partshøring sendt; svarfrist {reply_by.strftime('%d.%m.%Y')}: registrér svaret, "
                                  "når det kommer", str(c.id), amount, c.id, common,
                                  _correction_actions(c.case_id, c.id, month, "reply", "hearing_file")))
        elif state.status == "reply_overdue":
            reply_by = require(state.reply_by, "reply_by")
            items.append(WorkItem(REPLY_OVERDUE, c.case_id, month, reply_by,
                                  f"Svarfristen {reply_by.strftime('%d.%m.%Y')} er udløbet uden svar: "
                                  "træf afgørelse", str(c.id), amount, c.id, common,
                                  _correction_actions(c.case_id, c.id, month, "decide", "reply", "hearing_file")))
        elif state.status == "replied":
            items.append(WorkItem(AWAITING_DECISION, c.case_id, month, require(state.received_on, "received_on"),
                                  "Svar på partshøring modtaget: træf afgørelse", str(c.id), amount, c.id, common,
                                  _correction_actions(c.case_id, c.id, month, "decide", "hearing_file")))
    return items


def _duplicates(session: Session, case_id: str | None) -> list[WorkItem]:
    """The possible double submissions (``flexcalc.ledger.duplicates``): the candidate cases found in the
    database, their reports read in one query, the flag decided on each case's chains."""
    from sqlalchemy import func

    from .duplicates import _chains, duplicate_groups
    from .models import Report
    from .reports import WageReport, order_key
    from .store import REPORT_FIELDS

    candidates = (select(Report.case_id).where(Report.kind == "original")
                  .group_by(Report.case_id, Report.employer_id, Report.period_start, Report.period_end)
                  .having(func.count() > 1))
    if case_id is not None:
        candidates = candidates.where(Report.case_id == case_id)
    cases = sorted(set(session.scalars(candidates)))
    if not cases:
        return []
    by_case: dict[str, list[WageReport]] = defaultdict(list)
    columns = [getattr(Report, name) for name in REPORT_FIELDS]
    for start in range(0, len(cases), 1000):
        for row in session.execute(select(*columns).where(Report.case_id.in_(cases[start:start + 1000]))):
            report = WageReport(*row)
            by_case[report.case_id].append(report)
    items = []
    for cid in cases:
        reports = by_case[cid]
        chains = _chains(reports)
        for employer, group in duplicate_groups(reports):
            effective = [max(chains[(employer, root)], key=order_key) for root in group]
            members = [r for root in group for r in chains[(employer, root)]]
            basis = effective[0].basis_month
            month = basis.next()
            since = _local(max(r.received_at for r in members))
            label = (f"Mulig dobbelt indberetning fra {employer} for {month_name(basis)}: "
                     f"{', '.join(group)} — tjek med arbejdsgiveren")
            items.append(WorkItem(DUPLICATE, cid, month, since, label, f"{employer}:{','.join(group)}",
                                  effective[0].total, None,
                                  {"employer_id": employer, "report_ids": group, "basis_month": str(basis)},
                                  (Action("case", "GET", _case_path(cid), "Se sagens indberetninger"),
                                   Action("duplicates", "GET", f"/v1/possible-duplicates?case_id={cid}",
                                          "Se mulige dobbelte indberetninger"))))
    return items


def _corrections_settled(session: Session,
                         case_ids: list[str]) -> dict[tuple[str, Month], list[tuple[Decimal, int | None]]]:
    """Every correction of the cases, oldest first: the settled amount and the events last settled with."""
    corrections: dict[tuple[str, Month], list[tuple[Decimal, int | None]]] = defaultdict(list)
    for start in range(0, len(case_ids), 1000):
        for cid, month, difference, registration in session.execute(
                select(Correction.case_id, Correction.benefit_month, Correction.difference,
                       Correction.event_registration).where(Correction.case_id.in_(case_ids[start:start + 1000]))
                .order_by(Correction.case_id, Correction.benefit_month, Correction.sequence)):
            corrections[(cid, month)].append((difference, registration))
    return corrections


def _facts_of(session: Session, candidates: list[tuple[str, Month, Any, Decimal]]) -> dict[tuple[str, Month], Any]:
    """The facts each candidate month needs, many cases per query (as the payment run reads them)."""
    from .payments import _load_for_month

    facts_of: dict[tuple[str, Month], Any] = {}
    for month in sorted({m for _, m, _, _ in candidates}):
        ids = sorted({cid for cid, m, _, _ in candidates if m == month})
        for start in range(0, len(ids), 2000):
            for cid, facts in _load_for_month(session, ids[start:start + 2000], month.previous()).items():
                facts_of[(cid, month)] = facts
    return facts_of


def _events_after_payment(session: Session, case_id: str | None) -> list[WorkItem]:
    """Paid months whose events registered since the month was last settled would change the amount."""
    from .registrations import latest, registration_from_row
    from .store import load_facts

    query = (select(EventRegistration, Payment.subsidy, Payment.event_registration)
             .join(Payment, and_(Payment.case_id == EventRegistration.case_id,
                                 Payment.benefit_month == EventRegistration.benefit_month)))
    if case_id is not None:
        query = query.where(EventRegistration.case_id == case_id)
    by_month: dict[tuple[str, Month], list[Any]] = defaultdict(list)
    paid: dict[tuple[str, Month], tuple[Decimal, int | None]] = {}
    for row, subsidy, paid_with in session.execute(query):
        by_month[(row.case_id, row.benefit_month)].append(registration_from_row(row))
        paid[(row.case_id, row.benefit_month)] = (subsidy, paid_with)
    if not by_month:
        return []
    corrections = _corrections_settled(session, sorted({cid for cid, _ in by_month}))
    candidates: list[tuple[str, Month, Any, Decimal]] = []
    for (cid, month), registrations in sorted(by_month.items()):
        in_force = latest(registrations, month, None)
        subsidy, paid_with = paid[(cid, month)]
        history = corrections.get((cid, month), [])
        settled_with = history[-1][1] if history else paid_with
        if in_force is not None and in_force.id != settled_with:
            candidates.append((cid, month, in_force, subsidy + sum((d for d, _ in history), ZERO)))
    facts_of = _facts_of(session, candidates)
    items = []
    for cid, month, registration, settled in candidates:
        facts = facts_of.get((cid, month)) or load_facts(session, cid)
        try:
            due = facts.month_due(month, None)
        except FlexcalcError:
            due = None
        change: Decimal | None = None
        if due is not None and due.result is not None:
            change = due.result.subsidy - settled
            if change == 0:
                continue  # the events change nothing: nothing for the caseworker to do
        label = (f"{registration.describe_da().capitalize()} efter udbetalingen af {month_name(month)}: "
                 "kør efterregulering")
        items.append(WorkItem(EVENTS_AFTER_PAYMENT, cid, month, _local(registration.received_at), label,
                              str(registration.id), change, None,
                              {"event_registration": registration.id, "settled": amount_str(settled),
                               "due": None if change is None else amount_str(settled + change)},
                              (Action("reconcile", "POST", f"{_case_path(cid)}/months/{month}/reconciliation",
                                      "Kør efterregulering af måneden"),
                               *_month_actions(cid, month))))
    return items


def parse_item_id(item_id: str) -> tuple[str, str, Month, str]:
    """(kind, case id, month, reference) of an item id; ``InputError`` naming ``item_id`` if it is not one."""
    parts = (item_id or "").split(ITEM_ID_SEPARATOR)
    if len(parts) not in (3, 4) or parts[0] not in KINDS:
        raise InputError("item_id", "is not a worklist item id (kind~case~YYYY-MM[~reference])",
                         "er ikke et id på en opgave i arbejdslisten (slags~sag~ÅÅÅÅ-MM[~reference])", code="item_id")
    from flexcalc.parsing.inputs import parse_month

    return parts[0], parts[1], parse_month(parts[2], "item_id"), parts[3] if len(parts) == 4 else ""


def find_item(session: Session, today: dt.date, item_id: str) -> WorkItem | None:
    """The item with this id on ``today``, or ``None`` when it is no longer on the list (done)."""
    kind, case_id, month, ref = parse_item_id(item_id)
    for item in worklist(session, today, WorklistFilter(case_id=case_id, month=month, kinds=frozenset({kind}))):
        if item.ref == ref:
            return item
    return None


def worklist(session: Session, today: dt.date, where: WorklistFilter | None = None) -> list[WorkItem]:
    """Every item waiting for a caseworker (``where``: only those of a case, a benefit month, some
    kinds, at least ``min_age`` days old on ``today``), oldest first (``WorkItem.key``)."""
    where = where or WorklistFilter()
    wanted = where.kinds or frozenset(KINDS)
    items: list[WorkItem] = []
    if HELD in wanted:
        items += _held(session, where.case_id)
    if wanted & {AWAITING_HEARING, REPLY_OVERDUE, AWAITING_DECISION}:
        items += _repayments(session, where.case_id, today)
    if DUPLICATE in wanted:
        items += _duplicates(session, where.case_id)
    if EVENTS_AFTER_PAYMENT in wanted:
        items += _events_after_payment(session, where.case_id)
    if wanted & set(CLAIM_KINDS):

        items += claim_items(session, where.case_id, today)
    if FOLLOW_UP in wanted:
        items += follow_up_items(session, where.case_id)
    if SELF_EMPLOYED_REVIEW in wanted:
        items += self_employed_items(session, where.case_id)
    items = [i for i in items if i.kind in wanted
             and (where.month is None or i.month == where.month)
             and (where.min_age is None or i.age_days(today) >= where.min_age)]
    return sorted(_with_schemes(session, items), key=WorkItem.key)


def _with_schemes(session: Session, items: list[WorkItem]) -> list[WorkItem]:
    """Each item with its case's scheme in the item's month (``flexcalc.ledger.read.schemes.schemes_of``: the
    one answer for the new scheme, the old scheme and the self-employed)."""
    from dataclasses import replace

    from .read.schemes import schemes_of

    found = schemes_of(session, ((i.case_id, i.month.first_day()) for i in items))
    return [replace(i, scheme=found[(i.case_id, i.month.first_day())]) for i in items]


def claim_items(session: Session, case_id: str | None, today: dt.date) -> list[WorkItem]:
    """The claims' worklist items on ``today``: due and unpaid, instalment missed, limitation near
    (``flexcalc.ledger.claims``: the claim's state, its plan and limitation)."""
    from .claims import GRACE_DAYS, collection, list_claims, missed_instalment

    warn = int(collection().warn_months.value)
    items: list[WorkItem] = []
    for state in list_claims(session, today, case_id):
        if state.status != "open":
            continue
        c = state.claim
        base = f"/v1/claims/{c.id}"
        actions = (Action("plan", "POST", f"{base}/plan", "Fastsæt afdragsordning"),
                   Action("pay", "POST", f"{base}/payments", "Registrér indbetaling"),
                   Action("handover", "POST", f"{base}/handover", "Send til Gældsstyrelsen"))
        details = {"claim_id": c.id, "due_date": c.due_date.isoformat(),
                   "limitation_date": state.limitation_date.isoformat(), "claim_type": c.claim_type}
        ref = f"claim:{c.id}"
        if today > c.due_date and state.plan is None and state.paid == 0 and state.set_off == 0:
            items.append(WorkItem(CLAIM_DUE_UNPAID, c.case_id, c.concerns_month, c.due_date + dt.timedelta(days=1),
                                  KIND_LABELS_DA[CLAIM_DUE_UNPAID], ref, state.balance, c.correction_id, details,
                                  actions))
        if missed_instalment(state, today):
            last = Month.of(today - dt.timedelta(days=GRACE_DAYS))
            items.append(WorkItem(INSTALMENT_MISSED, c.case_id, c.concerns_month,
                                  last.first_day() + dt.timedelta(days=GRACE_DAYS), KIND_LABELS_DA[INSTALMENT_MISSED],
                                  ref, state.balance, c.correction_id, details, actions))
        back = Month.of(state.limitation_date) + (-warn)
        warn_from = back.first_day().replace(day=min(state.limitation_date.day, back.last_day().day))
        if today >= warn_from:
            items.append(WorkItem(LIMITATION_NEAR, c.case_id, c.concerns_month, warn_from,
                                  KIND_LABELS_DA[LIMITATION_NEAR], ref, state.balance, c.correction_id, details,
                                  actions))
    return items


def follow_up_items(session: Session, case_id: str | None) -> list[WorkItem]:
    """The supervisors' findings whose follow-up is not recorded done: one item each, in the month the finding
    was made, waiting since that day."""
    from .oversight import open_findings

    items = []
    for f in open_findings(session, case_id):
        since = _local(f.recorded_at)
        label = f"Ledelsestilsyn: {f.follow_up}" + (f" (senest {f.due_on.strftime('%d.%m.%Y')})" if f.due_on else "")
        items.append(WorkItem(FOLLOW_UP, f.case_id, Month.of(since), since, label, f"finding:{f.id}", None, None,
                              {"finding_id": f.id, "finding": f.finding, "follow_up": f.follow_up,
                               "check_id": f.check_id, "run_id": f.run_id,
                               "due_on": None if f.due_on is None else f.due_on.isoformat()},
                              (Action("done", "POST", f"/v1/findings/{f.id}/done", "Registrér opfølgningen som udført"),
                               Action("case", "GET", _case_path(f.case_id), "Se sagen"))))
    return items


def self_employed_items(session: Session, case_id: str | None) -> list[WorkItem]:
    """The self-employed cases' settlements that found an overpayment and wait for the municipality's decision
    (collect after a hearing, or waive: BEK 233/2024 § 8, stk. 3): one item each, in the month the settlement
    was made, waiting since that day; the amount is what was paid too much."""
    from .self_employed import SelfEmployedDecision, SelfEmployedSettlement

    query = select(SelfEmployedSettlement).where(
        SelfEmployedSettlement.treatment == "repayment_review",
        SelfEmployedSettlement.id.not_in(select(SelfEmployedDecision.settlement_id)))
    if case_id is not None:
        query = query.where(SelfEmployedSettlement.case_id == case_id)
    items = []
    for s in session.scalars(query.order_by(SelfEmployedSettlement.id)):
        since = _local(s.created_at)
        year_path = f"/v1/self-employed/cases/{s.case_id}/years/{s.year}"
        items.append(WorkItem(SELF_EMPLOYED_REVIEW, s.case_id, Month.of(since), since,
                              f"{KIND_LABELS_DA[SELF_EMPLOYED_REVIEW]} ({s.year})", f"settlement:{s.id}",
                              -s.difference, None, {"year": s.year, "settlement_id": s.id},
                              (Action("decide", "POST", f"/v1/self-employed/cases/{s.case_id}/settlements/{s.id}"
                                      "/decision", "Træf afgørelse om tilbagebetaling (If-Match: årets version)"),
                               Action("year", "GET", year_path, "Se året"))))
    return items
