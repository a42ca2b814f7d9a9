"""Any letter as a Digital Post message (MeMo 1.1, ``flexcalc.formats.memo``): its PDF as the main document,
to the case's person (the CPR number stored on the case) or to a company (a CVR number given), from the
municipality of the deployment's profile (its ``cvr`` and name). Nothing is sent: the message is written to a
file, and the caseworker records the sending with its message id (``letters sent --message-id``)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from flexcalc.errors import InputError
from flexcalc.formats.memo import Party, memo_message, party
from flexcalc.ledger.read.letters import case_cpr

from .facts import get_case_or_fail
from .profile import municipality


def sender() -> Party:
    """The municipality as the message's sender (CVR number and name from its profile)."""
    profile = municipality()
    if not profile.cvr:
        raise InputError("municipality.cvr", "the municipality profile has no CVR number (needed as the Digital "
                         "Post sender)", "kommunens profil har intet CVR-nummer (det skal bruges som afsender i "
                         "Digital Post)", code="memo_sender_cvr")
    return party(profile.cvr, "CVR", profile.name, "municipality.cvr")


def recipient(session: Session, case_id: str, recipient_cvr: str | None = None) -> Party:
    """The recipient: a company's CVR number when given, else the person of the case by the stored CPR."""
    if recipient_cvr is not None:
        return party(recipient_cvr, "CVR", field="recipient_cvr")
    cpr = case_cpr(session, get_case_or_fail(session, case_id))
    if not cpr:
        raise InputError("recipient", f"case {case_id} has no CPR number stored: Digital Post needs it",
                         f"sag {case_id} har intet CPR-nummer: Digital Post skal bruge det", code="memo_no_cpr")
    return party(cpr, "CPR")


def letter_as_memo(session: Session, *, case_id: str, title: str, kind: str, pdf: bytes,
                   recipient_cvr: str | None = None) -> tuple[str, bytes]:
    """(message UUID, MeMo XML) for a letter's PDF."""
    return memo_message(pdf, title=title, sender=sender(), recipient=recipient(session, case_id, recipient_cvr),
                        filename=f"{kind}-{case_id}.pdf")
