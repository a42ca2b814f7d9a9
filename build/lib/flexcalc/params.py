"""Parameters as data: one YAML file per parameter in ``flexcalc/parameters/``.

Each file holds values keyed by the date they take effect, each with its status (``verified``: stated
in the cited source; ``derived``: arithmetic on sourced inputs), the source address and a note.
A value of ``null`` ends the coverage: from that date there is no value, and asking for one is an
error (``NoRatesError``, "no rates for 2027-03"), never a default. Files are validated with pydantic
when loaded; a YAML file with a date written twice is refused (it would hide an overlap).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from flexcalc.errors import NoRatesError
from flexcalc.period import Month

PARAMETER_DIR = Path(__file__).parent / "parameters"

Status = Literal["verified", "derived"]


class _StrictLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """A YAML loader that refuses a key written twice in one mapping."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"key {key!r} is written twice (an overlap)", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class ParameterValue(BaseModel):
    """One dated value of a parameter, with where it comes from."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: dt.date
    value: Decimal | None
    status: Status | None = None
    source: str | None = None
    reference: str | None = None
    note: str | None = None

    @field_validator("value", mode="before")
    @classmethod
    def _no_float(cls, value: Any) -> Any:
        if isinstance(value, float):
            raise ValueError("write rates as quoted strings (\"0.30\"), never as YAML floats")
        return value

    @model_validator(mode="after")
    def _status_with_value(self) -> ParameterValue:
        if self.value is not None and (self.status is None or self.source is None):
            raise ValueError(f"the value from {self.start} needs a status and a source")
        return self


class Parameter(BaseModel):
    """A parameter file: its name, labels, legal reference and dated values."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    label_da: str
    label_en: str
    unit: str
    reference: str
    reference_url: str
    values: tuple[ParameterValue, ...] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _values_from_mapping(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("values"), dict):
            items = []
            for start, entry in data["values"].items():
                if not isinstance(start, dt.date):
                    raise ValueError(f"value keys must be dates (YYYY-MM-DD), got {start!r}")
                items.append({"start": start, **(entry or {})})
            data = {**data, "values": sorted(items, key=lambda item: item["start"])}
        return data

    def entry_at(self, day: dt.date) -> ParameterValue:
        """The value in force on ``day``; ``NoRatesError`` where there is none."""
        starts = [v.start for v in self.values]
        index = bisect_right(starts, day) - 1
        if index < 0 or self.values[index].value is None:
            raise NoRatesError(f"{day.year:04d}-{day.month:02d}", self.name)
        return self.values[index]

    def value_at(self, day: dt.date) -> Decimal:
        value = self.entry_at(day).value
        if value is None:  # entry_at never returns an entry without a value; a named error all the same
            raise NoRatesError(f"{day.year:04d}-{day.month:02d}", self.name)
        return value

    def covering(self, day: dt.date) -> list[ParameterValue]:
        """Every entry whose period contains ``day`` (the coverage test wants exactly one)."""
        found = []
        for index, entry in enumerate(self.values):
            end = self.values[index + 1].start if index + 1 < len(self.values) else dt.date.max
            if entry.value is not None and entry.start <= day < end:
                found.append(entry)
        return found


def load_parameter_file(path: Path) -> Parameter:
    with path.open(encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=_StrictLoader)
    parameter = Parameter.model_validate(data)
    if parameter.name != path.stem:
        raise ValueError(f"{path.name}: the name inside ({parameter.name}) must match the file name")
    return parameter


OVERRIDE_ENV = "FLEXCALC_PARAMETERS_DIR"
"""An override folder (issue 13, item 5): its ``*.yaml`` files replace the packaged files of the same
name, so a municipality can apply a published rate the day it appears without a new release."""


def parameter_files() -> dict[str, Path]:
    """The parameter files in force: the packaged ones, each replaced by an override of the same name."""
    from flexcalc.settings import settings

    files = {path.stem: path for path in sorted(PARAMETER_DIR.glob("*.yaml"))}
    override = settings().parameters_dir.strip()
    if override:
        folder = Path(override)
        if not folder.is_dir():
            from flexcalc.errors import InputError

            raise InputError(OVERRIDE_ENV, f"'{override}' is not a folder", f"'{override}' er ikke en mappe",
                             code="parameters_dir")
        files.update({path.stem: path for path in sorted(folder.glob("*.yaml"))})
    return files


@cache
def _load_files(files: tuple[tuple[str, Path], ...]) -> dict[str, Parameter]:
    return {name: load_parameter_file(path) for name, path in files}


def load_parameters(directory: Path | None = None) -> dict[str, Parameter]:
    """Every parameter file in ``directory`` (default: the packaged files with the overrides of
    ``FLEXCALC_PARAMETERS_DIR``), validated, by name."""
    if directory is not None:
        return _load_files(tuple((path.stem, path) for path in sorted(directory.glob("*.yaml"))))
    from flexcalc.settings import settings

    return _load_files(_files_for(settings().parameters_dir.strip()))


