"""A reform run from a people file: read in chunks, compare today's rules with the reform, write, add up.

The people file is that of ``flexcalc batch`` (``flexcalc.batch.io``: ``wage``, ``ceiling``,
optional ``other_wage``, ``other_income``, ``person_id``, amounts in øre or kroner) plus:

- ``hours`` (required): agreed weekly hours, a whole number 1–37 (for the hour bands, the hourly
  reduction rule, the minimum gain per hour and the gain from one more hour);
- ``sex`` (optional): F or M; anything else is counted as "ukendt";
- ``agreement`` (required by ``agreement_ceilings``): the collective agreement's name;
- ``hourly_wage`` or ``hourly_wage_ore`` (optional): the hourly wage incl. pension, for the wage of one
  more hour (else wage ÷ hours).

The output, when asked for, has per person ``person_id``, ``hours``, today's and the reform's subsidy
and payout, and the difference, each as ``<name>_ore`` and ``<name>`` (kroner). An ``InputError``
(bad reform, column, row, month outside the rates) leaves no output file.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from flexcalc.batch.io import (
    ID_COLUMN,
    Columns,
    InputReader,
    OutputWriter,
    _fail_rows,
    column_ore,
    int64_array,
    kroner_array,
    people_from_batch,
)
from flexcalc.batch.kernel import BatchResult
from flexcalc.errors import InputError
from flexcalc.period import Month
from flexcalc.reforms.compare import Comparison, compare_chunk
from flexcalc.reforms.rules import PreparedReform, ReformPeople
from flexcalc.reforms.spec import Reform

DEFAULT_CHUNK_ROWS = 131_072
EXTRA_COLUMNS = ("hours", "sex", "agreement", "hourly_wage_ore", "hourly_wage", "scheme")


@dataclass(frozen=True, slots=True)
class ReformColumns(Columns):
    """The batch columns plus the reform run's own (those present in the file)."""

    extra: tuple[str, ...] = ()

    @property
    def names(self) -> list[str]:
        return list(dict.fromkeys([*Columns.names.fget(self), *self.extra]))  # type: ignore[attr-defined]


def reform_columns(columns: Columns, names: list[str], reform: Reform) -> ReformColumns:
    """Add the reform's columns; a missing ``hours`` (or ``agreement`` when the reform needs it) is an error."""
    present = set(names)
    if "hours" not in present:
        raise InputError("hours", "the input has no column 'hours' (agreed weekly hours, 1–37)",
                         "inputtet har ingen kolonne 'hours' (aftalte timer pr. uge, 1–37)", code="missing_column")
    if reform.rules.agreement_ceilings is not None and "agreement" not in present:
        raise InputError("agreement", "the reform reads the ceiling per collective agreement, but the input has no "
                         "'agreement' column", "reformen læser lønloftet pr. overenskomst, men inputtet har ingen "
                         "kolonne 'agreement'", code="missing_column")
    extra = tuple(name for name in EXTRA_COLUMNS if name in present)
    if "hourly_wage_ore" in extra and "hourly_wage" in extra:
        extra = tuple(name for name in extra if name != "hourly_wage")
    return ReformColumns(source=columns.source, check=columns.check, has_id=columns.has_id, extra=extra)


def _hours(values: pa.Array, row_offset: int, ids: pa.Array | None) -> np.ndarray[Any, Any]:
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if values.null_count:
        _fail_rows(values.is_null(), "hours", row_offset, ids, "is empty", "er tom", "missing")
    if pa.types.is_string(values.type) or pa.types.is_large_string(values.type):
        text = pc.utf8_trim_whitespace(values)
        ok = pc.match_substring_regex(text, r"^\d{1,2}$")
        _fail_rows(pc.invert(ok), "hours", row_offset, ids, "is not a whole number of hours",
                   "er ikke et helt antal timer", "hours_type")
        values = text.cast(pa.int64())
    elif not pa.types.is_integer(values.type):
        raise InputError("hours", f"must hold whole hours (an integer column), not {values.type}",
                         f"skal indeholde hele timer (en heltalskolonne), ikke {values.type}", code="hours_type")
    hours = np.asarray(values.cast(pa.int64()).to_numpy(zero_copy_only=False), np.int64)
    _fail_rows((hours < 1) | (hours > 37), "hours", row_offset, ids, "must be a whole number of hours from 1 to 37",
               "skal være et helt antal timer fra 1 til 37", "hours_range")
    return hours


def _new_scheme_only(batch: pa.RecordBatch | pa.Table, columns: ReformColumns, row_offset: int,
                     ids: pa.Array | None) -> None:
    """A reform changes the new scheme's formula (LAB § 123): a row of another scheme (a ``scheme`` column saying
    ``old`` or ``self_employed``) is refused naming its row, never computed as if it were in the new scheme."""
    if "scheme" not in columns.extra or "scheme" not in batch.schema.names:
        return
    values = batch.column("scheme")
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    text = pc.utf8_trim_whitespace(values.cast(pa.string()))
    other = pc.invert(pc.fill_null(pc.equal(text, "new_2013"), False))
    _fail_rows(other, "scheme", row_offset, ids, "is not new_2013: a reform models the new scheme only (leave out the "
               "old scheme's and the self-employed's rows)", "er ikke new_2013: en reform regner kun på de nye "
               "regler (udelad rækkerne fra den gamle ordning og de selvstændige)", "not_new_scheme")


