"""Bulk import of cases: a municipality brings its caseload from the system it uses today.

The file (CSV or Parquet) has the columns ``case_id, ceiling, first_month, employer_ids`` and
optionally ``cpr``; ``employer_ids`` holds the CVR numbers of the known employments separated by
``;`` (empty: none). Each row is a case as ``store.create_case`` makes it: the ceiling (lønloft) from
the first benefit month (LAB § 123 stk. 3), and each employment reporting wage from the basis month
before it (LAB § 123 stk. 1: paid in arrears on the month before).

**All rows or none**: the whole file is checked first and every bad row is named by its line (CSV;
row for Parquet) and column — a case id twice, a ceiling that is not an amount, a first month outside
the rates table, a malformed CVR (8 digits), a malformed CPR (never echoed) — and then nothing is
stored. A case already stored with the same content is "already stored"; importing the same file
again is a no-op that says so. A case stored with other content is refused (line and column), never
overwritten: change a ceiling with ``case ceiling``, add an employment with ``case employer``.

The cases are written with multi-row inserts in one transaction (a 100.000-case file in seconds).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from flexcalc.errors import InputError, NoRatesError
from flexcalc.parsing.inputs import parse_amount
from flexcalc.period import Month

from .models import Case, Ceiling, Employment
from .store import CPR_RE, check_case_id, now, run_in_transaction

REQUIRED = ("case_id", "ceiling", "first_month", "employer_ids")
OPTIONAL = ("cpr",)
CVR_RE = re.compile(r"^[0-9]{8}$")
MAX_ERRORS = 100
"""At most this many bad rows are listed (the file is refused as a whole anyway)."""
_IN_CHUNK = 900  # parameters per IN (…) query, inside SQLite's limit


class CaseImportError(InputError):
    """The file is refused: every bad row with its line and column (``errors``), nothing stored."""

    def __init__(self, errors: list[InputError]) -> None:
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        more_da = f" (og {len(errors) - 1} mere)" if len(errors) > 1 else ""
        super().__init__(first.field, first.reason_en + more, first.reason_da + more_da, code=first.code)
        self.errors = errors

    def each(self) -> list[InputError]:
        return list(self.errors)


@dataclass(frozen=True, slots=True)
class CaseRow:
    """One checked row of the file."""

    where: str
    case_id: str
    ceiling: Decimal
    first_month: Month
    employer_ids: tuple[str, ...]
    cpr: str | None


@dataclass(slots=True)
class CaseImportResult:
    stored: list[str] = field(default_factory=list)
    already_stored: list[str] = field(default_factory=list)

    @property
    def no_op(self) -> bool:
        return not self.stored

    def message(self) -> tuple[str, str]:
        """What the import did, in English and Danish."""
        if self.no_op:
            return (f"nothing to do: all {len(self.already_stored)} cases are stored already",
                    f"intet at gøre: alle {len(self.already_stored)} sager er allerede gemt")
        return (f"{len(self.stored)} cases imported, {len(self.already_stored)} stored already",
                f"{len(self.stored)} sager importeret, {len(self.already_stored)} var allerede gemt")

    def to_dict(self) -> dict[str, Any]:
        en, da = self.message()
        return {"stored": self.stored, "already_stored": self.already_stored, "no_op": self.no_op,
                "counts": {"stored": len(self.stored), "already_stored": len(self.already_stored)},
                "message": en, "message_da": da}


def read_table(path: str | Path) -> tuple[list[dict[str, Any]], list[str], str]:
    """The rows of a CSV or Parquet file as dicts, their labels ("line 2" / "row 1") and the unit."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".parquet", ".pq"):
        return _read_parquet(path)
    if suffix != ".csv":
        raise InputError("file", f"'{path.name}' must end in .csv or .parquet",
                         f"'{path.name}' skal ende på .csv eller .parquet", code="file_format")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError("file", f"'{path}' does not exist", f"'{path}' findes ikke", code="file_missing") from None
    except UnicodeDecodeError:
        raise InputError("file", "is not UTF-8 text", "er ikke UTF-8-tekst", code="file_encoding") from None
    return read_csv_text(text)


def read_csv_text(text: str) -> tuple[list[dict[str, Any]], list[str], str]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    rows: list[dict[str, Any]] = []
    where: list[str] = []
    try:
        header = reader.fieldnames or []
        _check_header([h.strip() for h in header], "line 1", "linje 1")
        for row in reader:
            if None in row:
                raise InputError(f"line {reader.line_num}", "has more values than the header has columns",
                                 "har flere værdier end overskriften har kolonner", code="row_shape")
            rows.append({(k or "").strip(): v for k, v in row.items()})
            where.append(f"line {reader.line_num}")
    except csv.Error as error:
        raise InputError(f"line {reader.line_num}", f"is not valid CSV: {error}", f"er ikke gyldig CSV: {error}",
                         code="csv_invalid") from None
    return rows, where, "line"


