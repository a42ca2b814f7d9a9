"""The month in figures: what a team leader opens on the first working day of the month.

For a benefit month and the 12 before it (``month_figures``):

- **benefit-month figures**: the caseload (by scheme), the payments and their totals, the months held
  (and how many of them are still held);
- **activity figures** of the month's *calendar* month in Danish time (a benefit month's activity period): the
  corrections made (by cause and track), the repayments decided (collected/waived), hearings sent and whether
  the reply came by the reply date, complaints and their steps, lønloft changes, event registrations received
  after the month was paid, and the employers' reports received late or corrected/reversed;
- **standing figures** at the end of the period (or ``as_of``): claims outstanding, held months by age.

A report is **late** when it came after the payment run of the benefit month it feeds (the month after its
basis month: a payment or a hold of that month was made before the report arrived). Everything is read through
the ledger's read model (``flexcalc.ledger.read.insight``) as recorded by ``as_of``: drawn again later, the
figures of a month are the same.

The full figures (``MonthFigures.to_dict``) are for the CLI, where the operator has the database. The
manager's view (``manager_view``) shows no person: no case id and no CPR number, and every count from 1 to 4
shown as ``"<5"`` (``SMALL``), an amount made of fewer than 5 items withheld, an employer shown with its CVR
number and the number of cases its reports touched (docs/decisions.md, "Management information: no persons").
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from flexcalc.ledger.read import insight as read
from flexcalc.money import ZERO, amount_str
from flexcalc.period import Month, month_range

SMALL = 5
"""Counts from 1 to ``SMALL - 1`` are shown as ``"<5"`` in the manager's view (0 is shown: nothing to hide)."""
SUPPRESSED = f"<{SMALL}"
MONTHS_BACK = 12
AGE_BUCKETS = ((0, 30, "0-30"), (31, 60, "31-60"), (61, 90, "61-90"), (91, 10**6, "over 90"))
"""Held months by age in days since the run that held them."""
CAUSES = ("late_report", "corrected_report", "reversal", "re_report", "ceiling_change", "events_registered",
          "rates_changed", "provisional_settled", "recalculation")
TRACKS = ("regulation", "repayment_review")


@dataclass
class MonthRow:
    """The figures of one benefit month."""

    month: Month
    caseload: dict[str, int]
    payments: int = 0
    subsidy: Decimal = ZERO
    payout: Decimal = ZERO
    provisional: int = 0
    held: int = 0
    held_still: int = 0
    corrections: int = 0
    by_cause: dict[str, int] = field(default_factory=dict)
    by_track: dict[str, int] = field(default_factory=dict)
    collected: int = 0
    collected_amount: Decimal = ZERO
    waived: int = 0
    waived_amount: Decimal = ZERO
    hearings_sent: int = 0
    replies_on_time: int = 0
    replies_late: int = 0
    no_reply: int = 0
    complaints_received: int = 0
    reconsidered: int = 0
    sent_on: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    effects: dict[str, int] = field(default_factory=dict)
    ceiling_changes: int = 0
    events_after_payment: int = 0
    late_reports: int = 0
    corrected_reports: int = 0
    reversed_reports: int = 0
    claims_outstanding: int = 0
    claims_balance: Decimal = ZERO

    def to_dict(self) -> dict[str, Any]:
        return {
            "month": str(self.month), "caseload": sum(self.caseload.values()), "caseload_by_scheme": self.caseload,
            "payments": self.payments, "subsidy_total": amount_str(self.subsidy),
            "payout_total": amount_str(self.payout), "provisional_payments": self.provisional,
            "held": self.held, "held_still": self.held_still,
            "corrections": self.corrections, "corrections_by_cause": self.by_cause,
            "corrections_by_track": self.by_track,
            "repayments_collected": self.collected, "repayments_collected_amount": amount_str(self.collected_amount),
            "repayments_waived": self.waived, "repayments_waived_amount": amount_str(self.waived_amount),
            "claims_outstanding": self.claims_outstanding, "claims_balance": amount_str(self.claims_balance),
            "hearings_sent": self.hearings_sent, "replies_on_time": self.replies_on_time,
            "replies_late": self.replies_late, "no_reply": self.no_reply,
            "complaints_received": self.complaints_received, "complaints_reconsidered": self.reconsidered,
            "complaints_sent_to_ankestyrelsen": self.sent_on, "complaint_outcomes": self.outcomes,
            "complaint_effects": self.effects, "ceiling_changes": self.ceiling_changes,
            "events_after_payment": self.events_after_payment, "late_reports": self.late_reports,
            "corrected_reports": self.corrected_reports, "reversed_reports": self.reversed_reports,
        }


@dataclass(frozen=True)
class EmployerRow:
    employer_id: str
    late: int
    corrected: int
    reversed: int
    cases: frozenset[str]

    def to_dict(self) -> dict[str, Any]:
        return {"employer_cvr": self.employer_id, "late": self.late, "corrected": self.corrected,
                "reversed": self.reversed, "cases_touched": len(self.cases)}


