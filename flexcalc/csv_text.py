"""CSV text read safely: a file Python's ``csv`` module cannot read (a field over its 131.072-character
limit, line ends of a lone CR, a NUL byte) is bad input naming the file and the line, never a crash."""

from __future__ import annotations

import csv
import io

from flexcalc.errors import InputError


def read_csv_rows(text: str, field: str) -> tuple[list[str], list[dict[str, str]]]:
    """The header and the rows of CSV ``text``; ``InputError`` naming ``field`` when it cannot be read."""
    reader = csv.DictReader(io.StringIO(text))
    try:
        rows = list(reader)
        names = list(reader.fieldnames or [])
    except csv.Error as error:
        raise unreadable(field, reader.line_num, error) from None
    return names, rows


def unreadable(field: str, line_num: int, error: csv.Error) -> InputError:
    """The one message for CSV text Python's ``csv`` module cannot read, naming the file and the line."""
    line = max(line_num, 1)
    reason = str(error).split(" - ")[0]
    return InputError(field, f"line {line}: not a readable CSV file ({reason}; line ends must be LF or CRLF, "
                      f"fields at most {csv.field_size_limit()} characters)",
                      f"linje {line}: ikke en læsbar CSV-fil ({reason}; linjeskift skal være LF eller CRLF, "
                      f"felter højst {csv.field_size_limit()} tegn)", code="csv_unreadable")
