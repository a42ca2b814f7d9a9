"""The monthly specification for the citizen: this month's payment, what changed since last month with the
causes that add up (the core's month-to-month explanation, ``flexcalc.citizen.month_change``), the change in total
income (wage + subsidy), the corrections paid or pending, and where to ask.

The two months are the case's months as they were paid: each computed as known at its payment's instant
(``CaseFacts.month_due``), so the explanation is of the two payments themselves. Nothing is recomputed here
beyond that one pipeline.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy.orm import Session

from flexcalc.citizen.month_change import MonthChange, MonthSide, explain_month_change
from flexcalc.ledger.read import letters as ledger
from flexcalc.ledger.read.letters import CorrectionRow, DecisionRow, PaymentRow
from flexcalc.ledger.settlement import statement_of
from flexcalc.ledger.store import CaseFacts, load_facts
from flexcalc.ledger.tracks import Track, plain_cause_da, track_of
from flexcalc.ledger.types import CorrectionStatus, PaymentKind
from flexcalc.money import ZERO, amount_str
from flexcalc.period import Month
from flexcalc.text_da.format import date_da, kr, month_name

from . import provisions as p
from .deadline import check_channel, received_on
from .deadline import complaint_deadline as deadline_for
from .document import Bullets, Letter, Paragraph, Provision, Section, Table, contact_lines
from .errors import letter_error
from .facts import get_case_or_fail, local_date
from .profile import MunicipalityProfile, municipality


class LedgerMonths:
    """A stored case as ``flexcalc.citizen.month_change.CaseMonths``: the side of a paid month is its inputs as
    known when it was paid (a provisional payment with the documented wage it was paid on)."""

    def __init__(self, facts: CaseFacts, payments: dict[Month, PaymentRow]) -> None:
        self.facts = facts
        self.payments = payments

    def month_side(self, benefit_month: Month) -> MonthSide:
        side = self.paid_side(benefit_month)
        if side is None:
            raise LookupError(f"{benefit_month} cannot be explained as paid")
        return side

    def paid_side(self, benefit_month: Month) -> MonthSide | None:
        payment = self.payments.get(benefit_month)
        if payment is None:
            return None
        due = self.facts.month_due(benefit_month, payment.as_of)
        if payment.kind == PaymentKind.PROVISIONAL and due.missing_employers:
            due = self.facts.month_due(benefit_month, payment.as_of, payment.basis_wage - due.basis_wage)
        if due.inp is None or due.result is None or due.result.subsidy != payment.subsidy:
            return None  # e.g. paid under rates published later: the payment stands, no breakdown is claimed
        return MonthSide(due.inp)


def _sign_word(amount: Decimal) -> str:
    return "mere" if amount > 0 else "mindre"


def _correction_line(c: CorrectionRow, decision: DecisionRow | None) -> str:
    month = month_name(c.benefit_month)
    if c.status == CorrectionStatus.PAYABLE:
        return f"{month.capitalize()}: Du får {kr(c.difference)} ekstra, fordi tilskuddet er regnet ud igen."
    too_much = kr(-c.difference)
    if track_of(c) == Track.REGULATION:
        return (f"{month.capitalize()}: Du fik {too_much} for meget, {plain_cause_da(c.reasons)}. Det er en "
                "regulering. Vi trækker beløbet fra dine næste udbetalinger. Du skal ikke selv betale.")
    if decision is None:
        return (f"{month.capitalize()}: Du har måske fået {too_much} for meget. Vi har ikke truffet en afgørelse. "
                "Du skal ikke betale noget nu.")
    if str(decision.outcome) == "collect":
        return (f"{month.capitalize()}: Du skal betale {too_much} tilbage. Det står i vores afgørelse fra den "
                f"{date_da(local_date(decision.decided_at))}.")
    return f"{month.capitalize()}: Du fik {too_much} for meget. Du skal ikke betale det tilbage."


def wage_now(session: Session, case_id: str, month: Month, payment: PaymentRow, letter_date: dt.date) -> Decimal:
    """The wage the month is computed on now: the latest correction of the month known on the letter's date
    (a correction is the month computed again on the corrected wage), else the wage it was paid on."""
    latest = None
    for correction in ledger.month_corrections(session, case_id, month):
        if local_date(correction.as_of) <= letter_date:
            latest = correction
    return payment.basis_wage if latest is None else latest.basis_wage


def _paid_month(session: Session, case_id: str, month: Month,
                letter_date: dt.date) -> tuple[dict[Month, PaymentRow], PaymentRow]:
    """The case's payments and the one of ``month``; a month held or not paid, or a letter dated before
    the payment, is refused naming the field."""
    payments = ledger.case_payments(session, case_id)
    payment = payments.get(month)
    if payment is None:
        key = "held" if ledger.is_held(session, case_id, month) else "not_paid"
        raise letter_error("month", key, case=case_id, month=str(month), month_da=month_name(month))
    paid_on = local_date(payment.as_of)
    if letter_date < paid_on:
        raise letter_error("date", "before_payment", date=letter_date.isoformat(), date_da=date_da(letter_date),
                           month=str(month), month_da=month_name(month), known=paid_on.isoformat(),
                           known_da=date_da(paid_on))
    return payments, payment


def _about_payment(month: Month, payment: PaymentRow, wage: Decimal) -> list[Paragraph]:
    """What the payment builds on: the wage (as now known), the ceiling, a provisional or zero payment."""
    about = [Paragraph(f"Tilskuddet bygger på din løn i {month_name(month.previous())}. Den er {kr(wage)} med "
                       f"pension. Dit lønloft er {kr(payment.ceiling)}.")]
    if wage != payment.basis_wage:
        about.append(Paragraph(f"Da vi betalte tilskuddet ud, regnede vi med en løn på {kr(payment.basis_wage)}. "
                               "Lønnen er rettet bagefter. Derfor har vi regnet tilskuddet ud igen. Se under "
                               "»Efterreguleringer«."))
    if payment.kind == PaymentKind.PROVISIONAL:
        about.append(Paragraph(f"Udbetalingen er foreløbig. Den bygger på {payment.documentation or 'din lønseddel'}. "
                               "Når din arbejdsgiver har sendt lønnen, regner vi tilskuddet ud igen."))
    if payment.subsidy == 0 and payment.reason is not None:
        about.append(Paragraph("Du fik ingen løn fra dit fleksjob i måneden før. Uden løn er der intet tilskud."))
    return about


def _settled_lines(settled: list[dict[str, str]]) -> tuple[tuple[tuple[str, str], ...], list[Paragraph]]:
    """The settlement's lines in the payment: a row and a sentence each (additional payment, regulation,
    repayment set off)."""
    rows: tuple[tuple[str, str], ...] = ()
    about: list[Paragraph] = []
    for line in settled:
        concerns = month_name(Month.parse(line["concerns_month"]))
        amount = Decimal(line["amount"])
        if line["kind"] == "efterbetaling":
            rows += ((f"Efterbetaling for {concerns}", kr(amount)),)
            about.append(Paragraph(f"Du får {kr(amount)} ekstra for {concerns}, fordi vi har regnet tilskuddet "
                                   "ud igen."))
        elif line["kind"] == "regulation":
            rows += ((f"Regulering for {concerns}", kr(-amount)),)
            about.append(Paragraph(f"Vi har trukket {kr(amount)} for {concerns}, "
                                   f"{plain_cause_da(line['cause'].split())}. Det er en regulering."))
        else:
            rows += (("Tilbagebetaling trukket i tilskuddet", kr(-amount)),)
            about.append(Paragraph(f"Vi har trukket {kr(amount)} for det, du skal betale tilbage for {concerns}."))
    return rows, about


def _payment_section(session: Session, case_id: str, month: Month, payment: PaymentRow,
                     wage: Decimal) -> tuple[Section, list[dict[str, str]], Decimal]:
    """"Din udbetaling": the month's amounts with the settlement's lines; also the lines and the net payout."""
    statement = statement_of(session, case_id, month)
    settled = statement.lines if statement is not None else []
    rows, settled_about = _settled_lines(settled)
    payment_rows = (("Fleksløntilskud", kr(payment.subsidy)), ("Dit eget ATP-bidrag", kr(-payment.atp_own)), *rows)
    net = statement.net if statement is not None else payment.payout
    section = Section(f"Din udbetaling for {month_name(month)}", (
        Table(("", "Beløb"), payment_rows, ("Udbetaling før skat", kr(net))),
        *_about_payment(month, payment, wage), *settled_about))
    return section, settled, net


def _change_section(months: LedgerMonths, payments: dict[Month, PaymentRow],
                    month: Month) -> tuple[Section, MonthChange | None]:
    """"Hvad er ændret": the causes that add up to the change since last month (when both months can be
    explained as paid), else the difference in payout."""
    previous = month.previous()
    change: MonthChange | None = None
    previous_payment, payment = payments.get(previous), payments[month]
    first_side, second_side = months.paid_side(previous), months.paid_side(month)
    blocks: list[Paragraph | Bullets | Table] = []
    if previous_payment is None:
        blocks.append(Paragraph(f"Du fik ikke udbetalt tilskud for {month_name(previous)}. Derfor er der "
                                "ikke noget at sammenligne med."))
    elif first_side is not None and second_side is not None:
        change = explain_month_change(first_side, second_side)
        blocks.append(Paragraph(change.summary_da()))
        if change.causes:
            blocks.append(Bullets(tuple(cause.text_da for cause in change.causes)))
            blocks.append(Table(("Årsag", "Beløb"), tuple((cause.title_da, kr(cause.amount, sign=True))
                                                         for cause in change.causes),
                                ("I alt", kr(change.difference, sign=True))))
        blocks.extend(Paragraph(note) for note in change.notes_da)
    else:
        difference = payment.payout - previous_payment.payout
        blocks.append(Paragraph(f"Du får {kr(abs(difference))} {_sign_word(difference)} udbetalt for "
                                f"{month_name(month)} end for {month_name(previous)}."
                                if difference else f"Du får det samme udbetalt som for {month_name(previous)}."))
    return Section(f"Hvad er ændret siden {month_name(previous)}?", tuple(blocks)), change


def _income_section(month: Month, payment: PaymentRow, previous_payment: PaymentRow | None) -> Section:
    """"Din samlede indkomst": wage and subsidy this month and last."""
    name, previous = month_name(month), month_name(month.previous())
    total_now = payment.basis_wage + payment.subsidy
    income: list[Paragraph | Table] = []
    if previous_payment is not None:
        total_before = previous_payment.basis_wage + previous_payment.subsidy
        step = total_now - total_before
        income.append(Table(("", previous, name), (
            ("Løn med pension (måneden før)", kr(previous_payment.basis_wage), kr(payment.basis_wage)),
            ("Fleksløntilskud", kr(previous_payment.subsidy), kr(payment.subsidy))),
            ("I alt før skat", kr(total_before), kr(total_now))))
        income.append(Paragraph(
            f"Løn og tilskud er i alt {kr(total_now)} for {name}. Det er {kr(abs(step))} {_sign_word(step)} end for "
            f"{previous}." if step else
            f"Løn og tilskud er i alt {kr(total_now)} for {name}. Det er det samme som for {previous}."))
    else:
        income.append(Paragraph(f"Løn og tilskud er i alt {kr(total_now)} for {name} før skat."))
    income.append(Paragraph("Lønnen er fra måneden før, fordi tilskuddet udbetales bagud."))
    return Section("Din samlede indkomst", tuple(income))


def _shown_corrections(session: Session, case_id: str, letter_date: dt.date, previous_payment: PaymentRow | None,
                       ) -> tuple[list[CorrectionRow], dict[int, DecisionRow]]:
    """The corrections the letter lists (known on its date: since last month's payment, or still pending)
    and the case's decisions by correction id."""
    since = previous_payment.as_of if previous_payment is not None else None
    decided = ledger.case_decisions(session, case_id)
    shown = []
    for c in ledger.case_corrections(session, case_id):
        if local_date(c.as_of) > letter_date:
            continue
        pending = c.status == CorrectionStatus.REPAYMENT_REVIEW and c.track != "regulation" and c.id not in decided
        if pending or since is None or c.as_of > since:
            shown.append(c)
    return shown, decided


def _corrections_section(shown: list[CorrectionRow], decided: dict[int, DecisionRow]) -> Section:
    if shown:
        corrections: tuple[Paragraph | Bullets, ...] = (
            Paragraph("Vi har regnet tilskuddet ud igen for disse måneder:"),
            Bullets(tuple(_correction_line(c, decided.get(c.id)) for c in shown)))
    else:
        corrections = (Paragraph("Vi har ikke regnet tilskuddet ud igen for nogen måneder."),)
    return Section("Efterreguleringer", corrections)


def _guidance(letter_date: dt.date, channel: str, profile: MunicipalityProfile, shown: list[CorrectionRow],
              decided: dict[int, DecisionRow]) -> tuple[list[Paragraph], dt.date | None]:
    """Complaint guidance where the amount changed because of a correction, and its deadline.

    An additional payment is a new calculation the person may complain about (with this letter's deadline); a
    decided possible repayment has its own guidance and deadline in the decision letter, which is referred to.
    A pending one has none."""
    recalculated = [c for c in shown if c.status == CorrectionStatus.PAYABLE]
    decided_here = [c for c in shown if c.id in decided]
    deadline = None
    guidance: list[Paragraph] = []
    if recalculated:
        from .decision import complaint_paragraphs

        deadline = deadline_for(letter_date, channel)
        guidance.extend(complaint_paragraphs(letter_date, channel, profile, "den nye beregning af dit tilskud"))
    if decided_here:
        months_decided = " og ".join(month_name(c.benefit_month) for c in decided_here)
        guidance.append(Paragraph(f"Du kan også klage over vores afgørelse om {months_decided}. Fristen står i "
                                  "brevet med afgørelsen." if recalculated else
                                  f"Du kan klage over vores afgørelse om {months_decided}. Fristen og hvordan du "
                                  "klager står i brevet med afgørelsen."))
    return guidance, deadline


def _cause_provisions(change: MonthChange | None) -> list[Provision]:
    """The provisions of the change's causes, each once (LAB § 123 is in every letter already)."""
    extra: list[Provision] = []
    if change is not None:
        seen = {p.LAB_123.reference}
        for cause in change.causes:
            if cause.provision not in seen:
                seen.add(cause.provision)
                extra.append(Provision(cause.provision, cause.title_da))
    return extra


def specification_letter(session: Session, case_id: str, month: Month, letter_date: dt.date,
                         channel: str = "digital_post") -> Letter:
    """The monthly specification of a paid benefit month of a case."""
    profile = municipality()
    channel = check_channel(channel)
    get_case_or_fail(session, case_id)
    payments, payment = _paid_month(session, case_id, month, letter_date)
    name, previous = month_name(month), month.previous()
    previous_payment = payments.get(previous)
    wage = wage_now(session, case_id, month, payment, letter_date)
    paid, settled, net = _payment_section(session, case_id, month, payment, wage)
    changed, change = _change_section(LedgerMonths(load_facts(session, case_id), payments), payments, month)
    shown, decided = _shown_corrections(session, case_id, letter_date, previous_payment)
    guidance, deadline = _guidance(letter_date, channel, profile, shown, decided)
    sections = [paid, changed, _income_section(month, payment, previous_payment),
                _corrections_section(shown, decided)]
    if guidance:
        sections.append(Section("Klagevejledning", tuple(guidance)))
    total_now = payment.basis_wage + payment.subsidy
    return Letter(
        kind="specification", case_id=case_id, letter_date=letter_date,
        title=f"Dit fleksløntilskud for {name}",
        opening=(f"Her kan du se, hvad du får udbetalt for {name}. Du kan også se, hvad der er ændret siden "
                 f"{month_name(previous)}.",),
        sections=tuple(sections), provisions=(p.LAB_123, p.ATP_OWN, *_cause_provisions(change), p.PM_48_22),
        closing=contact_lines(letter_date, case_id, profile),
        benefit_month=month, municipality=profile, channel=channel, complaint_deadline=deadline,
        correction_ids=tuple(c.id for c in shown),
        facts={"benefit_month": str(month), "subsidy": amount_str(payment.subsidy),
               "atp_own": amount_str(payment.atp_own), "payout": amount_str(payment.payout),
               "net_payout": amount_str(net), "settlement": settled,
               "basis_wage": amount_str(payment.basis_wage), "total_income": amount_str(total_now),
               "wage_now": amount_str(wage), "channel": channel,
               "complaint_deadline": None if deadline is None else deadline.isoformat(),
               "received_on": received_on(letter_date, channel).isoformat(),
               "previous_payout": None if previous_payment is None else amount_str(previous_payment.payout),
               "difference": None if change is None else amount_str(change.difference),
               "causes": [] if change is None else [c.to_dict() for c in change.causes],
               "corrections": [c.id for c in shown], "letter_date": letter_date.isoformat(),
               "total_before": None if previous_payment is None else amount_str(
                   previous_payment.basis_wage + previous_payment.subsidy)},
    )


__all__ = ["ZERO", "LedgerMonths", "specification_letter"]
