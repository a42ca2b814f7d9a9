"""Reading people from Parquet or CSV into øre arrays, and writing the results, without floats.

Input columns (one row per person; the month is given to the run, not in the file):

- ``wage`` and ``ceiling`` are required, ``other_wage`` and ``other_income`` optional (an empty cell
  in an optional column means 0); the meaning of each is that of ``flexcalc.month.MonthInput``;
- each amount may be given as ``<name>_ore`` (whole øre: an integer column, or digits in CSV) or as
  ``<name>`` in kroner (a decimal column with at most two decimals, an integer column of whole kroner,
  text like ``15600.50`` or ``15600,50``, or a float column whose every value is exactly an amount
  with at most two decimals, as ``flexcalc.parsing.inputs.parse_amount`` accepts a JSON number). When both are
  present ``<name>_ore`` is used and ``<name>`` must agree with it;
- ``person_id``, when present, is copied to the output and named in error messages.

Every amount must lie in 0 … 10.000.000 kr. A bad value stops the run with an ``InputError`` naming
the column and the first bad row (rows are numbered from 1, not counting a CSV header line).

The output holds, per person, the amounts of ``BatchResult`` twice: ``<name>_ore`` (int64 øre) and
``<name>`` (kroner as an exact decimal with two decimals; CSV shows it as ``15272.00``), and
``ceiling_binds``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from flexcalc.batch.kernel import MAX_INPUT_ORE, BatchResult, IntArray
from flexcalc.errors import InputError

AMOUNT_FIELDS = ("wage", "ceiling", "other_wage", "other_income")
REQUIRED_FIELDS = ("wage", "ceiling")
ID_COLUMN = "person_id"
OUTPUT_AMOUNTS = ("wage_income", "subsidy_before_ceiling", "ceiling_room", "ceiling_cut", "subsidy",
                  "atp_own", "payout")
KRONER_TYPE = pa.decimal128(14, 2)
"""Kroner with øre, exact: up to 999.999.999.999,99 kr."""

Format = Literal["parquet", "csv"]
_MAX_KRONER = MAX_INPUT_ORE // 100


def file_format(path: str | os.PathLike[str], field: str) -> Format:
    """``parquet`` or ``csv`` from the file name's extension; anything else is an ``InputError``."""
    suffix = Path(path).suffix.lower()
    if suffix in (".parquet", ".pq"):
        return "parquet"
    if suffix == ".csv":
        return "csv"
    raise InputError(field, f"'{path}' must end in .parquet or .csv", f"'{path}' skal ende på .parquet eller .csv",
                     code="file_format")


def malformed_file_error(path: str | os.PathLike[str], kind: str, error: Exception) -> InputError:
    detail = str(error).splitlines()[0] if str(error) else type(error).__name__
    return InputError("input", f"'{path}' is not a readable {kind} file: {detail}",
                      f"'{path}' er ikke en læsbar {kind}-fil: {detail}", code="file_malformed")


# --------------------------------------------------------------------------------------------------
# Reading


@dataclass(frozen=True, slots=True)
class Columns:
    """Which input column carries each amount (``<name>_ore`` or ``<name>``), and the cross-checks."""

    source: dict[str, str]
    check: dict[str, str]
    has_id: bool

    @property
    def names(self) -> list[str]:
        wanted = ([ID_COLUMN] if self.has_id else []) + list(self.source.values()) + list(self.check.values())
        return list(dict.fromkeys(wanted))


def resolve_columns(names: list[str]) -> Columns:
    """Choose the column of each amount; a missing required amount is an ``InputError`` naming it."""
    present = set(names)
    source: dict[str, str] = {}
    check: dict[str, str] = {}
    for field in AMOUNT_FIELDS:
        ore, kroner = f"{field}_ore", field
        if ore in present:
            source[field] = ore
            if kroner in present:
                check[field] = kroner
        elif kroner in present:
            source[field] = kroner
        elif field in REQUIRED_FIELDS:
            raise InputError(field, f"the input has no column '{field}' (or '{ore}'); columns: {', '.join(names)}",
                             f"inputtet har ingen kolonne '{field}' (eller '{ore}'); kolonner: {', '.join(names)}",
                             code="missing_column")
    return Columns(source=source, check=check, has_id=ID_COLUMN in present)