def _read_parquet(path: Path) -> tuple[list[dict[str, Any]], list[str], str]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except FileNotFoundError:
        raise InputError("file", f"'{path}' does not exist", f"'{path}' findes ikke", code="file_missing") from None
    except pa.ArrowException as error:
        raise InputError("file", f"is not a Parquet file: {error}", f"er ikke en Parquet-fil: {error}",
                         code="parquet_invalid") from None
    _check_header(table.column_names, "columns", "kolonner")
    for name in table.column_names:
        if pa.types.is_floating(table.schema.field(name).type):
            raise InputError(f"column {name}", "is floating point; amounts must be text or decimal (exact)",
                             "er et kommatal (float); beløb skal være tekst eller decimal (eksakt)",
                             code="float_column")
    rows = table.to_pylist()
    return rows, [f"row {i + 1}" for i in range(len(rows))], "row"


def _check_header(names: Sequence[str], where: str, where_da: str) -> None:
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise InputError(f"{where}, {missing[0]}", f"the column '{missing[0]}' is missing (columns: "
                         f"{', '.join(REQUIRED)}[, cpr])", f"kolonnen '{missing[0]}' mangler", code="column_missing")
    unknown = [c for c in names if c not in REQUIRED + OPTIONAL]
    if unknown:
        raise InputError(f"{where}, {unknown[0]}", f"'{unknown[0]}' is not a known column",
                         f"'{unknown[0]}' er ikke en kendt kolonne", code="column_unknown")
    twice = [c for c in names if list(names).count(c) > 1]
    if twice:
        raise InputError(f"{where}, {twice[0]}", "the column appears twice", "kolonnen står to gange",
                         code="column_twice")


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _case_id_of(raw: Any, label: str, first_line: dict[str, str]) -> str:
    """The case id of a row, once in the file (``first_line`` remembers where each id stood first)."""
    case_id = check_case_id(_text(raw), "case_id")
    if case_id in first_line:
        raise InputError("case_id", f"the case id {case_id} appears twice in the file ({first_line[case_id]})",
                         f"sagsnummeret {case_id} står to gange i filen "
                         f"({first_line[case_id].replace('line', 'linje')})", code="case_id_twice")
    first_line[case_id] = label
    return case_id


def _ceiling_of(raw: Any) -> Decimal:
    """The ceiling of a row: an amount above 0."""
    ceiling = parse_amount(raw if isinstance(raw, Decimal | int) and not isinstance(raw, bool)
                           else _text(raw) or None, "ceiling")
    if ceiling <= 0:
        raise InputError("ceiling", "must be more than 0", "skal være over 0", code="ceiling_zero")
    return ceiling


def _first_month_of(raw: Any, rated: dict[Month, bool]) -> Month:
    """The first benefit month of a row: a month with rates (``rated`` remembers the months asked)."""
    from flexcalc.law.params import rates_for

    first = Month.parse(_text(raw), "first_month")
    if first not in rated:
        try:
            rates_for(first)
            rated[first] = True
        except NoRatesError:
            rated[first] = False
    if not rated[first]:
        raise NoRatesError(str(first), field="first_month")
    return first


