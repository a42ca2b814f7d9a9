"""Wage reports from the income register's answers (eIndkomst), stored as bitemporal wage reports.

Lønindberetninger fra indkomstregistret: hver indberetning gemmes med registrets egne id'er, så en ny
læsning af de samme data intet ændrer, en ændret indberetning bliver en rettelse og en tilbageførsel en
tilbageførsel.

The answer is read as a stream (``flexcalc.parsing.eindkomst``) in chunks of ``CHUNK`` records, in **one
transaction**: a file that breaks off (not well-formed XML) or a database error stores nothing. Per record:

* the person is matched by CPR number to the cases' stored CPR (``ledger_case.cpr``) at the door; a CPR
  with no case is counted (``unknown_cpr``), never stored, never logged;
* a record the mapping cannot place (``eindkomst.place``) is **held** with its reason
  (``ledger_register_held``, once per record however often it is read) and counted;
* a placed record's wage report id is derived from the register's identity of the report (the employer's
  own id, else the register's id), the SE number and the case, so **re-reading the same data is a no-op**
  (``unchanged``); the same register record with other figures becomes a **correction** of it (a new
  report, ``<id>-c<n>``); a register reversal (indberetningsart T, naming the reversed report's own id)
  becomes a **reversal** of the report it names;
* the register's identifiers and every part of the wage with its source field are kept beside the report
  (``ledger_register_report``) for the trace (``register_parts``).

New originals — nearly all of a month's answers — are written with multi-row inserts (the bulk path
beside ``store.ingest``); corrections and reversals go through ``store.ingest`` itself, which checks each
against the report it corrects.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from sqlalchemy import (
    Boolean,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    insert,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from flexcalc.errors import FlexcalcError, InputError
from flexcalc.ledger.db import Base
from flexcalc.money import ZERO, amount_str
from flexcalc.parsing.eindkomst import Held, Placement, RegisterRecord, place, read_records

from .caserows import now
from .models import Case, Report, UTCDateTime, append_only
from .reports import LOCAL_ZONE, MAX_ADVANCE, MAX_CLOCK_SKEW, MAX_HOURS, WageReport

CHUNK = 2000
"""Records per round of look-ups and inserts (memory stays flat; the transaction spans the file)."""
_IN = 900  # parameters per IN (…) list, inside SQLite's limit


class RegisterReport(Base):
    """The register's side of a stored wage report: its identifiers and the parts of the wage, each
    with the field it came from. Append-only, one row per wage report made from the register."""

    __tablename__ = "ledger_register_report"
    __table_args__ = (ForeignKeyConstraint(["employer_id", "report_id"],
                                           ["ledger_report.employer_id", "ledger_report.report_id"],
                                           name="fk_ledger_register_report_report"),)

    employer_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    report_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    """Order of arrival within a chain (0 for the first report of a register record)."""
    root_id: Mapped[str] = mapped_column(String(64), index=True)
    case_id: Mapped[str] = mapped_column(String(64), index=True)
    register_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    own_id: Mapped[str | None] = mapped_column(String(80), nullable=True)
    reverses_own_id: Mapped[str | None] = mapped_column(String(80), nullable=True)
    reversed_later: Mapped[bool] = mapped_column(Boolean)
    kind: Mapped[str] = mapped_column(String(10))
    digest: Mapped[str] = mapped_column(String(64))
    """The figures' fingerprint: the same register record with the same figures is unchanged."""
    parts: Mapped[str] = mapped_column(Text)
    """JSON: the wage's parts (amount, field id, reporting field number, use) and the ignored fields."""
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    ingested_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class RegisterHeld(Base):
    """A register record the mapping could not place, with the reason. Append-only; the digest makes
    a record that is read again not a second row."""

    __tablename__ = "ledger_register_held"
    __table_args__ = (UniqueConstraint("digest", name="uq_ledger_register_held_digest"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("ledger_case.id"), index=True)
    employer_id: Mapped[str | None] = mapped_column(String(16), nullable=True)
    register_key: Mapped[str | None] = mapped_column(String(100), nullable=True)
    payment_date: Mapped[dt.date | None] = mapped_column(nullable=True)
    code: Mapped[str] = mapped_column(String(32))
    reason_en: Mapped[str] = mapped_column(String(300))
    reason_da: Mapped[str] = mapped_column(String(300))
    digest: Mapped[str] = mapped_column(String(64))
    held_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


append_only(RegisterReport, RegisterHeld)
_REPORT_TABLE: Table = Report.__table__  # type: ignore[assignment]
_REGISTER_TABLE: Table = RegisterReport.__table__  # type: ignore[assignment]


@dataclass(slots=True)
class RegisterIngestResult:
    """The summary of one reading: every record read lands in exactly one of the other counts."""

    read: int = 0
    stored: int = 0
    unchanged: int = 0
    corrections: int = 0
    reversals: int = 0
    held: int = 0
    unknown_cpr: int = 0
    held_reasons: Counter[str] = field(default_factory=Counter)
    touched: set[str] = field(default_factory=set)
    """The cases that got a report or a held record (for the audit; not in the summary)."""

    def to_dict(self) -> dict[str, Any]:
        return {"read": self.read, "stored": self.stored, "unchanged": self.unchanged,
                "corrections": self.corrections, "reversals": self.reversals, "held": self.held,
                "unknown_cpr": self.unknown_cpr, "held_reasons": dict(sorted(self.held_reasons.items()))}


def _letters(text: str, length: int = 20) -> str:
    """A digest written in the letters a–p only: an id that can never look like a CPR number."""
    digest = hashlib.sha256(text.encode()).hexdigest()[:length]
    return digest.translate(str.maketrans("0123456789abcdef", "abcdefghijklmnop"))


def report_id_of(employer_id: str, identity: str, case_id: str) -> str:
    """The wage report id of a register record: the same record always gets the same id."""
    return f"ei-{_letters(f'{employer_id}|{identity}|{case_id}')}"


def _digest(report: WageReport) -> str:
    figures = (report.payment_date, report.period_start, report.period_end, report.wage, report.pension_own,
               report.pension_employer, report.hours)
    return hashlib.sha256("|".join(str(v) for v in figures).encode()).hexdigest()


def _parts_json(record: RegisterRecord) -> str:
    """The parts as stored: field number → amount text, compact (a national month holds 90.000 of them);
    ``register_parts`` gives each its meaning from ``eindkomst.FIELDS`` again."""
    return json.dumps({"p": {p.field_id[-3:]: str(p.amount) for p in record.parts},
                       "i": {p.field_id[-3:]: str(p.amount) for p in record.ignored}, "h": record.header},
                      separators=(",", ":"), sort_keys=True)


def _parts_of(stored: str) -> dict[str, Any]:
    from flexcalc.parsing.eindkomst import FIELD_PREFIX, FIELDS, Part

    data = json.loads(stored)
    parts = [Part(FIELDS[n].key, FIELD_PREFIX + n, FIELDS[n].felt, FIELDS[n].label_da, Decimal(a), FIELDS[n].use)
             for n, a in data["p"].items() if n in FIELDS]
    ignored = [Part(f"field_{n}", FIELD_PREFIX + n, None, "ikke brugt i lønindtægten", Decimal(a), "ignored")
               for n, a in data["i"].items()]
    return {"parts": [p.to_dict() for p in parts], "ignored": [p.to_dict() for p in ignored], "header": data["h"]}


@dataclass(slots=True)
class _Chain:
    latest_digest: str
    count: int


@dataclass(slots=True)
class _Run:
    session: Session
    cases_by_cpr: dict[str, str | tuple[str, ...]]
    result: RegisterIngestResult
    stamp: dt.datetime
    held_digests: set[str] = field(default_factory=set)


PARALLEL_FROM_BYTES = 4_000_000
"""From this size on (and with a second CPU core) the answer is parsed in a second process while this one
stores (``eindkomst_worker``); smaller answers are read in this process (starting a process costs more)."""


def ingest_register(factory: Callable[[], Session], open_source: Callable[[], IO[bytes]], *,
                    progress: Callable[[int, int], None] | None = None, total_bytes: int = 0,
                    before_commit: Callable[[Session, RegisterIngestResult], None] | None = None,
                    parallel: bool | None = None) -> RegisterIngestResult:
    """Read a register answer and store its wage reports in one transaction (see the module text).

    ``open_source`` opens the answer afresh (the transaction is redone if another process stores the
    same reports at the same moment). ``progress(bytes_read, total_bytes)`` is called per chunk;
    ``before_commit(session, result)`` last, inside the transaction (the API's idempotency key and audit
    rows, one per case touched). ``parallel``: parse in a second process (None: by the answer's size,
    ``PARALLEL_FROM_BYTES``); the records, the results and the errors are the same either way."""
    from .store import run_in_transaction

    def work(session: Session) -> RegisterIngestResult:
        with open_source() as raw:
            stream = _Counting(raw)
            run = _Run(session, _cases_by_cpr(session), RegisterIngestResult(), now())
            records = _records(stream, raw, parallel)
            try:
                for chunk in _chunks(records, CHUNK):
                    _ingest_chunk(run, chunk)
                    if progress is not None:
                        progress(stream.count, total_bytes)
            finally:
                if isinstance(records, Generator):
                    records.close()  # a child reader stops at once (a database error mid-file)
            if before_commit is not None:
                before_commit(session, run.result)
            return run.result

    return run_in_transaction(factory, work)


def _records(stream: _Counting, raw: IO[bytes], parallel: bool | None) -> Iterator[RegisterRecord]:
    from flexcalc.parsing.eindkomst_worker import parallel_possible, read_records_parallel

    if parallel is None:
        parallel = parallel_possible() and _size(raw) >= PARALLEL_FROM_BYTES
    return read_records_parallel(stream) if parallel else read_records(stream)


def _size(raw: IO[bytes]) -> int:
    """The bytes left to read in ``raw`` (0 when it cannot tell)."""
    try:
        if not raw.seekable():
            return 0
        here = raw.tell()
        end = raw.seek(0, 2)
        raw.seek(here)
        return end - here
    except (OSError, AttributeError, ValueError):
        return 0


class _Counting:
    """A binary stream that counts the bytes read from it (for the progress bar)."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.count += len(data)
        return data


def _chunks(records: Iterator[RegisterRecord], size: int) -> Iterator[list[RegisterRecord]]:
    chunk: list[RegisterRecord] = []
    for record in records:
        chunk.append(record)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _cases_by_cpr(session: Session) -> dict[str, str | tuple[str, ...]]:
    """Every stored CPR number with its case (a tuple when it is on several cases); it stays in memory,
    never in a log or an answer."""
    by_cpr: dict[str, str | tuple[str, ...]] = {}
    for cpr, case_id in session.execute(select(Case.cpr, Case.id).where(Case.cpr.is_not(None))):
        if not cpr:
            continue
        known = by_cpr.get(cpr)
        if known is None:
            by_cpr[cpr] = case_id
        else:
            by_cpr[cpr] = (*((known,) if isinstance(known, str) else known), case_id)
    return by_cpr


def _hold(run: _Run, case_id: str, record: RegisterRecord, held: Held) -> None:
    run.result.held += 1
    run.result.touched.add(case_id)
    run.result.held_reasons[held.code] += 1
    digest = hashlib.sha256(f"{case_id}|{record.employer_id}|{record.identity}|{record.period_start}|"
                            f"{held.code}".encode()).hexdigest()
    if digest in run.held_digests:
        return
    run.held_digests.add(digest)
    if run.session.scalar(select(RegisterHeld.id).where(RegisterHeld.digest == digest)) is not None:
        return
    run.session.add(RegisterHeld(case_id=case_id, employer_id=(record.employer_id or "")[:16] or None,
                                 register_key=(record.identity or "")[:100] or None,
                                 payment_date=record.disposition_date, code=held.code,
                                 reason_en=held.reason_en[:300], reason_da=held.reason_da[:300], digest=digest,
                                 held_at=run.stamp))


def _case_of(run: _Run, record: RegisterRecord) -> str | None:
    cases = run.cases_by_cpr.get(record.cpr)
    if cases is None:
        run.result.unknown_cpr += 1
        return None
    if isinstance(cases, tuple):
        _hold(run, sorted(cases)[0], record, Held("cpr_ambiguous", f"the CPR number matches {len(cases)} cases",
                                                   f"CPR-nummeret passer på {len(cases)} sager"))
        return None
    return cases


def _report(record: RegisterRecord, case_id: str, placement: Placement, report_id: str, kind: str,
            corrects: str | None) -> WageReport:
    reversal = kind == "reversal"
    return WageReport(
        report_id=report_id, case_id=case_id, employer_id=record.employer_id or "",
        payment_date=record.disposition_date or dt.date.min, period_start=record.period_start or dt.date.min,
        period_end=record.period_end or dt.date.min,
        wage=ZERO if reversal else placement.wage, pension_own=ZERO if reversal else placement.pension_own,
        pension_employer=ZERO if reversal else placement.pension_employer,
        hours=ZERO if reversal else placement.hours, received_at=record.received_at or dt.datetime.min,
        kind=kind, corrects=corrects)


def _checked(report: WageReport, stamp: dt.datetime) -> Held | None:
    """The checks ``reports.parse_report`` makes of a stated report, as a reason to hold."""
    if report.period_end < report.period_start:
        return Held("period_order", "the pay period ends before it starts", "lønperioden slutter, før den begynder")
    if report.received_at > stamp + MAX_CLOCK_SKEW:
        return Held("received_future", "AngivelseDatoTid lies in the future", "AngivelseDatoTid ligger i fremtiden")
    if report.payment_date > report.received_at.astimezone(LOCAL_ZONE).date() + MAX_ADVANCE:
        return Held("payment_date_future", "the disposition date is far after the report was received",
                    "dispositionsdatoen ligger langt efter, at indberetningen blev modtaget")
    if report.kind == "original" and min(report.wage, report.pension_own, report.pension_employer, report.hours) < 0:
        return Held("negative_original", "a first report with a negative amount",
                    "en første indberetning med et negativt beløb")
    if report.hours > MAX_HOURS:
        return Held("hours", "more hours than the month has", "flere timer, end måneden har")
    return None


def _chains(session: Session, roots: Iterable[str]) -> dict[str, _Chain]:
    """The stored chains of the given roots: the latest figures' digest and the number of reports."""
    wanted = sorted(set(roots))
    latest: dict[str, tuple[int, str]] = {}
    counts: Counter[str] = Counter()
    for start in range(0, len(wanted), _IN):
        part = wanted[start:start + _IN]
        rows = session.execute(select(RegisterReport.root_id, RegisterReport.seq, RegisterReport.digest,
                                      RegisterReport.kind).where(RegisterReport.root_id.in_(part)))
        for root, seq, digest, kind in rows:
            if kind == "reversal":
                continue
            counts[root] += 1
            if root not in latest or seq > latest[root][0]:
                latest[root] = (seq, digest)
    return {root: _Chain(digest, counts[root]) for root, (_seq, digest) in latest.items()}


def _known_ids(session: Session, ids: Iterable[str]) -> set[str]:
    wanted = sorted(set(ids))
    found: set[str] = set()
    for start in range(0, len(wanted), _IN):
        part = wanted[start:start + _IN]
        found.update(session.scalars(select(RegisterReport.report_id).where(RegisterReport.report_id.in_(part))))
    return found


@dataclass(slots=True)
class _Planned:
    record: RegisterRecord
    report: WageReport
    root: str
    seq: int
    digest: str


def _ingest_chunk(run: _Run, records: list[RegisterRecord]) -> None:
    run.result.read += len(records)
    placed: list[tuple[RegisterRecord, str, Placement, str]] = []
    for record in records:
        case_id = _case_of(run, record)
        if case_id is None:
            continue
        placement = place(record)
        if isinstance(placement, Held):
            _hold(run, case_id, record, placement)
        else:
            placed.append((record, case_id, placement,
                           report_id_of(record.employer_id or "", record.identity or "", case_id)))
    chains = _chains(run.session, [i for r, _c, _p, i in placed if not r.is_reversal])
    reversal_known = _known_ids(run.session, [i for r, _c, _p, i in placed if r.is_reversal])
    originals: list[_Planned] = []
    changes: list[_Planned] = []
    for record, case_id, placement, report_id in placed:
        if record.is_reversal:
            if report_id in reversal_known:
                run.result.unchanged += 1
                continue
            reversal_known.add(report_id)
            target = report_id_of(record.employer_id or "", f"own:{record.reverses_own_id}", case_id)
            report = _report(record, case_id, placement, report_id, "reversal", target)
            changes.append(_Planned(record, report, target, -1, _digest(report)))
            continue
        report = _report(record, case_id, placement, report_id, "original", None)
        digest = _digest(report)
        chain = chains.get(report_id)
        if chain is None:
            held = _checked(report, run.stamp)
            if held is not None:
                _hold(run, case_id, record, held)
                continue
            chains[report_id] = _Chain(digest, 1)
            originals.append(_Planned(record, report, report_id, 0, digest))
        elif chain.latest_digest == digest:
            run.result.unchanged += 1
        else:
            correction = _report(record, case_id, placement, f"{report_id}-c{chain.count}", "correction", report_id)
            chains[report_id] = _Chain(digest, chain.count + 1)
            changes.append(_Planned(record, correction, report_id, chain.count, digest))
    _insert_originals(run, originals)
    for planned in changes:
        _ingest_change(run, planned)


_REPORT_COLUMNS = ("report_id", "case_id", "employer_id", "payment_date", "basis_month", "period_start",
                   "period_end", "wage", "pension_own", "pension_employer", "hours", "received_at", "kind",
                   "corrects", "root_id", "ingested_at", "stated_received_at")
_REGISTER_COLUMNS = ("employer_id", "report_id", "seq", "root_id", "case_id", "register_id", "own_id",
                     "reverses_own_id", "reversed_later", "kind", "digest", "parts", "received_at", "ingested_at")


def _insert_originals(run: _Run, planned: list[_Planned]) -> None:
    """The bulk path: new first reports, known to be new and checked. On PostgreSQL with COPY (the values
    converted as the column types do: øre as integers, instants as naive UTC); elsewhere multi-row inserts."""
    if not planned:
        return
    if run.session.get_bind().dialect.name == "postgresql":
        stamp = _copy_instant(run.stamp)
        _copy_text(run.session, "ledger_report", _REPORT_COLUMNS, [_report_line(p, stamp) for p in planned])
        _copy_text(run.session, "ledger_register_report", _REGISTER_COLUMNS,
                   [_register_line(p, stamp) for p in planned])
    else:
        registers = [_register_row(run, p) for p in planned]
        run.session.execute(_REPORT_TABLE.insert(), _report_rows(run, planned))  # Core: no ORM bookkeeping per row
        run.session.execute(_REGISTER_TABLE.insert(), registers)
    run.result.stored += len(planned)
    run.result.touched.update(p.report.case_id for p in planned)


def _report_rows(run: _Run, planned: list[_Planned]) -> list[dict[str, Any]]:
    return [{
        "report_id": p.report.report_id, "case_id": p.report.case_id, "employer_id": p.report.employer_id,
        "payment_date": p.report.payment_date, "basis_month": p.report.basis_month,
        "period_start": p.report.period_start, "period_end": p.report.period_end, "wage": p.report.wage,
        "pension_own": p.report.pension_own, "pension_employer": p.report.pension_employer, "hours": p.report.hours,
        "received_at": p.report.received_at, "kind": "original", "corrects": None, "root_id": p.report.report_id,
        "ingested_at": run.stamp, "stated_received_at": p.report.received_at} for p in planned]


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_str(value: str | None) -> str:
    """A text value in COPY's text format: NULL as ``\\N``; backslash, tab, newline and return escaped."""
    if value is None:
        return "\\N"
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.translate(_COPY_ESCAPES)
    return value


def _copy_instant(value: dt.datetime) -> str:
    """An aware instant as the UTCDateTime column stores it (naive UTC), in COPY's text format."""
    return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")


def _report_line(p: _Planned, stamp: str) -> str:
    """A new first report as a line of COPY text, in ``_REPORT_COLUMNS`` order: the values as the column
    types convert them (øre as integers, instants as naive UTC, the basis month as YYYY-MM)."""
    from flexcalc.money import to_ore

    r = p.report
    received = _copy_instant(r.received_at)
    report_id = _copy_str(r.report_id)
    return (f"{report_id}\t{_copy_str(r.case_id)}\t{_copy_str(r.employer_id)}\t{r.payment_date.isoformat()}\t"
            f"{r.basis_month}\t{r.period_start.isoformat()}\t{r.period_end.isoformat()}\t{to_ore(r.wage)}\t"
            f"{to_ore(r.pension_own)}\t{to_ore(r.pension_employer)}\t{to_ore(r.hours)}\t{received}\t"
            f"original\t\\N\t{report_id}\t{stamp}\t{received}\n")


def _register_line(p: _Planned, stamp: str) -> str:
    """``_register_row`` as a line of COPY text, in ``_REGISTER_COLUMNS`` order."""
    r, report = p.record, p.report
    return (f"{_copy_str(report.employer_id)}\t{_copy_str(report.report_id)}\t{max(p.seq, 0)}\t"
            f"{_copy_str(p.root)}\t{_copy_str(report.case_id)}\t{_copy_str((r.register_id or '')[:40] or None)}\t"
            f"{_copy_str((r.own_id or '')[:80] or None)}\t{_copy_str((r.reverses_own_id or '')[:80] or None)}\t"
            f"{'t' if r.reversed_later else 'f'}\t{_copy_str(report.kind)}\t{p.digest}\t{_copy_str(_parts_json(r))}\t"
            f"{_copy_instant(report.received_at)}\t{stamp}\n")


def _copy_text(session: Session, table: str, columns: tuple[str, ...], lines: list[str]) -> None:
    """PostgreSQL's COPY (text format) in the session's own transaction (psycopg 3)."""
    raw = session.connection().connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:  # type: ignore[union-attr]
        copy.write("".join(lines))


def _register_row(run: _Run, p: _Planned) -> dict[str, Any]:
    r = p.record
    return {"employer_id": p.report.employer_id, "report_id": p.report.report_id, "seq": max(p.seq, 0),
            "root_id": p.root, "case_id": p.report.case_id, "register_id": (r.register_id or "")[:40] or None,
            "own_id": (r.own_id or "")[:80] or None, "reverses_own_id": (r.reverses_own_id or "")[:80] or None,
            "reversed_later": r.reversed_later, "kind": p.report.kind, "digest": p.digest, "parts": _parts_json(r),
            "received_at": p.report.received_at, "ingested_at": run.stamp}


def _ingest_change(run: _Run, planned: _Planned) -> None:
    """A correction or a reversal, through ``store.ingest`` (which checks it against its target), in a
    savepoint: refused, it is held with the store's reason and the rest of the file goes on."""
    from .store import ingest

    try:
        with run.session.begin_nested():
            ingest(run.session, [planned.report], [planned.record.where])
            run.session.execute(insert(RegisterReport), [_register_row(run, planned)])
    except FlexcalcError as error:
        reason_en = error.reason_en if isinstance(error, InputError) else str(error)
        reason_da = error.reason_da if isinstance(error, InputError) else str(error)
        _hold(run, planned.report.case_id, planned.record,
              Held(f"{planned.report.kind}_refused", reason_en, reason_da))
        return
    run.result.touched.add(planned.report.case_id)
    if planned.report.kind == "reversal":
        run.result.reversals += 1
    else:
        run.result.corrections += 1


def register_parts(session: Session, case_id: str) -> list[dict[str, Any]]:
    """The case's wage reports made from the register, each with its identifiers and the parts of the
    wage with their source fields (for the trace), oldest first."""
    rows = session.scalars(select(RegisterReport).where(RegisterReport.case_id == case_id)
                           .order_by(RegisterReport.received_at, RegisterReport.report_id))
    out = []
    for row in rows:
        data = _parts_of(row.parts)
        out.append({"report_id": row.report_id, "employer_id": row.employer_id, "kind": row.kind,
                    "register_id": row.register_id, "own_id": row.own_id, "reverses_own_id": row.reverses_own_id,
                    "reversed_later": bool(row.reversed_later), "received_at": row.received_at.isoformat(),
                    "parts": data["parts"], "ignored": data["ignored"],
                    "wage_income": None if row.kind == "reversal" else amount_str(sum(
                        (Decimal(p["amount"]) for p in data["parts"]
                         if p["use"] in ("wage", "pension_own", "pension_employer")), ZERO))})
    return out


def held_records(session: Session, case_id: str | None = None) -> list[dict[str, Any]]:
    """Register records held for the caseworker, with the reason (never a CPR number)."""
    query = select(RegisterHeld).order_by(RegisterHeld.id)
    if case_id is not None:
        query = query.where(RegisterHeld.case_id == case_id)
    return [{"id": h.id, "case_id": h.case_id, "employer_id": h.employer_id, "register_key": h.register_key,
             "payment_date": h.payment_date.isoformat() if h.payment_date else None, "code": h.code,
             "reason": h.reason_en, "reason_da": h.reason_da, "held_at": h.held_at.isoformat()}
            for h in session.scalars(query)]


def count_register_reports(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(RegisterReport)) or 0)