@cache
def _files_for(_override: str) -> tuple[tuple[str, Path], ...]:
    """The files in force for an override setting (read once per setting; ``reload_parameters``)."""
    return tuple(sorted(parameter_files().items()))


def reload_parameters() -> None:
    """Forget the parameters read so far (after the override folder or its files changed)."""
    _load_files.cache_clear()
    _files_for.cache_clear()
    _RATES_CACHE.clear()
    _FINGERPRINTS.clear()


_FINGERPRINTS: dict[tuple[str, Month], str] = {}


def rates_fingerprint(month: Month) -> str:
    """A short fingerprint of every parameter value in force in benefit ``month`` and its basis month:
    it changes when a value the month's calculation may use changes (a derived rate replaced by the
    published one), so a paid month can keep the version it was paid under and reconciliation can
    see that the rates changed."""
    import hashlib

    from flexcalc.settings import settings

    key = (settings().parameters_dir.strip(), month)
    found = _FINGERPRINTS.get(key)
    if found is not None:
        return found
    parameters = load_parameters()
    digest = hashlib.sha256()
    for day in (month.previous().first_day(), month.first_day()):
        for name in sorted(parameters):
            try:
                entry = parameters[name].entry_at(day)
            except NoRatesError:
                continue
            digest.update(f"{name}|{day}|{entry.start}|{entry.value}\n".encode())
    found = digest.hexdigest()[:8]
    _FINGERPRINTS[key] = found
    return found


RATE_NAMES = (
    "max_subsidy",
    "threshold",
    "reduction_rate_low",
    "reduction_rate_high",
    "atp_own_share_rate",
    "atp_own_share_cap",
    "highest_unemployment_benefit",
)


@dataclass(frozen=True, slots=True)
class Rates:
    """The rates in force in one benefit month, with the entries they came from."""

    month: Month
    max_subsidy: Decimal
    threshold: Decimal
    reduction_rate_low: Decimal
    reduction_rate_high: Decimal
    atp_own_share_rate: Decimal
    atp_own_share_cap: Decimal
    highest_unemployment_benefit: Decimal
    entries: dict[str, ParameterValue]

    @property
    def derived(self) -> list[str]:
        """Names of the rates of this month that are derived, not stated in a source."""
        return [name for name, entry in self.entries.items() if entry.status == "derived"]

    def status(self, name: str) -> str:
        entry = self.entries[name]
        return entry.status or "unknown"


_RATES_CACHE: dict[Month, Rates] = {}


def rates_for(month: Month) -> Rates:
    """The rates in force in benefit ``month``. Raises ``NoRatesError`` for a month outside the table."""
    cached = _RATES_CACHE.get(month)
    if cached is not None:
        return cached
    parameters = load_parameters()
    day = month.first_day()
    entries: dict[str, ParameterValue] = {}
    for name in RATE_NAMES:
        try:
            entries[name] = parameters[name].entry_at(day)
        except NoRatesError:
            raise NoRatesError(str(month)) from None
    values = {name: entry.value for name, entry in entries.items()}
    rates = Rates(month=month, entries=entries, **values)  # type: ignore[arg-type]
    _RATES_CACHE[month] = rates
    return rates


def coverage() -> tuple[Month, Month]:
    """The first and last month every rate covers."""
    parameters = load_parameters()
    first = max(min(v.start for v in parameters[n].values if v.value is not None) for n in RATE_NAMES)
    ends = []
    for name in RATE_NAMES:
        values = parameters[name].values
        ends.append(values[-1].start if values[-1].value is None else dt.date(9999, 12, 31))
    last_day = min(ends) - dt.timedelta(days=1)
    return Month.of(first), Month.of(last_day)


def latest_published_month(today: dt.date) -> Month:
    """The latest month up to ``today`` whose rates are all published (verified, none derived): the
    explainer's default month (issue 16). The rates table's first month where none is published."""
    first, last = coverage()
    month = min(max(Month.of(today), first), last)
    while month > first:
        if not rates_for(month).derived:
            return month
        month = month.previous()
    return first


RATES_WARNING_MONTHS = 3


@dataclass(frozen=True, slots=True)
class RatesExpiry:
    """A warning that the rates table ends soon: the last covered month and how many months are left."""

    last_month: Month
    months_left: int

    @property
    def message(self) -> str:
        return (f"the rates end with {self.last_month}: add the next year's values before "
                f"{self.last_month.next()} can be paid")

    @property
    def message_da(self) -> str:
        return (f"satserne slutter med {self.last_month}: tilføj næste års satser, før "
                f"{self.last_month.next()} kan udbetales")


def rates_expiry(today: dt.date | None = None, within_months: int = RATES_WARNING_MONTHS) -> RatesExpiry | None:
    """A warning when the rates run out within ``within_months`` of ``today`` (default: the system date).

    Paying a benefit month needs its rates; a table that ends in December must be extended before
    January can be paid. ``None`` while more than ``within_months`` months are covered after this one.
    """
    current = Month.of(today or dt.date.today())
    _, last = coverage()
    left = (last.year - current.year) * 12 + (last.month - current.month)
    return RatesExpiry(last, left) if left < within_months else None
