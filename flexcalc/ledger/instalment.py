"""The instalment (afdragsordning) of a repayment claim computed from the person's income.

BEK 585/2023 has the municipality fix the instalment by the table of the debt-collection order
(gældsinddrivelsesbekendtgørelsen § 11, stk. 1–2): the annual net income's band gives a rate (lower for a
person who supports children); the monthly instalment is net income × rate / 12, rounded down to the nearest
whole or half hundred kroner. Without income data, a fixed monthly amount. The tables are dated data
(``flexcalc/law/data/instalment.yaml``, each with its source and status); a date or an income the data does not
cover is a clear error naming the field, never a guess (docs/decisions.md, "The instalment from the person's
income").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from flexcalc.errors import InputError
from flexcalc.law.lawdata import LAW_DIR, _read
from flexcalc.money import amount_str
from flexcalc.text_da.format import kr


class Band(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    low: int
    high: int
    rate: int
    rate_provider: int


class Table(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    valid_from: dt.date
    valid_to: dt.date
    reference: str
    source: str
    status: str
    note: str | None = None
    rows: tuple[Band, ...]


class Fixed(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    start: dt.date
    value: Decimal
    status: str
    note: str | None = None


class InstalmentData(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    reference: str
    source: str
    rounding_step: Decimal
    tables: tuple[Table, ...]
    without_income: tuple[Fixed, ...]
    without_income_reference: str
    without_income_source: str


@cache
def instalment_data(directory: Path = LAW_DIR) -> InstalmentData:
    return InstalmentData.model_validate(_read("instalment", directory))


@dataclass(frozen=True, slots=True)
class Instalment:
    """The monthly instalment from an annual net income: the band, the rate and the rounding."""

    net_income: Decimal
    provider: bool
    rate: int
    annual: Decimal
    monthly: Decimal
    table: Table

    def reason_da(self) -> str:
        """The plan's reason as the letter and the case file state it."""
        who = "med forsørgerpligt" if self.provider else "uden forsørgerpligt"
        return (f"afdrag efter indkomst: nettoindkomst {kr(self.net_income)} om året, {who}, afdragsprocent "
                f"{self.rate} % ({self.table.reference})")

    def to_dict(self) -> dict[str, Any]:
        return {"net_income": amount_str(self.net_income), "provider": self.provider, "rate": self.rate,
                "annual": amount_str(self.annual), "monthly": amount_str(self.monthly),
                "reference": self.table.reference, "source": self.table.source, "status": self.table.status}


def _table(on: dt.date) -> Table:
    for table in instalment_data().tables:
        if table.valid_from <= on <= table.valid_to:
            return table
    raise InputError("on", f"no instalment table of the debt-collection order is stored for {on}: fix the "
                     "amount by hand with its reason", f"der er ingen afdragstabel for {on}: fastsæt beløbet i "
                     "hånden og begrund det", code="no_table")


def instalment_from_income(net_income: Decimal, provider: bool, on: dt.date) -> Instalment:
    """The monthly instalment of a person with annual ``net_income`` (after AM-bidrag, pension, ATP and tax)
    on ``on``; ``provider``: the person supports children."""
    if net_income < 0:
        raise InputError("net_income", "must be 0 or more", "skal være 0 eller mere", code="negative")
    table = _table(on)
    whole = int(net_income.to_integral_value(rounding=ROUND_FLOOR))
    band = next((b for b in table.rows if b.low <= whole <= b.high), None)
    if band is None:
        top = table.rows[-1].high
        raise InputError("net_income", f"above {top} kr., the highest band in the stored table "
                         f"({table.reference}): fix the amount by hand with its reason",
                         f"over {top} kr., det højeste trin i den gemte tabel ({table.reference}): fastsæt "
                         "beløbet i hånden og begrund det", code="above_table")
    rate = band.rate_provider if provider else band.rate
    annual = net_income * Decimal(rate) / Decimal(100)
    step = instalment_data().rounding_step
    monthly = (annual / 12 / step).to_integral_value(rounding=ROUND_FLOOR) * step
    return Instalment(net_income, provider, rate, annual, monthly.quantize(Decimal("0.01")), table)


def without_income(on: dt.date) -> Fixed:
    """The monthly instalment without current income data, in force on ``on``."""
    found = [f for f in instalment_data().without_income if f.start <= on]
    if not found:
        raise InputError("on", f"no instalment without income data is stored for {on}",
                         f"der er intet afdrag uden indkomstoplysninger for {on}", code="no_table")
    return found[-1]
