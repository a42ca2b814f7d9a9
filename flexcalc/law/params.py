"""Parameters as data: one YAML file per parameter in ``flexcalc/law/parameters/<area>/``.

Each file holds values keyed by the date they take effect, each with its status, the source address
and a note. There are three kinds of value:

- ``published``: the value itself is stated in the cited source;
- ``computed``: the law's own arithmetic on published inputs. The file declares the rule and its inputs
  (``rule``, ``derived_from``) and the value is **computed when the files are loaded**, never typed in;
- ``assumed``: an input is itself an assumption (a regulation not yet published, a rate carried forward).
  An assumed value may be typed in, or computed by a rule from an assumed input.

An input in ``derived_from`` is either another parameter's value on a date (``"max_subsidy@2015-01-01"``)
or a literal: a quoted number (fixed by law, e.g. the 98 % of LAB § 123) or a mapping ``{value, status,
note}`` (e.g. an assumed regulation percentage). A computed value's status follows its inputs: the
loader refuses a value declared ``computed`` that rests on an assumed input; one declared ``assumed``
whose inputs are all established (an input was published since) is computed. A published value may
declare a rule too: its ``computed`` value is then the check the tests compare with the published one.
A value of ``null`` ends the coverage: from that date there is no value, and asking for one is an
error (``NoRatesError``, "no rates for 2027-03"), never a default. Files are validated with pydantic
when loaded; a YAML file with a date written twice is refused (it would hide an overlap).
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from flexcalc.errors import NoRatesError, require
from flexcalc.period import Month

PARAMETER_DIR = Path(__file__).parent / "parameters"

Status = Literal["published", "computed", "assumed"]
STATUSES: tuple[Status, ...] = ("published", "computed", "assumed")


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
    mapping: dict[Any, Any] = loader.construct_mapping(node, deep=deep)
    return mapping


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _kroner(amount: Decimal) -> Decimal:
    """Rounded to whole kroner, half up (the published amounts are whole kroner)."""
    return amount.quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def _ore(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


_WEEKS_PER_MONTH = Decimal(52) / Decimal(12)


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule of the law's arithmetic: its inputs by name, what it does (in words) and the function."""

    inputs: tuple[str, ...]
    text: str
    function: Callable[[dict[str, Decimal]], Decimal]


RULES: dict[str, Rule] = {
    "share": Rule(("factor", "amount"), "factor × amount, rounded to whole kroner",
                  lambda i: _kroner(i["factor"] * i["amount"])),
    "share_of_daily_rate": Rule(
        ("factor", "daily"), "factor × daily rate rounded to whole kroner, × 5 days × 52/12 weeks, rounded "
        "to whole kroner (the years with a daily dagpenge rate)",
        lambda i: _kroner(_kroner(i["factor"] * i["daily"]) * 5 * _WEEKS_PER_MONTH)),
    "daily_to_monthly": Rule(("daily",), "daily rate × 5 days × 52/12 weeks, rounded to whole kroner",
                             lambda i: _kroner(i["daily"] * 5 * _WEEKS_PER_MONTH)),
    "weekly_to_monthly": Rule(("weekly",), "weekly rate × 52/12 weeks, rounded to whole kroner",
                              lambda i: _kroner(i["weekly"] * _WEEKS_PER_MONTH)),
    "regulate": Rule(("base", "percent"), "base × (1 + percent/100), rounded to whole kroner",
                     lambda i: _kroner(i["base"] * (1 + i["percent"] / 100))),
    "index": Rule(("amount", "index", "index_base"), "amount × index / index_base, rounded to whole kroner",
                  lambda i: _kroner(i["amount"] * i["index"] / i["index_base"])),
    "annual_to_monthly": Rule(("annual",), "annual amount / 12, rounded to whole kroner",
                              lambda i: _kroner(i["annual"] / 12)),
    "two_thirds_per_hour": Rule(("annual",), "2/3 × annual amount / (37 hours × 52 weeks), rounded to øre",
                                lambda i: _ore(i["annual"] * 2 / 3 / (37 * 52))),
    "index_ore": Rule(("amount", "index", "index_base"), "amount × index / index_base, rounded to øre",
                      lambda i: _ore(i["amount"] * i["index"] / i["index_base"])),
}
"""The rules a parameter file may name in ``rule``."""


