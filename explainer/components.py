"""Shared input widgets of the explainer pages: every input has a visible Danish label, amounts are
typed as text and parsed by the core (``flexcalc.inputs.parse_amount``, never float), and a bad value
shows the field and the reason in Danish."""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from flexcalc.errors import InputError  # noqa: E402
from flexcalc.format import month_name  # noqa: E402
from flexcalc.inputs import parse_amount  # noqa: E402
from flexcalc.params import coverage, rates_for  # noqa: E402
from flexcalc.period import Month  # noqa: E402


def default_month(today: dt.date | None = None) -> Month:
    """This month, or the nearest month the rates table covers."""
    first, last = coverage()
    month = Month.of(today or dt.date.today())
    return min(max(month, first), last)


def show_error(label: str, error: InputError) -> None:
    st.error(f"{label}: {error.reason_da}", icon="⚠️")


def amount_input(label: str, key: str, default: str, *, help: str | None = None, optional: bool = False,
                 allow_negative: bool = False, maximum: Decimal | None = None) -> tuple[Decimal | None, bool]:
    """A text field for an amount in kroner. Returns (amount or None, ok)."""
    text = st.text_input(label, value=default, key=key, help=help,
                         placeholder="Lad feltet stå tomt" if optional else None)
    if optional and not text.strip():
        return None, True
    try:
        kwargs = {"maximum": maximum} if maximum is not None else {}
        return parse_amount(text, key, allow_negative=allow_negative, **kwargs), True
    except InputError as error:
        show_error(label, error)
        return None, False


def month_input(label: str, key: str, default: Month, *, help: str | None = None) -> Month | None:
    """A text field for a month written ÅÅÅÅ-MM that the rates table covers."""
    text = st.text_input(label, value=str(default), key=key, help=help)
    try:
        month = Month.parse(text, key)
        rates_for(month)
    except InputError as error:
        show_error(label, error)
        return None
    st.caption(f"{month_name(month)}")
    return month
