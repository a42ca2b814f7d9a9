"""The decision letter after the caseworker's decision on a possible repayment: the decision, the reasons
(forvaltningsloven §§ 22 and 24: the rules, the facts relied on, what the person replied to the hearing and how
it was weighed, the main considerations including the assessment of "knew or should have known"; the statutory
basis of repayment, LAB § 125 with BEK 585/2023 on collection, beside Ankestyrelsen's practice), how the
amount is collected or that it is waived, and the complaint guidance (§ 25: 4 weeks, to the municipality,
which reconsiders before Ankestyrelsen)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from flexcalc.ledger.read.letters import CorrectionRow, DecisionRow
from flexcalc.text_da.format import date_da, kr

from . import provisions as p
from .deadline import check_channel, received_on
from .deadline import complaint_deadline as deadline_for
from .document import Bullets, Letter, Paragraph, Section, contact_lines
from .errors import letter_error
from .facts import (
    amounts_table,
    check_not_before,
    correction_facts,
    decision_of,
    load_corrections,
    local_date,
    require_possible_repayment,
)
from .profile import MunicipalityProfile, municipality

KNOWLEDGE_DA = {
    "knew": "Vi vurderer, at du vidste, at du fik for meget.",
    "should_have_known": "Vi vurderer, at du burde vide, at du fik for meget.",
    "did_not_know": "Vi vurderer, at du hverken vidste eller burde vide, at du fik for meget.",
}


def complaint_deadline(letter_date: dt.date, channel: str = "digital_post") -> dt.date:
    """4 weeks from the day the person receives the letter (``flexcalc.letters.deadline``)."""
    return deadline_for(letter_date, channel)


def complaint_paragraphs(letter_date: dt.date, channel: str, profile: MunicipalityProfile,
                         what: str = "afgørelsen") -> tuple[Paragraph, ...]:
    """The complaint guidance with the deadline for the channel the letter is sent by."""
    received, deadline = received_on(letter_date, channel), deadline_for(letter_date, channel)
    if channel == "digital_post":
        when = (f"Vi sender brevet med Digital Post den {date_da(letter_date)}. Du har fået det samme dag. "
                f"Derfor er fristen den {date_da(deadline)}.")
    else:
        when = (f"Vi sender brevet med almindelig post den {date_da(letter_date)}. Vi regner med, at du får det "
                f"den {date_da(received)}. Derfor er fristen den {date_da(deadline)}.")
    return (
        Paragraph(f"Du kan klage over {what}. Vi skal have din klage senest 4 uger efter, at du har fået brevet. "
                  + when),
        Paragraph(f"Send klagen til os, ikke til Ankestyrelsen. Du kan skrive eller ringe på {profile.phone}. Vi "
                  "ser på sagen igen. Giver vi dig ikke ret, sender vi din klage videre til Ankestyrelsen. Så får "
                  "du besked."),
    )


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def hearing_sent_on(session: Session, case_id: str, correction_id: int) -> dt.date | None:
    """The day a hearing letter about the correction was marked sent, if one was."""
    from .models import LetterRow, LetterSending

    rows = session.execute(select(LetterRow, LetterSending).join(LetterSending, LetterSending.letter_id == LetterRow.id)
                           .where(LetterRow.case_id == case_id, LetterRow.kind == "hearing")
                           .order_by(LetterSending.sent_at)).all()
    for letter, sending in rows:
        if str(correction_id) in letter.correction_ids:
            return local_date(sending.sent_at)
    return None


def _reply_paragraphs(summary: str | None, weighing: str | None) -> tuple[Paragraph, ...]:
    """What the person replied to the hearing and how it was weighed, in the caseworker's words for the
    letter (``Decision.reply_summary``, ``reply_weighing``); the internal note is never put here."""
    out: list[Paragraph] = []
    if summary:
        out.append(Paragraph(f"Du svarede os: {_sentence(summary)}"))
    if weighing:
        out.append(Paragraph(f"Sådan har vi vurderet dit svar: {_sentence(weighing)}"))
    return tuple(out)


def _reasons(decision: DecisionRow, relied: list[str], collect: bool) -> tuple[Paragraph | Bullets, ...]:
    """The decision's reasons (forvaltningsloven §§ 22 and 24): the rule, the facts relied on, the reply and how
    it was weighed, the assessment of what the person knew, and the caseworker's own words."""
    knowledge = decision.knowledge
    if knowledge is not None:
        assessment = KNOWLEDGE_DA[knowledge]
    elif collect:
        assessment = "Vi vurderer, at du vidste eller burde vide, at du fik for meget."
    else:
        assessment = "Vi har vurderet, om du vidste eller burde vide, at du fik for meget."
    return (
        Paragraph("Dit tilskud bygger på den løn, du fik måneden før. Når lønnen bliver rettet, regner vi "
                  "tilskuddet ud igen. Du skal kun betale tilbage, hvis du vidste eller burde vide, at du fik for "
                  "meget. Reglerne står i boksen sidst i brevet."),
        Paragraph("Vi har lagt vægt på disse oplysninger:"),
        Bullets(tuple(relied)),
        *_reply_paragraphs(decision.reply_summary, decision.reply_weighing),
        Paragraph(assessment),
        Paragraph(f"Vores vurdering: {_sentence(decision.reason)}"),
    )