@dataclass(frozen=True, slots=True)
class RuleInput:
    """One resolved input of a computed value: its name, value and status, and where it comes from
    (``"highest_unemployment_benefit@2025-01-01"`` or ``"literal"``)."""

    name: str
    value: Decimal
    status: Status
    origin: str
    note: str | None = None

    def to_dict(self) -> dict[str, str]:
        data = {"name": self.name, "value": str(self.value), "status": self.status, "from": self.origin}
        if self.note:
            data["note"] = self.note
        return data


class ParameterValue(BaseModel):
    """One dated value of a parameter, with where it comes from."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: dt.date
    value: Decimal | None = None
    status: Status | None = None
    source: str | None = None
    reference: str | None = None
    note: str | None = None
    rule: str | None = None
    derived_from: dict[str, Any] | None = None
    computed: Decimal | None = None
    """What ``rule`` gives on ``derived_from`` (set by the loader): the value of a computed or assumed
    entry, the check of a published one."""
    inputs: tuple[RuleInput, ...] = ()
    """The resolved inputs of ``rule`` (set by the loader), for ``flexcalc rates --json``."""

    @field_validator("value", mode="before")
    @classmethod
    def _no_float(cls, value: Any) -> Any:
        if isinstance(value, float):
            raise ValueError("write rates as quoted strings (\"0.30\"), never as YAML floats")
        return value

    @model_validator(mode="after")
    def _status_with_value(self) -> ParameterValue:
        if (self.value is not None or self.rule is not None) and (self.status is None or self.source is None):
            raise ValueError(f"the value from {self.start} needs a status and a source")
        if self.rule is not None:
            if self.rule not in RULES:
                raise ValueError(f"the value from {self.start}: unknown rule {self.rule!r} (known: {sorted(RULES)})")
            if not self.derived_from:
                raise ValueError(f"the value from {self.start}: rule {self.rule} needs its inputs (derived_from)")
        if self.status == "computed" and self.rule is None:
            raise ValueError(f"the value from {self.start} is computed: declare its rule and derived_from, "
                             "do not type the value")
        if self.status in ("computed", "assumed") and self.rule is not None and self.value is not None \
                and self.computed is None:
            raise ValueError(f"the value from {self.start} is computed by {self.rule} when loaded: remove the "
                             "typed value")
        if self.status == "published" and self.value is None:
            raise ValueError(f"the published value from {self.start} needs its value")
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
"""An override folder: its ``*.yaml`` files replace the packaged files of the same
name, so a municipality can apply a published rate the day it appears without a new release."""


def _by_name(paths: Iterable[Path]) -> dict[str, Path]:
    """Parameter files by name (the file's stem); the area folders only group them, so a name written
    in two areas is refused."""
    files: dict[str, Path] = {}
    for path in sorted(paths):
        if path.stem in files:
            raise ValueError(f"parameter '{path.stem}' is written twice: {files[path.stem]} and {path}")
        files[path.stem] = path
    return files


def parameter_files() -> dict[str, Path]:
    """The parameter files in force: the packaged ones, each replaced by an override of the same name."""
    from flexcalc.settings import settings

    files = _by_name(PARAMETER_DIR.rglob("*.yaml"))
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
    return resolve_computed({name: load_parameter_file(path) for name, path in files})


_REFERENCE = re.compile(r"^(?P<name>[a-z_0-9]+)@(?P<day>\d{4}-\d{2}-\d{2})$")


def _computed_entry(entry: ParameterValue, result: Decimal, inputs: list[RuleInput], where: str) -> ParameterValue:
    """A value with its rule's result: a published value keeps its value beside the result; a computed one
    must not rest on an assumed input; an assumed one becomes computed once its inputs are all established."""
    follows: Status = "assumed" if any(i.status == "assumed" for i in inputs) else "computed"
    if entry.status == "published":
        return entry.model_copy(update={"computed": result, "inputs": tuple(inputs)})
    if entry.status == "computed" and follows == "assumed":
        raise ValueError(f"{where} is declared computed but its inputs make it assumed"
                         f" ({', '.join(f'{i.name}: {i.status}' for i in inputs)})")
    # declared assumed, its inputs now all established (e.g. an input published): computed
    return entry.model_copy(update={"value": result, "computed": result, "inputs": tuple(inputs),
                                    "status": follows})


def resolve_computed(parameters: dict[str, Parameter]) -> dict[str, Parameter]:
    """Every value with a ``rule`` computed from its ``derived_from`` inputs (other parameters' values,
    themselves resolved first, and literals). A computed value's status must follow its inputs (see the
    module docstring); a reference to a missing parameter or date, or a cycle, is an error naming it."""
    done: dict[tuple[str, int], ParameterValue] = {}
    active: set[tuple[str, int]] = set()

    def where(name: str, index: int) -> str:
        return f"{name} from {parameters[name].values[index].start}"

    def resolve(name: str, index: int) -> ParameterValue:
        key = (name, index)
        found = done.get(key)
        if found is not None:
            return found
        entry = parameters[name].values[index]
        if entry.rule is None:
            done[key] = entry
            return entry
        if key in active:
            raise ValueError(f"{where(name, index)}: its inputs refer back to it (a cycle)")
        active.add(key)
        rule = RULES[entry.rule]
        given = entry.derived_from or {}
        if set(given) != set(rule.inputs):
            raise ValueError(f"{where(name, index)}: rule {entry.rule} takes the inputs {list(rule.inputs)}, "
                             f"the file gives {sorted(given)}")
        inputs: list[RuleInput] = []
        for input_name in rule.inputs:
            inputs.append(_resolve_input(input_name, given[input_name], where(name, index), parameters, resolve))
        active.discard(key)
        found = _computed_entry(entry, rule.function({i.name: i.value for i in inputs}), inputs, where(name, index))
        done[key] = found
        return found

    out: dict[str, Parameter] = {}
    for name, parameter in parameters.items():
        if not any(v.rule for v in parameter.values):
            out[name] = parameter
            continue
        values = tuple(resolve(name, index) for index in range(len(parameter.values)))
        out[name] = parameter.model_copy(update={"values": values})
    return out


def _resolve_input(input_name: str, given: Any, where: str, parameters: dict[str, Parameter],
                   resolve: Callable[[str, int], ParameterValue]) -> RuleInput:
    if isinstance(given, dict):
        if set(given) - {"value", "status", "note"} or "value" not in given or given.get("status") not in STATUSES:
            raise ValueError(f"{where}: the literal input {input_name} needs a quoted value and a status "
                             f"({', '.join(STATUSES)}), and an optional note")
        return RuleInput(input_name, Decimal(str(given["value"])), given["status"], "literal", given.get("note"))
    if not isinstance(given, str):
        raise ValueError(f"{where}: write the input {input_name} as a quoted number or as name@YYYY-MM-DD")
    match = _REFERENCE.match(given)
    if match is None:
        try:
            return RuleInput(input_name, Decimal(given), "published", "literal")
        except ArithmeticError:
            raise ValueError(f"{where}: the input {input_name} ({given!r}) is neither a number nor "
                             "name@YYYY-MM-DD") from None
    other, day = match.group("name"), dt.date.fromisoformat(match.group("day"))
    if other not in parameters:
        raise ValueError(f"{where}: the input {input_name} refers to {other}, which is no parameter")
    starts = [v.start for v in parameters[other].values]
    index = bisect_right(starts, day) - 1
    target = resolve(other, index) if index >= 0 else None
    if target is None or target.value is None or target.status is None:
        raise ValueError(f"{where}: the input {input_name} ({given}) has no value")
    return RuleInput(input_name, target.value, target.status, given)


def load_parameters(directory: Path | None = None) -> dict[str, Parameter]:
    """Every parameter file in ``directory`` (default: the packaged files with the overrides of
    ``FLEXCALC_PARAMETERS_DIR``), validated, by name."""
    if directory is not None:
        return _load_files(tuple(sorted(_by_name(directory.rglob("*.yaml")).items())))
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
        """Names of the rates of this month that are not published (computed or assumed)."""
        return [name for name, entry in self.entries.items() if entry.status != "published"]

    @property
    def computed(self) -> list[str]:
        """Names of the rates of this month computed by the law's arithmetic on published inputs."""
        return [name for name, entry in self.entries.items() if entry.status == "computed"]

    @property
    def assumed(self) -> list[str]:
        """Names of the rates of this month that rest on an assumption: a payment run holds the month
        until they are confirmed (``flexcalc.ledger.confirmations``)."""
        return [name for name, entry in self.entries.items() if entry.status == "assumed"]

    @property
    def kind(self) -> Status:
        """The weakest status among the month's rates: assumed, else computed, else published."""
        if self.assumed:
            return "assumed"
        return "computed" if self.computed else "published"

    def status(self, name: str) -> str:
        entry = self.entries[name]
        return entry.status or "unknown"


