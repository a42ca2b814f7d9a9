"""The three letters for the ledger fixtures, compared with hand-written expectations: amounts, dates,
provisions, the reply date and the complaint deadline; their PDFs opened and read back (pypdf); LIX of the
running text of every kind."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

import pytest
from pypdf import PdfReader
from sqlalchemy.orm import Session

from flexcalc.errors import InputError
from flexcalc.letters import complaint_deadline, decision_letter, hearing_letter, reply_date, specification_letter
from flexcalc.letters.document import Letter
from flexcalc.period import Month
from tests.letters.support import FIXTURES, LIX_TARGET, correction_id, decide, lix, replay_fixture, rising_wage_case

D = dt.date
UTC = dt.UTC


@pytest.fixture
def late(sqlite_url: str) -> tuple[Callable[[], Session], int]:
    """late_report: a side job's February wage (2.000) arrives late; March −919,25 (15.272,00 → 14.352,75)."""
    factory = replay_fixture("late_report", sqlite_url)
    return factory, correction_id(factory, "S1", "-919.25")


@pytest.fixture
def r_marked(sqlite_url: str) -> tuple[Callable[[], Session], int]:
    """r_marked_correction: February corrected 11.000 → 11.550 (with 1.050 pension): March −165,00
    (16.652,00 → 16.487,00), recorded on 5 June 2024."""
    factory = replay_fixture("r_marked_correction", sqlite_url)
    return factory, correction_id(factory, "S2", "-165.00")


def flat(text: str) -> str:
    """The text with its line wrapping undone (sentences are compared whole)."""
    return " ".join(text.split())


def pdf_text(letter: Letter) -> str:
    reader = PdfReader(io.BytesIO(letter.pdf()))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_reply_date_and_complaint_deadline_by_hand() -> None:
    assert reply_date(D(2024, 6, 10)) == D(2024, 6, 24)
    assert reply_date(D(2024, 12, 20)) == D(2025, 1, 3)
    assert reply_date(D(2024, 6, 10), D(2024, 7, 1)) == D(2024, 7, 1)
    assert complaint_deadline(D(2024, 7, 1)) == D(2024, 7, 29)
    assert complaint_deadline(D(2024, 12, 20)) == D(2025, 1, 17)
    assert complaint_deadline(D(2024, 2, 1)) == D(2024, 2, 29)  # leap year
    for bad in (D(2024, 6, 10), D(2024, 6, 9)):
        with pytest.raises(InputError) as error:
            reply_date(D(2024, 6, 10), bad)
        assert error.value.field == "reply_by" and error.value.code == "reply_not_after"


def test_hearing_letter_for_a_late_report(late: tuple[Callable[[], Session], int]) -> None:
    factory, cid = late
    with factory() as session:
        letter = hearing_letter(session, [cid], D(2024, 5, 2))
    raw = letter.text()
    text = flat(raw)
    assert letter.title == "Du har måske fået for meget i fleksløntilskud for marts 2024"
    assert ("En anden arbejdsgiver (CVR 22222222) har sendt lønnen for februar 2024 sent. Den er på 2.000,00 kr. "
            "Vi havde allerede udbetalt dit tilskud for marts 2024.") in letter.running_text()
    assert "Derfor har vi regnet dit tilskud for marts 2024 ud igen. Det bygger på din løn i februar 2024." in text
    assert "marts 2024  15.272,00 kr.        14.352,75 kr.  919,25 kr." in raw
    assert "Du har måske fået 919,25 kr. for meget. Beløbene er før skat." in text
    assert "Vi har ikke besluttet noget endnu. Du skal ikke betale noget nu." in text
    assert "Vi skal have dit svar senest den 16. maj 2024." in text  # 2 May + 14 days
    assert "Du kan også sende papirer" in text
    assert letter.reply_by == D(2024, 5, 16)
    assert letter.facts["corrections"][0]["too_much"] == "919.25"
    assert [p.reference for p in letter.provisions][:1] == ["Forvaltningsloven § 19 (partshøring)"]
    assert "kr.." not in raw and "kr.." not in letter.html()
    with factory() as session:
        later = hearing_letter(session, [cid], D(2024, 5, 2), D(2024, 5, 31))
    assert "Vi skal have dit svar senest den 31. maj 2024." in flat(later.text())