def people_for_reform(batch: pa.RecordBatch | pa.Table, columns: ReformColumns, row_offset: int = 0) -> ReformPeople:
    """One chunk validated and converted (the batch reader's checks, then the reform's columns)."""
    base = people_from_batch(batch, columns, row_offset)
    _new_scheme_only(batch, columns, row_offset, base.ids)
    names = batch.schema.names
    hourly = None
    for name in ("hourly_wage_ore", "hourly_wage"):
        if name in columns.extra and name in names:
            hourly = column_ore(batch.column(name), name, required=True, row_offset=row_offset, ids=base.ids)
            break
    def text(name: str) -> pa.Array | None:
        return batch.column(name) if name in columns.extra else None

    return ReformPeople(
        wage=base.wage, ceiling=base.ceiling, other_wage=base.other_wage, other_income=base.other_income,
        hours=_hours(batch.column("hours"), row_offset, base.ids), agreement=text("agreement"), sex=text("sex"),
        hourly_wage=hourly, ids=base.ids,
    )


def comparison_table(people: ReformPeople, before: BatchResult, after: BatchResult) -> pa.Table:
    """The output rows of one chunk."""
    columns: dict[str, pa.Array] = {}
    if people.ids is not None:
        columns[ID_COLUMN] = people.ids
    columns["hours"] = int64_array(people.hours)
    amounts = {
        "subsidy_today": before.subsidy, "subsidy_reform": after.subsidy,
        "difference": after.subsidy - before.subsidy,
        "payout_today": before.payout, "payout_reform": after.payout,
    }
    for name, ore in amounts.items():
        columns[f"{name}_ore"] = int64_array(ore)
    for name, ore in amounts.items():
        columns[name] = kroner_array(ore)  # exact, negative differences too (two's complement, 128 bit)
    return pa.table(columns)


def run_reform_file(
    month: Month,
    input_path: str | os.PathLike[str],
    reform: Reform,
    output_path: str | os.PathLike[str] | None = None,
    *,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    on_start: Callable[[int | None], None] | None = None,
    on_chunk: Callable[[int], None] | None = None,
) -> Comparison:
    """Compare today's rules with ``reform`` in benefit ``month`` for everyone in ``input_path``."""
    prepared = PreparedReform.of(reform, month)
    reader = InputReader(input_path, chunk_rows=chunk_rows)
    names = _input_names(reader)
    columns = reform_columns(reader.columns, names, reform)
    reader.columns = columns
    if on_start is not None:
        on_start(reader.total_rows if reader.total_rows is not None else reader.estimate_csv_rows())
    comparison = Comparison(month=str(month), reform=reform.name)
    writer = OutputWriter(output_path) if output_path is not None else None
    try:
        for offset, batch in reader:
            people = people_for_reform(batch, columns, offset)
            before, after = compare_chunk(month, prepared, people, comparison, offset)
            if writer is not None:
                writer.write(comparison_table(people, before, after))
            if on_chunk is not None:
                on_chunk(len(people))
    except BaseException:
        if writer is not None:
            writer.close(ok=False)
        raise
    if writer is not None:
        writer.close(ok=True)
    return comparison


def _input_names(reader: InputReader) -> list[str]:
    if reader.format == "parquet":
        return list(reader._parquet.schema_arrow.names)
    return reader._csv_header()


def compare_table(month: Month, table: pa.Table, reform: Reform) -> Comparison:
    """Compare over an in-memory table of people (the explainer and the API), in one chunk."""
    prepared = PreparedReform.of(reform, month)
    from flexcalc.batch.io import resolve_columns

    columns = reform_columns(resolve_columns(table.schema.names), table.schema.names, reform)
    comparison = Comparison(month=str(month), reform=reform.name)
    people = people_for_reform(table.select(columns.names), columns)
    compare_chunk(month, prepared, people, comparison)
    return comparison


# --------------------------------------------------------------------------------------------------
# Dask: one task per Parquet row group, the comparisons added up (flexcalc.batch.scaleout's plan).


def _run_partition(partition: Any, columns: ReformColumns, month: Month, reform: Reform) -> Comparison | dict[str, str]:
    try:
        batch = pq.ParquetFile(partition.path).read_row_group(partition.row_group, columns=columns.names)
        comparison = Comparison(month=str(month), reform=reform.name)
        people = people_for_reform(batch, columns, partition.row_offset)
        compare_chunk(month, PreparedReform.of(reform, month), people, comparison, partition.row_offset)
        return comparison
    except InputError as error:
        return error.as_dict()


def run_reform_dask(month: Month, input_path: str | os.PathLike[str], reform: Reform, *,
                    scheduler: Any = None) -> Comparison:
    """The same comparison as ``run_reform_file`` on Dask, one task per row group (no output file)."""
    import dask
    from dask import delayed

    from flexcalc.batch.scaleout import _client, parquet_files, plan

    PreparedReform.of(reform, month)  # a reform that cannot be prepared fails before any task runs
    batch_columns, partitions = plan(input_path)
    names = pq.ParquetFile(parquet_files(input_path)[0]).schema_arrow.names
    columns = reform_columns(batch_columns, names, reform)
    task = delayed(_run_partition, pure=True)
    tasks = [task(partition, columns, month, reform) for partition in partitions]
    with _client(scheduler) as client:
        if client is None or isinstance(client, str):
            results = dask.compute(*tasks, scheduler=client)
        else:
            results = client.compute(tasks, sync=True)
    total = Comparison(month=str(month), reform=reform.name)
    for result in results:
        if isinstance(result, dict):
            raise InputError(result["field"], result["reason"], result["reason_da"], code=result["code"])
        total = total.merge(result)
    return total



