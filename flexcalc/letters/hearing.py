"""The hearing letter (partshøring, forvaltningsloven § 19) for a possible repayment: what happened, the
amount for each month, that no decision has been made, what the person can send, and the reply date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy.orm import Session

from flexcalc.ledger.hearings import REPLY_DAYS  # the hearing record's default, one place
from flexcalc.text_da.format import date_da, kr

from . import provisions as p
from .deadline import check_channel, received_on
from .document import Bullets, Letter, Paragraph, Section, contact_lines
from .errors import letter_error
from .facts import (
    CorrectionFacts,
    amounts_table,
    check_not_before,
    correction_facts,
    decision_of,
    load_corrections,
    months_da,
    require_possible_repayment,
    total_too_much,
)
from .profile import MunicipalityProfile, municipality

MAX_REPLY_DAYS = 92


def reply_date(letter_date: dt.date, reply_by: dt.date | None = None, field: str = "reply_by",
               channel: str = "digital_post") -> dt.date:
    """The reply date: ``reply_by`` if given (after the letter's date, at most 92 days on), else 14 days after
    the person receives the letter (the same day by Digital Post; a paper letter's delivery days first, so the
    person has the same 14 days either way)."""
    if reply_by is None:
        return received_on(letter_date, channel) + dt.timedelta(days=REPLY_DAYS)
    if reply_by <= letter_date:
        raise letter_error(field, "reply_not_after", reply_by=reply_by.isoformat(), reply_by_da=date_da(reply_by),
                           date=letter_date.isoformat(), date_da=date_da(letter_date))
    if (reply_by - letter_date).days > MAX_REPLY_DAYS:
        raise letter_error(field, "reply_too_far", reply_by=reply_by.isoformat(), reply_by_da=date_da(reply_by),
                           days=MAX_REPLY_DAYS)
    return reply_by


def _sections(facts: list[CorrectionFacts], total: Decimal, reply: dt.date,
              profile: MunicipalityProfile) -> tuple[Section, ...]:
    """What happened, the amounts, that nothing is decided, what the person can send, and by when."""
    happened: list[Paragraph] = [Paragraph(" ".join(f.happened)) for f in facts]
    if len(facts) > 1:
        happened = [Paragraph(f"{f.month.capitalize()}: {' '.join(f.happened)}") for f in facts]
    return (
        Section("Hvad er der sket?", tuple(happened)),
        Section("Hvor meget drejer det sig om?", (
            amounts_table(facts),
            Paragraph(f"Du har måske fået {kr(total)} for meget. Beløbene er før skat."),
        )),
        Section("Vi har ikke truffet en afgørelse", (
            Paragraph("Vi har ikke besluttet noget endnu. Du skal ikke betale noget nu."),
            Paragraph("Du skal kun betale pengene tilbage, hvis du vidste eller burde vide, at du fik for meget. "
                      "Det vurderer vi, når vi har dit svar."),
        )),
        Section("Hvad kan du sende os?", (
            Paragraph("Du kan skrive til os, hvad du mener om sagen. Du kan fx fortælle os:"),
            Bullets(("om du vidste, at du fik for meget",
                     "om der er noget i sagen, som er forkert",
                     "om der er andet, vi skal vide")),
            Paragraph("Du kan også sende papirer, fx lønsedler eller breve fra din arbejdsgiver."),
        )),
        Section("Hvornår skal vi have dit svar?", (
            Paragraph(f"Vi skal have dit svar senest den {date_da(reply)}."),
            Paragraph(f"Du kan skrive til os eller ringe på {profile.phone}. Hører vi ikke fra dig, træffer vi "
                      "en afgørelse ud fra det, vi ved nu."),
        )),
    )


def hearing_letter(session: Session, correction_ids: Sequence[int], letter_date: dt.date,
                   reply_by: dt.date | None = None, channel: str = "digital_post") -> Letter:
    """The hearing letter for one or more possible repayments of one case (not decided yet)."""
    profile = municipality()
    channel = check_channel(channel)
    corrections = load_corrections(session, correction_ids)
    for correction in corrections:
        require_possible_repayment(correction)
        decision = decision_of(session, correction.id)
        if decision is not None:
            raise letter_error("correction", "decided", id=correction.id, outcome=str(decision.outcome),
                               outcome_da={"collect": "opkræves", "waive": "frafaldet"}[str(decision.outcome)])
    check_not_before(letter_date, corrections)
    reply = reply_date(letter_date, reply_by, channel=channel)
    facts = correction_facts(session, corrections)
    total = total_too_much(facts)
    months = months_da(facts)
    sections = _sections(facts, total, reply, profile)
    return Letter(
        kind="hearing", case_id=corrections[0].case_id, letter_date=letter_date,
        title=f"Du har måske fået for meget i fleksløntilskud for {months}",
        opening=("Vi skriver til dig, fordi du måske har fået for meget udbetalt i fleksløntilskud. Før vi "
                 "træffer en afgørelse, vil vi gerne høre, hvad du mener.",),
        sections=sections,
        provisions=(p.FVL_19, p.LAB_123, p.PM_48_22, p.PM_6_23, p.BEK_227_14),
        closing=contact_lines(letter_date, corrections[0].case_id, profile),
        municipality=profile, channel=channel,
        correction_ids=tuple(c.id for c in corrections), benefit_month=corrections[0].benefit_month,
        reply_by=reply,
        facts={"corrections": [f.to_dict() for f in facts], "too_much": f"{total:.2f}",
               "reply_by": reply.isoformat(), "letter_date": letter_date.isoformat()},
    )