@dataclass
class MonthFigures:
    month: Month
    as_of: dt.datetime
    months: list[MonthRow]
    held_by_age: dict[str, int]
    employers: list[EmployerRow]

    def current(self) -> MonthRow:
        return self.months[-1]

    def to_dict(self) -> dict[str, Any]:
        return {"month": str(self.month), "as_of": self.as_of.isoformat(), "small_number_threshold": SMALL,
                "current": self.current().to_dict(), "held_by_age_days": self.held_by_age,
                "employers": [e.to_dict() for e in self.employers],
                "trend": [m.to_dict() for m in self.months]}


def _age_bucket(days: int) -> str:
    return next(label for low, high, label in AGE_BUCKETS if low <= days <= high)


def month_figures(factory: Callable[[], Session], month: Month, as_of: dt.datetime | None = None) -> MonthFigures:
    """The figures of benefit ``month`` and the 12 months before it, as recorded by ``as_of`` (default: now, or
    the end of the month's activity period if that is earlier)."""
    end = read.month_start(month.next())
    if as_of is None:
        as_of = min(dt.datetime.now(dt.UTC), end)
    first = month + (-MONTHS_BACK)
    months = month_range(first, month)
    since = read.month_start(first)
    until = min(end, as_of + dt.timedelta(microseconds=1))
    with factory() as session:
        rows = {m: MonthRow(m, c) for m, c in read.scheme_of_cases(session, months, as_of).items()}
        for m, p in read.payments(session, first, month, as_of).items():
            r = rows[m]
            r.payments, r.subsidy, r.payout, r.provisional = p.count, p.subsidy, p.payout, p.provisional
        held_by_age: Counter[str] = Counter({label: 0 for _, _, label in AGE_BUCKETS})
        today = as_of.astimezone(read.LOCAL_ZONE).date()
        for h in read.held_months(session, first, month, as_of):
            rows[h.benefit_month].held += 1
            if h.paid_at is None:
                rows[h.benefit_month].held_still += 1
                held_by_age[_age_bucket((today - h.held_at.astimezone(read.LOCAL_ZONE).date()).days)] += 1
        _corrections(rows, read.corrections(session, since, as_of))
        _decisions(rows, read.decisions(session, since, as_of))
        _hearings(rows, read.hearings(session, first.first_day(), as_of), today)
        _complaints(rows, read.complaints(session, as_of))
        for at in read.ceiling_changes(session, since, as_of):
            _row(rows, read.local_month(at)).ceiling_changes += 1
        for at in read.events_after_payment(session, since, as_of):
            _row(rows, read.local_month(at)).events_after_payment += 1
        flags = read.flagged_reports(session, since, until)
        employers = _reports(rows, flags, month)
        for m in months:
            on = min(m.last_day(), today)
            outstanding = [c for c in read.claims(session, on, as_of) if c.status in ("open", "handed_over")
                           and c.decided_on <= on]
            rows[m].claims_outstanding = len(outstanding)
            rows[m].claims_balance = sum((c.balance for c in outstanding), ZERO)
    return MonthFigures(month, as_of, [rows[m] for m in months], dict(held_by_age), employers)


class _Missing(MonthRow):
    """A month outside the period: counted nowhere."""


def _row(rows: dict[Month, MonthRow], month: Month) -> MonthRow:
    return rows.get(month) or _Missing(month, {})


def _corrections(rows: dict[Month, MonthRow], facts: list[read.CorrectionFact]) -> None:
    for c in facts:
        r = _row(rows, read.local_month(c.created_at))
        r.corrections += 1
        for reason in c.reasons:
            r.by_cause[reason] = r.by_cause.get(reason, 0) + 1
        r.by_track[c.track] = r.by_track.get(c.track, 0) + 1


def _decisions(rows: dict[Month, MonthRow], facts: list[read.DecisionFact]) -> None:
    for d in facts:
        r = _row(rows, read.local_month(d.decided_at))
        if d.outcome == "collect":
            r.collected += 1
            r.collected_amount += d.amount
        else:
            r.waived += 1
            r.waived_amount += d.amount


def _hearings(rows: dict[Month, MonthRow], facts: list[read.HearingFact], today: dt.date) -> None:
    """Hearings by the month the letter was sent: replied by the reply date, replied after it, or no reply
    (yet: a hearing whose reply date has not passed and has no reply is counted as sent only)."""
    for h in facts:
        r = _row(rows, Month.of(h.sent_on))
        r.hearings_sent += 1
        if h.replied_on is not None:
            if h.replied_on <= h.reply_by:
                r.replies_on_time += 1
            else:
                r.replies_late += 1
        elif h.reply_by < today:
            r.no_reply += 1


