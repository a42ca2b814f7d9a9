"""The self-employed subsidy's rates as data: ``flexcalc/law/self_employed/*.yaml``.

The files have the same shape as the new scheme's (``flexcalc.law.params``: dated values with status,
source and note; computed values computed when loaded) and are read by the same functions, but from their
own folder: the new scheme's month fingerprint (``rates_fingerprint``) hashes every file of
``law/parameters``, and a paid fleksløntilskud month must not look changed because a rate of another
flow was added (docs/decisions.md, "Self-employed subsidy"). A file of the same name in the override folder
(``FLEXCALC_PARAMETERS_DIR``) replaces the packaged one, as for the other rates.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from flexcalc.errors import InputError, NoRatesError
from flexcalc.law.params import Parameter, ParameterValue, load_parameter_file, resolve_computed

FOLDER = Path(__file__).resolve().parents[1] / "law" / "self_employed"
BASIC_AMOUNT = "self_employed_basic_amount"
REDUCTION_RATE = "self_employed_reduction_rate"
NAMES = (BASIC_AMOUNT, REDUCTION_RATE)

_CACHE: dict[tuple[str, ...], dict[str, Parameter]] = {}


def _files() -> dict[str, Path]:
    from flexcalc.settings import settings

    files = {path.stem: path for path in sorted(FOLDER.glob("*.yaml"))}
    override = settings().parameters_dir.strip()
    if override:
        folder = Path(override)
        for name in NAMES:
            candidate = folder / f"{name}.yaml"
            if candidate.is_file():
                files[name] = candidate
    return files


def self_employed_parameters() -> dict[str, Parameter]:
    """The self-employed subsidy's parameter files, validated, computed values computed."""
    files = _files()
    key = tuple(f"{name}={path}" for name, path in sorted(files.items()))
    found = _CACHE.get(key)
    if found is None:
        found = resolve_computed({name: load_parameter_file(path) for name, path in files.items()})
        _CACHE.clear()
        _CACHE[key] = found
    return found


def reload() -> None:
    _CACHE.clear()


def check_year(year: int, field: str = "year") -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 9999:
        raise InputError(field, "must be a year YYYY", "skal være et årstal ÅÅÅÅ", code="year")
    return year


def entry_for_year(name: str, year: int, field: str = "year") -> ParameterValue:
    """The value of ``name`` in force on 1 January of ``year`` (the subsidy is computed for a calendar year,
    BEK 233/2024 § 8, stk. 2); ``NoRatesError`` naming the year where there is none."""
    check_year(year, field)
    try:
        return self_employed_parameters()[name].entry_at(dt.date(year, 1, 1))
    except NoRatesError:
        raise NoRatesError(str(year), name, field) from None


def value_for_year(name: str, year: int, field: str = "year") -> Decimal:
    entry = entry_for_year(name, year, field)
    if entry.value is None:  # entry_at returns only entries with a value; a named error all the same
        raise NoRatesError(str(year), name, field)
    return entry.value
