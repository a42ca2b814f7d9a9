"""A case's refund profile: what the refund ladder needs that the payment ledger does not hold.

- ``visitation_date``: the date the person was visiteret to fleksjob (the cohort, § 30);
- ``job_start``: the start of the current fleksjob (only the 2013–mid-2014 cohort needs it, § 30 stk. 3);
- ``weeks_before`` and ``month``: the person's weeks with benefits counted before ``month`` (across every
  benefit of § 3, from the municipality's refund system or ``history.weeks_before``).

The CSV layout (documented in docs/finance.md) is ``case_id,visitation_date,job_start,month,weeks_before``.
The visitation date is never replaced by the job start: they are two columns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from flexcalc.errors import InputError
from flexcalc.parsing.inputs import parse_date
from flexcalc.period import Month

from .ladder import check_weeks_before, weeks_touched

COLUMNS = ("case_id", "visitation_date", "job_start", "month", "weeks_before")


@dataclass(frozen=True, slots=True)
class RefundProfile:
    case_id: str
    visitation_date: dt.date | None
    job_start: dt.date | None
    month: Month
    weeks_before: int


def parse_profile(row: Mapping[str, object], where: str = "") -> RefundProfile:
    prefix = f"{where}." if where else ""
    case_id = str(row.get("case_id") or "").strip()
    if not case_id:
        raise InputError(f"{prefix}case_id", "is required", "skal udfyldes")

    def date(column: str) -> dt.date | None:
        raw = row.get(column)
        return None if raw is None or str(raw).strip() == "" else parse_date(raw, f"{prefix}{column}")

    return RefundProfile(case_id, date("visitation_date"), date("job_start"),
                         Month.parse(row.get("month"), f"{prefix}month"),
                         check_weeks_before(str(row.get("weeks_before", "")), f"{prefix}weeks_before"))


def read_profiles_text(text: str) -> dict[str, RefundProfile]:
    from flexcalc.csv_text import read_csv_rows

    names, rows = read_csv_rows(text, "profiles")
    missing = [c for c in ("case_id", "month", "weeks_before") if c not in names]
    if missing:
        raise InputError("profiles", f"missing columns: {', '.join(missing)}",
                         f"mangler kolonner: {', '.join(missing)}")
    out: dict[str, RefundProfile] = {}
    for index, row in enumerate(rows, start=2):
        profile = parse_profile(row, f"row {index}")
        out[profile.case_id] = profile
    return out


def read_profiles(path: str | Path) -> dict[str, RefundProfile]:
    return read_profiles_text(Path(path).read_text(encoding="utf-8"))


def weeks_before_month(profile: RefundProfile, month: Month, benefit_months: Sequence[Month]) -> int:
    """The weeks with benefits counted before ``month``: the profile's count before its own month, plus
    the calendar weeks of every month with subsidy from then until ``month`` (a week shared by two
    such months counted once). A month without subsidy adds nothing (a fleksjob is never self-support,
    § 6 stk. 2, so the count does not restart during it)."""
    if month < profile.month:
        raise InputError("month", f"is before the refund profile's month {profile.month}",
                         f"ligger før refusionsprofilens måned {profile.month}")
    weeks = profile.weeks_before
    paid = set(benefit_months)
    current = profile.month
    last_counted: dt.date | None = None
    while current < month:
        if current in paid:
            first, last = current.first_day(), current.last_day()
            touched = weeks_touched(first, last)
            # the week holding the 1st was already counted when the previous month with benefits ended mid-week
            if last_counted is not None and weeks_touched(last_counted, first) == 1:
                touched -= 1
            weeks += touched
            last_counted = last
        current = current.next()
    if last_counted is not None and weeks_touched(last_counted, month.first_day()) == 1:
        weeks -= 1  # the week holding the 1st of ``month`` is counted as week weeks_before + 1 of ``month``
    return weeks
