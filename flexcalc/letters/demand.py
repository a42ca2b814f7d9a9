"""The demand letter (opkrævning) of a repayment claim and the letter about its instalment plan, in plain
Danish (short words, short sentences: LIX ≤ 35, measured in ``tests/ledger/test_claims.py``).

The facts come from the claim (``flexcalc.ledger.claims.ClaimState``): the amount, the month it concerns,
the decision's date, the last timely payment day, the balance and the plan. The legal basis is named by
provision at the end (LAB § 125; BEK 585/2023).
"""

from __future__ import annotations

from typing import Any

from flexcalc.money import ZERO, amount_str
from flexcalc.text_da.format import date_da, kr, month_name

ACCOUNT_DA = "Kommunens reg.nr. og kontonummer står på kommunens hjemmeside"


def _reference(state: Any) -> str:
    return f"FLX-{state.claim.id}"


def demand_paragraphs(state: Any, default_instalment: Any = None) -> list[str]:
    """The running text of the demand letter, one paragraph a string."""
    from flexcalc.ledger.instalment import without_income

    c = state.claim
    monthly = default_instalment if default_instalment is not None else without_income(c.decided_on).value
    return [
        f"Du skal betale {kr(state.balance)} tilbage. Det er tilskud for {month_name(c.concerns_month)}, som du "
        f"fik for meget. Det står i vores afgørelse fra den {date_da(c.decided_on)}.",
        f"Betal senest den {date_da(c.due_date)}. Skriv {_reference(state)} på din betaling, så vi kan se, "
        f"hvad den er til. {ACCOUNT_DA}.",
        "Kan du ikke betale det hele på én gang? Så kan du betale lidt hver måned. Vi kan også trække et beløb "
        "i dit tilskud hver måned. Kontakt os, så finder vi en løsning sammen. Vi ser på din indkomst, når vi "
        f"fastsætter beløbet. Har vi ikke tal for din indkomst, er det {kr(monthly)} om måneden.",
        "Hvis du ikke betaler og ikke laver en aftale med os, sender vi kravet til Gældsstyrelsen. Så er det dem, "
        "der kræver pengene ind.",
        "Regler: lov om en aktiv beskæftigelsesindsats § 125 og bekendtgørelse nr. 585 af 2023.",
    ]


def plan_paragraphs(state: Any) -> list[str]:
    """The running text of the letter about the instalment plan in force."""
    plan = state.plan
    if plan is None:
        return []
    start = month_name(plan.first_month) if plan.first_month else "næste måned"
    monthly = kr(plan.monthly_amount or ZERO)
    if plan.method == "instalment":
        what = f"Du betaler {monthly} hver måned fra {start}. Skriv {_reference(state)} på din betaling."
    elif plan.method == "setoff":
        what = (f"Vi trækker {monthly} i dit tilskud hver måned fra {start}. Du skal ikke selv betale. "
                "Du kan se beløbet på din udbetaling.")
    else:
        what = "Du skal ikke betale noget lige nu. Vi ser på sagen igen senere og skriver til dig."
    return [
        f"Du skylder {kr(state.balance)} for tilskud, som du fik for meget i {month_name(state.claim.concerns_month)}.",
        what,
        f"Vi har valgt det, fordi: {plan.reference}.",
        "Ændrer din indkomst sig, så kontakt os. Så ser vi på beløbet igen.",
    ]


def demand_letter(state: Any) -> str:
    """The demand letter as text (subject, paragraphs and, when a plan is in force, the plan)."""
    parts = ["Opkrævning: Du skal betale fleksløntilskud tilbage", *demand_paragraphs(state)]
    plan = plan_paragraphs(state)
    if plan:
        parts += ["Din aftale om at betale", *plan]
    return "\n\n".join(parts)


def _provisions() -> tuple[Any, ...]:
    from . import provisions as p
    from .document import Provision

    collection_order = Provision("Gældsinddrivelsesbekendtgørelsen § 11 (afdrag)",
                                 "Betaler du lidt hver måned, fastsætter vi beløbet ud fra din indkomst efter skat.")
    limitation = Provision("Forældelsesloven §§ 3 og 19",
                           "Et krav kan som regel ikke kræves betalt, når der er gået 3 år. Betaler du noget, "
                           "begynder de 3 år forfra.")
    return (p.LAB_125, collection_order, limitation)


