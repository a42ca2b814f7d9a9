"""What the letters about a possible repayment state, read from the case file: the corrections, what
happened to the wage reports behind them (in plain words), and the amounts month by month.

Nothing here computes a rule: the amounts are the corrections' own (``flexcalc.ledger.reconcile`` computed
them through the month pipeline); this module only reads them and puts them into Danish sentences.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from flexcalc.ledger.read import letters as ledger
from flexcalc.ledger.read.letters import CorrectionRow, DecisionRow, PaymentRow, ReportRow
from flexcalc.ledger.reports import LOCAL_ZONE
from flexcalc.ledger.types import Cause, CorrectionStatus, ReportKind
from flexcalc.money import ZERO, amount_str
from flexcalc.text_da.format import date_da, kr, month_name

from .document import Table, tidy
from .errors import letter_error

MAX_CORRECTIONS = 24
"""A hearing letter may cover several months of one case (e.g. a ceiling changed back in time); at most this many."""

STATUS_DA = {CorrectionStatus.PAYABLE: "en efterbetaling",
             CorrectionStatus.REPAYMENT_REVIEW: "en mulig tilbagebetaling"}
OUTCOME_DA = {"collect": "opkræves", "waive": "frafaldet"}


def local_date(instant: dt.datetime) -> dt.date:
    """The Danish calendar date of an instant."""
    return instant.astimezone(LOCAL_ZONE).date()


def today() -> dt.date:
    """Today's date in Denmark: a letter's date when none is given."""
    return local_date(dt.datetime.now(dt.UTC))


def load_corrections(session: Session, ids: Sequence[int], field: str = "correction") -> list[CorrectionRow]:
    """The corrections ``ids`` of one case, by month; an unknown id, an id named twice or corrections of
    two cases are refused naming ``field``."""
    if not ids:
        raise letter_error(field, "missing")
    if len(ids) > MAX_CORRECTIONS:
        raise letter_error(field, "too_many", limit=MAX_CORRECTIONS)
    found: list[CorrectionRow] = []
    for correction_id in ids:
        if sum(1 for other in ids if other == correction_id) > 1:
            raise letter_error(field, "duplicate", id=correction_id)
        correction = ledger.correction(session, correction_id)
        if correction is None:
            raise letter_error(field, "unknown_correction", id=correction_id)
        if found and correction.case_id != found[0].case_id:
            raise letter_error(field, "other_case", id=correction_id, other=correction.case_id,
                               case=found[0].case_id)
        found.append(correction)
    return sorted(found, key=lambda c: (c.benefit_month, c.sequence))


def decision_of(session: Session, correction_id: int) -> DecisionRow | None:
    return ledger.decision_of(session, correction_id)


def require_possible_repayment(correction: CorrectionRow, field: str = "correction") -> None:
    if correction.status != CorrectionStatus.REPAYMENT_REVIEW or correction.track == "regulation":
        raise letter_error(field, "not_repayment", id=correction.id, status=str(correction.status),
                           status_da=STATUS_DA.get(correction.status, str(correction.status)))


def check_not_before(letter_date: dt.date, corrections: Sequence[CorrectionRow], field: str = "date") -> None:
    """A letter about a correction is dated on or after the day the correction was recorded (its as-of
    instant: the reconciliation that found it)."""
    for correction in corrections:
        known = local_date(correction.as_of)
        if letter_date < known:
            raise letter_error(field, "before_correction", date=letter_date.isoformat(), date_da=date_da(letter_date),
                               id=correction.id, known=known.isoformat(), known_da=date_da(known))


@dataclass(frozen=True, slots=True)
class CorrectionFacts:
    """One correction as the letters state it."""

    correction: CorrectionRow
    happened: tuple[str, ...]
    """What happened, in plain Danish sentences (the reports that changed, the ceiling, the events)."""

    @property
    def month(self) -> str:
        return month_name(self.correction.benefit_month)

    @property
    def too_much(self) -> Decimal:
        """The amount received too much (a positive number for a possible repayment)."""
        return -self.correction.difference

    def to_dict(self) -> dict[str, object]:
        c = self.correction
        return {"correction_id": c.id, "benefit_month": str(c.benefit_month),
                "basis_month": str(c.benefit_month.previous()),
                "paid": amount_str(c.previous_subsidy), "due": amount_str(c.due_subsidy),
                "too_much": amount_str(-c.difference), "happened": list(self.happened)}


def correction_facts(session: Session, corrections: Sequence[CorrectionRow]) -> list[CorrectionFacts]:
    if not corrections:
        return []
    case_id = corrections[0].case_id
    reports = ledger.case_reports(session, case_id)
    employments = ledger.case_employers(session, case_id)
    employers = {employer for employer, _ in reports} | employments
    return [CorrectionFacts(c, tuple(what_happened(session, c, reports, employments, len(employers) > 1)))
            for c in corrections]


def _who(report: ReportRow, employments: set[str], several: bool) -> str:
    if report.employer_id not in employments and employments:
        return f"En anden arbejdsgiver (CVR {report.employer_id})"
    return f"Din arbejdsgiver (CVR {report.employer_id})" if several else "Din arbejdsgiver"


def _total(report: ReportRow) -> Decimal:
    return report.wage + report.pension_own + report.pension_employer


def _month_of(report: ReportRow) -> str:
    from flexcalc.rules.timing import basis_month_of_payment

    return month_name(basis_month_of_payment(report.payment_date))


def _report_sentence(who: str, report: ReportRow, previous: ReportRow | None, re_report: bool,
                     benefit: str) -> str:
    """What one wage report behind the correction did: corrected, moved, reversed, sent again or sent late."""
    if report.kind == ReportKind.CORRECTION and previous is not None:
        if _month_of(previous) == _month_of(report):
            return (f"{who} har rettet lønnen for {_month_of(report)} fra {kr(_total(previous))} "
                    f"til {kr(_total(report))}.")
        return (f"{who} har flyttet lønnen på {kr(_total(previous))} fra {_month_of(previous)} "
                f"til {_month_of(report)}. Nu er den {kr(_total(report))}.")
    if report.kind == ReportKind.REVERSAL and previous is not None:
        return f"{who} har trukket lønnen for {_month_of(previous)} tilbage. Den var på {kr(_total(previous))}."
    if re_report:
        return f"{who} har sendt lønnen for {_month_of(report)} igen. Nu er den {kr(_total(report))}."
    return (f"{who} har sendt lønnen for {_month_of(report)} sent. Den er på {kr(_total(report))}. "
            f"Vi havde allerede udbetalt dit tilskud for {benefit}.")


def what_happened(session: Session, correction: CorrectionRow, reports: dict[tuple[str, str], ReportRow],
                  employments: set[str], several: bool) -> list[str]:
    """The correction's causes in plain words: "Din arbejdsgiver har rettet lønnen for februar 2024 fra
    15.600,00 kr. til 17.000,00 kr." (the reports), the ceiling, the events, the rates."""
    sentences: list[str] = []
    reasons = set(correction.reasons)
    benefit = month_name(correction.benefit_month)
    caused = sorted((r for key, r in reports.items() if key[1] in set(correction.caused_by)),
                    key=lambda r: (r.received_at, r.report_id))
    pension = False
    for report in caused:
        previous = reports.get((report.employer_id, report.corrects)) if report.corrects else None
        pension |= bool(report.pension_own or report.pension_employer)
        sentences.append(_report_sentence(_who(report, employments, several), report, previous,
                                          Cause.RE_REPORT in reasons, benefit))
    if pension:
        sentences.append("Lønnen er med pension.")
    if Cause.CEILING_CHANGE in reasons:
        before = _previous_ceiling(session, correction)
        if before is not None and before != correction.ceiling:
            sentences.append(f"Dit lønloft er ændret fra {kr(before)} til {kr(correction.ceiling)}.")
        else:
            sentences.append(f"Dit lønloft er ændret. Nu er det {kr(correction.ceiling)}.")
    if Cause.EVENTS_REGISTERED in reasons:
        what = correction.event_cause or "hændelser registreret"
        sentences.append(f"Vi har fået nye oplysninger om måneden: {what}.")
    if Cause.RATES_CHANGED in reasons:
        sentences.append(f"Satserne for fleksløntilskud for {benefit} er ændret.")
    if Cause.PROVISIONAL_SETTLED in reasons:
        payment = _payment(session, correction)
        basis = f" ud fra {payment.documentation}" if payment is not None and payment.documentation else ""
        sentences.append(f"Du fik et foreløbigt tilskud for {benefit}{basis}. Nu kender vi den rigtige løn.")
    if not sentences or reasons == {Cause.RECALCULATION}:
        sentences.append("Vi har regnet tilskuddet ud igen.")
    sentences.append(f"Derfor har vi regnet dit tilskud for {benefit} ud igen. Det bygger på din løn i "
                     f"{month_name(correction.benefit_month.previous())}.")
    return [tidy(sentence) for sentence in sentences]


