"""Months: the benefit month, the basis month, and parsing of "YYYY-MM"."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from flexcalc.errors import InputError

_MONTH_RE = re.compile(r"^([0-9]{4})-([0-9]{2})$")  # ASCII digits only: "２０２４-03" is refused
MIN_YEAR, MAX_YEAR = 1900, 2999
"""Months (and instants, ``flexcalc.ledger.reports.parse_instant``) outside these years are refused as
input: no rule or rate exists there, and year 0 or 9999 would overflow the calendar."""


@dataclass(frozen=True, order=True, slots=True)
class Month:
    """A calendar month, e.g. ``Month(2024, 3)`` printed as ``2024-03``."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month must be 1..12, got {self.month}")

    @classmethod
    def parse(cls, value: Any, field: str = "month") -> Month:
        """Parse "YYYY-MM" (also accepts a ``Month`` or a ``date``), naming ``field`` on error."""
        if isinstance(value, Month):
            return value
        if isinstance(value, dt.date):
            return cls(value.year, value.month)
        if not isinstance(value, str):
            raise InputError(field, "must be a month written YYYY-MM, e.g. 2024-03",
                             "skal være en måned skrevet ÅÅÅÅ-MM, fx 2024-03", code="month_format")
        match = _MONTH_RE.match(value.strip())
        if not match:
            raise InputError(field, f"'{value}' is not a month written YYYY-MM, e.g. 2024-03",
                             f"'{value}' er ikke en måned skrevet ÅÅÅÅ-MM, fx 2024-03", code="month_format")
        year, month = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12:
            raise InputError(field, f"'{value}' has no month {month:02d} (months are 01–12)",
                             f"'{value}' har ingen måned {month:02d} (måneder er 01–12)", code="month_format")
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise InputError(field, f"'{value}' is outside the years {MIN_YEAR}–{MAX_YEAR}",
                             f"'{value}' ligger uden for årene {MIN_YEAR}–{MAX_YEAR}", code="month_range")
        return cls(year, month)

    @classmethod
    def of(cls, day: dt.date) -> Month:
        return cls(day.year, day.month)

    def previous(self) -> Month:
        return Month(self.year - 1, 12) if self.month == 1 else Month(self.year, self.month - 1)

    def next(self) -> Month:
        return Month(self.year + 1, 1) if self.month == 12 else Month(self.year, self.month + 1)

    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    def last_day(self) -> dt.date:
        return self.next().first_day() - dt.timedelta(days=1)

    def __add__(self, months: int) -> Month:
        index = self.year * 12 + (self.month - 1) + months
        return Month(index // 12, index % 12 + 1)

    def __sub__(self, other: Month) -> int:
        """Number of months from ``other`` to ``self``."""
        return (self.year * 12 + self.month) - (other.year * 12 + other.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def month_range(first: Month, last: Month) -> list[Month]:
    """Every month from ``first`` to ``last``, both included."""
    months = []
    current = first
    while current <= last:
        months.append(current)
        current = current.next()
    return months
