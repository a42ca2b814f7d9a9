"""Letters that agree with each other: the municipality profile in every letter, the sender by the letter's
date (dated data), the complaint deadline by the channel chosen at drafting (hand-counted across weekends,
month ends, a year end and Easter), the monthly specification on the wage as corrected, tagged PDFs (PDF/UA:
structure tree, language da, heading and table tags), and a stale or superseded draft refused."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from flexcalc.errors import InputError
from flexcalc.ledger.store import transaction
from flexcalc.letters import decision_letter, hearing_letter, specification_letter
from flexcalc.letters.deadline import closed_days, complaint_deadline, easter_sunday, is_open_day, received_on
from flexcalc.letters.document import Letter
from flexcalc.letters.models import LetterApproval, LetterSending
from flexcalc.letters.profile import sender_on
from flexcalc.letters.store import approve_letter, mark_letter_sent, save_letter
from flexcalc.period import Month
from tests.letters.support import LIX_TARGET, correction_id, decide, lix, replay_fixture, rising_wage_case

D = dt.date
UTC = dt.UTC


def flat(text: str) -> str:
    return " ".join(text.split())


def pdf_of(letter: Letter) -> PdfReader:
    return PdfReader(io.BytesIO(letter.pdf()))


def pdf_text(letter: Letter) -> str:
    return flat("\n".join(page.extract_text() for page in pdf_of(letter).pages))


@pytest.fixture
def r_marked(sqlite_url: str) -> tuple[Callable[[], Session], int]:
    """r_marked_correction: March −165,00 (a possible repayment), recorded 5 June 2024."""
    factory = replay_fixture("r_marked_correction", sqlite_url)
    return factory, correction_id(factory, "S2", "-165.00")


# --- received and deadline, counted by hand --------------------------------------------------------------------

@pytest.mark.parametrize(("letter_date", "channel", "received", "deadline"), [
    # Digital Post: received the same day; 4 weeks on; a deadline on a weekend moves to Monday.
    (D(2024, 7, 1), "digital_post", D(2024, 7, 1), D(2024, 7, 29)),           # Mon → Mon
    (D(2024, 1, 31), "digital_post", D(2024, 1, 31), D(2024, 2, 28)),         # month end, leap February
    (D(2024, 12, 3), "digital_post", D(2024, 12, 3), D(2025, 1, 2)),          # 31 Dec, 1 Jan closed → 2 Jan
    (D(2024, 11, 30), "digital_post", D(2024, 11, 30), D(2024, 12, 30)),      # Sat letter: 28 Dec is a Sat → 30th
    # Paper: 6 delivery days (weekdays, not holidays, not 24/31 Dec, not 5 June), then 4 weeks.
    (D(2024, 7, 1), "paper", D(2024, 7, 9), D(2024, 8, 6)),                   # Mon: 2,3,4,5,8,9 July
    (D(2024, 7, 5), "paper", D(2024, 7, 15), D(2024, 8, 12)),                 # Fri: 8,9,10,11,12,15
    (D(2024, 1, 29), "paper", D(2024, 2, 6), D(2024, 3, 5)),                  # across a month end
    (D(2024, 12, 20), "paper", D(2025, 1, 6), D(2025, 2, 3)),                 # 23,27,30 Dec, 2,3,6 Jan
    (D(2026, 3, 27), "paper", D(2026, 4, 9), D(2026, 5, 7)),                  # Easter 2026: 2,3,6 April closed
    (D(2026, 5, 29), "paper", D(2026, 6, 9), D(2026, 7, 7)),                  # 1-4, 8, 9 June: 5 June closed
])
def test_received_and_deadline_by_hand(letter_date: dt.date, channel: str, received: dt.date,
                                       deadline: dt.date) -> None:
    assert received_on(letter_date, channel) == received
    assert complaint_deadline(letter_date, channel) == deadline


def test_holidays_by_hand() -> None:
    assert [easter_sunday(y) for y in (2024, 2025, 2026, 2027)] == [D(2024, 3, 31), D(2025, 4, 20), D(2026, 4, 5),
                                                                    D(2027, 3, 28)]
    assert D(2023, 5, 5) in closed_days(2023)          # Store bededag 2023 (the last)
    assert D(2024, 4, 26) not in closed_days(2024)     # abolished from 2024
    assert {D(2026, 5, 14), D(2026, 5, 24), D(2026, 5, 25)} <= closed_days(2026)  # Kr. himmelfart, pinse


def test_a_paper_deadline_is_never_earlier_than_the_digital_one() -> None:
    day = D(2024, 1, 1)
    while day < D(2027, 1, 1):
        paper, digital = complaint_deadline(day, "paper"), complaint_deadline(day, "digital_post")
        assert paper > digital and paper.weekday() < 5 and digital.weekday() < 5, day
        assert (received_on(day, "paper") - day).days >= 8 or day.weekday() == 0, day  # 6 weekdays span a weekend
        for channel, deadline in (("paper", paper), ("digital_post", digital)):
            four_weeks = received_on(day, channel) + dt.timedelta(weeks=4)
            assert deadline >= four_weeks  # never shorter than 4 weeks from receipt
            moved = [four_weeks + dt.timedelta(days=n) for n in range((deadline - four_weeks).days)]
            assert all(not is_open_day(d) for d in moved), (day, channel)  # moved only past closed days
        day += dt.timedelta(days=1)


def test_the_sender_follows_the_letters_date() -> None:
    assert sender_on(D(2026, 1, 31)).contact_da == "jobcentret"
    assert sender_on(D(2026, 2, 1)).contact_da == "kommunen"
    assert "1750" in sender_on(D(2026, 2, 1)).reference


# --- what the PDF says ------------------------------------------------------------------------------------------

def test_decision_pdf_has_profile_sender_and_channel_deadline(r_marked: tuple[Callable[[], Session], int]) -> None:
    factory, cid = r_marked
    decide(factory, cid, "collect", "Lønsedlen viste den rigtige løn", "should_have_known",
           dt.datetime(2024, 6, 28, 9, tzinfo=UTC))
    with factory() as session:
        before = decision_letter(session, cid, D(2026, 1, 30), "digital_post")
        after = decision_letter(session, cid, D(2026, 2, 2), "paper")
    old, new = pdf_text(before), pdf_text(after)
    for text in (old, new):
        for expected in ("Demo Kommune", "Rådhuspladsen 1", "9999 Demoby", "70 10 20 30",
                         "mandag til torsdag kl. 10-15", "Demo Kommune, Fleksjob (på borger.dk)",
                         "demo-kommune.example/fleksjob", "demo-profil"):
            assert expected in text, expected
        assert "Du kan skrive eller ringe på 70 10 20 30." in text  # "skriv eller ring" gives the number
    assert "ringe til jobcentret på 70 10 20 30" in old and "Jobcentret, fleksløntilskud" in old
    assert "kommunen" in new and "jobcentret" not in new.lower()
    assert "ringe til kommunen på 70 10 20 30" in new
    # 30 Jan 2026 (Fri), Digital Post: received that day; 27 Feb 2026 (Fri)
    assert ("Vi sender brevet med Digital Post den 30. januar 2026. Du har fået det samme dag. Derfor er fristen "
            "den 27. februar 2026.") in old
    # 2 Feb 2026 (Mon), paper: 3,4,5,6,9,10 Feb → 10 Feb; +4 weeks = 10 March 2026 (Tue)
    assert ("Vi sender brevet med almindelig post den 2. februar 2026. Vi regner med, at du får det den "
            "10. februar 2026. Derfor er fristen den 10. marts 2026.") in new
    assert after.complaint_deadline == D(2026, 3, 10) and after.facts["received_on"] == "2026-02-10"


def test_hearing_letter_gives_the_phone_number(r_marked: tuple[Callable[[], Session], int]) -> None:
    factory, cid = r_marked
    with factory() as session:
        letter = hearing_letter(session, [cid], D(2024, 6, 10), channel="paper")
    text = pdf_text(letter)
    assert "Du kan skrive til os eller ringe på 70 10 20 30." in text
    assert "Sendt med almindelig post" in text
    # 10 June 2024 (Mon) by paper: received 18 June (11-14, 17, 18); the person still has 14 days: 2 July
    assert letter.reply_by == D(2024, 7, 2) and "Vi skal have dit svar senest den 2. juli 2024." in text
    with factory() as session:
        assert hearing_letter(session, [cid], D(2024, 6, 10)).reply_by == D(2024, 6, 24)  # Digital Post: +14 days


def test_pdf_is_tagged_with_headings_tables_and_danish(r_marked: tuple[Callable[[], Session], int]) -> None:
    factory, cid = r_marked
    with factory() as session:
        reader = pdf_of(hearing_letter(session, [cid], D(2024, 6, 10)))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "da"
    assert bool(root["/MarkInfo"]["/Marked"])
    tags: set[str] = set()

    def walk(node: object, depth: int = 0) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, dict):
            if "/S" in node:
                tags.add(str(node["/S"]))
            kids = node.get("/K")
            if kids is not None:
                for kid in kids if isinstance(kids, list) else [kids]:
                    walk(kid, depth + 1)
        elif isinstance(node, list):
            for item in node:
                walk(item, depth + 1)

    walk(root["/StructTreeRoot"])
    assert {"/H1", "/H2", "/Table", "/TR", "/TH", "/TD", "/P", "/L", "/LI"} <= tags, tags


def test_no_profile_is_a_clear_error(r_marked: tuple[Callable[[], Session], int],
                                     monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    factory, cid = r_marked
    monkeypatch.delenv("FLEXCALC_MUNICIPALITY")
    with factory() as session, pytest.raises(InputError) as error:
        hearing_letter(session, [cid], D(2024, 6, 10))
    assert (error.value.field, error.value.code) == ("municipality", "no_municipality")
    assert "kommuneprofil" in error.value.reason_da and "FLEXCALC_MUNICIPALITY" in error.value.reason_en
    bad = tmp_path / "kommune.yaml"
    bad.write_text("name: Aarhus Kommune\nphone: ring bare\n", encoding="utf-8")
    monkeypatch.setenv("FLEXCALC_MUNICIPALITY", str(bad))
    with factory() as session, pytest.raises(InputError) as error:
        hearing_letter(session, [cid], D(2024, 6, 10))
    assert error.value.code == "municipality_invalid" and "kommune.yaml" in error.value.reason_da
    real = tmp_path / "aarhus.yaml"
    real.write_text("name: Aarhus Kommune\naddress: [Rådhuspladsen 2, 8000 Aarhus C]\nphone: '89 40 20 00'\n"
                    "opening_hours: mandag-fredag kl. 10-14\ndigital_post: Aarhus Kommune, Fleksjob\n"
                    "web: aarhus.dk/fleksjob\n", encoding="utf-8")
    monkeypatch.setenv("FLEXCALC_MUNICIPALITY", str(real))
    with factory() as session:
        text = pdf_text(hearing_letter(session, [cid], D(2024, 6, 10)))
    assert "Aarhus Kommune" in text and "89 40 20 00" in text and "demo-profil" not in text


# --- the specification on the wage as corrected -----------------------------------------------------------------

def test_specification_states_the_wage_now_and_no_repayment_as_owed(sqlite_url: str) -> None:
    factory = rising_wage_case(sqlite_url)  # March paid on February 15.600; corrected to 16.000 on 9 April
    with factory() as session:
        letter = specification_letter(session, "SP", Month(2024, 3), D(2024, 4, 10))
    text = pdf_text(letter)
    assert "Tilskuddet bygger på din løn i februar 2024. Den er 16.000,00 kr. med pension." in text
    assert "Da vi betalte tilskuddet ud, regnede vi med en løn på 15.600,00 kr." in text
    assert letter.facts["wage_now"] == "16000.00" and letter.facts["basis_wage"] == "15600.00"
    assert "Du skal ikke betale noget nu." in text
    assert "Du skal betale" not in text and "Klagevejledning" not in text  # pending: nothing owed, no decision
    assert letter.complaint_deadline is None


def test_specification_after_a_decision_refers_to_its_guidance(sqlite_url: str) -> None:
    factory = rising_wage_case(sqlite_url)
    cid = correction_id(factory, "SP", "-120.00")
    decide(factory, cid, "waive", "Du kunne ikke vide det", "did_not_know", dt.datetime(2024, 4, 12, 9, tzinfo=UTC))
    with factory() as session:
        letter = specification_letter(session, "SP", Month(2024, 3), D(2024, 4, 15), "paper")
    text = pdf_text(letter)
    assert ("Klagevejledning Du kan klage over vores afgørelse om marts 2024. Fristen og hvordan du klager står i "
            "brevet med afgørelsen.") in text
    assert "Du fik 120,00 kr. for meget. Du skal ikke betale det tilbage." in text
    assert letter.complaint_deadline is None  # the decision letter's deadline, not a new one


def test_specification_with_an_additional_payment_has_complaint_guidance(
        r_marked: tuple[Callable[[], Session], int]) -> None:
    factory, _ = r_marked
    payable = correction_id(factory, "S2", "660.00")
    with factory() as session:
        from flexcalc.ledger.models import Correction

        month = session.get(Correction, payable).benefit_month  # type: ignore[union-attr]
        letter = specification_letter(session, "S2", month, D(2024, 6, 10), "paper")
    text = pdf_text(letter)
    assert "Du får 660,00 kr. ekstra" in text
    assert "Klagevejledning Du kan klage over den nye beregning af dit tilskud." in text
    # 10 June 2024 (Mon), paper: 11,12,13,14,17,18 → 18 June; +4 weeks = 16 July 2024 (Tue)
    assert "Vi regner med, at du får det den 18. juni 2024. Derfor er fristen den 16. juli 2024." in text
    assert letter.complaint_deadline == D(2024, 7, 16)
    assert "Du kan også klage over vores afgørelse" not in text  # the possible repayment is not decided


def test_lix_of_the_new_text(r_marked: tuple[Callable[[], Session], int], sqlite_url: str) -> None:
    factory, cid = r_marked
    decide(factory, cid, "collect", "Lønsedlen viste den rigtige løn", "knew", dt.datetime(2024, 6, 28, 9, tzinfo=UTC))
    with factory() as session:
        decision = decision_letter(session, cid, D(2026, 2, 2), "paper")
        decision_text = decision.running_text()
    spec_factory = rising_wage_case(sqlite_url)
    with spec_factory() as session:
        spec = specification_letter(session, "SP", Month(2024, 3), D(2024, 4, 10), "paper")
    figures = {"decision (paper, kommunen)": lix(decision_text), "specification (wage now)": lix(spec.running_text())}
    print("LIX: " + ", ".join(f"{k} {v:.1f}" for k, v in figures.items()))
    assert all(v <= LIX_TARGET for v in figures.values()), figures


# --- stale and superseded drafts --------------------------------------------------------------------------------

def test_a_superseded_or_stale_draft_is_refused_and_nothing_stored(
        r_marked: tuple[Callable[[], Session], int]) -> None:
    factory, cid = r_marked
    with transaction(factory) as session:
        first = save_letter(session, hearing_letter(session, [cid], D(2024, 6, 10)), "sb")
        first_id, first_sha = first.id, first.content_sha256
    with transaction(factory) as session:
        second = save_letter(session, hearing_letter(session, [cid], D(2024, 6, 11), channel="paper"), "sb")
        second_id, second_sha = second.id, second.content_sha256
    for call, code in ((lambda s: approve_letter(s, first_id, "sb"), "superseded"),
                       (lambda s: approve_letter(s, second_id, "sb", first_sha), "stale_letter")):
        with pytest.raises(InputError) as error, transaction(factory) as session:
            call(session)
        assert error.value.code == code
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(LetterApproval)) == 0
    with transaction(factory) as session:
        approve_letter(session, second_id, "sb", second_sha)
    with pytest.raises(InputError) as error, transaction(factory) as session:
        mark_letter_sent(session, second_id, "sb", "digital_post", expect_sha256=second_sha)
    assert (error.value.field, error.value.code) == ("channel", "channel_mismatch")  # drafted for paper
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(LetterSending)) == 0
    with transaction(factory) as session:
        mark_letter_sent(session, second_id, "sb", "post", expect_sha256=second_sha)
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(LetterSending)) == 1