class InputReader:
    """An input file read in chunks of about ``chunk_rows`` rows: ``(first_row_index, RecordBatch)``."""

    def __init__(self, path: str | os.PathLike[str], chunk_rows: int = 131_072) -> None:
        self.path = path
        self.format = file_format(path, "input")
        self.chunk_rows = chunk_rows
        if not Path(path).is_file():
            raise InputError("input", f"'{path}' does not exist or is not a file",
                             f"'{path}' findes ikke eller er ikke en fil", code="file_missing")
        names: list[str]
        if self.format == "parquet":
            try:
                self._parquet = pq.ParquetFile(path)
            except (pa.ArrowException, OSError) as error:
                raise malformed_file_error(path, "Parquet", error) from None
            names = self._parquet.schema_arrow.names
            self.total_rows: int | None = self._parquet.metadata.num_rows
        else:
            names = self._csv_header()
            self.total_rows = None
        self.columns = resolve_columns(names)

    def _csv_header(self) -> list[str]:
        try:
            reader = pacsv.open_csv(self.path, read_options=pacsv.ReadOptions(block_size=1 << 16))
        except (pa.ArrowException, OSError) as error:
            raise malformed_file_error(self.path, "CSV", error) from None
        names: list[str] = reader.schema.names
        reader.close()
        return names

    def estimate_csv_rows(self) -> int:
        """Lines in a CSV file minus the header (fast; quoted line breaks would make it an over-estimate)."""
        lines = 0
        last = b"\n"
        with open(self.path, "rb") as handle:
            while block := handle.read(1 << 20):
                lines += block.count(b"\n")
                last = block[-1:]
        return max(0, lines + (last != b"\n") - 1)

    def __iter__(self) -> Iterator[tuple[int, pa.RecordBatch]]:
        offset = 0
        wanted = self.columns.names
        try:
            if self.format == "parquet":
                batches: Iterator[pa.RecordBatch] = self._parquet.iter_batches(
                    batch_size=self.chunk_rows, columns=wanted)
            else:
                # Every column is read as text: amounts are parsed here, exactly, with row numbers, and
                # an id keeps its leading zeros.
                types = {name: pa.string() for name in wanted}
                batches = iter(pacsv.open_csv(
                    self.path,
                    read_options=pacsv.ReadOptions(block_size=max(1 << 20, self.chunk_rows * 64)),
                    convert_options=pacsv.ConvertOptions(column_types=types, include_columns=wanted,
                                                         strings_can_be_null=True),
                ))
            for batch in batches:
                yield offset, batch
                offset += batch.num_rows
        except (pa.ArrowException, OSError) as error:
            kind = "Parquet" if self.format == "parquet" else "CSV"
            raise malformed_file_error(self.path, kind, error) from None


@dataclass(slots=True)
class People:
    """One chunk of people as øre arrays (``None`` for an optional amount the input does not have)."""

    ids: pa.Array | None
    wage: IntArray
    ceiling: IntArray
    other_wage: IntArray | None
    other_income: IntArray | None

    def __len__(self) -> int:
        return len(self.wage)


def people_from_batch(batch: pa.RecordBatch | pa.Table, columns: Columns, row_offset: int = 0) -> People:
    """Validate and convert one chunk; errors name the column and the first bad row."""
    ids = batch.column(ID_COLUMN) if columns.has_id else None
    amounts: dict[str, IntArray | None] = {}
    for field in AMOUNT_FIELDS:
        name = columns.source.get(field)
        if name is None:
            amounts[field] = None
            continue
        values = column_ore(batch.column(name), name, required=field in REQUIRED_FIELDS,
                            row_offset=row_offset, ids=ids)
        if field in columns.check:
            other = columns.check[field]
            again = column_ore(batch.column(other), other, required=False, row_offset=row_offset, ids=ids)
            _fail_rows(values != again, other, row_offset, ids,
                       f"does not agree with '{name}'", f"stemmer ikke med '{name}'", "columns_disagree")
        amounts[field] = values
    wage, ceiling = amounts["wage"], amounts["ceiling"]
    if wage is None or ceiling is None:  # column_ore(required=True) never returns None
        raise InputError("wage" if wage is None else "ceiling", "the column is missing", "kolonnen mangler",
                         code="missing")
    return People(ids=ids, wage=wage, ceiling=ceiling, other_wage=amounts["other_wage"],
                  other_income=amounts["other_income"])


_CPR_LIKE = re.compile(r"^\s*\d{5,6}-?\d{4}\s*$")
"""DDMMYY-XXXX, with or without the dash, also as a number that lost its leading zero."""


