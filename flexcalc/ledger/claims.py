"""Collecting a repayment (LAB § 125; BEK 585/2023): the claim a ``collect`` decision creates, its
instalment plan, payments, set-off in later payments, the handover to Gældsstyrelsen and its limitation.

- A ``collect`` decision creates a **claim** for the payout the person received too much on the
  correction (``previous_payout − due_payout``), resting on that decision, due ``due_days`` after it.
- Its **limitation date** (forældelsesloven, LBK 1238/2015): 3 years (§ 3, stk. 1) from when the money was
  paid (§ 2), counted only from when the municipality knew or should have known of the claim (§ 3, stk. 2:
  here the day the report causing the correction was received, never before the payment), and never later
  than 10 years after the payment (§ 3, stk. 3, nr. 2). A payment by the debtor acknowledges the claim and
  starts a new 3-year period from that day (§§ 15, 19, stk. 2). A claim handed over to Gældsstyrelsen is
  then that authority's to keep alive (§ 18, stk. 4); its date is no longer watched here. Past its date an
  unpaid balance is time-barred and written off (shown, never collected).
- An **instalment plan** (``instalment``: the person pays; ``setoff``: deducted in later subsidy payments;
  ``deferral``: henstand) with its monthly amount and reason. The latest plan is in force.
- Every event is a new row (``ClaimEvent``); the balance and status are computed from them on a date.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.orm import Session

from flexcalc.errors import ConflictError, InputError, NotFoundError
from flexcalc.law.lawdata import LAW_DIR, _read
from flexcalc.money import ZERO, amount_str
from flexcalc.period import Month

from .claim_models import PLAN_METHODS, Claim, ClaimEvent
from .models import Correction, Decision, Payment, Report
from .registrations import local_date


class Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    value: Any
    reference: str
    source: str
    note: str | None = None


class Collection(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    claim_type: Value
    due_days: Value
    limitation_years: Value
    limitation_max_years: Value
    new_period_on_acknowledgment: Value
    warn_months: Value
    default_instalment: Value


@cache
def collection(directory: Path = LAW_DIR) -> Collection:
    return Collection.model_validate(_read("collection", directory))


def add_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` later (29 February → 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def limitation_date(paid_on: dt.date, known_on: dt.date) -> dt.date:
    """Forældelsesloven § 3, stk. 1–3: 3 years from when the municipality knew or should have known (never
    before the payment), at most 10 years from the payment."""
    c = collection()
    start = max(paid_on, known_on)
    return min(add_years(start, int(c.limitation_years.value)), add_years(paid_on, int(c.limitation_max_years.value)))


@dataclass(slots=True)
class ClaimState:
    """A claim on a date: what was paid, set off and written off, the balance, the plan and the status
    (``open``, ``paid``, ``handed_over``, ``time_barred``)."""

    claim: Claim
    on: dt.date
    paid: Decimal
    set_off: Decimal
    written_off: Decimal
    balance: Decimal
    limitation_date: dt.date
    status: str
    plan: ClaimEvent | None
    handover: ClaimEvent | None
    events: list[ClaimEvent]

    def to_dict(self) -> dict[str, Any]:
        c = self.claim
        plan = self.plan
        return {
            "id": c.id, "case_id": c.case_id, "correction_id": c.correction_id, "decision_id": c.decision_id,
            "concerns_month": str(c.concerns_month), "amount": amount_str(c.amount), "paid": amount_str(self.paid),
            "set_off": amount_str(self.set_off), "written_off": amount_str(self.written_off),
            "balance": amount_str(self.balance), "status": self.status, "claim_type": c.claim_type,
            "paid_on": c.paid_on.isoformat(), "known_on": c.known_on.isoformat(),
            "decided_on": c.decided_on.isoformat(), "due_date": c.due_date.isoformat(),
            "limitation_date": self.limitation_date.isoformat(), "as_of": self.on.isoformat(),
            "plan": None if plan is None else {
                "method": plan.method, "monthly_amount": amount_str(plan.monthly_amount or ZERO),
                "first_month": str(plan.first_month) if plan.first_month else None, "reason": plan.reference,
                "on_date": plan.on_date.isoformat(), "by": plan.recorded_by},
            "handover": None if self.handover is None else {
                "on_date": self.handover.on_date.isoformat(), "file": self.handover.reference,
                "by": self.handover.recorded_by},
            "events": [event_dict(e) for e in self.events],
            "legal_basis": legal_basis(c.decided_on),
        }


def legal_basis(decided_on: dt.date) -> str:
    """The provisions a claim rests on, as cited on its decision's date (``provisions.yaml``,
    ``claim_collection``): LAB § 125, the collection order in force then, forældelsesloven."""
    from flexcalc.law.provisions import cite

    return str(cite("claim_collection", Month.of(decided_on)))


def event_dict(e: ClaimEvent) -> dict[str, Any]:
    return {"id": e.id, "kind": e.kind, "on_date": e.on_date.isoformat(),
            "amount": None if e.amount is None else amount_str(e.amount), "method": e.method,
            "monthly_amount": None if e.monthly_amount is None else amount_str(e.monthly_amount),
            "first_month": str(e.first_month) if e.first_month else None, "reference": e.reference,
            "by": e.recorded_by}


def claim_state(claim: Claim, events: list[ClaimEvent], on: dt.date) -> ClaimState:
    """The claim as it stands on ``on`` (events dated later are not counted)."""
    seen = [e for e in events if e.on_date <= on]
    paid = sum((e.amount or ZERO for e in seen if e.kind == "payment"), ZERO)
    set_off = sum((e.amount or ZERO for e in seen if e.kind == "setoff"), ZERO)
    limit = claim.limitation_date
    years = int(collection().new_period_on_acknowledgment.value)
    for e in seen:
        if e.kind == "payment":  # the debtor's acknowledgment: a new period from that day (§§ 15, 19, stk. 2)
            limit = max(limit, add_years(e.on_date, years))
    plans = [e for e in seen if e.kind == "plan"]
    handovers = [e for e in seen if e.kind == "handover"]
    balance = claim.amount - paid - set_off
    written_off = ZERO
    if balance <= 0:
        status = "paid"
    elif handovers:
        status = "handed_over"
    elif on > limit:
        status, written_off, balance = "time_barred", balance, ZERO
    else:
        status = "open"
    return ClaimState(claim, on, paid, set_off, written_off, balance, limit, status,
                      plans[-1] if plans else None, handovers[-1] if handovers else None, seen)


def _events(session: Session, claim_ids: list[int]) -> dict[int, list[ClaimEvent]]:
    out: dict[int, list[ClaimEvent]] = defaultdict(list)
    if claim_ids:
        for e in session.scalars(select(ClaimEvent).where(ClaimEvent.claim_id.in_(claim_ids)).order_by(ClaimEvent.id)):
            out[e.claim_id].append(e)
    return out


def list_claims(session: Session, on: dt.date, case_id: str | None = None) -> list[ClaimState]:
    query = select(Claim).order_by(Claim.id)
    if case_id is not None:
        query = query.where(Claim.case_id == case_id)
    claims = list(session.scalars(query))
    events = _events(session, [c.id for c in claims])
    return [claim_state(c, events[c.id], on) for c in claims]


def get_claim(session: Session, claim_id: int, on: dt.date, case_id: str | None = None) -> ClaimState:
    claim = session.get(Claim, claim_id)
    if claim is None or (case_id is not None and claim.case_id != case_id):
        raise NotFoundError("claim", f"there is no claim {claim_id}",
                            f"der er intet tilbagebetalingskrav {claim_id}", code="unknown_claim")
    return claim_state(claim, _events(session, [claim.id])[claim.id], on)


def claim_for_write(session: Session, claim_id: int, on: dt.date, balance_seen: Decimal,
                    case_id: str | None = None) -> ClaimState:
    """The claim a write acts on, as the caseworker saw it: the case's row lock is taken first (two writers
    on one claim run one after the other), then the balance is read again and must be ``balance_seen``;
    a claim changed since (a set-off in a payment run, a payment, another caseworker's write) is refused as
    stale, nothing stored. Every door (API, command line, page) writes through this."""
    from .caserows import lock_case

    first = get_claim(session, claim_id, on, case_id)
    lock_case(session, first.claim.case_id)
    state = get_claim(session, claim_id, on, case_id)
    if state.balance != balance_seen:
        raise ConflictError("balance_seen", f"the claim's balance is {amount_str(state.balance)} now, not "
                            f"{amount_str(balance_seen)}: read it again; nothing stored",
                            f"kravets restgæld er nu {amount_str(state.balance)}, ikke {amount_str(balance_seen)}: "
                            "hent det igen; intet er gemt", code="stale")
    return state


def create_claim(session: Session, decision: Decision, stamp: dt.datetime) -> Claim | None:
    """The claim of a ``collect`` decision (``None`` when the payout was not too large: only the own ATP
    share changed, which finance settles with ATP)."""
    correction = session.get(Correction, decision.correction_id)
    if correction is None or str(decision.outcome) != "collect":
        return None
    amount = correction.previous_payout - correction.due_payout
    if amount <= 0:
        return None
    payment = session.scalar(select(Payment).where(Payment.case_id == correction.case_id,
                                                  Payment.benefit_month == correction.benefit_month))
    paid_on = local_date(payment.as_of) if payment is not None else local_date(correction.as_of)
    received = [r for (r,) in session.execute(select(Report.received_at).where(
        Report.case_id == correction.case_id, Report.report_id.in_(list(correction.caused_by))))] \
        if correction.caused_by else []
    known_on = max(paid_on, local_date(min(received)) if received else local_date(correction.as_of))
    decided_on = local_date(decision.decided_at)
    c = collection()
    claim = Claim(case_id=correction.case_id, correction_id=correction.id, decision_id=decision.id,
                  concerns_month=correction.benefit_month, amount=amount, paid_on=paid_on, known_on=known_on,
                  decided_on=decided_on, due_date=decided_on + dt.timedelta(days=int(c.due_days.value)),
                  limitation_date=limitation_date(paid_on, known_on), claim_type=str(c.claim_type.value),
                  created_by=decision.decided_by, created_at=stamp)
    session.add(claim)
    session.flush()
    return claim


def _who(by: str) -> str:
    if not (by or "").strip():
        raise InputError("by", "say who records it", "angiv hvem der registrerer", code="missing")
    return by.strip()[:64]


def _positive(amount: Decimal, field: str) -> Decimal:
    if amount <= 0:
        raise InputError(field, "must be more than 0", "skal være mere end 0", code="not_positive")
    return amount


def record_plan(session: Session, claim_id: int, method: str, monthly_amount: Decimal | None, reason: str,
                by: str, on: dt.date, first_month: Month | None = None, *, net_income: Decimal | None = None,
                provider: bool = False) -> ClaimEvent:
    """An instalment plan (afdragsordning) as the municipality fixes it: ``instalment`` (the person pays
    monthly), ``setoff`` (deducted in later subsidy payments) or ``deferral`` (henstand, no amount).

    The monthly amount is the one given, or computed from the person's annual ``net_income`` by the table of
    the debt-collection order (``instalment.instalment_from_income``; ``provider``: supports children; the
    computation is added to the reason), or without either the fixed amount without income data."""
    from .instalment import instalment_from_income, without_income

    state = get_claim(session, claim_id, on)
    method = (method or "").strip().lower()
    if method not in PLAN_METHODS:
        raise InputError("method", "must be instalment, setoff or deferral",
                         "skal være instalment (afdrag), setoff (modregning) eller deferral (henstand)", code="method")
    if net_income is not None and (monthly_amount is not None or method == "deferral"):
        raise InputError("net_income", "give either the monthly amount or the net income, and not for a deferral",
                         "angiv enten månedsbeløbet eller nettoindkomsten, og ikke ved henstand", code="both")
    if method == "deferral":
        monthly_amount = None
    elif net_income is not None:
        computed = instalment_from_income(net_income, provider, on)
        if computed.monthly <= 0:
            raise InputError("net_income", "the table gives 0 kr. a month at this income: grant a deferral instead",
                             "tabellen giver 0 kr. om måneden ved denne indkomst: giv henstand i stedet",
                             code="deferral")
        monthly_amount = computed.monthly
        reason = "; ".join(t for t in ((reason or "").strip(), computed.reason_da()) if t)
    elif monthly_amount is None:
        monthly_amount = without_income(on).value
    else:
        _positive(monthly_amount, "monthly_amount")
    if not (reason or "").strip():
        raise InputError("reason", "a plan needs its reason (income, budget, deferral)",
                         "en afdragsordning skal begrundes (indkomst, budget, henstand)", code="missing")
    if state.status != "open":
        raise ConflictError("claim", f"the claim is {state.status}: no plan",
                            f"kravet er {state.status}: ingen ordning", code="claim_closed")
    event = ClaimEvent(claim_id=claim_id, case_id=state.claim.case_id, kind="plan", on_date=on, method=method,
                       monthly_amount=monthly_amount, first_month=first_month, reference=reason.strip(),
                       recorded_by=_who(by), recorded_at=dt.datetime.now(dt.UTC))
    session.add(event)
    session.flush()
    return event


def record_payment(session: Session, claim_id: int, amount: Decimal, on: dt.date, reference: str,
                   by: str) -> ClaimEvent:
    """A payment on the claim (manual or from a bank file); never more than the balance."""
    state = get_claim(session, claim_id, on)
    _positive(amount, "amount")
    if state.status not in ("open",):
        raise ConflictError("claim", f"the claim is {state.status}: no payment is registered here",
                         f"kravet er {state.status}: ingen indbetaling registreres her", code="claim_closed")
    if amount > state.balance:
        raise InputError("amount", f"more than the balance {amount_str(state.balance)}",
                         f"mere end restgælden {amount_str(state.balance)}", code="above_balance")
    event = ClaimEvent(claim_id=claim_id, case_id=state.claim.case_id, kind="payment", on_date=on, amount=amount,
                       reference=(reference or "").strip() or None, recorded_by=_who(by),
                       recorded_at=dt.datetime.now(dt.UTC))
    session.add(event)
    session.flush()
    return event


def payments_from_file(session: Session, text: str, by: str) -> list[ClaimEvent]:
    """Payments from a CSV file ``claim_id,amount,date,reference`` (one row each); all or nothing."""
    from flexcalc.parsing.inputs import parse_amount
    from flexcalc.security.redact import redact

    rows = list(csv.DictReader(io.StringIO(text)))
    out = []
    for i, row in enumerate(rows, start=2):
        try:
            claim_id, paid = int(row["claim_id"]), parse_amount(row["amount"], "amount")
            on, reference = dt.date.fromisoformat(row["date"]), redact(row.get("reference") or "")
        except (KeyError, ValueError) as error:
            raise InputError(f"row {i}", f"needs claim_id, amount, date (YYYY-MM-DD): {error}",
                             f"skal have claim_id, amount, date (ÅÅÅÅ-MM-DD): {error}", code="payment_row") from None
        if _already_registered(session, claim_id, paid, on, reference):
            raise ConflictError(f"row {i}", f"this payment on claim {claim_id} ({amount_str(paid)}, {on}, "
                                f"'{reference}') is already registered: was the file read before? nothing stored",
                                f"denne indbetaling på krav {claim_id} ({amount_str(paid)}, {on}, '{reference}') er "
                                "allerede registreret: er filen læst før? intet er gemt", code="already_registered")
        out.append(record_payment(session, claim_id, paid, on, reference, by))
    return out


def _already_registered(session: Session, claim_id: int, amount: Decimal, on: dt.date, reference: str) -> bool:
    """A payment with the same claim, amount, date and reference is in the ledger (a file read twice)."""
    ref = reference.strip() or None
    return session.scalar(select(ClaimEvent.id).where(
        ClaimEvent.claim_id == claim_id, ClaimEvent.kind == "payment", ClaimEvent.amount == amount,
        ClaimEvent.on_date == on,
        ClaimEvent.reference.is_(None) if ref is None else ClaimEvent.reference == ref).limit(1)) is not None


GRACE_DAYS = 5
"""Days after the 1st before an instalment not paid is a missed instalment on the worklist."""

HANDOVER_COLUMNS = ("fordringshaver_ref", "fordringstype", "sag", "hovedstol", "restgaeld",
                    "periode_fra", "periode_til", "stiftelsesdato", "forfaldsdato", "sidste_rettidige_betalingsdato",
                    "foraeldelsesdato", "afgoerelsesdato")


def handover(session: Session, claim_id: int, on: dt.date, by: str) -> tuple[ClaimEvent, str]:
    """Hand the claim over to Gældsstyrelsen (restanceinddrivelse): the event is recorded and the file a
    municipality can send is returned (CSV, one row, ``HANDOVER_COLUMNS``; our own documented layout, not
    Gældsstyrelsen's system format). The debtor is named by the case id only: no CPR number is written
    (the municipality's sending system adds it), so the file can pass through logs and answers safely.
    Only an open claim past its due date can be handed over."""
    state = get_claim(session, claim_id, on)
    if state.status != "open":
        raise ConflictError("claim", f"the claim is {state.status}: it cannot be handed over",
                         f"kravet er {state.status}: det kan ikke sendes til inddrivelse", code="claim_closed")
    if on <= state.claim.due_date:
        raise InputError("date", "a claim is handed over only after its due date",
                         "et krav sendes først til inddrivelse efter sidste rettidige betalingsdag", code="not_due")
    c = state.claim
    event = ClaimEvent(claim_id=c.id, case_id=c.case_id, kind="handover", on_date=on,
                       reference=handover_file_name(c.id, on), recorded_by=_who(by),
                       recorded_at=dt.datetime.now(dt.UTC))
    text = _handover_csv(state)
    session.add(event)
    session.flush()
    return event, text


def handover_file_name(claim_id: int, on: dt.date) -> str:
    return f"KTBRFLX-{claim_id}-{on.isoformat()}.csv"


def _handover_csv(state: ClaimState) -> str:
    """The handover file's text for the claim as it stood on the handover day (``state``)."""
    c = state.claim
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HANDOVER_COLUMNS)
    month = c.concerns_month
    writer.writerow([f"FLX-{c.id}", c.claim_type, c.case_id, amount_str(c.amount), amount_str(state.balance),
                     month.first_day().isoformat(),
                     month.last_day().isoformat(), c.paid_on.isoformat(), c.decided_on.isoformat(),
                     c.due_date.isoformat(), state.limitation_date.isoformat(), c.decided_on.isoformat()])
    return out.getvalue()


def handover_file(session: Session, claim_id: int, case_id: str | None = None) -> tuple[str, str]:
    """The file of a claim already handed over (name, CSV text), made again from the ledger: the claim as
    it stood before the handover on its day, so it is the same file, byte for byte, as the one written
    then. A claim not handed over has no file (refused naming the claim)."""
    claim = get_claim(session, claim_id, dt.date.max, case_id)
    event = claim.handover
    if event is None:
        raise NotFoundError("claim", f"claim {claim_id} has not been handed over: it has no handover file",
                            f"krav {claim_id} er ikke sendt til inddrivelse: det har ingen overdragelsesfil",
                            code="no_handover")
    before = [e for e in claim.events if e.id < event.id]
    return event.reference or handover_file_name(claim_id, event.on_date), _handover_csv(
        claim_state(claim.claim, before, event.on_date))


def missed_instalment(state: ClaimState, on: dt.date) -> bool:
    """An instalment plan in force whose payments lag behind the months elapsed since it began."""
    plan = state.plan
    if state.status != "open" or plan is None or plan.method != "instalment" or not plan.monthly_amount:
        return False
    start = plan.first_month or Month.of(plan.on_date).next()
    # an instalment falls due on the 1st of each month from the first; 5 days' grace
    last = Month.of(on - dt.timedelta(days=GRACE_DAYS))
    elapsed = last - start + 1
    if elapsed <= 0:
        return False
    paid_since = sum((e.amount or ZERO for e in state.events if e.kind == "payment" and e.on_date >= plan.on_date),
                     ZERO)
    return paid_since < min(plan.monthly_amount * elapsed, state.claim.amount - state.set_off)
