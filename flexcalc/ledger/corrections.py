"""Corrections (efterregulering): why a paid month is recomputed, the explanation in words, the legal
basis, and the caseworker's decision on a possible repayment.

- A positive difference is an **efterbetaling**, paid in the next payment run (``flexcalc.ledger.settlement``).
- A negative difference on the ``regulation`` track (``flexcalc.ledger.tracks``: holiday on ledighedsydelse,
  a provisional payment settled) is netted in the next payments without a hearing.
- Any other negative difference is **never collected automatically**: it is a possible repayment that
  needs a caseworker's decision after a hearing (partshøring); ``collect`` creates a claim
  (``flexcalc.ledger.claims``). Repayment requires that the person received the money wrongly and knew or
  should have known (Ankestyrelsen PM 6-23; PM 48-22 on when the subsidy may be regulated afterwards).
  The decision (collect / waive, the reason, who) is recorded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from flexcalc.errors import ConflictError, InputError, NotFoundError
from flexcalc.money import amount_str
from flexcalc.period import Month
from flexcalc.text_da import format as fmt

from .models import Correction, Decision
from .tracks import TRACK_WORDS, is_repayment_review, track_of
from .types import Cause, CorrectionStatus, ReportKind

LEGAL_BASIS = ("LAB § 123, stk. 1–3 (tilskuddet beregnes bagud på den faktiske løn); Ankestyrelsen PM 48-22 "
               "(efterregulering på grundlag af indberettet løn); BEK 227/2024 § 14 (indkomstregistret)")
REPAYMENT_BASIS = ("Tilbagebetaling kun efter afgørelse og partshøring, når modtageren vidste eller burde vide, "
                   "at beløbet var modtaget med urette (Ankestyrelsen PM 6-23; PM 48-22)")

REASONS: dict[str, tuple[str, str]] = {
    Cause.LATE_REPORT: ("late report", "indberetning modtaget efter udbetalingen"),
    Cause.CORRECTED_REPORT: ("corrected report", "rettet indberetning"),
    Cause.REVERSAL: ("reversal", "tilbageført indberetning"),
    Cause.RE_REPORT: ("re-report after a reversal", "genindberetning efter tilbageførsel"),
    Cause.CEILING_CHANGE: ("ceiling change", "lønloft ændret"),
    Cause.EVENTS_REGISTERED: ("events registered", "hændelser registreret"),
    Cause.RATES_CHANGED: ("rates changed", "satser ændret"),
    Cause.PROVISIONAL_SETTLED: ("provisional payment settled on the report",
                                "foreløbig udbetaling afregnet efter indberetningen"),
    Cause.RECALCULATION: ("recalculation", "genberegning"),
}
KIND_REASON = {ReportKind.ORIGINAL: Cause.LATE_REPORT, ReportKind.CORRECTION: Cause.CORRECTED_REPORT,
               ReportKind.REVERSAL: Cause.REVERSAL}
kr = lru_cache(maxsize=4096)(fmt.kr)
month_name = lru_cache(maxsize=1024)(fmt.month_name)
"""Babel formatting cached: a ten-year reconciliation formats the same months and amounts often."""
REGULATION_DA = ("Reglerne giver hjemmel til at regulere beløbet bagefter; det kræver ikke partshøring eller "
                 "afgørelse om tilbagebetaling.")
REGULATION_EN = "The rules give a basis to regulate the amount afterwards; no hearing or repayment decision is needed."
STATUS_PAYABLE = CorrectionStatus.PAYABLE
STATUS_REVIEW = CorrectionStatus.REPAYMENT_REVIEW


def reasons_for(caused_kinds: Iterable[str], ceiling_changed: bool, provisional_settled: bool,
                events_changed: bool = False, rates_changed: bool = False) -> list[str]:
    """The reason codes of a correction, in a fixed order. An original arriving together with a
    reversal is a re-report (the employer cancelled a report and reported again), not a late report."""
    kinds = set(caused_kinds)
    codes = {KIND_REASON[ReportKind(k)] for k in kinds}
    if ReportKind.REVERSAL in kinds and ReportKind.ORIGINAL in kinds:
        codes.discard(Cause.LATE_REPORT)
        codes.add(Cause.RE_REPORT)
    if ceiling_changed:
        codes.add(Cause.CEILING_CHANGE)
    if events_changed:
        codes.add(Cause.EVENTS_REGISTERED)
    if rates_changed:
        codes.add(Cause.RATES_CHANGED)
    if provisional_settled:
        codes.add(Cause.PROVISIONAL_SETTLED)
    if not codes:
        codes.add(Cause.RECALCULATION)
    return [Cause(c) for c in REASONS if c in codes]


def explain(benefit_month: Month, reasons: list[str], caused_by: list[str], previous: Decimal, due: Decimal,
            previous_ceiling: Decimal, ceiling: Decimal, *, event_cause_da: str | None = None,
            versions: tuple[str, str] | None = None, regulation: bool = False) -> tuple[str, str]:
    """The explanation of one correction, in Danish and in English. ``event_cause_da`` names the
    event registration ("sygdom registreret 20. marts 2024"); ``versions`` the old and new rule
    version when the rates changed."""
    difference = due - previous
    basis = benefit_month.previous()
    words_da = {r: REASONS[r][1] for r in reasons}
    words_en = {r: REASONS[r][0] for r in reasons}
    if event_cause_da and "events_registered" in words_da:
        words_da["events_registered"] = event_cause_da
        words_en["events_registered"] = f"events registered ({event_cause_da})"
    if versions and "rates_changed" in words_da:
        words_da["rates_changed"] = f"satser ændret (regelversion {versions[0]} → {versions[1]})"
        words_en["rates_changed"] = f"rates changed (rule version {versions[0]} → {versions[1]})"
    why_da = ", ".join(words_da.values())
    why_en = ", ".join(words_en.values())
    reports = f" ({', '.join(caused_by)})" if caused_by else ""
    da = (f"Tilskuddet for {month_name(benefit_month)} er genberegnet på lønnen for {month_name(basis)}: "
          f"{why_da}{reports}.")
    en = f"The subsidy of {benefit_month} is recomputed on the wage of {basis}: {why_en}{reports}."
    if previous_ceiling != ceiling:
        da += f" Lønloftet er nu {kr(ceiling)} (før {kr(previous_ceiling)})."
        en += f" The ceiling is now {amount_str(ceiling)} (was {amount_str(previous_ceiling)})."
    da += f" Hidtil {kr(previous)}, nu {kr(due)}: {kr(difference, sign=True)}"
    en += f" So far {amount_str(previous)}, now {amount_str(due)}: {amount_str(difference)}."
    if difference > 0:
        da += " Efterbetales i næste udbetaling."
        en += " To be paid in the next payment run (efterbetaling)."
    elif regulation:
        da += " Regulering: trækkes i de næste udbetalinger."
        en += " Regulation: deducted from the next payments."
    else:
        da += (" Mulig tilbagebetaling: opkræves ikke automatisk; kræver sagsbehandlerens afgørelse efter "
               "partshøring (PM 6-23).")
        en += " Possible repayment: never collected automatically; needs a caseworker's decision after a hearing."
    return da, en


def correction_dict(c: Correction, decision: Decision | None = None) -> dict[str, Any]:
    return {
        "id": c.id, "case_id": c.case_id, "benefit_month": str(c.benefit_month), "sequence": c.sequence,
        "previous_subsidy": amount_str(c.previous_subsidy), "due_subsidy": amount_str(c.due_subsidy),
        "difference": amount_str(c.difference),
        "previous_payout": amount_str(c.previous_payout), "due_payout": amount_str(c.due_payout),
        "basis_wage": amount_str(c.basis_wage), "ceiling": amount_str(c.ceiling),
        "caused_by": list(c.caused_by), "reasons": [str(r) for r in c.reasons],
        "reason_text": ", ".join(REASONS[r][0] for r in c.reasons),
        # the words for the same figures: paid so far, now due, the reason in words
        "month": str(c.benefit_month), "paid": amount_str(c.previous_subsidy), "now_due": amount_str(c.due_subsidy),
        "reason": ", ".join(REASONS[r][0] for r in c.reasons),
        "reason_text_da": ", ".join(c.event_cause if r == Cause.EVENTS_REGISTERED and c.event_cause else REASONS[r][1]
                                    for r in c.reasons),
        "event_cause_da": c.event_cause,
        "explanation_da": c.explanation_da, "explanation_en": c.explanation_en,
        "legal_basis": c.legal_basis, "earliest_affected_month": str(c.earliest_affected_month),
        "status": str(c.status), "track": str(track_of(c)), "track_text": TRACK_WORDS[track_of(c)][0],
        "track_text_da": TRACK_WORDS[track_of(c)][1],
        "rule_version": c.rule_version, "as_of": c.as_of.isoformat(),
        "previous_rule_version": c.previous_rule_version, "event_registration": c.event_registration,
        "decision": None if decision is None else decision_dict(decision),
    }


KNOWLEDGE: dict[str, tuple[str, str]] = {
    "knew": ("knew that the amount was too large", "vidste, at beløbet var for stort"),
    "should_have_known": ("should have known that the amount was too large", "burde vide, at beløbet var for stort"),
    "did_not_know": ("neither knew nor should have known", "hverken vidste eller burde vide, at beløbet var for stort"),
}
"""The caseworker's assessment of "knew or should have known" (Ankestyrelsen PM 6-23), in English and Danish."""


