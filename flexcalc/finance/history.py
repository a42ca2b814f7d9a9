"""Counting a person's weeks with benefits from their history (§§ 3, 6 and 30 stk. 1).

Lov om kommunernes finansiering … (LBK 221/2021):
- § 3: the weeks are counted per person across every benefit the law covers (dagpenge, kontanthjælp,
  sygedagpenge, ledighedsydelse, fleksløntilskud, …), not per benefit and not per job;
- § 6 stk. 1: the count starts again when the person, after the first week with benefits, has had
  52 whole calendar weeks of self-support in total within the last 3 years;
- § 6 stk. 2: self-support is a period without public support and without employment with a wage
  subsidy — so a fleksjob week, or any subsidised job, is never self-support;
- § 30 stk. 1: weeks count from 1 July 2014.

Decided (docs/decisions.md, "Finance — counting weeks"): a week with benefits is a calendar week
(Monday–Sunday) with at least one day of a benefit; a whole calendar week of self-support is one with
no day of a benefit and no day of subsidised work; "within the last 3 years" is the 156 calendar
weeks up to the week being counted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from flexcalc.errors import InputError

from .cohort import COUNT_FROM
from .ladder import monday_of

Kind = Literal["benefit", "subsidised_work"]
WEEK = dt.timedelta(days=7)
SELF_SUPPORT_WEEKS = 52
WINDOW_WEEKS = 156


@dataclass(frozen=True, slots=True)
class Period:
    """Days ``start``…``end`` (inclusive) with a benefit (any of § 3) or with subsidised work."""

    kind: Kind
    start: dt.date
    end: dt.date
    benefit: str = ""

    def __post_init__(self) -> None:
        if self.kind not in ("benefit", "subsidised_work"):
            raise InputError("history.kind", "must be benefit or subsidised_work",
                             "skal være benefit (ydelse) eller subsidised_work (støttet arbejde)")
        if self.end < self.start:
            raise InputError("history.end", "must not be before the start", "må ikke ligge før starten")


def _weeks(periods: Iterable[Period], kind: Kind) -> set[dt.date]:
    mondays: set[dt.date] = set()
    for period in periods:
        if period.kind != kind:
            continue
        monday = monday_of(period.start)
        while monday <= period.end:
            mondays.add(monday)
            monday += WEEK
    return mondays


def weeks_before(history: Sequence[Period], first_day: dt.date,
                 counted: Sequence[tuple[dt.date, int]] = ()) -> int:
    """The benefit weeks counted before the calendar week of ``first_day`` (the ``weeks_before`` of
    ``flexcalc.finance.ladder``), restarting after 52 weeks of self-support within 3 years (§ 6).

    ``counted`` holds counts taken over from another system: (day, n) says n weeks were counted before
    the calendar week of ``day``; the count then goes on from there (the weeks before it are that
    system's, already with its restarts)."""
    benefit = _weeks(history, "benefit")
    subsidised = _weeks(history, "subsidised_work")
    stop = monday_of(first_day)
    start = monday_of(COUNT_FROM)
    anchors = {monday_of(day): n for day, n in sorted(counted) if monday_of(day) <= stop}
    if stop in anchors:  # counted up to this very week by the other system
        return anchors[stop]
    count = 0
    self_support: list[dt.date] = []  # whole weeks of self-support since the count (re)started
    started = False
    monday = min([*(m for m in benefit if m >= start), *anchors], default=stop)
    while monday < stop:
        if monday in anchors:
            count, self_support, started = anchors[monday], [], anchors[monday] > 0
        if monday in benefit:
            window_start = monday - WINDOW_WEEKS * WEEK
            if started and sum(1 for m in self_support if m >= window_start) >= SELF_SUPPORT_WEEKS:
                count, self_support = 0, []
            count += 1
            started = True
        elif started and monday not in subsidised:
            self_support.append(monday)
        monday += WEEK
    return count


def read_history_text(text: str) -> list[Period]:
    """A benefit history as CSV ``kind,start,end,benefit`` (kind ``benefit`` or ``subsidised_work``; dates
    YYYY-MM-DD, inclusive). Bad rows raise ``InputError`` naming the row and column."""
    import csv
    import io

    from flexcalc.parsing.inputs import parse_date

    out = []
    for index, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        where = f"history row {index}"
        kind = str(row.get("kind") or "").strip()
        if kind not in ("benefit", "subsidised_work"):
            raise InputError(f"{where}.kind", "must be benefit or subsidised_work",
                             "skal være benefit (ydelse) eller subsidised_work (støttet arbejde)")
        out.append(Period(kind, parse_date(row.get("start"), f"{where}.start"),  # type: ignore[arg-type]
                          parse_date(row.get("end"), f"{where}.end"), str(row.get("benefit") or "")))
    return out
