"""Errors that name the field and the reason, in English and Danish.

Every error a person can cause by typing something carries the field it is about and a reason in
both languages, so the CLI, the API (problem+json) and the explainer can show it as it is.
"""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")


class FlexcalcError(Exception):
    """Base class of every error raised by flexcalc on purpose."""


class InputError(FlexcalcError, ValueError):
    """Bad input: names the field, the reason in English and the reason in Danish."""

    code: str = "invalid"

    def __init__(self, field: str, reason_en: str, reason_da: str, *, code: str | None = None) -> None:
        self.field = field
        self.reason_en = reason_en
        self.reason_da = reason_da
        if code is not None:
            self.code = code
        super().__init__(f"{field}: {reason_en}")

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "code": self.code, "reason": self.reason_en, "reason_da": self.reason_da}


class NoRatesError(InputError):
    """A month the rates table does not cover. Never answered with a default."""

    code = "no_rates"

    def __init__(self, month: str, parameter: str | None = None, field: str = "month") -> None:
        which = f" ({parameter})" if parameter else ""
        super().__init__(
            field,
            f"no rates for {month}{which}: the rates table does not cover that month",
            f"der er ingen satser for {month}{which}: satstabellen dækker ikke den måned",
        )
        self.month = month
        self.parameter = parameter


class InvariantError(FlexcalcError, RuntimeError):
    """A value the code relies on is missing: a bug or a broken parameter file, never the user's input.
    Raised by ``require`` instead of ``assert`` (which ``python -O`` would remove)."""


def require(value: T | None, what: str) -> T:
    """``value``, or ``InvariantError`` naming ``what`` if it is ``None``."""
    if value is None:
        raise InvariantError(f"{what} is missing")
    return value
