"""A wage report as the income register (eIndkomst) gives it, and reading a file of them.

Each report carries the **payment date**, which places its wage in a basis month (A-income is
periodised by payment: ``flexcalc.rules.timing.basis_month_of_payment``), and the instant it was
**received**, which decides what was known when (the as-of calculation). A report is one of:

- ``original``: a first report of a payment;
- ``correction``: a new statement of the whole report it ``corrects`` (eIndkomst's corrections with
  or without an R-mark): the latest correction of a chain wins;
- ``reversal``: cancels the report it ``corrects`` (tilbageførsel); a re-report is a new original.

The wage that counts is the AM-liable wage plus the employee's own and the employer's pension
contribution (LAB § 123 stk. 2; BEK 227/2024 § 1 nr. 1–2).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from flexcalc.errors import InputError
from flexcalc.money import ZERO
from flexcalc.parsing.identifiers import check_identifier
from flexcalc.parsing.inputs import parse_amount
from flexcalc.period import MAX_YEAR, MIN_YEAR, Month
from flexcalc.rules import timing

COLUMNS = ("report_id", "case_id", "employer_id", "payment_date", "period_start", "period_end", "wage",
           "pension_own", "pension_employer", "hours", "received_at", "kind", "corrects")
KINDS = ("original", "correction", "reversal")
LOCAL_ZONE = ZoneInfo("Europe/Copenhagen")
"""Timestamps written without an offset are Danish local time (docs/decisions.md, "Ledger")."""
MAX_ADVANCE = dt.timedelta(days=31)
"""A payment date more than this after the report was received is refused as "far in the future"."""
MAX_CLOCK_SKEW = dt.timedelta(minutes=5)
"""A stated instant of receipt (a caseworker's report, an event registration) may be at most this far
ahead of the server's clock: history is append-only, so a ``received_at`` in the year 2999 could never be
undone (SECURITY.md)."""


def check_not_ahead(instant: dt.datetime, field: str, now: dt.datetime) -> None:
    """Refuse ``instant`` when it lies more than ``MAX_CLOCK_SKEW`` after ``now``."""
    if instant > now + MAX_CLOCK_SKEW:
        minutes = int(MAX_CLOCK_SKEW.total_seconds() // 60)
        raise InputError(field, f"lies in the future: more than {minutes} minutes after the server's clock",
                         f"ligger i fremtiden: mere end {minutes} minutter efter serverens ur", code="instant_future")


MAX_HOURS = Decimal("744")
"""No one works more hours in a month than it has (31 × 24)."""


@dataclass(frozen=True, slots=True)
class WageReport:
    report_id: str
    case_id: str
    employer_id: str
    payment_date: dt.date
    period_start: dt.date
    period_end: dt.date
    wage: Decimal
    pension_own: Decimal
    pension_employer: Decimal
    hours: Decimal
    received_at: dt.datetime
    kind: str
    corrects: str | None = None

    @property
    def total(self) -> Decimal:
        """The wage income of this report: AM-liable wage + own + employer pension."""
        return self.wage + self.pension_own + self.pension_employer

    @property
    def basis_month(self) -> Month:
        return timing.basis_month_of_payment(self.payment_date)

    def differences(self, other: WageReport) -> list[str]:
        """The fields in which ``other`` (same report id) says something else."""
        return [f.name for f in fields(self) if getattr(self, f.name) != getattr(other, f.name)]

    def to_dict(self) -> dict[str, str | None]:
        from flexcalc.money import amount_str

        return {
            "report_id": self.report_id, "case_id": self.case_id, "employer_id": self.employer_id,
            "payment_date": self.payment_date.isoformat(), "basis_month": str(self.basis_month),
            "period_start": self.period_start.isoformat(), "period_end": self.period_end.isoformat(),
            "wage": amount_str(self.wage), "pension_own": amount_str(self.pension_own),
            "pension_employer": amount_str(self.pension_employer), "hours": amount_str(self.hours),
            "received_at": self.received_at.isoformat(), "kind": self.kind, "corrects": self.corrects,
        }


def parse_instant(value: object, field: str, *, end_of_day: bool = False) -> dt.datetime:
    """An instant: ISO 8601 with or without offset (without: Danish local time), or a date.

    A bare date is the start of that day for a report's ``received_at`` and, with ``end_of_day``,
    the end of that day for an ``--as-of`` (so "as of 5 April" knows what arrived on 5 April).
    """
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, dt.date):
        parsed = dt.datetime.combine(value, dt.time.max if end_of_day else dt.time.min)
    else:
        text = str(value or "").strip()
        if not text:
            raise InputError(field, "is required", "skal udfyldes", code="missing")
        try:
            if len(text) == 10:
                day = dt.date.fromisoformat(text)
                parsed = dt.datetime.combine(day, dt.time.max if end_of_day else dt.time.min)
            else:
                parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise InputError(field, f"'{text}' is not an instant (write e.g. 2024-04-05T12:00:00+02:00)",
                             f"'{text}' er ikke et tidspunkt (skriv fx 2024-04-05T12:00:00+02:00)",
                             code="instant_format") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=LOCAL_ZONE)
    try:
        instant = parsed.astimezone(dt.UTC)
    except OverflowError:  # e.g. 9999-12-31T23:59:59-14:00 is in the year 10000 in UTC
        instant = None
    if instant is None or not MIN_YEAR <= instant.year <= MAX_YEAR:
        raise InputError(field, f"is outside the years {MIN_YEAR}–{MAX_YEAR}",
                         f"ligger uden for årene {MIN_YEAR}–{MAX_YEAR}", code="instant_range")
    return instant


def parse_date(value: object, field: str) -> dt.date:
    text = str(value or "").strip()
    if not text:
        raise InputError(field, "is required", "skal udfyldes", code="missing")
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(field, f"'{text}' is not a date written YYYY-MM-DD",
                         f"'{text}' er ikke en dato skrevet ÅÅÅÅ-MM-DD", code="date_format") from None
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise InputError(field, f"is outside the years {MIN_YEAR}–{MAX_YEAR}",
                         f"ligger uden for årene {MIN_YEAR}–{MAX_YEAR}", code="date_range")
    return day


def _identifier(value: object, field: str, kind: str = "id") -> str:
    return check_identifier(str(value) if value is not None else "", field, kind=kind)


def _kind_and_corrects(row: Mapping[str, object], name: Callable[[str], str]) -> tuple[str, str]:
    """The report's kind and the report it corrects: an original names none, a correction or reversal one."""
    kind = str(row.get("kind") or "").strip().lower()
    if kind not in KINDS:
        raise InputError(name("kind"), f"must be one of {', '.join(KINDS)}",
                         "skal være original, correction eller reversal", code="kind")
    corrects_text = str(row.get("corrects") or "").strip()
    if kind == "original" and corrects_text:
        raise InputError(name("corrects"), "an original report corrects nothing: leave it empty or use kind "
                         "correction/reversal", "en original indberetning retter intet: lad feltet stå tomt",
                         code="corrects_on_original")
    if kind != "original" and not corrects_text:
        raise InputError(name("corrects"), f"a {kind} must name the report it corrects",
                         "en rettelse eller tilbageførsel skal angive den indberetning, den retter",
                         code="corrects_missing")
    return kind, corrects_text


def _report_dates(row: Mapping[str, object], name: Callable[[str], str], reversal: bool,
                  received_at: dt.datetime) -> dict[str, dt.date]:
    """The payment date and the wage period (a reversal may leave them out: ``date.min``, taken from the
    reversed report when stored); a period ending before it starts, or a payment date far after the
    receipt, is refused."""
    dates: dict[str, dt.date] = {}
    for column in ("payment_date", "period_start", "period_end"):
        value = row.get(column)
        if reversal and (value is None or str(value).strip() == ""):
            dates[column] = dt.date.min  # taken from the reversed report when stored
        else:
            dates[column] = parse_date(value, name(column))
    if dates["period_start"] != dt.date.min and dates["period_end"] < dates["period_start"]:
        raise InputError(name("period_end"), "the wage period ends before it starts",
                         "lønperioden slutter, før den begynder", code="period_order")
    if dates["payment_date"] != dt.date.min:
        received_day = received_at.astimezone(LOCAL_ZONE).date()
        if dates["payment_date"] > received_day + MAX_ADVANCE:
            raise InputError(name("payment_date"),
                             f"is far in the future: more than {MAX_ADVANCE.days} days after the report was "
                             "received", f"ligger langt ude i fremtiden: mere end {MAX_ADVANCE.days} dage efter, "
                             "at indberetningen blev modtaget", code="payment_date_future")
    return dates


def parse_report(row: Mapping[str, object], where: str = "") -> WageReport:
    """Check one report (a CSV row or a JSON object) and return it. Errors name ``where`` and the field.

    Refused: a missing or malformed field, an unknown kind, a correction or reversal without the
    report it corrects (or an original with one), a wage period ending before it starts, a negative
    amount in an original report, a payment date far in the future of the receipt.
    """
    prefix = f"{where}, " if where else ""

    def name(column: str) -> str:
        return prefix + column

    kind, corrects_text = _kind_and_corrects(row, name)
    reversal = kind == "reversal"

    def money(column: str) -> Decimal:
        value = row.get(column)
        if reversal and (value is None or str(value).strip() == ""):
            return ZERO
        return parse_amount(value, name(column), allow_negative=kind != "original")

    received_at = parse_instant(row.get("received_at"), name("received_at"))
    dates = _report_dates(row, name, reversal, received_at)
    hours_value = row.get("hours")
    if hours_value is None or str(hours_value).strip() == "":
        hours = ZERO
    else:
        hours = parse_amount(hours_value, name("hours"), allow_negative=kind != "original", maximum=MAX_HOURS)
    return WageReport(
        report_id=_identifier(row.get("report_id"), name("report_id")),
        case_id=_identifier(row.get("case_id"), name("case_id")),
        employer_id=_identifier(row.get("employer_id"), name("employer_id"), "employer"),
        payment_date=dates["payment_date"],
        period_start=dates["period_start"],
        period_end=dates["period_end"],
        wage=money("wage"),
        pension_own=money("pension_own"),
        pension_employer=money("pension_employer"),
        hours=hours,
        received_at=received_at,
        kind=kind,
        corrects=_identifier(corrects_text, name("corrects")) if corrects_text else None,
    )


def read_csv_text(text: str) -> list[WageReport]:
    """Every report of a CSV text with exactly the columns of ``COLUMNS`` (any order, a header row).

    Errors name the row (counting the header as row 1, like a spreadsheet) and the field.
    """
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise InputError(f"row 1, {missing[0]}", f"the column {missing[0]} is missing (columns: {', '.join(COLUMNS)})",
                         f"kolonnen {missing[0]} mangler (kolonner: {', '.join(COLUMNS)})", code="csv_column_missing")
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        raise InputError(f"row 1, {unknown[0]}", f"the column {unknown[0]} is not known",
                         f"kolonnen {unknown[0]} kendes ikke", code="csv_column_unknown")
    reader.fieldnames = header
    reports = []
    for index, row in enumerate(reader, start=2):
        if None in row or any(value is None for value in row.values()):
            extra = row.get(None) or []
            found = len(header) + len(extra) - sum(1 for v in row.values() if v is None)
            raise InputError(f"row {index}", f"has {found} fields where the header has {len(header)}",
                             f"har {found} felter, men overskriften har {len(header)}", code="csv_row_malformed")
        if all(not str(v).strip() for v in row.values()):
            continue
        reports.append(parse_report(row, f"row {index}"))
    return reports


def read_csv(path: str | Path) -> list[WageReport]:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError("file", f"cannot read the file: {error.__class__.__name__}",
                         "filen kan ikke læses", code="file") from None
    return read_csv_text(text)


def resolve_reversal(report: WageReport, target: WageReport) -> WageReport:
    """A reversal without its own dates takes the payment date and period of the report it reverses."""
    if report.kind != "reversal" or report.payment_date != dt.date.min:
        return report
    from dataclasses import replace

    return replace(report, payment_date=target.payment_date,
                   period_start=target.period_start if report.period_start == dt.date.min else report.period_start,
                   period_end=target.period_end if report.period_end == dt.date.min else report.period_end)


def chain_root(report: WageReport, by_id: Mapping[str, WageReport]) -> str:
    current = report
    while current.corrects is not None:
        current = by_id[current.corrects]
    return current.report_id


def order_key(report: WageReport) -> tuple[dt.datetime, str]:
    """Within a chain the report received last wins; ties by report id (so arrival order never matters)."""
    return (report.received_at, report.report_id)


def known(reports: Iterable[WageReport], as_of: dt.datetime | None) -> list[WageReport]:
    return [r for r in reports if as_of is None or r.received_at <= as_of]