def decision_dict(d: Decision) -> dict[str, Any]:
    return {"outcome": str(d.outcome), "reason": d.reason, "decided_by": d.decided_by,
            "decided_at": d.decided_at.isoformat(), "knowledge": d.knowledge, "reply_summary": d.reply_summary,
            "reply_weighing": d.reply_weighing, "internal_note": d.internal_note}


def record_decision(session: Session, correction_id: int, outcome: str, reason: str, decided_by: str, *,
                    knowledge: str | None = None, decided_at: dt.datetime | None = None,
                    reply_summary: str | None = None, reply_weighing: str | None = None,
                    internal_note: str | None = None) -> Decision:
    """Record the caseworker's decision on a possible repayment: ``collect`` or ``waive``.

    Only a negative correction takes a decision, and only one; the reason and who decided are
    required (the hearing and the assessment of good faith are the caseworker's, PM 6-23).
    ``knowledge`` is that assessment (``KNOWLEDGE``: knew, should_have_known, did_not_know); it may be
    left out as before, but a repayment cannot be collected from someone who did not know and should
    not have known (PM 6-23). ``decided_at`` defaults to now.

    ``collect`` is refused (``InputError`` naming ``hearing``, code ``hearing_missing``; nothing stored)
    unless a hearing is on file and its reply date has passed or a reply is recorded, or an exception
    with its legal ground is recorded (``hearings.missing_for_collect``); with a reply recorded, a
    ``collect`` needs ``reply_summary`` (what the person replied, for the letter) and ``reply_weighing``
    (how it was weighed). ``internal_note`` stays in the case file and never reaches a letter.
    """
    correction = _decidable(session, correction_id)
    outcome, knowledge = _checked_decision(outcome, reason, decided_by, knowledge)
    if session.scalar(select(Decision).where(Decision.correction_id == correction_id)) is not None:
        raise ConflictError("correction", f"the correction {correction_id} has a decision already",
                         f"efterreguleringen {correction_id} har allerede en afgørelse", code="decided")
    from flexcalc.security.redact import redact

    stamp = decided_at or dt.datetime.now(dt.UTC)
    day = _decision_day(correction, stamp)
    summary, weighing, note = (redact(t.strip()) or None if t else None
                               for t in (reply_summary, reply_weighing, internal_note))
    for name, text in (("reply_summary", summary), ("reply_weighing", weighing), ("internal_note", note)):
        if text is not None and len(text) > 2000:
            raise InputError(name, "must be at most 2000 characters", "må højst være 2000 tegn", code="too_long")
    if outcome == "collect":
        _check_hearing_for_collect(session, correction, day, summary, weighing)
    decision = Decision(correction_id=correction_id, outcome=outcome, reason=reason.strip(),
                        decided_by=decided_by.strip()[:64], decided_at=stamp, knowledge=knowledge,
                        reply_summary=summary, reply_weighing=weighing, internal_note=note)
    session.add(decision)
    session.flush()
    if outcome == "collect":  # the claim to collect (LAB § 125; BEK 585/2023)
        from .claims import create_claim

        create_claim(session, decision, dt.datetime.now(dt.UTC))
    return decision


