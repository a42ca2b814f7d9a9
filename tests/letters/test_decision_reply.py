"""The decision letter after a hearing: it states what the person replied (the caseworker's summary for the
letter) and how it was weighed, never the internal note, and cites the statutory basis of repayment (LAB § 125
with BEK 585/2023) beside Ankestyrelsen's practice. Read back from the text and from the PDF."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

from pypdf import PdfReader
from sqlalchemy.orm import Session

from flexcalc.ledger.corrections import record_decision
from flexcalc.ledger.hearings import record_hearing_reply, record_hearing_sent
from flexcalc.ledger.store import transaction
from flexcalc.letters import decision_letter
from flexcalc.letters.document import Letter
from tests.letters.support import LIX_TARGET, correction_id, lix, replay_fixture

UTC = dt.UTC
NOTE = "Intern: ring til arbejdsgiveren om fejlen i februar"


def _decided(sqlite_url: str) -> tuple[Callable[[], Session], int]:
    """r_marked_correction's possible repayment of −165,00 kr. (March 2024, made 5 June 2024): a hearing letter
    on 10 June (reply by 24 June), the reply on 20 June, decided collect on 28 June."""
    factory = replay_fixture("r_marked_correction", sqlite_url)
    cid = correction_id(factory, "S2", "-165.00")
    with transaction(factory) as session:
        record_hearing_sent(session, "S2", cid, "2024-06-10", None, "sb-17", "L-1")
        record_hearing_reply(session, "S2", cid, "2024-06-20", "Svar: vidste ikke det", "sb-17",
                             today=dt.date(2024, 6, 28))
        record_decision(session, cid, "collect", "Lønsedlen for februar viste den rigtige løn", "sb-17",
                        knowledge="should_have_known", decided_at=dt.datetime(2024, 6, 28, 9, tzinfo=UTC),
                        reply_summary="Du skrev, at du ikke vidste, at lønnen var rettet",
                        reply_weighing="Lønsedlen for februar viste den rettede løn, så du burde have set det",
                        internal_note=NOTE)
    return factory, cid


def _pdf(letter: Letter) -> str:
    reader = PdfReader(io.BytesIO(letter.pdf()))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def test_the_decision_letter_states_the_reply_and_how_it_was_weighed(sqlite_url: str) -> None:
    factory, cid = _decided(sqlite_url)
    with factory() as session:
        letter = decision_letter(session, cid, dt.date(2024, 7, 1))
    text = " ".join(letter.text().split())
    assert "Du svarede os: Du skrev, at du ikke vidste, at lønnen var rettet." in text
    assert ("Sådan har vi vurderet dit svar: Lønsedlen for februar viste den rettede løn, så du burde have set "
            "det.") in text
    assert NOTE not in text and "ring til arbejdsgiveren" not in text  # the internal note stays in the case file
    references = [p.reference for p in letter.provisions]
    assert "Lov om en aktiv beskæftigelsesindsats (LAB) § 125 og bekendtgørelse nr. 585 af 2023" in references
    assert "Ankestyrelsens principmeddelelse 6-23" in references  # the practice stays beside the statute
    assert letter.facts["reply_summary"] == "Du skrev, at du ikke vidste, at lønnen var rettet"
    assert lix(letter.running_text()) <= LIX_TARGET
    pdf = _pdf(letter)
    for expected in ("Du svarede os", "Sådan har vi vurderet dit svar", "§ 125", "585 af 2023",
                     "principmeddelelse 6-23"):
        assert expected in pdf, expected
    assert "ring til arbejdsgiveren" not in pdf
