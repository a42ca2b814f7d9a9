"""No CPR number in any log line: a record factory and a filter that redact CPR-shaped numbers.

A CPR number is DDMMYY-XXXX or the same ten digits without the dash (CPR-loven § 3). Any run of six
digits, an optional dash or space, and four digits, not part of a longer number, is replaced by
``[CPR]`` — over-redacting an odd ten-digit number is the safe side. ``install_cpr_redaction()`` is
called by the API app and the CLI; it wraps the process's log record factory, so every record from
every logger (uvicorn's access log too) is redacted whatever handler later writes it, including the
text of an exception's traceback.
"""

from __future__ import annotations

import logging
import re
import traceback
from typing import Annotated, Any

from pydantic import AfterValidator

CPR_PATTERN = re.compile(r"(?<![0-9])[0-9]{6}[- ]?[0-9]{4}(?![0-9])")
REPLACEMENT = "[CPR]"


def redact(text: str) -> str:
    """``text`` with every CPR-shaped number replaced, also one written URL-encoded (``010190%201234``,
    ``%2D``, ``+`` for a space, or digits themselves as ``%3X``): such text is redacted after decoding."""
    if "%" in text or "+" in text:
        from urllib.parse import unquote_plus

        decoded = unquote_plus(text)
        if decoded != text and CPR_PATTERN.search(decoded):
            return CPR_PATTERN.sub(REPLACEMENT, decoded)
    return CPR_PATTERN.sub(REPLACEMENT, text)


def _redact_arg(value: Any) -> Any:
    """One %-argument, redacted; numbers that cannot be a CPR number are kept as they are (uvicorn's
    access formatter needs the status code as an int)."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, bool | float) or value is None:
        return value
    text = str(value)
    redacted = redact(text)
    if isinstance(value, int) and redacted == text:
        return value
    return redacted


def redact_record(record: logging.LogRecord) -> logging.LogRecord:
    """Redact ``record`` in place, keeping its shape: ``msg`` stays a format string and ``args`` stay
    arguments (each redacted), so formatters that read ``record.args`` themselves — uvicorn's access
    formatter unpacks ``(client, method, path, version, status)`` — keep working. Only if the formatted
    message would still hold a CPR number (one split across arguments) is it flattened into ``msg``."""
    args = record.args
    if isinstance(record.msg, str):
        record.msg = redact(record.msg)
    elif record.msg is not None and not isinstance(record.msg, int | float):
        record.msg = redact(str(record.msg))
    if isinstance(args, tuple):
        record.args = tuple(_redact_arg(a) for a in args)
    elif isinstance(args, dict):
        record.args = {k: _redact_arg(v) for k, v in args.items()}
    try:
        message = record.getMessage()
    except Exception:  # a broken format string: keep what we can, redacted
        record.msg, record.args = redact(f"{record.msg} {record.args}"), None
    else:
        if CPR_PATTERN.search(message):
            record.msg, record.args = redact(message), None
    if record.exc_info and not record.exc_text:
        record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
    if record.exc_text:
        record.exc_text = redact(record.exc_text)
    if record.stack_info:
        record.stack_info = redact(record.stack_info)
    return record


class RedactCPRFilter(logging.Filter):
    """For a handler: redact the record (it is never dropped)."""

    def filter(self, record: logging.LogRecord) -> bool:
        redact_record(record)
        return True


_installed = False


def install_cpr_redaction() -> None:
    """Wrap the log record factory (once per process) so every record is redacted when made."""
    global _installed
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return redact_record(previous(*args, **kwargs))

    logging.setLogRecordFactory(factory)
    _installed = True


def _redact_text(value: str) -> str:
    return redact(value)


RedactedText = Annotated[str, AfterValidator(_redact_text)]
"""A free-text field of an API model (a note, a documentation reference, who released or decided, a
key's label): stored with every CPR-shaped number replaced by ``[CPR]``."""
