"""Hypothesis strategies shared by the property tests."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

from flexcalc.period import Month


def amounts(min_kr: int = 0, max_kr: int = 80_000) -> st.SearchStrategy[Decimal]:
    """Amounts in kroner with øre, exact."""
    return st.integers(min_kr * 100, max_kr * 100).map(lambda ore: Decimal(ore) / 100)


def whole_kroner(min_kr: int = 0, max_kr: int = 80_000) -> st.SearchStrategy[Decimal]:
    return st.integers(min_kr, max_kr).map(Decimal)


def benefit_months() -> st.SearchStrategy[Month]:
    return st.builds(Month, st.integers(2014, 2026), st.integers(1, 12))
