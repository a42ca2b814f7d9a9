"""Each case's tax card (skattekort) as dated, append-only data (``ledger_tax_card``, migration
``0018_tax_cards_payouts``), imported from a CSV file (``flexcalc tax-cards import FILE.csv``).

The CSV (comma or semicolon separated, UTF-8, a header line) has the columns ``case_id``, ``card``
(``hovedkort``, ``bikort`` or ``frikort``), ``withholding_rate`` (the trækprocent, 0–100, e.g. ``37``),
``monthly_deduction`` (kroner a month; hovedkort only, else empty or 0), ``valid_from`` (YYYY-MM-DD) and,
for a frikort, ``free_amount`` (the yearly frikort amount in kroner). A new card is a new row: the card in
force on a payment date is the one with the latest ``valid_from`` on or before it, the newest row winning
a tie (a re-sent card of the same date is a correction, nothing is overwritten). The whole file is checked
first; any bad row refuses the file naming the row, the field and the reason (Danish and English), and
nothing is stored.

The rule that uses the card is ``flexcalc.rules.a_skat``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, insert, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from flexcalc.errors import InputError
from flexcalc.ledger.db import Base
from flexcalc.money import ZERO
from flexcalc.parsing.inputs import parse_amount, parse_date, parse_percent
from flexcalc.rules.a_skat import CARD_KINDS, TaxCard

from .caserows import now
from .models import Ore, UTCDateTime, append_only

REQUIRED = ("case_id", "card", "withholding_rate", "monthly_deduction", "valid_from")
OPTIONAL = ("free_amount",)
CHUNK = 900
HUNDRED = Decimal(100)


class TaxCardRow(Base):
    """One tax card of a case from a date on, as imported. Append-only: a new card is a new row."""

    __tablename__ = "ledger_tax_card"
    __table_args__ = (
        CheckConstraint("card IN ('hovedkort', 'bikort', 'frikort')", name="card"),
        Index("ix_ledger_tax_card_case", "case_id", "valid_from"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("ledger_case.id", name="fk_ledger_tax_card_case"))
    card: Mapped[str] = mapped_column(String(10))
    withholding_rate: Mapped[str] = mapped_column(String(8))
    """The trækprocent as text ("37.00"): a percentage, kept exactly."""
    monthly_deduction: Mapped[Decimal] = mapped_column(Ore())
    free_amount: Mapped[Decimal] = mapped_column(Ore())
    valid_from: Mapped[dt.date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(200))
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    def tax_card(self) -> TaxCard:
        return TaxCard(self.card, Decimal(self.withholding_rate) / HUNDRED, self.monthly_deduction, self.free_amount)


append_only(TaxCardRow)


@dataclass(frozen=True, slots=True)
class ParsedCard:
    row: int
    case_id: str
    card: str
    rate: Decimal
    deduction: Decimal
    free_amount: Decimal
    valid_from: dt.date


def _row_error(row: int, error: InputError) -> InputError:
    return InputError(f"row {row}: {error.field}", error.reason_en, error.reason_da, code=error.code)


def _card_kind(value: str | None) -> str:
    kind = (value or "").strip().lower()
    if kind not in CARD_KINDS:
        raise InputError("card", "must be hovedkort, bikort or frikort", "skal være hovedkort, bikort eller frikort",
                         code="tax_card_kind")
    return kind


def _optional_amount(value: str | None, field: str) -> Decimal:
    text = (value or "").strip()
    return ZERO if not text else parse_amount(text, field)


def parse_card_row(row: int, record: dict[str, str | None]) -> ParsedCard:
    """One CSV row as a tax card, or an ``InputError`` naming the row, field and reason."""
    try:
        case_id = (record.get("case_id") or "").strip()
        if not case_id:
            raise InputError("case_id", "is missing", "mangler", code="missing")
        kind = _card_kind(record.get("card"))
        rate = parse_percent((record.get("withholding_rate") or "").strip() or None, "withholding_rate")
        deduction = _optional_amount(record.get("monthly_deduction"), "monthly_deduction")
        free_amount = _optional_amount(record.get("free_amount"), "free_amount")
        valid_from = parse_date((record.get("valid_from") or "").strip() or None, "valid_from")
        if kind != "hovedkort" and deduction != 0:
            raise InputError("monthly_deduction", "only a hovedkort has a monthly deduction",
                             "kun et hovedkort har et månedsfradrag", code="tax_card_deduction")
        if kind == "frikort" and free_amount <= 0:
            raise InputError("free_amount", "a frikort needs its free amount (more than 0)",
                             "et frikort skal have sit frikortbeløb (over 0)", code="tax_card_free_amount")
        if kind != "frikort" and free_amount != 0:
            raise InputError("free_amount", "only a frikort has a free amount", "kun et frikort har et frikortbeløb",
                             code="tax_card_free_amount")
    except InputError as error:
        raise _row_error(row, error) from None
    return ParsedCard(row, case_id, kind, rate, deduction, free_amount, valid_from)


def parse_tax_card_csv(text: str) -> list[ParsedCard]:
    """Every row of the file, checked; the first bad row refuses the whole file."""
    sample = text[:2048]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter)
    columns = [c.strip() for c in reader.fieldnames or []]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise InputError("columns", f"missing column(s): {', '.join(missing)}", f"mangler kolonne(r): "
                         f"{', '.join(missing)}", code="tax_card_columns")
    cards = []
    for number, record in enumerate(reader, start=2):
        clean = {(k or "").strip(): v for k, v in record.items()}
        if not any((v or "").strip() for v in clean.values() if isinstance(v, str)):
            continue
        cards.append(parse_card_row(number, clean))
    if not cards:
        raise InputError("file", "has no tax card rows", "har ingen skattekort-rækker", code="tax_card_empty")
    return cards


def import_tax_cards(session: Session, text: str, source: str, recorded_by: str) -> int:
    """Check the whole file, then store every card (the caller's transaction: all or nothing). A case id
    that does not exist refuses the file naming its row."""
    from .refund_history import known_cases

    cards = parse_tax_card_csv(text)
    known = known_cases(session, [c.case_id for c in cards])
    for card in cards:
        if card.case_id not in known:
            raise InputError(f"row {card.row}: case_id", f"no case {card.case_id!r}",
                             f"ingen sag {card.case_id!r}", code="unknown_case")
    stamp = now()
    by = recorded_by.strip()[:64] or "unknown"
    rows = [{"case_id": c.case_id, "card": c.card, "withholding_rate": str(c.rate), "monthly_deduction": c.deduction,
             "free_amount": c.free_amount, "valid_from": c.valid_from, "source": source[:200], "recorded_by": by,
             "recorded_at": stamp} for c in cards]
    for start in range(0, len(rows), 5000):  # new rows only (an INSERT never changes a stored row)
        session.execute(insert(TaxCardRow), rows[start:start + 5000])
    return len(cards)


def cards_in_force(session: Session, case_ids: Iterable[str], on: dt.date) -> dict[str, TaxCardRow]:
    """Each case's tax card in force on ``on``: latest ``valid_from`` on or before it, then newest row."""
    wanted: Sequence[str] = sorted(set(case_ids))
    out: dict[str, TaxCardRow] = {}
    for start in range(0, len(wanted), CHUNK):
        query = (select(TaxCardRow).where(TaxCardRow.case_id.in_(wanted[start:start + CHUNK]),
                                          TaxCardRow.valid_from <= on)
                 .order_by(TaxCardRow.case_id, TaxCardRow.valid_from, TaxCardRow.id))
        for row in session.scalars(query):
            out[row.case_id] = row  # ordered: the last one seen is the one in force
    return out


def all_cards_in_force(session: Session, on: dt.date) -> dict[str, TaxCardRow]:
    """Every case's card in force on ``on`` in one query (the payment file of a whole month)."""
    out: dict[str, TaxCardRow] = {}
    query = (select(TaxCardRow).where(TaxCardRow.valid_from <= on)
             .order_by(TaxCardRow.case_id, TaxCardRow.valid_from, TaxCardRow.id))
    for row in session.scalars(query):
        out[row.case_id] = row
    return out