def _payment(session: Session, correction: CorrectionRow) -> PaymentRow | None:
    return ledger.payment_of(session, correction.case_id, correction.benefit_month)


def _previous_ceiling(session: Session, correction: CorrectionRow) -> Decimal | None:
    earlier = ledger.earlier_correction(session, correction)
    if earlier is not None:
        return earlier.ceiling
    payment = _payment(session, correction)
    return None if payment is None else payment.ceiling


def amounts_table(facts: Sequence[CorrectionFacts]) -> Table:
    """Month by month: received, should have received, received too much; the total at the foot."""
    rows = tuple((f.month, kr(f.correction.previous_subsidy), kr(f.correction.due_subsidy), kr(f.too_much))
                 for f in facts)
    total = sum((f.too_much for f in facts), ZERO)
    return Table(("Måned", "Du har fået", "Du skulle have haft", "For meget"), rows, ("I alt", "", "", kr(total)))


def total_too_much(facts: Sequence[CorrectionFacts]) -> Decimal:
    return sum((f.too_much for f in facts), ZERO)


def months_da(facts: Sequence[CorrectionFacts]) -> str:
    """"marts 2024", "marts og april 2024"-style list of the months (each named in full)."""
    names = [f.month for f in facts]
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " og " + names[-1]


def get_case_or_fail(session: Session, case_id: str, field: str = "case") -> str:
    """The case id of a stored case; an unknown case is refused naming ``field``."""
    if not ledger.case_exists(session, case_id):
        raise letter_error(field, "unknown_case", id=case_id)
    return case_id
