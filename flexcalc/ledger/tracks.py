"""Regulation and repayment: the two tracks of a correction (efterregulering).

Every correction of a paid month takes one track, decided by its causes from the law table
``flexcalc/law/data/correction_tracks.yaml`` (each row with its provision and source; docs/decisions.md,
"Regulation and repayment: two tracks"):

- ``regulation``: the difference has a basis in the rules and is settled against the following payments
  without the "knew or should have known" assessment and without a hearing — after holiday on
  ledighedsydelse (BEK 227/2024 § 10, stk. 2), a provisional first payment settled on the report. An
  underpayment (efterbetaling) is always this track: it is paid in the next payment run.
- ``repayment_review``: an overpayment recovered only by a decision under LAB § 125 after a hearing
  (forvaltningsloven § 19) and the assessment of good faith (Ankestyrelsen PM 6-23).

A correction with several causes takes ``repayment_review`` if any cause does: the protective track wins.
The report a provisional payment was waiting for is not a "late report" when it settles that payment.
Nothing here computes an amount; the netting is ``flexcalc.ledger.settlement``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from decimal import Decimal
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from flexcalc.law.lawdata import LAW_DIR, LawDataError, _read


class Track(StrEnum):
    REGULATION = "regulation"
    REPAYMENT_REVIEW = "repayment_review"


TRACK_WORDS: dict[str, tuple[str, str]] = {
    Track.REGULATION: ("regulation: settled against the following payments without a hearing",
                       "regulering: modregnes i de næste udbetalinger uden partshøring"),
    Track.REPAYMENT_REVIEW: ("repayment review: hearing, assessment and decision (LAB § 125)",
                             "mulig tilbagebetaling: partshøring, vurdering og afgørelse (LAB § 125)"),
}


class TrackRow(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    track: Track
    reference: str
    source: str
    note: str | None = None
    events: dict[str, TrackRow] | None = None


class Withholding(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    regulation_share: Decimal
    regulation_reference: str
    regulation_note: str
    setoff_reference: str
    setoff_note: str


class TrackTable(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    causes: dict[str, TrackRow]
    withholding: Withholding


@cache
def track_table(directory: Path = LAW_DIR) -> TrackTable:
    table = TrackTable.model_validate(_read("correction_tracks", directory))
    if not Decimal(0) < table.withholding.regulation_share <= Decimal(1):
        raise LawDataError("correction_tracks.yaml: regulation_share must be above 0 and at most 1")
    return table


def _row(cause: str) -> TrackRow:
    try:
        return track_table().causes[str(cause)]
    except KeyError:
        raise LawDataError(f"correction_tracks.yaml has no row for the cause '{cause}'") from None


def event_kinds(events_json: str | None) -> frozenset[str]:
    """The kinds of what a registration's ``events`` object holds: each period's kind,
    ``holiday_ledighedsydelse`` for counted days on ledighedsydelse, and ``other`` for anything else
    (incomes, sickness benefit, ceiling changes …), which the table does not regulate."""
    if not events_json:
        return frozenset()
    data: dict[str, Any] = json.loads(events_json)
    kinds: set[str] = set()
    for key, value in data.items():
        if value in (None, [], {}, "0", 0):
            continue
        if key == "periods":
            kinds.update(str(p.get("kind")) for p in value)
        elif key in ("ledighedsydelse_days", "holiday_days"):
            kinds.add("holiday_ledighedsydelse" if key == "ledighedsydelse_days" else "holiday_days")
        else:
            kinds.add("other")
    return frozenset(kinds)


def cause_track(cause: str, kinds: frozenset[str] = frozenset()) -> Track:
    """The track of one cause; for ``events_registered`` the events' kinds decide: regulation only when
    every kind has a regulation row of its own."""
    row = _row(cause)
    if row.events is not None and kinds:
        tracks = {row.events[k].track if k in row.events else row.track for k in kinds}
        return Track.REPAYMENT_REVIEW if Track.REPAYMENT_REVIEW in tracks else Track.REGULATION
    return row.track


def track_for(reasons: Iterable[str], difference: Decimal, kinds: frozenset[str] = frozenset()) -> Track:
    """The track of a correction: an underpayment is paid (regulation); an overpayment is a regulation
    only when every cause is."""
    if difference > 0:
        return Track.REGULATION
    causes = {str(r) for r in reasons}
    if "provisional_settled" in causes:
        causes.discard("late_report")  # the report the provisional payment was waiting for is not "late"
    tracks = {cause_track(r, kinds) for r in causes}
    if not tracks or Track.REPAYMENT_REVIEW in tracks:
        return Track.REPAYMENT_REVIEW
    return Track.REGULATION


def basis_of(reasons: Iterable[str], kinds: frozenset[str] = frozenset()) -> str:
    """The provisions the track rests on, for the correction's legal basis."""
    refs: list[str] = []
    for r in reasons:
        row = _row(r)
        matched = [row.events[k].reference for k in sorted(kinds) if row.events is not None and k in row.events]
        refs += matched or [row.reference]
    return "; ".join(dict.fromkeys(refs))


def track_of(correction: Any) -> Track:
    """The stored track, or for a correction stored before tracks: payable → regulation (paid), else
    repayment_review (as it was handled then)."""
    stored = getattr(correction, "track", None)
    if stored:
        return Track(stored)
    return Track.REGULATION if str(correction.status) == "payable" else Track.REPAYMENT_REVIEW


def is_repayment_review(correction: Any) -> bool:
    """A possible repayment that takes a hearing and a decision: negative and on that track."""
    return str(correction.status) == "repayment_review" and track_of(correction) == Track.REPAYMENT_REVIEW


REGULATION_BASIS_DA = ("Reguleringen har hjemmel i reglerne og modregnes i de næste udbetalinger uden vurdering af, "
                       "om du vidste eller burde vide, at beløbet var for stort")


PLAIN_CAUSE_DA: dict[str, str] = {
    "events_registered": "fordi du holdt ferie med ledighedsydelse",
    "provisional_settled": "fordi vi først betalte ud fra din lønseddel. Nu har vi lønnen fra Skat",
}
"""Why a regulation was made, in plain Danish for the citizen (short words, short sentences: LIX ≤ 35)."""


def plain_cause_da(reasons: Iterable[str]) -> str:
    """The regulation's cause for the citizen's letters."""
    words = [PLAIN_CAUSE_DA[str(r)] for r in reasons if str(r) in PLAIN_CAUSE_DA]
    return " og ".join(words) if words else "fordi vi har regnet tilskuddet ud igen"