_RATES_CACHE: dict[Month, Rates] = {}


def entries_in_force(parameters: Mapping[str, Parameter], names: Iterable[str],
                     month: Month) -> dict[str, ParameterValue]:
    """The entry of each of ``names`` in force in benefit ``month`` (on its first day): the one loop
    that reads a month's rates, for the subsidy's rates, a reform's and the tax estimate's. Raises
    ``NoRatesError`` for the month when one of them has no value."""
    day = month.first_day()
    entries: dict[str, ParameterValue] = {}
    for name in names:
        try:
            entries[name] = parameters[name].entry_at(day)
        except NoRatesError:
            raise NoRatesError(str(month)) from None
    return entries


def values_of(entries: Mapping[str, ParameterValue], month: Month) -> dict[str, Decimal]:
    """The values of ``entries`` by name (``entries_in_force`` returns only entries with a value)."""
    return {name: require(entry.value, f"the value of {name} for {month}") for name, entry in entries.items()}


def rates_from(parameters: Mapping[str, Parameter], month: Month) -> Rates:
    """The subsidy's rates of benefit ``month`` read from ``parameters`` (the packaged ones or a reform's)."""
    entries = entries_in_force(parameters, RATE_NAMES, month)
    return Rates(month=month, entries=entries, **values_of(entries, month))