def test_hearing_letter_for_a_corrected_report_reads_in_plain_words(
        r_marked: tuple[Callable[[], Session], int]) -> None:
    factory, cid = r_marked
    with factory() as session:
        letter = hearing_letter(session, [cid], D(2024, 6, 10))
    assert letter.sections[0].blocks[0].text == (  # type: ignore[union-attr]
        "Din arbejdsgiver har rettet lønnen for februar 2024 fra 11.000,00 kr. til 11.550,00 kr. Lønnen er med "
        "pension. Derfor har vi regnet dit tilskud for marts 2024 ud igen. Det bygger på din løn i februar 2024.")
    assert "Vi skal have dit svar senest den 24. juni 2024." in flat(letter.text())
    pdf = pdf_text(letter)
    for expected in ("Sag S2", "10. juni 2024", "11.550,00 kr.", "16.652,00 kr.", "16.487,00 kr.", "165,00 kr.",
                     "24. juni 2024", "Forvaltningsloven § 19", "Ankestyrelsens principmeddelelse 6-23"):
        assert expected in pdf, expected


def test_decision_letter_collect_with_reasons_and_complaint_deadline(
        r_marked: tuple[Callable[[], Session], int]) -> None:
    factory, cid = r_marked
    decide(factory, cid, "collect", "Lønsedlen for februar viste den rigtige løn", "should_have_known",
           dt.datetime(2024, 6, 28, 9, tzinfo=UTC))
    with factory() as session:
        letter = decision_letter(session, cid, D(2024, 7, 1))
    text = flat(letter.text())
    assert letter.title == "Afgørelse: Du skal betale 165,00 kr. tilbage"
    assert letter.opening == ("Du har fået 165,00 kr. for meget i fleksløntilskud for marts 2024. Du skal betale "
                              "beløbet tilbage.",)
    assert "Du fik 16.652,00 kr. i tilskud for marts 2024. Du skulle have haft 16.487,00 kr." in text
    assert "Vi vurderer, at du burde vide, at du fik for meget." in text
    assert "Vores vurdering: Lønsedlen for februar viste den rigtige løn." in text
    assert "Du får et brev mere med en opkrævning." in text
    assert ("Vi sender brevet med Digital Post den 1. juli 2024. Du har fået det samme dag. Derfor er fristen den "
            "29. juli 2024.") in text  # 1 July + 4 weeks
    assert "Send klagen til os, ikke til Ankestyrelsen." in text and "Vi ser på sagen igen." in text
    assert letter.complaint_deadline == D(2024, 7, 29)
    references = [p.reference for p in letter.provisions]
    for wanted in ("Lov om en aktiv beskæftigelsesindsats (LAB) § 123", "Ankestyrelsens principmeddelelse 6-23",
                   "Ankestyrelsens principmeddelelse 48-22", "Forvaltningsloven § 22 (begrundelse)",
                   "Forvaltningsloven § 24 (begrundelsens indhold)", "Forvaltningsloven § 25 (klagevejledning)"):
        assert wanted in references
    pdf = pdf_text(letter)
    for expected in ("Klagevejledning", "29. juli 2024", "165,00 kr.", "Forvaltningsloven § 25"):
        assert expected in pdf, expected


def test_decision_letter_waive_and_a_letter_dated_before_the_decision(
        late: tuple[Callable[[], Session], int]) -> None:
    factory, cid = late
    decide(factory, cid, "waive", "Du kunne ikke vide, at bijobbet talte med", "did_not_know",
           dt.datetime(2024, 5, 20, 9, tzinfo=UTC))
    with factory() as session:
        letter = decision_letter(session, cid, D(2024, 12, 20))
        with pytest.raises(InputError) as error:
            decision_letter(session, cid, D(2024, 5, 19))
    assert error.value.field == "date" and error.value.code == "before_decision"
    text = flat(letter.text())
    assert letter.title == "Afgørelse: Du skal ikke betale fleksløntilskud tilbage"
    assert "Du har fået 919,25 kr. for meget i fleksløntilskud for marts 2024. Du skal ikke betale" in text
    assert "Vi vurderer, at du hverken vidste eller burde vide, at du fik for meget." in text
    assert "Du skal ikke gøre noget. Vi kræver ikke pengene tilbage." in text
    assert "fristen den 17. januar 2025" in text  # 20 December 2024 + 4 weeks


