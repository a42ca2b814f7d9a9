"""Who a letter is from: the municipality's profile (set once per deployment) and the sender's wording on the
letter's date (dated data, ``flexcalc/law/data/letters.yaml``).

The profile is a YAML file named by the environment variable ``FLEXCALC_MUNICIPALITY`` (README, "Letters"):
name, address, phone, opening hours, Digital Post address and web page. ``FLEXCALC_MUNICIPALITY=demo`` uses the
packaged demo profile, marked as a demo in every letter. No profile: drafting a letter is refused naming the
field ``municipality`` — a letter without the municipality's name and phone number cannot be sent.
"""

from __future__ import annotations

import datetime as dt
import os
from bisect import bisect_right
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from flexcalc.law.lawdata import LAW_DIR, LawDataError
from flexcalc.law.params import _StrictLoader

from .errors import letter_error

ENV = "FLEXCALC_MUNICIPALITY"
DEMO_FILE = Path(__file__).parent / "demo_municipality.yaml"


class MunicipalityProfile(BaseModel):
    """The municipality's details, as printed in every letter."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=2, max_length=80, description="Fx »Aarhus Kommune«.")
    unit: str | None = Field(default=None, max_length=80, description="Fx »Fleksjob og ledighedsydelse«.")
    address: tuple[str, ...] = Field(min_length=1, max_length=4, description="Adressens linjer.")
    phone: str = Field(min_length=8, max_length=20, pattern=r"^[0-9 +]+$")
    opening_hours: str = Field(min_length=3, max_length=120, description="Fx »mandag-fredag kl. 9-14«.")
    digital_post: str = Field(min_length=3, max_length=120, description="Hvor man skriver med Digital Post.")
    web: str = Field(min_length=4, max_length=120)
    demo: bool = Field(default=False, description="Et eksempel, ikke en rigtig kommune: står i hvert brev.")
    cvr: str | None = Field(default=None, pattern=r"^[0-9]{8}$",
                            description="Kommunens CVR-nummer: afsender i Digital Post (MeMo).")


def _read_profile(path: Path) -> MunicipalityProfile:
    try:
        with path.open(encoding="utf-8") as handle:
            data = yaml.load(handle, Loader=_StrictLoader)
    except OSError:
        raise letter_error("municipality", "municipality_unreadable", path=str(path)) from None
    except yaml.YAMLError as error:
        raise letter_error("municipality", "municipality_invalid", path=str(path),
                           reason=str(error).splitlines()[0]) from None
    try:
        return MunicipalityProfile.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "profile"
        raise letter_error("municipality", "municipality_invalid", path=str(path),
                           reason=f"{where}: {first['msg']}") from None


@cache
def _profile_at(path: str) -> MunicipalityProfile:
    return _read_profile(Path(path))


def municipality() -> MunicipalityProfile:
    """The deployment's profile (``FLEXCALC_MUNICIPALITY``: a YAML file, or ``demo``); none is an error."""
    setting = os.environ.get(ENV, "").strip()
    if not setting:
        raise letter_error("municipality", "no_municipality", env=ENV)
    path = DEMO_FILE if setting == "demo" else Path(setting)
    return _profile_at(str(path.resolve()))


class SenderWording(BaseModel):
    """How the letter names its sender, from a date on."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: dt.date
    letterhead_da: str
    contact_da: str
    reference: str
    source: str


@cache
def _letters_data(directory: Path = LAW_DIR) -> dict[str, Any]:
    with (directory / "letters.yaml").open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.load(handle, Loader=_StrictLoader)
    return data


@cache
def _senders() -> tuple[SenderWording, ...]:
    entries = _letters_data()["senders"]
    return tuple(sorted((SenderWording(start=start, **entry) for start, entry in entries.items()),
                        key=lambda s: s.start))


def sender_on(day: dt.date) -> SenderWording:
    """The sender's wording in force on the letter's date (``letters.yaml``, ``senders``)."""
    senders = _senders()
    index = bisect_right([s.start for s in senders], day) - 1
    if index < 0:
        raise LawDataError(f"letters.yaml has no sender in force on {day}")
    return senders[index]


def letters_data() -> dict[str, Any]:
    return _letters_data()


__all__ = ["ENV", "MunicipalityProfile", "SenderWording", "letters_data", "municipality", "sender_on"]