def _complaints(rows: dict[Month, MonthRow], facts: list[read.ComplaintFact]) -> None:
    for c in facts:
        _row(rows, Month.of(c.received_on)).complaints_received += 1
        for kind, day, result, effect in c.steps:
            r = _row(rows, Month.of(day))
            if kind == "reconsidered":
                r.reconsidered += 1
            elif kind == "sent_to_ankestyrelsen":
                r.sent_on += 1
            if kind == "outcome" or (kind == "reconsidered" and result == "changed"):
                key = str(result) if kind == "outcome" else "changed_by_municipality"
                r.outcomes[key] = r.outcomes.get(key, 0) + 1
                r.effects[str(effect)] = r.effects.get(str(effect), 0) + 1


def _reports(rows: dict[Month, MonthRow], flags: list[read.ReportFlag], month: Month) -> list[EmployerRow]:
    per: dict[str, dict[str, Any]] = defaultdict(lambda: {"late": 0, "corrected": 0, "reversed": 0, "cases": set()})
    for f in flags:
        at = read.local_month(f.received_at)
        r = _row(rows, at)
        r.late_reports += f.late
        r.corrected_reports += f.kind == "correction"
        r.reversed_reports += f.kind == "reversal"
        if at == month:
            e = per[f.employer_id]
            e["late"] += f.late
            e["corrected"] += f.kind == "correction"
            e["reversed"] += f.kind == "reversal"
            e["cases"].add(f.case_id)
    out = [EmployerRow(cvr, v["late"], v["corrected"], v["reversed"], frozenset(v["cases"])) for cvr, v in per.items()]
    return sorted(out, key=lambda e: (-(e.late + e.corrected + e.reversed), e.employer_id))


# --- the manager's view: no persons ---------------------------------------------------------------

def shown(count: int) -> int | str:
    """A count as the manager sees it: 1–4 as ``"<5"``."""
    return SUPPRESSED if 0 < count < SMALL else count


def _shown_amount(amount: Decimal, count: int) -> str | None:
    """An amount made of ``count`` items: withheld (``None``) when 1–4 items make it."""
    return None if 0 < count < SMALL else amount_str(amount)


def _counts(values: dict[str, int]) -> dict[str, int | str]:
    return {k: shown(v) for k, v in sorted(values.items())}


def _manager_month(r: MonthRow) -> dict[str, Any]:
    return {
        "month": str(r.month), "caseload": shown(sum(r.caseload.values())),
        "caseload_by_scheme": _counts(r.caseload), "payments": shown(r.payments),
        "subsidy_total": _shown_amount(r.subsidy, r.payments), "payout_total": _shown_amount(r.payout, r.payments),
        "provisional_payments": shown(r.provisional), "held": shown(r.held), "held_still": shown(r.held_still),
        "corrections": shown(r.corrections), "corrections_by_cause": _counts(r.by_cause),
        "corrections_by_track": _counts(r.by_track),
        "repayments_collected": shown(r.collected),
        "repayments_collected_amount": _shown_amount(r.collected_amount, r.collected),
        "repayments_waived": shown(r.waived), "repayments_waived_amount": _shown_amount(r.waived_amount, r.waived),
        "claims_outstanding": shown(r.claims_outstanding),
        "claims_balance": _shown_amount(r.claims_balance, r.claims_outstanding),
        "hearings_sent": shown(r.hearings_sent), "replies_on_time": shown(r.replies_on_time),
        "replies_late": shown(r.replies_late), "no_reply": shown(r.no_reply),
        "complaints_received": shown(r.complaints_received), "complaints_reconsidered": shown(r.reconsidered),
        "complaints_sent_to_ankestyrelsen": shown(r.sent_on), "complaint_outcomes": _counts(r.outcomes),
        "complaint_effects": _counts(r.effects), "ceiling_changes": shown(r.ceiling_changes),
        "events_after_payment": shown(r.events_after_payment), "late_reports": shown(r.late_reports),
        "corrected_reports": shown(r.corrected_reports), "reversed_reports": shown(r.reversed_reports),
    }


def manager_view(figures: MonthFigures) -> dict[str, Any]:
    """The figures without persons: counts 1–4 as ``"<5"``, amounts of 1–4 items withheld, employers by CVR
    number with the number of cases touched (suppressed alike), never a case id."""
    return {"month": str(figures.month), "as_of": figures.as_of.isoformat(), "small_number_threshold": SMALL,
            "suppressed_as": SUPPRESSED, "current": _manager_month(figures.current()),
            "held_by_age_days": _counts(figures.held_by_age),
            "employers": [{"employer_cvr": e.employer_id, "late": shown(e.late), "corrected": shown(e.corrected),
                           "reversed": shown(e.reversed), "cases_touched": shown(len(e.cases))}
                          for e in figures.employers],
            "trend": [_manager_month(m) for m in figures.months]}
