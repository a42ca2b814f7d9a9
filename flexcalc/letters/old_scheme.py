"""Letters to the employer in an old-scheme fleksjob (begun before 2013): the decision on the subsidy (the
fraction, the payee, the caps, how a period is computed, complaint guidance) and the specification of a period
(the claim, the basis, the cap, the fraction, the sickness reduction, what was paid and corrected, and why).
Amounts come from the ledger's settlements and ``flexcalc.old_scheme``; nothing is computed here."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from flexcalc.errors import InputError
from flexcalc.ledger.schemes import old_state_in, scheme_at, settlements
from flexcalc.money import ZERO, amount_str
from flexcalc.old_scheme import old_scheme_rates
from flexcalc.period import Month
from flexcalc.text_da.format import date_da, kr, month_name

from .deadline import check_channel
from .deadline import complaint_deadline as deadline_for
from .decision import complaint_paragraphs
from .document import Bullets, Letter, Paragraph, Provision, Section, Table, contact_lines
from .facts import get_case_or_fail
from .profile import municipality

LAB_133_FRACTION = Provision("LAB § 133, stk. 2", "Tilskuddet er halvdelen eller to tredjedele af lønnen.")
LAB_133_BASIS = Provision("LAB § 133, stk. 3", "Tilskuddet regnes af lønnen med arbejdsgiverbidrag, inden for et "
                                              "loft pr. år og pr. time.")
LAB_133_SICKNESS = Provision("LAB § 133, stk. 4", "Tilskuddet nedsættes med refusionen ved sygdom eller barsel.")
FRACTION_DA = {"1/2": "halvdelen", "2/3": "to tredjedele"}


def old_scheme_decision_letter(session: Session, case_id: str, letter_date: dt.date,
                               channel: str = "digital_post") -> Letter:
    """The decision on the employer's subsidy as it stands on ``letter_date``."""
    profile, channel = municipality(), check_channel(channel)
    get_case_or_fail(session, case_id)
    state = scheme_at(session, case_id, letter_date)
    if state.scheme != "old" or state.fraction is None or state.effective_from is None:
        raise InputError("case", "the case is not in the old scheme on the letter's date",
                         "sagen er ikke i den gamle fleksjobordning på brevets dato", code="not_old_scheme")
    share = FRACTION_DA[state.fraction]
    rates = old_scheme_rates(Month.of(letter_date))
    sections = (
        Section("Afgørelse", (
            Paragraph(f"I får tilskud til lønnen til jeres ansatte i fleksjob (sag {case_id}). Tilskuddet er "
                      f"{share} af lønnen. Det gælder fra den {date_da(state.effective_from)}."),
            Paragraph(f"Vi betaler tilskuddet til jer som arbejdsgiver (CVR {state.employer_id})."),
        )),
        Section("Sådan regner vi tilskuddet ud", (
            Bullets((
                "Vi tager lønnen efter overenskomsten og lægger jeres bidrag til ATP og pension til.",
                f"Lønnen tæller højst med {kr(rates.annual_cap, decimals=0)} om året og "
                f"{kr(rates.hourly_cap)} i timen ({rates.month.year}).",
                f"Tilskuddet er {share} af det beløb.",
                "Får I refusion for sygdom eller barsel, trækker vi refusionen fra for de dage.",
            )),
            Paragraph("Send os jeres opgørelse for hver måned. Så betaler vi tilskuddet."),
        )),
        Section("Klagevejledning", complaint_paragraphs(letter_date, channel, profile, "afgørelsen")),
    )
    return Letter(kind="old_scheme_decision", case_id=case_id, letter_date=letter_date,
                  title="Afgørelse om tilskud til løn i fleksjob (før 2013)",
                  opening=(f"Her er vores afgørelse om jeres tilskud til lønnen i fleksjobbet (sag {case_id}).",),
                  sections=sections, provisions=(LAB_133_FRACTION, LAB_133_BASIS, LAB_133_SICKNESS),
                  closing=contact_lines(letter_date, case_id, profile), municipality=profile, channel=channel,
                  complaint_deadline=deadline_for(letter_date, channel),
                  facts={"scheme": "old", "employer_id": state.employer_id, "fraction": state.fraction,
                         "effective_from": state.effective_from.isoformat(),
                         "annual_cap": str(rates.annual_cap), "hourly_cap": str(rates.hourly_cap),
                         "letter_date": letter_date.isoformat()})


def old_scheme_specification_letter(session: Session, case_id: str, period: Month, letter_date: dt.date,
                                    channel: str = "digital_post") -> Letter:
    """The specification of a settled period to the employer: the figures of the newest settlement and every
    payment and correction of the period with its cause."""
    profile, channel = municipality(), check_channel(channel)
    get_case_or_fail(session, case_id)
    rows = [s for s in settlements(session, case_id, period) if s.as_of.date() <= letter_date]
    if not rows:
        raise InputError("month", f"nothing is paid for {period} yet", f"der er ikke udbetalt noget for "
                         f"{month_name(period)} endnu", code="not_paid")
    last, name = rows[-1], month_name(period)
    paid = sum((s.difference for s in rows), ZERO)
    state = old_state_in(session, case_id, period)
    share = FRACTION_DA.get(last.fraction or "", "intet")
    lines = tuple((f"{'Udbetaling' if s.kind == 'payment' else 'Efterregulering'} {date_da(s.as_of.date())}",
                   kr(s.difference, sign=s.kind != "payment")) for s in rows)
    causes = tuple(f"{date_da(s.as_of.date())}: {s.explanation_da}." for s in rows if s.kind == "correction")
    blocks: list[Paragraph | Bullets | Table] = [
        Table(("", "Beløb"), (("Løn med arbejdsgiverbidrag", kr(last.basis)), ("Loft for måneden", kr(last.cap)),
                              (f"Tilskud ({share} af lønnen inden for loftet)", kr(last.due))),
              ("Tilskud for " + name, kr(last.due))),
    ]
    sections = [Section(f"Tilskud for {name}", tuple(blocks)),
                Section("Udbetalinger", (Table(("", "Beløb"), lines, ("I alt udbetalt", kr(paid))),))]
    if causes:
        sections.append(Section("Hvorfor er tilskuddet regnet ud igen?", (Bullets(causes),)))
    return Letter(kind="old_scheme_specification", case_id=case_id, letter_date=letter_date,
                  title=f"Tilskud til løn i fleksjob for {name}",
                  opening=(f"Her kan I se, hvordan vi har regnet tilskuddet ud for {name} (sag {case_id}).",),
                  sections=tuple(sections), provisions=(LAB_133_FRACTION, LAB_133_BASIS, LAB_133_SICKNESS),
                  closing=contact_lines(letter_date, case_id, profile), benefit_month=period, municipality=profile,
                  channel=channel,
                  facts={"scheme": "old", "period": str(period), "employer_id": last.employer_id,
                         "scheme_now": state.scheme, "due": amount_str(last.due), "paid": amount_str(paid),
                         "settlements": [s.id for s in rows], "letter_date": letter_date.isoformat()})
