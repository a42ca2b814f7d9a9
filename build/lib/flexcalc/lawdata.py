"""The law as dated data: when the law changed, which incomes count from when, and which provision
is cited in which month (``flexcalc/parameters/law/``).

Rates live one file per parameter in ``flexcalc/parameters/`` (``flexcalc.params``); the files here
are the *lists and dates* the rules read, kept apart so the rates' coverage checks stay as they are:

- ``law_dates.yaml``: the first day a rule applies (the 2024 income rules; the day the municipality
  may compute the ceiling);
- ``income_kinds.yaml``: each income kind, from when it counts as wage income, from when it opens a
  subsidy month without fleksjob wage, whether it raises the ceiling;
- ``provisions.yaml``: each provision key, its citation text from a date on (a renumbering of the
  act is a new dated entry; ``flexcalc.provisions``).

Every file is validated with pydantic when loaded; a date written twice is refused (the strict YAML
loader of ``flexcalc.params``).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from flexcalc.errors import FlexcalcError
from flexcalc.params import _StrictLoader
from flexcalc.period import Month

LAW_DIR = Path(__file__).parent / "parameters" / "law"


class LawDataError(FlexcalcError):
    """A law-data file that is missing a key or a date (a programming or data error, not bad input)."""


def _read(name: str, directory: Path = LAW_DIR) -> Any:
    with (directory / f"{name}.yaml").open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_StrictLoader)


class LawDate(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    date: dt.date
    label_da: str
    reference: str
    source: str
    note: str | None = None


class LawDates(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    dates: dict[str, LawDate]


@cache
def law_dates(directory: Path = LAW_DIR) -> LawDates:
    return LawDates.model_validate(_read("law_dates", directory))


def law_date(key: str) -> dt.date:
    """The first day the rule ``key`` applies (``law_dates.yaml``)."""
    try:
        return law_dates().dates[key].date
    except KeyError:
        raise LawDataError(f"law_dates.yaml has no date '{key}'") from None


def law_month(key: str) -> Month:
    return Month.of(law_date(key))


def _date_or_law(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"law_date"}:
        return law_date(value["law_date"])
    return value


class IncomeKindRule(BaseModel):
    """Whether and from when one income kind counts (``income_kinds.yaml``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    counts_from: dt.date | None
    opens_month_from: dt.date | None
    special_payment: bool
    reference: str

    @model_validator(mode="before")
    @classmethod
    def _resolve_law_dates(cls, data: Any) -> Any:
        if isinstance(data, dict):
            data = {k: _date_or_law(v) if k in ("counts_from", "opens_month_from") else v for k, v in data.items()}
        return data

    def counts(self, benefit_month: Month) -> bool:
        return self.counts_from is not None and benefit_month.first_day() >= self.counts_from

    def opens_month(self, benefit_month: Month) -> bool:
        return self.opens_month_from is not None and benefit_month.first_day() >= self.opens_month_from


class IncomeKinds(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    kinds: dict[str, IncomeKindRule] = Field(min_length=1)


@cache
def income_kinds(directory: Path = LAW_DIR) -> IncomeKinds:
    return IncomeKinds.model_validate(_read("income_kinds", directory))


def income_kind(kind: str) -> IncomeKindRule:
    try:
        return income_kinds().kinds[kind]
    except KeyError:
        raise LawDataError(f"income_kinds.yaml has no kind '{kind}'") from None


class ProvisionText(BaseModel):
    """One dated citation of a provision key: the text in force from ``start``; optional quote."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: dt.date
    text: str
    quote: str | None = None
    source: str | None = None
    note: str | None = None


class ProvisionTable(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    provisions: dict[str, tuple[ProvisionText, ...]]

    @model_validator(mode="before")
    @classmethod
    def _dated(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("provisions"), dict):
            table: dict[str, list[dict[str, Any]]] = {}
            for key, entries in data["provisions"].items():
                if isinstance(entries, str):
                    entries = {dt.date(2013, 1, 1): {"text": entries}}
                items = []
                for start, entry in entries.items():
                    if not isinstance(start, dt.date):
                        raise ValueError(f"{key}: keys must be dates (YYYY-MM-DD), got {start!r}")
                    items.append({"start": start, **(entry if isinstance(entry, dict) else {"text": entry})})
                table[key] = sorted(items, key=lambda item: item["start"])
            data = {**data, "provisions": table}
        return data

    def entry_at(self, key: str, day: dt.date) -> ProvisionText:
        try:
            entries = self.provisions[key]
        except KeyError:
            raise LawDataError(f"provisions.yaml has no provision '{key}'") from None
        index = bisect_right([e.start for e in entries], day) - 1
        if index < 0:
            raise LawDataError(f"provision '{key}' has no text in force on {day}")
        return entries[index]


@cache
def provision_table(directory: Path = LAW_DIR) -> ProvisionTable:
    return ProvisionTable.model_validate(_read("provisions", directory))