def rates_for(month: Month) -> Rates:
    """The rates in force in benefit ``month``. Raises ``NoRatesError`` for a month outside the table."""
    cached = _RATES_CACHE.get(month)
    if cached is not None:
        return cached
    rates = rates_from(load_parameters(), month)
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


def current_month(today: dt.date | None = None) -> Month:
    """The benefit month of ``today`` (default: the system date), the default month of the citizen
    pages, the API and the CLI: never an older year because a later value is computed or assumed. A
    date outside the rates table gives the nearest covered month."""
    first, last = coverage()
    return min(max(Month.of(today or dt.date.today()), first), last)


def assumed_months(today: dt.date | None = None, within_months: int = 3) -> list[Month]:
    """The months from ``today``'s month through the next ``within_months`` whose rates are (partly)
    assumed: ``flexcalc rates`` and ``/health`` name them, and a payment run holds them until they are
    confirmed. A month outside the rates table is not listed here (``rates_expiry`` warns of it)."""
    month = Month.of(today or dt.date.today())
    found = []
    for _ in range(within_months + 1):
        try:
            if rates_for(month).assumed:
                found.append(month)
        except NoRatesError:
            pass
        month = month.next()
    return found


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


def weakest_status(statuses: Iterable[str | None]) -> Status:
    """The weakest of some values' statuses: assumed, else computed, else published."""
    found = set(statuses)
    if "assumed" in found:
        return "assumed"
    return "computed" if "computed" in found else "published"


def rates_note_da(kind: str, month: Month, *, onwards: bool = False) -> str | None:
    """What the status of a month's rates means, in plain Danish for a citizen (never "afledt"); ``None``
    when every rate is published. ``onwards``: the note covers that month and the ones after it."""
    from flexcalc.text_da.format import month_name

    when = f"{month_name(month)} og frem" if onwards else month_name(month)
    if kind == "computed":
        return (f"Satserne for {when} er regnet ud efter lovens regler. "
                "Selve tallene er ikke offentliggjort endnu.")
    if kind == "assumed":
        return (f"Satserne for {when} er et skøn. De er ikke offentliggjort endnu, "
                "så beløbet kan ændre sig.")
    return None


def assumed_months_da(months: Sequence[Month]) -> str:
    from flexcalc.text_da.format import month_name

    return ("satserne for " + ", ".join(month_name(m) for m in months) + " er antaget, ikke offentliggjort: en "
            "udbetaling holdes tilbage, til de er bekræftet (flexcalc rates confirm).")


def assumed_months_en(months: Sequence[Month]) -> str:
    return ("the rates of " + ", ".join(str(m) for m in months) + " are assumed, not published: a payment run "
            "holds those months until the rates are confirmed (flexcalc rates confirm).")


def parameter_json(parameter: Parameter) -> dict[str, Any]:
    """A parameter file as JSON (``flexcalc rates --json``, the API): every value with its status, and a
    computed or assumed value's rule (in words) and resolved inputs."""
    data = parameter.model_dump(mode="json", exclude={"values"})
    values = []
    for entry in parameter.values:
        item = entry.model_dump(mode="json", exclude={"inputs", "computed", "derived_from"}, exclude_none=True)
        item.setdefault("value", None)
        if entry.rule is not None:
            item["rule_text"] = RULES[entry.rule].text
            item["inputs"] = [i.to_dict() for i in entry.inputs]
            item["computed"] = str(entry.computed) if entry.computed is not None else None
        values.append(item)
    data["values"] = values
    return data