def test_specification_explains_the_change_with_causes_that_add_up(sqlite_url: str) -> None:
    factory = rising_wage_case(sqlite_url)
    with factory() as session:
        letter = specification_letter(session, "SP", Month(2024, 4), D(2024, 4, 10))
    raw = letter.text()
    text = flat(raw)
    assert letter.title == "Dit fleksløntilskud for april 2024"
    assert "Fleksløntilskud      13.032,75 kr." in raw
    assert "Udbetaling før skat  12.532,75 kr." in raw
    assert ("Du får 2.239,25 kr. mindre udbetalt for april 2024 end for marts 2024: 12.532,75 kr. mod 14.772,00 kr. "
            "før skat.") in text
    causes = {c["key"]: c["amount"] for c in letter.facts["causes"]}
    assert causes == {"wage_low": "-216.90", "wage_high": "-2022.35"}  # 0,30 × 723 and 0,55 × 3.677
    assert letter.facts["difference"] == "-2239.25"
    # total income: 15.600 + 15.272 = 30.872,00 → 20.000 + 13.032,75 = 33.032,75: 2.160,75 more
    assert "Løn og tilskud er i alt 33.032,75 kr. for april 2024. Det er 2.160,75 kr. mere end for marts 2024." in text
    assert ("Marts 2024: Du har måske fået 120,00 kr. for meget. Vi har ikke truffet en afgørelse. Du skal ikke "
            "betale noget nu.") in text
    assert "Skriv sagens nummer, SP" in text
    pdf = pdf_text(letter)
    for expected in ("april 2024", "13.032,75 kr.", "12.532,75 kr.", "2.239,25 kr.", "33.032,75 kr.", "120,00 kr."):
        assert expected in pdf, expected


def test_specification_of_the_first_month_and_of_a_month_not_paid(sqlite_url: str) -> None:
    factory = rising_wage_case(sqlite_url)
    with factory() as session:
        first = specification_letter(session, "SP", Month(2024, 3), D(2024, 3, 10))
        assert "Du fik ikke udbetalt tilskud for februar 2024." in flat(first.text())
        assert first.facts["corrections"] == []  # the −120,00 was recorded on 9 April, after the letter's date
        for month, code in ((Month(2024, 5), "not_paid"),):
            with pytest.raises(InputError) as error:
                specification_letter(session, "SP", month, D(2024, 5, 10))
            assert (error.value.field, error.value.code) == ("month", code)
        with pytest.raises(InputError) as error:
            specification_letter(session, "SP", Month(2024, 4), D(2024, 4, 5))
        assert (error.value.field, error.value.code) == ("date", "before_payment")


def test_lix_of_every_letter_kind_is_at_most_35(sqlite_url: str) -> None:
    factory = replay_fixture("r_marked_correction", sqlite_url)
    cid = correction_id(factory, "S2", "-165.00")
    rising_wage_case(sqlite_url)
    with factory() as session:
        hearing = hearing_letter(session, [cid], D(2024, 6, 10))
    decide(factory, cid, "collect", "Lønsedlen for februar viste den rigtige løn", "knew",
           dt.datetime(2024, 6, 28, 9, tzinfo=UTC))
    with factory() as session:
        decision = decision_letter(session, cid, D(2024, 7, 1))
        specification = specification_letter(session, "SP", Month(2024, 4), D(2024, 4, 10))
    figures = {letter.kind: lix(letter.running_text()) for letter in (hearing, decision, specification)}
    print("LIX of the running text: " + ", ".join(f"{kind} {value:.1f}" for kind, value in figures.items()))
    assert all(value <= LIX_TARGET for value in figures.values()), figures


def test_lix_measures_what_we_think() -> None:
    heavy = ("Kommunens tilbagebetalingskrav forudsætter dokumentation for modtagerens kendskab til "
             "uberettigede udbetalinger vedrørende indkomstregistreringer.")
    assert lix(heavy) > 60


SCENARIOS = sorted(p.name for p in FIXTURES.iterdir() if (p / "scenario.yaml").exists())