def _employer_problems(employers: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """What is wrong with a row's employers (reason, Danish reason, code): not a CVR number, or named twice."""
    problems = [(f"'{employer}' is not a CVR number (8 digits)", f"'{employer}' er ikke et CVR-nummer (8 cifre)",
                 "cvr_format") for employer in employers if not CVR_RE.match(employer)]
    if len(set(employers)) != len(employers):
        problems.append(("names an employer twice", "nævner en arbejdsgiver to gange", "employer_twice"))
    return problems


def check_rows(rows: Sequence[dict[str, Any]], where: Sequence[str]) -> list[CaseRow]:
    """Check every row (and the rows against each other); ``CaseImportError`` lists every bad one."""
    errors: list[InputError] = []
    checked: list[CaseRow] = []
    first_line: dict[str, str] = {}
    rated: dict[Month, bool] = {}

    def bad(label: str, column: str, reason: str, reason_da: str, code: str) -> None:
        errors.append(InputError(f"{label}, {column}", reason, reason_da, code=code))

    for label, row in zip(where, rows, strict=True):
        if len(errors) >= MAX_ERRORS:
            break
        ok = True
        case_id = ""
        try:
            case_id = _case_id_of(row.get("case_id"), label, first_line)
        except InputError as error:
            bad(label, "case_id", error.reason_en, error.reason_da, error.code)
            ok = False
        ceiling = Decimal(0)
        try:
            ceiling = _ceiling_of(row.get("ceiling"))
        except InputError as error:
            bad(label, "ceiling", error.reason_en, error.reason_da, error.code)
            ok = False
        first = Month(1, 1)
        try:
            first = _first_month_of(row.get("first_month"), rated)
        except InputError as error:
            bad(label, "first_month", error.reason_en, error.reason_da, error.code)
            ok = False
        employers = tuple(e.strip() for e in _text(row.get("employer_ids")).split(";") if e.strip())
        for reason, reason_da, code in _employer_problems(employers):
            bad(label, "employer_ids", reason, reason_da, code)
            ok = False
        cpr = _text(row.get("cpr")).replace("-", "") or None
        if cpr is not None and not CPR_RE.match(cpr):  # never echo the value
            bad(label, "cpr", "must be 10 digits (DDMMYY-XXXX)", "skal være 10 cifre (DDMMÅÅ-XXXX)", "cpr_format")
            ok = False
        if ok:
            checked.append(CaseRow(label, case_id, ceiling, first, employers, cpr))
    if errors:
        raise CaseImportError(errors)
    return checked


def _stored(session: Session, ids: Sequence[str]) -> dict[str, tuple[Case, Decimal | None, set[str]]]:
    """The cases among ``ids`` already stored: the case, its first ceiling entry and its employers."""
    out: dict[str, tuple[Case, Decimal | None, set[str]]] = {}
    for start in range(0, len(ids), _IN_CHUNK):
        chunk = list(ids[start:start + _IN_CHUNK])
        cases = {c.id: c for c in session.scalars(select(Case).where(Case.id.in_(chunk)))}
        if not cases:
            continue
        found = list(cases)
        first_ceiling: dict[str, Decimal] = {}
        for cid, amount in session.execute(select(Ceiling.case_id, Ceiling.amount).where(
                Ceiling.case_id.in_(found)).order_by(Ceiling.id)):
            first_ceiling.setdefault(cid, amount)
        employers: dict[str, set[str]] = {cid: set() for cid in found}
        for cid, employer in session.execute(select(Employment.case_id, Employment.employer_id).where(
                Employment.case_id.in_(found))):
            employers[cid].add(employer)
        for cid, case in cases.items():
            out[cid] = (case, first_ceiling.get(cid), employers[cid])
    return out


def import_rows(session: Session, rows: Sequence[CaseRow]) -> CaseImportResult:
    """Store the checked rows in the caller's transaction (the caller rolls back on an error)."""
    result = CaseImportResult()
    stored = _stored(session, [r.case_id for r in rows])
    conflicts: list[InputError] = []
    new: list[CaseRow] = []
    for row in rows:
        existing = stored.get(row.case_id)
        if existing is None:
            new.append(row)
            continue
        case, ceiling, employers = existing
        differs = [name for name, same in (
            ("first_month", str(case.first_month) == str(row.first_month)), ("ceiling", ceiling == row.ceiling),
            ("employer_ids", set(row.employer_ids) <= employers),
            ("cpr", row.cpr is None or case.cpr == row.cpr)) if not same]
        if differs:
            conflicts.append(InputError(
                f"{row.where}, {differs[0]}", f"the case {row.case_id} is stored already with other content "
                f"(differs in: {', '.join(differs)}); change it with the case commands, not by import",
                f"sagen {row.case_id} er allerede gemt med andet indhold (forskel i: {', '.join(differs)}); "
                "ret den med sagskommandoerne, ikke ved import", code="case_exists"))
        else:
            result.already_stored.append(row.case_id)
        if len(conflicts) >= MAX_ERRORS:
            break
    if conflicts:
        raise CaseImportError(conflicts)
    stamp = now()
    for start in range(0, len(new), 5000):
        chunk = new[start:start + 5000]
        session.execute(insert(Case), [{"id": r.case_id, "cpr": r.cpr, "first_month": str(r.first_month),
                                        "last_month": None, "created_at": stamp, "revision": 0} for r in chunk])
        session.execute(insert(Ceiling), [{"case_id": r.case_id, "effective_month": str(r.first_month),
                                           "amount": r.ceiling, "recorded_at": stamp, "note": "importeret med sagen"}
                                          for r in chunk])
        employments = [{"case_id": r.case_id, "employer_id": e, "first_basis_month": str(r.first_month.previous()),
                        "last_basis_month": None, "created_at": stamp} for r in chunk for e in r.employer_ids]
        if employments:
            session.execute(insert(Employment), employments)
    result.stored = [r.case_id for r in new]
    return result


def import_cases(factory: Callable[[], Session], rows: Sequence[dict[str, Any]], where: Sequence[str],
                 on_write: Callable[[Session], None] | None = None) -> CaseImportResult:
    """Check the rows, then store the new cases in one transaction: all or none. ``on_write`` runs
    inside the transaction first (the API ties its Idempotency-Key to it)."""
    checked = check_rows(rows, where)

    def work(session: Session) -> CaseImportResult:
        if on_write is not None:
            on_write(session)
        return import_rows(session, checked)

    return run_in_transaction(factory, work)


def import_case_file(factory: Callable[[], Session], path: str | Path) -> CaseImportResult:
    """``flexcalc cases import FILE``: read, check and store a CSV or Parquet file of cases."""
    rows, where, _unit = read_table(path)
    return import_cases(factory, rows, where)