def _row_label(index: int, row_offset: int, ids: pa.Array | None) -> tuple[str, str]:
    """"row 17 (person_id 17)" — but never a CPR number: an id that looks like one is not shown."""
    row = row_offset + index + 1
    if ids is not None and ids[index].is_valid:
        value = str(ids[index].as_py())
        if _CPR_LIKE.match(value):
            return (f"row {row} ({ID_COLUMN} not shown: it looks like a CPR number)",
                    f"række {row} ({ID_COLUMN} vises ikke: det ligner et CPR-nummer)")
        return f"row {row} ({ID_COLUMN} {value})", f"række {row} ({ID_COLUMN} {value})"
    return f"row {row}", f"række {row}"


_FLOATS = {"halffloat": np.float16, "float": np.float32, "double": np.float64}


def _numpy(values: pa.Array) -> np.ndarray[Any, Any]:
    """A fixed-width Arrow array without nulls as a numpy view (``Array.to_numpy`` would import pandas)."""
    if values.null_count:
        raise ValueError("an Arrow array with nulls cannot be viewed as numbers (the reader checks nulls first)")
    dtype = np.dtype(_FLOATS.get(str(values.type), str(values.type)))
    return np.frombuffer(values.buffers()[1], dtype=dtype, count=len(values) + values.offset)[values.offset:]


def _fail_rows(bad: Any, column: str, row_offset: int, ids: pa.Array | None,
               reason_en: str, reason_da: str, code: str) -> None:
    """Raise an ``InputError`` for the first row where ``bad`` is true (numpy or Arrow boolean)."""
    if isinstance(bad, pa.Array):
        if not pc.any(bad).as_py():
            return
        rows = pc.indices_nonzero(bad).to_pylist()
    else:
        if not bad.any():
            return
        rows = np.flatnonzero(bad)
    en, da = _row_label(int(rows[0]), row_offset, ids)
    more_en = f" (and {len(rows) - 1} more rows)" if len(rows) > 1 else ""
    more_da = f" (og {len(rows) - 1} rækker mere)" if len(rows) > 1 else ""
    raise InputError(column, f"{en}: {reason_en}{more_en}", f"{da}: {reason_da}{more_da}", code=code)


_AMOUNT_RE = r"^\d+([.,]\d{1,2})?$"
_DANISH_GROUPED_ALL = r"^\d{1,3}(\.\d{3})+,\d{1,2}$"


