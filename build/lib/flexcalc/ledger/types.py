"""Typed columns and codes of the ledger (issue 13, item 6).

- ``MonthColumn``: a month column read as ``flexcalc.period.Month`` and stored as "YYYY-MM" (so it
  sorts and compares in SQL as before); a bound value may be a ``Month`` or its text.
- ``ListColumn``: a list of identifiers or codes, stored as a JSON array; a row written before
  0004 (space-separated text) is read as the same list, so no stored row needs rewriting.
- The kinds, statuses and reasons as ``StrEnum``: they compare equal to their text, print as it and
  become it in JSON, so the edge (API, CLI) sees the same strings as before.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from enum import StrEnum
from functools import lru_cache
from typing import Any

from sqlalchemy import String, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from flexcalc.period import Month


@lru_cache(maxsize=4096)
def _month_of(text: str) -> Month:
    return Month.parse(text)


class MonthColumn(TypeDecorator[Month]):
    impl = String(7)
    cache_ok = True

    def process_bind_param(self, value: Month | str | None, dialect: Dialect) -> str | None:
        return None if value is None else str(Month.parse(value))

    def process_result_value(self, value: str | None, dialect: Dialect) -> Month | None:
        return None if value is None else _month_of(value)


class ListColumn(TypeDecorator[list[str]]):
    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Sequence[str] | str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        items = value.split() if isinstance(value, str) else [str(v) for v in value]
        return json.dumps(items, separators=(",", ":"))

    def process_result_value(self, value: str | None, dialect: Dialect) -> list[str] | None:
        if value is None:
            return None
        text = value.strip()
        if text.startswith("["):
            return [str(v) for v in json.loads(text)]
        return text.split()  # written before 0004: space-separated


class EnumColumn(TypeDecorator[Any]):
    """A ``StrEnum`` stored as its text (no native enum type: the CHECK constraints stay as they are)."""

    impl = String
    cache_ok = True

    def __init__(self, enum: type[StrEnum], length: int) -> None:
        super().__init__(length)
        self.enum = enum

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else self.enum(value).value

    def process_result_value(self, value: str | None, dialect: Dialect) -> Any:
        return None if value is None else self.enum(value)


class ReportKind(StrEnum):
    ORIGINAL = "original"
    CORRECTION = "correction"
    REVERSAL = "reversal"


class PaymentKind(StrEnum):
    REGULAR = "regular"
    PROVISIONAL = "provisional"


class CorrectionStatus(StrEnum):
    PAYABLE = "payable"
    REPAYMENT_REVIEW = "repayment_review"


class Outcome(StrEnum):
    COLLECT = "collect"
    WAIVE = "waive"


class MonthReason(StrEnum):
    """Why a computed month is what it is when that is not the formula alone."""

    NO_FLEKSJOB_WAGE = "no_fleksjob_wage"
    EVENTS_INVALID = "events_invalid"


class Cause(StrEnum):
    """The reason codes of a correction (``corrections.REASONS`` holds their words)."""

    LATE_REPORT = "late_report"
    CORRECTED_REPORT = "corrected_report"
    REVERSAL = "reversal"
    RE_REPORT = "re_report"
    CEILING_CHANGE = "ceiling_change"
    EVENTS_REGISTERED = "events_registered"
    RATES_CHANGED = "rates_changed"
    PROVISIONAL_SETTLED = "provisional_settled"
    RECALCULATION = "recalculation"
