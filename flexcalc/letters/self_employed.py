"""Letters to a self-employed person with the subsidy of LAB § 126 (BEK 233/2024 § 8): the decision on the
year's subsidy, and the settlement after the tax assessment. Built from the rules' results
(``flexcalc.self_employed``: ``YearResult``, ``SettlementResult``), in the same layout as the other letters
(``flexcalc.letters.document``); the running text is ``flexcalc.text_da.self_employed`` (LIX ≤ 35)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flexcalc.text_da.format import kr
from flexcalc.text_da.self_employed import explain_settlement_da, explain_year_da

from . import provisions as p
from .deadline import check_channel
from .deadline import complaint_deadline as deadline_for
from .document import Letter, Paragraph, Provision, Section, Table, contact_lines, tidy
from .profile import municipality

LAB_126 = Provision("Lov om en aktiv beskæftigelsesindsats (LAB) § 126",
                    "Har du en selvstændig virksomhed og en varigt nedsat arbejdsevne, kan du få et tilskud.")
BEK_233_8 = Provision("Bekendtgørelse nr. 233 af 2024 § 8",
                      "Tilskuddet er et fast beløb om året. Det bliver sat ned med 30 procent af overskuddet i "
                      "virksomheden og af anden løn. Ændrer din skattepligtige indkomst sig, regner kommunen "
                      "tilskuddet ud igen og afgør, om du skal have mere eller betale tilbage.")
BEK_233_11 = Provision("Bekendtgørelse nr. 233 af 2024 § 11",
                       "Overskuddet er virksomhedens skattemæssige overskud før renter. Et underskud tæller som 0 kr.")


def _year_table(result: Any) -> Table:
    return Table(("", "Beløb"), (
        ("Fast beløb (grundbeløb)", kr(result.basic_amount)),
        ("Overskud i virksomheden", kr(result.counted_profit)),
        ("Anden løn", kr(result.other_income)),
        ("30 procent af det, du tjener", kr(result.reduction)),
        ("Tilskud pr. måned", kr(result.monthly)),
    ), ("Tilskud for året", kr(result.annual)))


def _complaint(letter_date: dt.date, channel: str) -> tuple[Paragraph, ...]:
    from .decision import complaint_paragraphs

    return complaint_paragraphs(letter_date, channel, municipality())


def year_decision_letter(case_id: str, result: Any, letter_date: dt.date, channel: str = "digital_post") -> Letter:
    """The decision on a year's subsidy (``result``: a ``YearResult`` on the expected profit)."""
    profile = municipality()
    channel = check_channel(channel)
    deadline = deadline_for(letter_date, channel)
    text = explain_year_da(result)
    sections = (
        Section("Sådan har vi regnet", (*[Paragraph(t) for t in text[1:]], _year_table(result))),
        Section("Klagevejledning", _complaint(letter_date, channel)),
    )
    return Letter(
        kind="self_employed_decision", case_id=case_id, letter_date=letter_date,
        title=f"Afgørelse: Dit tilskud som selvstændig for {result.year}", opening=(tidy(text[0]),), sections=sections,
        provisions=(LAB_126, BEK_233_8, BEK_233_11, p.FVL_22, p.FVL_25, p.RSL_COMPLAINT),
        closing=contact_lines(letter_date, case_id, profile), municipality=profile, channel=channel,
        complaint_deadline=deadline,
        facts={"year": result.to_dict(), "complaint_deadline": deadline.isoformat(),
               "letter_date": letter_date.isoformat(), "channel": channel},
    )


def settlement_letter(case_id: str, result: Any, letter_date: dt.date, channel: str = "digital_post") -> Letter:
    """The letter after the settlement on the tax assessment (``result``: a ``SettlementResult``). An
    overpayment is told as a matter still to be decided (a hearing and a decision follow), never as a demand."""
    profile = municipality()
    channel = check_channel(channel)
    deadline = deadline_for(letter_date, channel)
    text = explain_settlement_da(result)
    rows: tuple[tuple[str, ...], ...] = (("Tilskud efter årsopgørelsen", kr(result.entitled)),
                                         ("Betalt", kr(result.paid)))
    if result.settled_before:
        rows += (("Rettet før", kr(result.settled_before)),)
    title = {"underpayment": f"Du får {kr(result.difference)} mere i tilskud for {result.year}",
             "overpayment": f"Du har fået for meget i tilskud for {result.year}",
             "none": f"Dit tilskud for {result.year} var rigtigt"}[result.outcome]
    sections = [Section("Sådan har vi regnet", (*[Paragraph(t) for t in text[1:]],
                                                Table(("", "Beløb"), rows, ("Forskel", kr(result.difference)))))]
    if result.outcome == "underpayment":
        sections.append(Section("Klagevejledning", _complaint(letter_date, channel)))
    return Letter(
        kind="self_employed_settlement", case_id=case_id, letter_date=letter_date, title=title,
        opening=(tidy(text[0]),), sections=tuple(sections),
        provisions=(LAB_126, BEK_233_8, BEK_233_11,
                    *((p.FVL_25, p.RSL_COMPLAINT) if result.outcome == "underpayment" else (p.FVL_19,))),
        closing=contact_lines(letter_date, case_id, profile), municipality=profile, channel=channel,
        complaint_deadline=deadline if result.outcome == "underpayment" else None,
        facts={"settlement": result.to_dict(), "letter_date": letter_date.isoformat(), "channel": channel},
    )
