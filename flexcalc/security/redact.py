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
from typing import Any

CPR_PATTERN = re.compile(r"(?<![0-9])[0-9]{6}[- ]?[0-9]{4}(?![0-9])")
REPLACEMENT = "[CPR]"


def redact(text: str) -> str:
    return CPR_PATTERN.sub(REPLACEMENT, text)


def redact_record(record: logging.LogRecord) -> logging.LogRecord:
    try:
        message = record.getMessage()
    except Exception:  # a broken format string: keep what we can, redacted
        message = f"{record.msg} {record.args}"
    record.msg = redact(message)
    record.args = None
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
