"""Importing earlier benefit history from another system into the ledger's refund history
(``flexcalc finance history import FILE.csv``, ``POST /v1/finance/history``).

Two CSV layouts (comma or semicolon separated, UTF-8; docs/finance.md):

1. Periods, one fact a row: ``case_id`` or ``cpr``, ``kind``, ``start``, ``end``, and optionally
   ``benefit``, ``weeks``, ``source``, ``known_at``.
   ``kind`` is ``benefit`` (days with a public benefit of LBK 221/2021 § 3: give the benefit, e.g.
   ``ledighedsydelse``), ``subsidised_work`` (a job with a wage subsidy, § 6 stk. 2), ``visitation`` (the
   visitation date in ``start``, § 30), ``job_start`` (a fleksjob's first day in ``start``) or
   ``counted_weeks`` (``weeks`` counted before the calendar week of ``start``, as the other system
   counted them). ``source`` names where the row comes from (default: the file's name).
2. The refund profile file kept from before (``case_id,visitation_date,job_start,month,weeks_before``):
   each row becomes a visitation date, a job start and a count of weeks before ``month``.

A ``cpr`` is matched to the cases' stored CPR numbers at the door and only the case id goes on; a CPR
number with no case is counted (``unknown_cpr``), never echoed or stored. A row of a case id that does
not exist is an error naming the row. The whole file is checked first; nothing is stored half-written.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from flexcalc.errors import InputError
from flexcalc.ledger.refund_history import HistoryFact, cases_by_cpr, known_cases, record_history
from flexcalc.parsing.identifiers import looks_like_cpr
from flexcalc.parsing.inputs import parse_date

from .ladder import check_weeks_before

PERIOD_KINDS = ("benefit", "subsidised_work", "visitation", "job_start", "counted_weeks")
PROFILE_COLUMNS = ("case_id", "visitation_date", "job_start", "month", "weeks_before")
LOCAL = "Europe/Copenhagen"


@dataclass(slots=True)
class ParsedRow:
    row: int
    case_id: str | None
    cpr: str | None
    kind: str
    start: dt.date
    end: dt.date | None = None
    weeks: int | None = None
    benefit: str = ""
    source: str = ""
    known_at: dt.datetime | None = None


@dataclass(slots=True)
class ImportResult:
    rows: int = 0
    stored: int = 0
    already_stored: int = 0
    unknown_cpr: int = 0
    cases: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"rows": self.rows, "stored": self.stored, "already_stored": self.already_stored,
                "unknown_cpr": self.unknown_cpr, "cases": self.cases}


def _reader(text: str) -> csv.DictReader[str]:
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter)


def _known_at(raw: str, where: str) -> dt.datetime | None:
    from zoneinfo import ZoneInfo

    text = raw.strip()
    if not text:
        return None
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise InputError(f"{where}.known_at", "must be a date or an ISO 8601 instant",
                         "skal være en dato eller et tidspunkt (ISO 8601)", code="instant_format") from None
    return value.replace(tzinfo=ZoneInfo(LOCAL)) if value.tzinfo is None else value


def _person(row: dict[str, Any], where: str) -> tuple[str | None, str | None]:
    """(case id, CPR) of a row; a CPR-shaped value in ``case_id`` is taken as a CPR (never echoed)."""
    cpr = str(row.get("cpr") or "").strip().replace("-", "")
    case_id = str(row.get("case_id") or "").strip()
    if case_id and looks_like_cpr(case_id):
        cpr, case_id = case_id.replace("-", ""), ""
    if cpr:
        if not (len(cpr) == 10 and cpr.isdigit()):
            raise InputError(f"{where}.cpr", "must be 10 digits (DDMMYY-XXXX)", "skal være 10 cifre (DDMMÅÅ-XXXX)",
                             code="cpr_format")
        return None, cpr
    if not case_id:
        raise InputError(f"{where}.case_id", "give case_id or cpr", "angiv case_id eller cpr", code="missing")
    return case_id, None


def parse_history_import(text: str, default_source: str = "import") -> list[ParsedRow]:
    """Every row of an import file, checked (see the module text); an error names the row and column."""
    try:
        return _parse(text, default_source)
    except csv.Error as error:
        raise InputError("history", f"not readable as CSV: {error}", "kan ikke læses som CSV",
                         code="file_malformed") from None


def _parse(text: str, default_source: str) -> list[ParsedRow]:
    reader = _reader(text)
    columns = [c.strip() for c in (reader.fieldnames or [])]
    reader.fieldnames = columns
    if set(PROFILE_COLUMNS) <= set(columns) or {"case_id", "month", "weeks_before"} <= set(columns):
        return _parse_profiles(reader, default_source)
    missing = [c for c in ("kind", "start") if c not in columns]
    if missing or not ({"case_id", "cpr"} & set(columns)):
        needed = [*missing, *([] if {"case_id", "cpr"} & set(columns) else ["case_id|cpr"])]
        raise InputError("history", f"missing columns: {', '.join(needed)}", f"mangler kolonner: {', '.join(needed)}",
                         code="column_missing")
    out = []
    for index, row in enumerate(reader, start=2):
        where = f"row {index}"
        case_id, cpr = _person(row, where)
        kind = str(row.get("kind") or "").strip()
        if kind not in PERIOD_KINDS:
            raise InputError(f"{where}.kind", f"must be one of {', '.join(PERIOD_KINDS)}",
                             f"skal være en af {', '.join(PERIOD_KINDS)}", code="kind")
        start = parse_date(row.get("start"), f"{where}.start")
        end_raw = str(row.get("end") or "").strip()
        end = parse_date(end_raw, f"{where}.end") if end_raw else None
        if kind in ("benefit", "subsidised_work"):
            if end is None:
                raise InputError(f"{where}.end", "is required for a period", "skal udfyldes for en periode",
                                 code="missing")
            if end < start:
                raise InputError(f"{where}.end", "must not be before the start", "må ikke ligge før starten",
                                 code="order")
        weeks = None
        if kind == "counted_weeks":
            weeks = check_weeks_before(str(row.get("weeks") or "").strip(), f"{where}.weeks")
        benefit = str(row.get("benefit") or "").strip()[:64]
        if kind == "benefit" and not benefit:
            raise InputError(f"{where}.benefit", "name the benefit (e.g. ledighedsydelse)",
                             "angiv ydelsen (fx ledighedsydelse)", code="missing")
        source = str(row.get("source") or "").strip() or default_source
        if looks_like_cpr(source) or looks_like_cpr(benefit):
            raise InputError(f"{where}.source", "must not hold a CPR number", "må ikke indeholde et CPR-nummer",
                             code="identifier_cpr")
        out.append(ParsedRow(index, case_id, cpr, kind, start, end if kind in ("benefit", "subsidised_work") else None,
                             weeks, benefit, source, _known_at(str(row.get("known_at") or ""), where)))
    return out


def _parse_profiles(reader: csv.DictReader[str], source: str) -> list[ParsedRow]:
    from .profiles import parse_profile

    out = []
    for index, row in enumerate(reader, start=2):
        where = f"row {index}"
        case_id, cpr = _person(row, where)
        profile = parse_profile({**row, "case_id": case_id or "cpr"}, where)
        if profile.visitation_date is not None:
            out.append(ParsedRow(index, case_id, cpr, "visitation", profile.visitation_date, source=source))
        if profile.job_start is not None:
            out.append(ParsedRow(index, case_id, cpr, "job_start", profile.job_start, source=source))
        out.append(ParsedRow(index, case_id, cpr, "counted_weeks", profile.month.first_day(),
                             weeks=profile.weeks_before, source=source))
    return out


def import_history(session: Session, text: str, recorded_by: str, default_source: str = "import") -> ImportResult:
    """Check the whole file, match CPR numbers to cases, store the facts (in the caller's transaction)."""
    rows = parse_history_import(text, default_source)
    by_cpr = cases_by_cpr(session, [r.cpr for r in rows if r.cpr])
    named = {r.case_id for r in rows if r.case_id}
    known = known_cases(session, named)
    result = ImportResult(rows=len({r.row for r in rows}))
    unknown_cprs: set[str] = set()
    facts = []
    for r in rows:
        if r.cpr is not None:
            case_id = by_cpr.get(r.cpr)
            if case_id is None:
                unknown_cprs.add(r.cpr)
                continue
        else:
            case_id = r.case_id or ""
            if case_id not in known:
                raise InputError(f"row {r.row}.case_id", f"the case '{case_id}' does not exist",
                                 f"sagen '{case_id}' findes ikke", code="unknown_case")
        facts.append(HistoryFact(case_id, r.kind, r.start, r.end, r.weeks, r.benefit, r.source, r.known_at))
    result.unknown_cpr = len(unknown_cprs)
    result.stored, result.already_stored = record_history(session, facts, recorded_by)
    result.cases = sorted({f.case_id for f in facts})
    return result