@pytest.mark.slow
@pytest.mark.parametrize("name", SCENARIOS)
def test_every_ledger_fixture_gets_its_letters(name: str, sqlite_url: str) -> None:
    """Every possible repayment of every fixture gets a hearing letter with the scenario's hand-computed
    figures, and every paid month a specification whose causes add up to the change in payout."""
    import yaml

    from flexcalc.ledger.models import Correction, Payment
    from flexcalc.ledger.tracks import is_repayment_review
    from flexcalc.letters.facts import decision_of, local_date
    from flexcalc.parsing.inputs import parse_amount
    from flexcalc.text_da.format import kr

    scenario = yaml.safe_load((FIXTURES / name / "scenario.yaml").read_text(encoding="utf-8"))
    expected = [c for step in scenario["steps"] for c in step.get("corrections", [])
                if c["status"] == "repayment_review" and c.get("track", "repayment_review") == "repayment_review"]
    factory = replay_fixture(name, sqlite_url)
    with factory() as session:
        repayments = [c for c in session.query(Correction).order_by(Correction.id) if is_repayment_review(c)]
        assert [(str(c.benefit_month), f"{c.difference:.2f}") for c in repayments] == [
            (e["benefit_month"], e["difference"]) for e in expected]
        for correction in repayments:
            if decision_of(session, correction.id) is not None:
                continue  # decided in the scenario: the decision letter's turn
            day = local_date(correction.as_of)
            letter = hearing_letter(session, [correction.id], day)
            want = next(e for e in expected if e["benefit_month"] == str(correction.benefit_month))
            row = letter.sections[1].blocks[0].rows[0]  # type: ignore[union-attr]
            assert row[1:] == (kr(parse_amount(want["previous_subsidy"], "x")),
                               kr(parse_amount(want["due_subsidy"], "x")),
                               kr(-parse_amount(want["difference"], "x", allow_negative=True)))
            assert letter.reply_by == day + dt.timedelta(days=14)
            assert lix(letter.running_text()) <= LIX_TARGET
        for payment in session.query(Payment).filter(Payment.case_id == scenario["steps"][0]["args"][2]):
            letter = specification_letter(session, payment.case_id, payment.benefit_month,
                                          local_date(payment.as_of) + dt.timedelta(days=3))
            assert letter.facts["payout"] == f"{payment.payout:.2f}"
            if letter.facts["causes"]:
                total = sum(parse_amount(c["amount"], "x", allow_negative=True) for c in letter.facts["causes"])
                assert f"{total:.2f}" == letter.facts["difference"]
            assert lix(letter.running_text()) <= LIX_TARGET + 5


def test_one_hearing_letter_for_two_months_of_a_case(sqlite_url: str) -> None:
    """March's wage is corrected too (20.000 → 20.400): April 15.055,10 − 0,55 × 4.077 = 12.812,75, −220,00
    against 13.032,75; with February's −120,00 for March the letter asks about 340,00 kr."""
    from flexcalc.ledger.reconcile import reconcile
    from flexcalc.ledger.reports import parse_report
    from flexcalc.ledger.store import ingest, transaction
    from tests.letters.support import CPH, _report

    factory = rising_wage_case(sqlite_url)
    with transaction(factory) as session:
        ingest(session, [parse_report(_report("SP-M2", "SP", "2024-03-28", "20400", "2024-04-12T09:00:00",
                                              "correction", "SP-M"))])
    reconcile(factory, dt.datetime(2024, 4, 15, 12, tzinfo=CPH), ["SP"])
    march, april = correction_id(factory, "SP", "-120.00"), correction_id(factory, "SP", "-220.00")
    with factory() as session:
        letter = hearing_letter(session, [april, march], D(2024, 4, 16))
    raw = letter.text()
    assert letter.title == "Du har måske fået for meget i fleksløntilskud for marts 2024 og april 2024"
    assert letter.correction_ids == (march, april)  # by month
    assert "marts 2024  15.272,00 kr.        15.152,00 kr.  120,00 kr." in raw
    assert "april 2024  13.032,75 kr.        12.812,75 kr.  220,00 kr." in raw
    assert "I alt                                           340,00 kr." in raw
    assert "Du har måske fået 340,00 kr. for meget." in flat(raw)
    assert ("April 2024: Din arbejdsgiver har rettet lønnen for marts 2024 fra 20.000,00 kr. til 20.400,00 kr."
            in flat(raw))