def _decision_day(correction: Correction, stamp: dt.datetime) -> dt.date:
    """The decision's day in Danish time; a decision dated before its correction was made is refused."""
    from .reports import LOCAL_ZONE

    day = stamp.astimezone(LOCAL_ZONE).date()
    made = correction.as_of.astimezone(LOCAL_ZONE).date()
    if day < made:
        raise InputError("decided_at", f"the decision's date {day} is before the correction was made ({made})",
                         f"afgørelsens dato {day} ligger før efterreguleringen blev foretaget ({made})",
                         code="decision_before_correction")
    return day


def _decidable(session: Session, correction_id: int) -> Correction:
    """The correction, if it takes a repayment decision: a possible repayment on that track (not a regulation)."""
    correction = session.get(Correction, correction_id)
    if correction is None:
        raise NotFoundError("correction", f"there is no correction {correction_id}",
                         f"der er ingen efterregulering {correction_id}", code="unknown_correction")
    if correction.status != STATUS_REVIEW:
        raise InputError("correction", "only a possible repayment (a negative correction) takes a decision",
                         "kun en mulig tilbagebetaling (en negativ efterregulering) kræver afgørelse",
                         code="not_repayment")
    if not is_repayment_review(correction):
        raise InputError("correction", "a regulation is settled against the next payments: it takes no repayment "
                         "decision (BEK 227/2024 § 10, stk. 2; PM 48-22)",
                         "en regulering modregnes i de næste udbetalinger og kræver ingen afgørelse om "
                         "tilbagebetaling (BEK 227/2024 § 10, stk. 2; PM 48-22)", code="regulation")
    return correction