def column_ore(values: pa.Array | pa.ChunkedArray, column: str, *, required: bool, row_offset: int = 0,
               ids: pa.Array | None = None) -> IntArray:
    """One input column as int64 øre, validated: no nulls where required, 0 … 10.000.000 kr."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    in_ore = column.endswith("_ore")
    kind = values.type
    if values.null_count:
        if required:
            _fail_rows(values.is_null(), column, row_offset, ids, "is empty", "er tom", "missing")
        values = values.fill_null(_zero_of(kind))
    if pa.types.is_null(kind):
        return np.zeros(len(values), np.int64)

    if pa.types.is_integer(kind):
        raw = _numpy(values)
        if raw.dtype == np.uint64:
            raw = np.minimum(raw, np.uint64(np.iinfo(np.int64).max))
        ints = raw.astype(np.int64, copy=False)
        limit = MAX_INPUT_ORE if in_ore else _MAX_KRONER
        _check_range(ints, limit, column, row_offset, ids)
        return ints if in_ore else ints * 100
    if in_ore:
        if pa.types.is_string(kind) or pa.types.is_large_string(kind):
            return _parse_text(values, column, row_offset, ids, whole_ore=True)
        raise InputError(column, f"must hold whole øre (an integer column), not {kind}",
                         f"skal indeholde hele øre (en heltalskolonne), ikke {kind}", code="amount_type")
    if pa.types.is_decimal(kind):
        return _decimal_to_ore(values, column, row_offset, ids)
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return _parse_text(values, column, row_offset, ids, whole_ore=False)
    if pa.types.is_floating(kind):
        return _float_to_ore(_numpy(values).astype(np.float64), column, row_offset, ids)
    raise InputError(column, f"must hold amounts in kroner, not {kind}", f"skal indeholde beløb i kroner, ikke {kind}",
                     code="amount_type")


def _zero_of(kind: pa.DataType) -> pa.Scalar:
    """An empty cell in an optional amount column means 0."""
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return pa.scalar("0", kind)
    if pa.types.is_decimal(kind):
        return pa.scalar(Decimal(0), kind)
    if pa.types.is_floating(kind):
        return pa.scalar(0.0, kind)
    if pa.types.is_integer(kind):
        return pa.scalar(0, kind)
    return pa.scalar(None, kind)


def _check_range(ints: IntArray, limit: int, column: str, row_offset: int, ids: pa.Array | None) -> None:
    _fail_rows(ints < 0, column, row_offset, ids, "must not be negative", "må ikke være negativt", "amount_negative")
    _fail_rows(ints > limit, column, row_offset, ids, "is over 10.000.000 kr. a month; check the amount",
               "er over 10.000.000 kr. om måneden; kontrollér beløbet", "amount_too_large")


def _parse_text(values: pa.Array, column: str, row_offset: int, ids: pa.Array | None, *, whole_ore: bool) -> IntArray:
    text = pc.utf8_trim_whitespace(values)
    if not whole_ore:
        # The amount texts flexcalc.parsing.inputs accepts: Danish grouping with a decimal comma (15.600,50) loses its
        # dots; a separator before exactly three digits (26.500, 15,600) is ambiguous and named as such.
        grouped = pc.match_substring_regex(text, _DANISH_GROUPED_ALL)
        text = pc.if_else(grouped, pc.replace_substring(text, ".", ""), text)
    pattern = r"^\d+$" if whole_ore else _AMOUNT_RE
    ok = pc.match_substring_regex(text, pattern)
    if not pc.all(ok).as_py():
        bad = pc.invert(ok)
        negative = pc.and_(bad, pc.match_substring_regex(text, "^-" + pattern[1:]))
        _fail_rows(negative, column, row_offset, ids, "must not be negative", "må ikke være negativt",
                   "amount_negative")
        if not whole_ore:
            ambiguous = pc.and_(bad, pc.match_substring_regex(text, r"^\d{1,3}([.]\d{3})+$|^\d{1,3}(,\d{3})+$"))
            _fail_rows(ambiguous, column, row_offset, ids,
                       "is ambiguous: a separator before exactly three digits may be a thousands separator or a "
                       "decimal; write 26500 or 26500.00 or 26.500,00",
                       "er tvetydigt: et skilletegn foran præcis tre cifre kan være tusindtalsseparator eller "
                       "decimaltegn; skriv 26500 eller 26500,00 eller 26.500,00", "amount_ambiguous")
            decimals = pc.and_(bad, pc.match_substring_regex(text, r"^\d+[.,]\d{3,}$"))
            _fail_rows(decimals, column, row_offset, ids,
                       "has more than two decimals (amounts are in kroner and øre)",
                       "har mere end to decimaler (beløb er i kroner og øre)", "amount_decimals")
        what_en = "whole øre (digits only)" if whole_ore else "an amount in kroner like 15600.50"
        what_da = "hele øre (kun cifre)" if whole_ore else "et beløb i kroner som 15600,50"
        _fail_rows(bad, column, row_offset, ids, f"is not {what_en}", f"er ikke {what_da}", "amount_type")
    digits = text
    if not whole_ore:
        digits = pc.replace_substring_regex(digits, r"^(\d+)$", r"\100")
        digits = pc.replace_substring_regex(digits, r"^(\d+)[.,](\d)$", r"\1\20")
        digits = pc.replace_substring_regex(digits, r"^(\d+)[.,](\d\d)$", r"\1\2")
    # A run of digits longer than 12 cannot be a valid amount and might not fit int64: cap before casting.
    too_long = _numpy(pc.utf8_length(digits)) > 12
    _fail_rows(too_long, column, row_offset, ids, "is over 10.000.000 kr. a month; check the amount",
               "er over 10.000.000 kr. om måneden; kontrollér beløbet", "amount_too_large")
    ints = _numpy(pc.cast(digits, pa.int64()))
    _check_range(ints, MAX_INPUT_ORE, column, row_offset, ids)
    return ints


def _decimal_to_ore(values: pa.Array, column: str, row_offset: int, ids: pa.Array | None) -> IntArray:
    try:
        scaled = pc.cast(values, pa.decimal128(38, 2))
    except pa.ArrowInvalid:
        _fail_rows(pc.not_equal(values, pc.round(values, 2)), column, row_offset, ids,
                   "has more than two decimals (amounts are in kroner and øre)",
                   "har mere end to decimaler (beløb er i kroner og øre)", "amount_decimals")
        raise
    # decimal128 holds the unscaled value (here: øre) as a little-endian 128-bit integer.
    words = np.frombuffer(scaled.buffers()[1], dtype=np.int64, count=2 * (len(scaled) + scaled.offset))
    words = words.reshape(-1, 2)[scaled.offset:]
    low, high = words[:, 0], words[:, 1]
    _fail_rows(high != (low >> 63), column, row_offset, ids, "is over 10.000.000 kr. a month; check the amount",
               "er over 10.000.000 kr. om måneden; kontrollér beløbet", "amount_too_large")
    ints = low.copy()
    _check_range(ints, MAX_INPUT_ORE, column, row_offset, ids)
    return ints


def _float_to_ore(values: np.ndarray[Any, np.dtype[np.float64]], column: str, row_offset: int,
                  ids: pa.Array | None) -> IntArray:
    """Floats only at the edge, as ``parse_amount`` takes a JSON number: each must be exactly an amount
    with at most two decimals (the double nearest to k/100 for an integer k), else it is refused."""
    _fail_rows(~np.isfinite(values), column, row_offset, ids, "must be a finite amount (not NaN or infinity)",
               "skal være et endeligt beløb (ikke NaN eller uendelig)", "amount_not_finite")
    _fail_rows(values < 0, column, row_offset, ids, "must not be negative", "må ikke være negativt",
               "amount_negative")
    _fail_rows(values > _MAX_KRONER, column, row_offset, ids, "is over 10.000.000 kr. a month; check the amount",
               "er over 10.000.000 kr. om måneden; kontrollér beløbet", "amount_too_large")
    ints: IntArray = np.rint(values * 100).astype(np.int64)
    _fail_rows(ints / 100 != values, column, row_offset, ids,
               "has more than two decimals (amounts are in kroner and øre)",
               "har mere end to decimaler (beløb er i kroner og øre)", "amount_decimals")
    return ints


# --------------------------------------------------------------------------------------------------
# Writing


def int64_array(values: IntArray) -> pa.Array:
    """An int64 numpy array as an Arrow array over the same memory (``pa.array`` would import pandas)."""
    values = np.ascontiguousarray(values, dtype=np.int64)
    return pa.Array.from_buffers(pa.int64(), len(values), [None, pa.py_buffer(values)])


def bool_array(mask: np.ndarray[Any, np.dtype[np.bool_]]) -> pa.Array:
    """A numpy boolean array as an Arrow boolean array (bit-packed, least significant bit first)."""
    bits = np.packbits(mask, bitorder="little")
    return pa.Array.from_buffers(pa.bool_(), len(mask), [None, pa.py_buffer(bits)])


def kroner_array(ore: IntArray) -> pa.Array:
    """int64 øre as an exact Arrow decimal in kroner with two decimals (no parsing, no float)."""
    ore = np.ascontiguousarray(ore, dtype=np.int64)
    words = np.empty((len(ore), 2), np.int64)
    words[:, 0] = ore
    np.right_shift(ore, 63, out=words[:, 1])
    return pa.Array.from_buffers(KRONER_TYPE, len(ore), [None, pa.py_buffer(words)])


def result_table(result: BatchResult, ids: pa.Array | None = None) -> pa.Table:
    """The output columns of one chunk: ``person_id``, each amount as ``<name>_ore`` and ``<name>``,
    and ``ceiling_binds``."""
    columns: dict[str, pa.Array] = {}
    if ids is not None:
        columns[ID_COLUMN] = ids
    amounts = {name: getattr(result, name) for name in OUTPUT_AMOUNTS}
    for name, ore in amounts.items():
        columns[f"{name}_ore"] = int64_array(ore)
    for name, ore in amounts.items():
        columns[name] = kroner_array(ore)
    columns["ceiling_binds"] = bool_array(amounts["ceiling_cut"] > 0)
    return pa.table(columns)


class OutputWriter:
    """Writes result chunks to Parquet or CSV; the file appears under its name only when complete."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.format = file_format(path, "output")
        if not self.path.parent.is_dir():
            raise InputError("output", f"the folder of '{path}' does not exist",
                             f"mappen til '{path}' findes ikke", code="file_missing")
        self._tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.part")
        self._writer: pq.ParquetWriter | pacsv.CSVWriter | None = None

    def write(self, table: pa.Table) -> None:
        if self._writer is None:
            if self.format == "parquet":
                self._writer = pq.ParquetWriter(self._tmp, table.schema, compression="zstd",
                                                use_dictionary=False)
            else:
                self._writer = pacsv.CSVWriter(self._tmp, table.schema)
        self._writer.write_table(table)

    def close(self, *, ok: bool = True) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        if ok and self._tmp.exists():
            os.replace(self._tmp, self.path)
        elif self._tmp.exists():
            self._tmp.unlink()

    def __enter__(self) -> OutputWriter:
        return self

    def __exit__(self, kind: object, *_: object) -> None:
        self.close(ok=kind is None)
