"""A batch run from file to file: read in chunks, compute with the exact kernel, write, summarise.

Used by ``flexcalc batch`` and, one partition at a time, by the Dask scale-out. The rates are those
of the benefit month (``flexcalc.law.params.rates_for``); the amounts in the file are the basis month's.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import pyarrow as pa

from flexcalc.batch.io import Columns, InputReader, OutputWriter, people_from_batch, result_table
from flexcalc.batch.kernel import BatchResult, KernelRates, compute_month
from flexcalc.money import amount_str, from_ore
from flexcalc.period import Month
from flexcalc.text_da.format import kr, month_name, number

DEFAULT_CHUNK_ROWS = 131_072


@dataclass(slots=True)
class Summary:
    """What a run adds up to. Amounts are integer øre; counts are people."""

    month: str
    people: int = 0
    total_subsidy_ore: int = 0
    total_atp_own_ore: int = 0
    total_payout_ore: int = 0
    at_ceiling: int = 0
    at_zero: int = 0

    def add(self, result: BatchResult) -> None:
        """Add one chunk's results (Python ints: exact whatever the population)."""
        self.people += len(result)
        self.total_subsidy_ore += int(result.subsidy.sum(dtype=np.int64))
        self.total_atp_own_ore += int(result.atp_own.sum(dtype=np.int64))
        self.total_payout_ore += int(result.payout.sum(dtype=np.int64))
        self.at_ceiling += int(np.count_nonzero(result.subsidy_before_ceiling > result.subsidy))
        self.at_zero += int(np.count_nonzero(result.subsidy == 0))

    def merge(self, other: Summary) -> Summary:
        if other.month != self.month:
            raise ValueError(f"cannot merge the summaries of {self.month} and {other.month}")
        return Summary(
            month=self.month,
            people=self.people + other.people,
            total_subsidy_ore=self.total_subsidy_ore + other.total_subsidy_ore,
            total_atp_own_ore=self.total_atp_own_ore + other.total_atp_own_ore,
            total_payout_ore=self.total_payout_ore + other.total_payout_ore,
            at_ceiling=self.at_ceiling + other.at_ceiling,
            at_zero=self.at_zero + other.at_zero,
        )

    @property
    def total_subsidy(self) -> Decimal:
        return from_ore(self.total_subsidy_ore)

    @property
    def total_atp_own(self) -> Decimal:
        return from_ore(self.total_atp_own_ore)

    @property
    def total_payout(self) -> Decimal:
        return from_ore(self.total_payout_ore)

    def to_dict(self) -> dict[str, Any]:
        """JSON shape: amounts as strings with two decimals."""
        data = asdict(self)
        for key in ("total_subsidy", "total_atp_own", "total_payout"):
            data.pop(f"{key}_ore")
            data[key] = amount_str(getattr(self, key))
        return data

    def lines_da(self) -> list[str]:
        """The summary in Danish, for the terminal."""
        def count(n: int) -> str:
            return number(Decimal(n), decimals=0)

        return [
            f"Kørsel for {month_name(Month.parse(self.month))} (ydelsesmåned {self.month})",
            f"Personer:                     {count(self.people)}",
            f"Fleksløntilskud i alt:        {kr(self.total_subsidy)}",
            f"Eget ATP-bidrag i alt:        {kr(self.total_atp_own)}",
            f"Udbetaling i alt før skat:    {kr(self.total_payout)}",
            f"Ramt af lønloftet:            {count(self.at_ceiling)}",
            f"Tilskud på 0 kr.:             {count(self.at_zero)}",
        ]


def process_batch(batch: pa.RecordBatch | pa.Table, columns: Columns, rates: KernelRates,
                  row_offset: int = 0) -> tuple[pa.Table, BatchResult]:
    """One chunk: validate and convert, compute, and build the output table."""
    people = people_from_batch(batch, columns, row_offset)
    result = compute_month(rates, people.wage, people.ceiling, people.other_wage, people.other_income,
                           check=False)
    return result_table(result, people.ids), result


def run_file(
    month: Month,
    input_path: str | os.PathLike[str],
    output_path: str | os.PathLike[str],
    *,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    on_start: Callable[[int | None], None] | None = None,
    on_chunk: Callable[[int], None] | None = None,
) -> Summary:
    """Compute benefit ``month`` for every person in ``input_path`` and write ``output_path``.

    ``on_start(total_rows)`` is called once with the row count (an estimate for CSV), and
    ``on_chunk(rows)`` after each chunk; the CLI's progress bar hangs on these. An ``InputError``
    (bad column, bad row, unreadable file, month outside the rates table) leaves no output file.
    """
    rates = KernelRates.for_month(month)
    reader = InputReader(input_path, chunk_rows=chunk_rows)
    if on_start is not None:
        on_start(reader.total_rows if reader.total_rows is not None else reader.estimate_csv_rows())
    summary = Summary(month=str(month))
    with OutputWriter(output_path) as writer:
        wrote = False
        for offset, batch in reader:
            table, result = process_batch(batch, reader.columns, rates, offset)
            writer.write(table)
            wrote = True
            summary.add(result)
            if on_chunk is not None:
                on_chunk(len(result))
        if not wrote:
            empty = np.zeros(0, np.int64)
            ids = pa.array([], pa.int64()) if reader.columns.has_id else None
            writer.write(result_table(compute_month(rates, empty, empty), ids))
    return summary
