"""Free text a user types into a write (who acts, a summary, an explanation): trimmed, any CPR number in it
redacted before it is stored, required, and at most a given length. Each error names the field."""

from __future__ import annotations

from flexcalc.errors import InputError


def required_text(value: str | None, field: str, limit: int, missing_en: str, missing_da: str) -> str:
    """``value`` trimmed and redacted; empty is refused with the caller's words (``missing``), longer than
    ``limit`` characters with ``too_long``."""
    from flexcalc.security.redact import redact

    text = redact((value or "").strip())
    if not text:
        raise InputError(field, missing_en, missing_da, code="missing")
    if len(text) > limit:
        raise InputError(field, f"must be at most {limit} characters", f"må højst være {limit} tegn",
                         code="too_long")
    return text