def _checked_decision(outcome: str, reason: str, decided_by: str,
                      knowledge: str | None) -> tuple[str, str | None]:
    """The outcome and the knowledge assessment, normalised; a missing reason or decider, an unknown value
    or collecting from someone in good faith is refused naming the field."""
    outcome = (outcome or "").strip().lower()
    if outcome not in ("collect", "waive"):
        raise InputError("outcome", "must be collect or waive", "skal være collect (opkræv) eller waive (frafald)",
                         code="outcome")
    if not (reason or "").strip():
        raise InputError("reason", "a decision needs its reason", "en afgørelse skal begrundes", code="missing")
    if not (decided_by or "").strip():
        raise InputError("by", "say who decided", "angiv hvem der har truffet afgørelsen", code="missing")
    if knowledge is not None:
        knowledge = knowledge.strip().lower()
        if knowledge not in KNOWLEDGE:
            raise InputError("knowledge", "must be knew, should_have_known or did_not_know",
                             "skal være knew (vidste), should_have_known (burde vide) eller did_not_know "
                             "(hverken vidste eller burde vide)", code="knowledge")
        if outcome == "collect" and knowledge == "did_not_know":
            raise InputError("knowledge", "a repayment is collected only from someone who knew or should have "
                             "known that the amount was too large (PM 6-23)",
                             "der kan kun kræves tilbagebetaling, når modtageren vidste eller burde vide, at "
                             "beløbet var for stort (PM 6-23)", code="collect_in_good_faith")
    return outcome, knowledge


def _check_hearing_for_collect(session: Session, correction: Correction, day: dt.date, summary: str | None,
                               weighing: str | None) -> None:
    """A repayment is collected only after a hearing (or a recorded exception); with a reply on file, the
    decision states the reply and how it was weighed."""
    from .hearings import missing_for_collect, state_at_decision

    missing = missing_for_collect(session, correction.id, day)
    if missing:
        field, en, da = missing[0]
        raise ConflictError(field, f"a repayment is collected only after a hearing: {en}",
                         f"der kan kun kræves tilbagebetaling efter partshøring: {da}", code="hearing_missing")
    if state_at_decision(session, correction.id, day).status == "replied":
        for name, text, da in (("reply_summary", summary, "skriv kort, hvad borgeren svarede (til brevet)"),
                               ("reply_weighing", weighing, "skriv, hvordan svaret er vurderet (til brevet)")):
            if text is None:
                raise InputError(name, "the person replied: the decision letter states the reply and how it "
                                 "was weighed", da, code="missing")