def _what_now(collect: bool) -> Section:
    if collect:
        return Section("Sådan skal du betale", (
            Paragraph("Du får et brev mere med en opkrævning. Her står, hvornår og hvordan du skal betale. Vi "
                      "trækker ikke pengene i dit tilskud, uden at du har fået besked først."),
            Paragraph("Kontakt os, hvis du ikke kan betale det hele på én gang."),
        ))
    return Section("Hvad sker der nu?", (
        Paragraph("Du skal ikke gøre noget. Vi kræver ikke pengene tilbage."),
    ))


def _decided_correction(session: Session, correction_id: int,
                        letter_date: dt.date) -> tuple[CorrectionRow, DecisionRow]:
    """The possible repayment and its decision; refused naming the field when it is not decided yet or the
    letter is dated before the correction or the decision."""
    [correction] = load_corrections(session, [correction_id])
    require_possible_repayment(correction)
    decision = decision_of(session, correction.id)
    if decision is None:
        raise letter_error("correction", "not_decided", id=correction.id)
    check_not_before(letter_date, [correction])
    decided = local_date(decision.decided_at)
    if letter_date < decided:
        raise letter_error("date", "before_decision", date=letter_date.isoformat(), date_da=date_da(letter_date),
                           known=decided.isoformat(), known_da=date_da(decided))
    return correction, decision


def decision_letter(session: Session, correction_id: int, letter_date: dt.date,
                    channel: str = "digital_post") -> Letter:
    """The decision letter for one decided possible repayment."""
    profile = municipality()
    channel = check_channel(channel)
    correction, decision = _decided_correction(session, correction_id, letter_date)
    decided = local_date(decision.decided_at)
    [facts] = correction_facts(session, [correction])
    amount, month = kr(facts.too_much), facts.month
    collect = str(decision.outcome) == "collect"
    deadline = complaint_deadline(letter_date, channel)
    if collect:
        title = f"Afgørelse: Du skal betale {amount} tilbage"
        verdict = f"Du har fået {amount} for meget i fleksløntilskud for {month}. Du skal betale beløbet tilbage."
    else:
        title = "Afgørelse: Du skal ikke betale fleksløntilskud tilbage"
        verdict = (f"Du har fået {amount} for meget i fleksløntilskud for {month}. Du skal ikke betale beløbet "
                   "tilbage.")
    relied = [f"Du fik {kr(correction.previous_subsidy)} i tilskud for {month}. Du skulle have haft "
              f"{kr(correction.due_subsidy)}.", *facts.happened[:-1]]
    sent = hearing_sent_on(session, correction.case_id, correction.id)
    if sent is not None:
        relied.append(f"Vi skrev til dig om sagen den {date_da(sent)} og bad om dit svar.")
    knowledge = decision.knowledge
    sections = (
        Section("Hvad er der sket?", (Paragraph(" ".join(facts.happened)), amounts_table([facts]))),
        Section("Derfor har vi truffet denne afgørelse", _reasons(decision, relied, collect)),
        _what_now(collect),
        Section("Klagevejledning", complaint_paragraphs(letter_date, channel, profile)),
    )
    return Letter(
        kind="decision", case_id=correction.case_id, letter_date=letter_date, title=title,
        opening=(verdict,), sections=sections,
        provisions=(p.LAB_123, p.LAB_125, p.PM_6_23, p.PM_48_22, p.FVL_19, p.FVL_22, p.FVL_24, p.FVL_25,
                    p.RSL_COMPLAINT),
        closing=contact_lines(letter_date, correction.case_id, profile),
        municipality=profile, channel=channel,
        correction_ids=(correction.id,), benefit_month=correction.benefit_month, complaint_deadline=deadline,
        facts={"correction": facts.to_dict(), "outcome": str(decision.outcome), "knowledge": knowledge,
               "decided_by": decision.decided_by, "decided_on": decided.isoformat(),
               "complaint_deadline": deadline.isoformat(), "letter_date": letter_date.isoformat(),
               "channel": channel, "received_on": received_on(letter_date, channel).isoformat(),
               "hearing_sent_on": None if sent is None else sent.isoformat(),
               "reply_summary": decision.reply_summary, "reply_weighing": decision.reply_weighing},
    )
