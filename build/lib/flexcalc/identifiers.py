"""One validation for identifiers (case ids, report ids, employer ids), used everywhere (issue 12).

An identifier is what a URL path, a log line or an audit row may carry, so it must be harmless there:

* a case id or report id is 1–64 characters: ASCII letters, digits, ``.``, ``_``, ``:`` and ``-``,
  starting with a letter or digit (so never ``..``, ``a/b``, a space or an emoji);
* an employer id (CVR/SE number) is 1–16 ASCII letters or digits;
* none of them contains a CPR-shaped number (``DDMMYY-XXXX``, ``DDMMYY XXXX`` or ten digits in a row,
  ``flexcalc.security.redact.CPR_PATTERN``): a case is known by a pseudonymous id, never by a CPR number
  (persondataforordningen art. 5, stk. 1, litra c: data minimisation; CPR-loven § 3).

The error never echoes the value (it may be a CPR number).
"""

from __future__ import annotations

import re

from flexcalc.errors import InputError

ID_MAX_LENGTH = 64
EMPLOYER_MAX_LENGTH = 16
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")
_EMPLOYER = re.compile(r"^[A-Za-z0-9]{1,16}$")
_CPR_ANYWHERE = re.compile(r"(?<![0-9])[0-9]{6}[- ]?[0-9]{4}(?![0-9])")


def looks_like_cpr(text: str) -> bool:
    """Does ``text`` contain a CPR-shaped number?"""
    return _CPR_ANYWHERE.search(text) is not None


def check_identifier(value: object, field: str, *, kind: str = "id") -> str:
    """``value`` as an identifier (``kind`` "id" for case and report ids, "employer" for CVR/SE
    numbers), or an ``InputError`` naming ``field`` that never repeats the value."""
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise InputError(field, "is required", "skal udfyldes", code="missing")
    if looks_like_cpr(text):
        raise InputError(field, "looks like a CPR number: identifiers must be pseudonymous",
                         "ligner et CPR-nummer: et id skal være pseudonymt", code="identifier_cpr")
    if kind == "employer":
        if not _EMPLOYER.match(text):
            raise InputError(field, f"must be an employer id: 1–{EMPLOYER_MAX_LENGTH} letters or digits (CVR: 8 "
                             "digits)", f"skal være et arbejdsgiver-id: 1–{EMPLOYER_MAX_LENGTH} bogstaver eller "
                             "cifre (CVR: 8 cifre)", code="employer_id")
        return text
    if not _ID.match(text):
        raise InputError(field, f"must be 1–{ID_MAX_LENGTH} letters, digits, '.', '_', ':' or '-', starting with a "
                         "letter or digit", f"skal være 1–{ID_MAX_LENGTH} bogstaver, cifre, '.', '_', ':' eller '-' "
                         "og begynde med et bogstav eller ciffer", code="identifier")
    return text


def safe_identifier(value: str) -> str:
    """``value`` for an error message or a log line: itself if it is a valid identifier, else a
    placeholder (so a CPR number or control characters typed where an id belongs are never echoed)."""
    try:
        return check_identifier(value, "id")
    except InputError:
        return "[invalid id]"
