"""Errors that name the field and the reason, in English and Danish: one hierarchy under ``FlexcalcError``.

Every error a person can cause by typing something carries the field it is about and a reason in
both languages, so the CLI, the API (problem+json) and the explainer can show it as it is. The kind of
error is its class, never its code: the API maps classes to HTTP statuses in one place
(``api.errors``), the CLI exits 2 on any ``InputError``.

* ``InputError`` (= ``InvalidInputError``): bad input naming the field — 422;
  ``NotFoundError``: the thing named does not exist — 404; ``ConflictError``: it contradicts what is
  stored (paid already, decided already, exists already) — 409. Both are ``InputError``s, so code that
  catches bad input catches them too.
* ``ForbiddenError`` (403), ``UnauthorizedError`` (401), ``PreconditionFailedError`` (412) and
  ``PreconditionRequiredError`` (428) for ``If-Match``, ``RateLimitedError`` (429).
* ``InvariantError``: a bug or a broken data file, never the user's input (500); ``AppendOnlyError``, a
  write to a record kept append-only, is one.
* ``LeaseLost``: a request lost its idempotency key to a retry (409).
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

    def each(self) -> list[InputError]:
        """The single errors this one stands for (a refused file lists every bad row)."""
        return [self]


InvalidInputError = InputError
"""The name the HTTP mapping reads best with: bad input (422). The same class as ``InputError``."""


class NotFoundError(InputError):
    """The case, correction, letter … named does not exist (404 when it is named by the path)."""

    code = "not_found"


class ConflictError(InputError):
    """The input contradicts what is stored: paid already, decided already, exists already (409)."""

    code = "conflict"


class ManualDecisionRequired(InputError):
    """A month the engine does not compute by a guess: a caseworker decides it (e.g. a 2027 transition
    case whose rules are not known). The ledger holds such a month with the reason."""


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


class AppendOnlyError(InvariantError):
    """An attempt to update or delete a record the ledger keeps append-only."""


class LeaseLost(FlexcalcError, RuntimeError):
    """This request no longer holds its idempotency key (another request took it over); its write must
    roll back. The API answers 409, like a retry while the first request is still running."""


class AccessError(FlexcalcError):
    """A refusal of access or of a request as a whole (not of one field): the text says why, in English."""

    def __init__(self, detail: str, *, headers: dict[str, str] | None = None) -> None:
        self.detail = detail
        self.headers = dict(headers or {})
        super().__init__(detail)


class UnauthorizedError(AccessError):
    """No API key where one is needed (401)."""


class ForbiddenError(AccessError):
    """The key's role or scope does not allow this (403)."""


class PreconditionFailedError(AccessError):
    """``If-Match`` names another version than the stored one: the user saw a stale state (412)."""


class PreconditionRequiredError(AccessError):
    """A write that must say which version it saw came without ``If-Match`` (428)."""


class RateLimitedError(AccessError):
    """Too many requests; ``retry_after`` seconds until the next is taken (429)."""

    def __init__(self, detail: str, *, retry_after: int | None = None) -> None:
        super().__init__(detail, headers={"Retry-After": str(retry_after)} if retry_after is not None else None)
        self.retry_after = retry_after


def require(value: T | None, what: str) -> T:
    """``value``, or ``InvariantError`` naming ``what`` if it is ``None``."""
    if value is None:
        raise InvariantError(f"{what} is missing")
    return value