def _claim_table(state: Any) -> Any:
    from .document import Table

    rows = [("Beløb efter afgørelsen", kr(state.claim.amount))]
    if state.paid:
        rows.append(("Du har betalt", kr(state.paid)))
    if state.set_off:
        rows.append(("Trukket i dit tilskud", kr(state.set_off)))
    return Table(("Kravet", "Beløb"), tuple(rows), ("Du skylder nu", kr(state.balance)))


def demand_document(state: Any, letter_date: Any, channel: str = "digital_post") -> Any:
    """The demand letter as a ``Letter`` (text, HTML and the tagged PDF of the letters' pipeline); the running
    text is ``demand_paragraphs`` (and the plan's, when a plan is in force)."""
    from .deadline import check_channel
    from .document import Bullets, Letter, Paragraph, Section, contact_lines
    from .profile import municipality

    profile = municipality()
    channel = check_channel(channel)
    c = state.claim
    text = demand_paragraphs(state)
    sections = [
        Section("Hvad skal du betale?", (Paragraph(text[0]), _claim_table(state))),
        Section("Sådan betaler du", (Paragraph(text[1]), Bullets((
            f"Betal senest den {date_da(c.due_date)}", f"Skriv {_reference(state)} på betalingen")))),
        Section("Kan du ikke betale det hele nu?", (Paragraph(text[2]),)),
        Section("Hvis du ikke betaler", (Paragraph(text[3]),)),
    ]
    plan = plan_paragraphs(state)
    if plan:
        sections.append(Section("Din aftale om at betale", tuple(Paragraph(t) for t in plan)))
    return Letter(
        kind="demand", case_id=c.case_id, letter_date=letter_date,
        title="Du skal betale fleksløntilskud tilbage",
        opening=(f"Vi har besluttet, at du skal betale {kr(state.balance)} tilbage. Her kan du se, hvordan du "
                 "betaler.",),
        sections=tuple(sections), provisions=_provisions(),
        closing=contact_lines(letter_date, c.case_id, profile), benefit_month=c.concerns_month,
        municipality=profile, channel=channel, correction_ids=(c.correction_id,),
        facts={"claim_id": c.id, "amount": amount_str(c.amount), "balance": amount_str(state.balance),
               "due_date": c.due_date.isoformat(), "reference": _reference(state),
               "letter_date": letter_date.isoformat()},
    )


def plan_document(state: Any, letter_date: Any, channel: str = "digital_post") -> Any:
    """The letter about the instalment plan in force, as a ``Letter``; ``InputError`` if no plan is recorded."""
    from flexcalc.errors import InputError

    from .deadline import check_channel
    from .document import Letter, Paragraph, Section, contact_lines
    from .profile import municipality

    plan = plan_paragraphs(state)
    if not plan:
        raise InputError("plan", "the claim has no instalment plan", "kravet har ingen afdragsordning",
                         code="no_plan")
    profile = municipality()
    c = state.claim
    return Letter(
        kind="instalment_plan", case_id=c.case_id, letter_date=letter_date,
        title="Din aftale om at betale tilbage",
        opening=("Her er den aftale, vi har lavet om, hvordan du betaler tilbage.",),
        sections=(Section("Det skylder du", (_claim_table(state),)),
                  Section("Sådan betaler du", tuple(Paragraph(t) for t in plan))),
        provisions=_provisions(), closing=contact_lines(letter_date, c.case_id, profile),
        benefit_month=c.concerns_month, municipality=profile, channel=check_channel(channel),
        correction_ids=(c.correction_id,),
        facts={"claim_id": c.id, "balance": amount_str(state.balance), "method": state.plan.method,
               "monthly_amount": amount_str(state.plan.monthly_amount or ZERO),
               "letter_date": letter_date.isoformat()},
    )
