"""The set-based part of the payment run (issue 14): the plain months of a chunk of cases read as
columns, computed by the exact batch kernel in one go, and written as one multi-row insert.

A month is **plain** when nothing but the formula decides it: no event registration for the
benefit month, no job start or end date on an employment reporting in the basis month, every wage
report known at the as-of instant an original (no correction or reversal in any chain touching the
basis month), a ceiling in force and every amount inside the kernel's range. Its basis wage is the
sum of the known reports (AM-liable wage + own and employer pension, LAB § 123 stk. 2; BEK 227/2024
§ 1 nr. 1–2); the fleksjob employer's (the case's known employments) is ``wage``, any other
employer's ``other_wage``; the ceiling is the newest entry known at the instant taking effect at or
before the benefit month (LAB § 123 stk. 3). Then ``flexcalc.batch.kernel.compute_month`` gives
exactly what ``flexcalc.calculate.calculate_month`` gives (the kernel is the one permitted second
implementation of the monthly formula, tested row by row against it), including "no wage from the
fleksjob employer, no subsidy" (vejl. 9154/2022 pkt. 2.1; Ankestyrelsen PM 6-23), which the run
records with its reason as the per-case path does. A month whose basis month lacks a report of a
known employment is held with its reason, as before.

Everything else (events, part months, corrected or reversed reports, a case without a ceiling,
amounts out of range) goes through the month pipeline case by case (``flexcalc.ledger.payments``).
Nothing here repeats a rule: the classification only decides which of the two exact paths computes
the month. ``tests/ledger/test_payrun_set_based.py`` compares both paths on a whole caseload.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import BigInteger, String, and_, column, or_, select, table, type_coerce
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.types import NullType

from flexcalc.batch.kernel import MAX_INPUT_ORE, KernelRates, compute_month
from flexcalc.period import Month

from .models import Case, Ceiling, Employment, EventRegistration, Payment, Report
from .types import MonthReason


def raw_ore(col: Any) -> Any:
    """An amount column read as its stored integer øre (no Decimal per value)."""
    return type_coerce(col, BigInteger)


def raw_text(col: Any) -> Any:
    """A month (or enum) column read as its stored text."""
    return type_coerce(col, String)


def raw(col: Any) -> Any:
    """A column read as the driver gives it (instants: text on SQLite, naive UTC on PostgreSQL)."""
    return type_coerce(col, NullType())


def ore_str(ore: int) -> str:
    """Whole øre as the JSON amount text ("15272.00"), as ``money.amount_str`` writes it."""
    sign = "-" if ore < 0 else ""
    ore = abs(ore)
    return f"{sign}{ore // 100}.{ore % 100:02d}"


def bound(col: Any, value: Any, dialect: Dialect) -> Any:
    """``value`` as the column's type stores it (computed once per run for a constant)."""
    process = col.type.dialect_impl(dialect).bind_processor(dialect)
    return value if process is None else process(value)


PAYMENT_COLUMNS = [c.name for c in Payment.__table__.columns if c.name != "id"]
RAW_PAYMENT = table(Payment.__tablename__, *[column(name) for name in PAYMENT_COLUMNS])
"""The payment table without column types: rows go in as the values the database stores (øre
integers, month text, instants already converted once), so 100.000 rows cost no Python per value."""


@contextmanager
def no_gc() -> Iterator[None]:
    """The cyclic garbage collector paused while a run builds its hundreds of thousands of small,
    acyclic objects (reference counting still frees them); without it the collector's full passes
    over the growing result cost more than the run's own work."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def fetch_all(conn: Any, statement: Any) -> list[Any]:
    """Every row of a query in one fetch (iterating a result fetches row by row)."""
    return list(conn.execute(statement).all())


def cases_in(col: Any, ids: Sequence[str], contiguous: bool) -> Any:
    if contiguous:
        return and_(col >= ids[0], col <= ids[-1])
    return col.in_(ids)


@dataclass(slots=True)
class PlainMonth:
    """A plain month of one case, its inputs in øre."""

    case_id: str
    wage: int
    other_wage: int
    ceiling: int
    report_ids: list[str]


@dataclass(slots=True)
class Held:
    case_id: str
    missing_employers: list[str]


@dataclass(slots=True)
class Classified:
    """One chunk sorted: plain months, held months (a known employment's report missing) and the
    cases the month pipeline computes."""

    plain: list[PlainMonth] = field(default_factory=list)
    held: dict[str, Held] = field(default_factory=dict)
    pipeline: list[str] = field(default_factory=list)
    inactive: set[str] = field(default_factory=set)


def classify(session: Session, ids: Sequence[str], month: Month, as_of: dt.datetime,
             contiguous: bool) -> Classified:
    """Read the chunk's facts as columns (a handful of queries) and sort its cases."""
    basis = month.previous()
    m, b = str(month), str(basis)
    wanted = set(ids)
    out = Classified()
    conn = session.connection()  # Core rows: no ORM loading layer for 100.000 plain tuples

    def where(col: Any) -> Any:
        return cases_in(col, ids, contiguous)

    active: set[str] = set()
    for cid, first, last in fetch_all(conn, select(Case.id, raw_text(Case.first_month), raw_text(Case.last_month))
                                            .where(where(Case.id))):
        if cid in wanted and first <= m and (last is None or last >= m):
            active.add(cid)
    out.inactive = wanted - active
    ceiling: dict[str, tuple[str, int, int]] = {}
    for cid, effective, amount, seq in fetch_all(conn,
            select(Ceiling.case_id, raw_text(Ceiling.effective_month), raw_ore(Ceiling.amount), Ceiling.id)
            .where(where(Ceiling.case_id), Ceiling.effective_month <= m,
                   or_(Ceiling.known_at.is_(None), Ceiling.known_at <= as_of))):
        best = ceiling.get(cid)
        if best is None or (effective, seq) > (best[0], best[1]):
            ceiling[cid] = (effective, seq, amount)
    employers: dict[str, set[str]] = defaultdict(set)
    expected: dict[str, list[str]] = defaultdict(list)
    unusual: set[str] = set()
    for cid, employer, first, last, start, end in fetch_all(conn, select(
            Employment.case_id, Employment.employer_id, raw_text(Employment.first_basis_month),
            raw_text(Employment.last_basis_month), raw(Employment.start_date), raw(Employment.end_date))
            .where(where(Employment.case_id))):
        employers[cid].add(employer)
        if first <= b and (last is None or b <= last):
            expected[cid].append(employer)
            if start is not None or end is not None:
                unusual.add(cid)  # a possible part month: the pipeline decides (employment_events)
    unusual.update(conn.scalars(select(EventRegistration.case_id).where(
        where(EventRegistration.case_id), EventRegistration.benefit_month == m)).all())
    # The basis month compared as an expression when the chunk is a range of case ids: SQLite would
    # otherwise search the basis-month index (every case's report of the month, once per chunk)
    # instead of the (case, basis month) index for the chunk's own cases.
    month_of = (raw_text(Report.basis_month) + "") if contiguous and conn.dialect.name == "sqlite" \
        else Report.basis_month
    roots = select(Report.root_id).where(where(Report.case_id), month_of == b)
    by_case: dict[str, list[tuple[str, str, str, str, int]]] = defaultdict(list)
    for cid, employer, report_id, kind, month_text, total in fetch_all(conn, select(
            Report.case_id, Report.employer_id, Report.report_id, raw_text(Report.kind),
            raw_text(Report.basis_month),
            raw_ore(Report.wage) + raw_ore(Report.pension_own) + raw_ore(Report.pension_employer))
            .where(Report.root_id.in_(roots), Report.received_at <= as_of)):  # by root only: one index
        if kind != "original":
            unusual.add(cid)  # a chain with a correction or reversal: the pipeline's basis view
        by_case[cid].append((employer, report_id, kind, month_text, total))
    for cid in ids:
        if cid not in active:
            continue
        if cid in unusual or cid not in ceiling:
            out.pipeline.append(cid)
            continue
        reported: set[str] = set()
        known_wage = other_wage = 0
        report_ids: set[str] = set()
        mine = employers.get(cid, set())
        for employer, report_id, _kind, month_text, total in by_case.get(cid, ()):
            if month_text != b:
                continue  # an original of another month (a root id shared across employers)
            reported.add(employer)
            report_ids.add(report_id)
            if employer in mine:
                known_wage += total
            else:
                other_wage += total
        wants = expected.get(cid, ())
        missing = [e for e in wants if e not in reported]
        if missing:
            missing.sort()
            out.held[cid] = Held(cid, missing)
            continue
        amount = ceiling[cid][2]
        if not (0 <= known_wage <= MAX_INPUT_ORE and 0 <= other_wage <= MAX_INPUT_ORE
                and 0 <= amount <= MAX_INPUT_ORE):
            out.pipeline.append(cid)
            continue
        ordered = list(report_ids)
        if len(ordered) > 1:
            ordered.sort()
        out.plain.append(PlainMonth(cid, known_wage, other_wage, amount, ordered))
    return out


@dataclass(slots=True)
class PlainResults:
    """The kernel's amounts for the plain months, in the order of ``Classified.plain``."""

    subsidy: list[int]
    atp_own: list[int]
    payout: list[int]


def compute_plain(rates: KernelRates, plain: Sequence[PlainMonth]) -> PlainResults:
    """Every plain month of the chunk through the exact kernel at once."""
    n = len(plain)
    wage = np.fromiter((p.wage for p in plain), np.int64, n)
    ceiling = np.fromiter((p.ceiling for p in plain), np.int64, n)
    other = np.fromiter((p.other_wage for p in plain), np.int64, n)
    result = compute_month(rates, wage, ceiling, other, check=False)
    return PlainResults(result.subsidy.tolist(), result.atp_own.tolist(), result.payout.tolist())


def payment_rows(plain: Sequence[PlainMonth], results: PlainResults, constants: dict[str, Any],
                 no_wage: str) -> list[tuple[Any, ...]]:
    """The payment rows of the plain months as the database stores them, as tuples in the order of
    ``PAYMENT_COLUMNS``."""
    template = [constants.get(name) for name in PAYMENT_COLUMNS]
    at = {name: i for i, name in enumerate(PAYMENT_COLUMNS)}
    i_case, i_basis, i_ceiling, i_subsidy, i_atp, i_payout, i_ids, i_reason = (
        at[name] for name in ("case_id", "basis_wage", "ceiling", "subsidy", "atp_own", "payout", "report_ids",
                              "reason"))
    rows = []
    for p, subsidy, atp, payout in zip(plain, results.subsidy, results.atp_own, results.payout, strict=True):
        row = template.copy()
        row[i_case] = p.case_id
        row[i_basis] = p.wage + p.other_wage
        row[i_ceiling] = p.ceiling
        row[i_subsidy] = subsidy
        row[i_atp] = atp
        row[i_payout] = payout
        row[i_ids] = id_list(p.report_ids)
        row[i_reason] = no_wage if p.wage == 0 else None
        rows.append(tuple(row))
    return rows


_PLAIN_IDS = re.compile(r"[A-Za-z0-9._:-]*")


def id_list(ids: list[str]) -> str:
    """A list of report ids as ``ListColumn`` stores it (a JSON array), without the JSON encoder for
    the usual ids (letters, digits and ._:- need no escaping)."""
    if _PLAIN_IDS.fullmatch("".join(ids)):
        return "[" + ",".join(f'"{i}"' for i in ids) + "]"
    return json.dumps(ids, separators=(",", ":"))


def write_payments(session: Session, values: Sequence[tuple[Any, ...]]) -> None:
    """Insert payment rows (as ``payment_rows`` makes them) in the session's transaction, straight to the
    driver: PostgreSQL ``COPY … FROM STDIN``, else one ``executemany`` of a prepared INSERT. The
    unique (case, month) constraint holds for both: a clash raises and the chunk is redone."""
    if not values:
        return
    names = PAYMENT_COLUMNS
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        driver = connection.connection.driver_connection
        sql = f"COPY {Payment.__tablename__} ({', '.join(names)}) FROM STDIN"
        dbapi = connection.dialect.loaded_dbapi
        try:
            with driver.cursor() as cursor, cursor.copy(sql) as copy:  # type: ignore[union-attr]
                for value in values:
                    copy.write_row(value)
        except dbapi.Error as error:  # as SQLAlchemy's own errors, so a clash is retried like any other
            raise DBAPIError.instance(sql, None, error, dbapi.Error, dialect=connection.dialect) from None
        return
    marks = ", ".join("?" for _ in names) if connection.dialect.paramstyle == "qmark" else \
        ", ".join("%s" for _ in names)
    connection.exec_driver_sql(f"INSERT INTO {Payment.__tablename__} ({', '.join(names)}) VALUES ({marks})",
                               values)


def payment_constants(dialect: Dialect, month: Month, rule_version: str, as_of: dt.datetime,
                      stamp: dt.datetime) -> dict[str, Any]:
    """The values every payment row of the run shares, converted once as their columns store them."""
    c = Payment.__table__.c
    return {"benefit_month": bound(c.benefit_month, month, dialect), "kind": bound(c.kind, "regular", dialect),
            "rule_version": rule_version, "as_of": bound(c.as_of, as_of, dialect),
            "created_at": bound(c.created_at, stamp, dialect), "documentation": None, "released_by": None,
            "event_registration": None}


NO_WAGE = MonthReason.NO_FLEKSJOB_WAGE
