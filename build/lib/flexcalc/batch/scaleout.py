"""Scale-out: the same batch run as a Dask map over the partitions of a Parquet dataset.

A partition is one row group of one Parquet file. Each Dask task reads its row group with pyarrow,
runs exactly the code of the single-process run (``flexcalc.batch.run.process_batch``: the same
reader checks, the same kernel, the same output columns) and writes one part file; the tasks' summaries
are added up at the end. The tasks only need a file system that the workers and the client share, so
the same call runs in threads, on a local cluster or on a remote one (``scheduler``); no new code.

The parts are named ``part-00000.parquet``, ``part-00001.parquet``, … in the order of the input
(files sorted by path, then row groups), so reading the folder gives the rows in input order.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from flexcalc.batch.io import Columns, file_format, malformed_file_error, resolve_columns
from flexcalc.batch.kernel import KernelRates
from flexcalc.batch.run import Summary, process_batch
from flexcalc.errors import InputError
from flexcalc.period import Month


@dataclass(frozen=True, slots=True)
class Partition:
    """One row group of one Parquet file, and where its rows start in the whole dataset."""

    index: int
    path: str
    row_group: int
    row_offset: int
    rows: int


def parquet_files(input_path: str | os.PathLike[str]) -> list[Path]:
    """A Parquet file, or every ``*.parquet`` file under a folder (sorted by path)."""
    path = Path(input_path)
    if path.is_file():
        if file_format(path, "input") != "parquet":
            raise InputError("input", "a Dask run reads Parquet (a file or a folder of .parquet files)",
                             "en Dask-kørsel læser Parquet (en fil eller en mappe med .parquet-filer)",
                             code="file_format")
        return [path]
    if path.is_dir():
        files = sorted(p for p in path.rglob("*.parquet") if p.is_file())
        if files:
            return files
        raise InputError("input", f"the folder '{path}' holds no .parquet files",
                         f"mappen '{path}' indeholder ingen .parquet-filer", code="file_missing")
    raise InputError("input", f"'{path}' does not exist", f"'{path}' findes ikke", code="file_missing")


def plan(input_path: str | os.PathLike[str]) -> tuple[Columns, list[Partition]]:
    """The columns to read and the partitions, from the Parquet footers only (no data is read)."""
    partitions: list[Partition] = []
    columns: Columns | None = None
    offset = 0
    for file in parquet_files(input_path):
        try:
            meta = pq.ParquetFile(file)
        except (pa.ArrowException, OSError) as error:
            raise malformed_file_error(file, "Parquet", error) from None
        file_columns = resolve_columns(meta.schema_arrow.names)
        if columns is None:
            columns = file_columns
        elif file_columns != columns:
            raise InputError("input", f"'{file}' has other columns than the first file of the dataset",
                             f"'{file}' har andre kolonner end datasættets første fil", code="columns_differ")
        for group in range(meta.metadata.num_row_groups):
            rows = meta.metadata.row_group(group).num_rows
            partitions.append(Partition(len(partitions), str(file), group, offset, rows))
            offset += rows
    if columns is None:
        raise InputError("input", "the dataset has no files", "datasættet har ingen filer", code="missing")
    return columns, partitions


def run_partition(partition: Partition, columns: Columns, rates: KernelRates,
                  output_dir: str) -> Summary | dict[str, str]:
    """One Dask task: read one row group, compute, write its part file, return its summary.

    An ``InputError`` comes back as a plain dict (field, reasons, code), so it crosses process and
    machine boundaries intact; ``run_dask`` raises it again in the client.
    """
    try:
        try:
            batch = pq.ParquetFile(partition.path).read_row_group(partition.row_group, columns=columns.names)
        except (pa.ArrowException, OSError) as error:
            raise malformed_file_error(partition.path, "Parquet", error) from None
        table, result = process_batch(batch, columns, rates, partition.row_offset)
        target = Path(output_dir) / f"part-{partition.index:05d}.parquet"
        tmp = target.with_name(f".{target.name}.part")
        pq.write_table(table, tmp, compression="zstd", use_dictionary=False)
        os.replace(tmp, target)
        summary = Summary(month=str(rates.month))
        summary.add(result)
        return summary
    except InputError as error:
        return error.as_dict()


@contextmanager
def _client(scheduler: Any) -> Iterator[Any]:
    """``None``: Dask's default (threads); 'threads', 'processes', 'sync'; 'local': a local cluster
    of threads; an address: that scheduler; a ``distributed.Client``: used as it is."""
    if scheduler is None or scheduler in ("threads", "processes", "sync", "synchronous"):
        yield scheduler
        return
    from distributed import Client, LocalCluster

    if isinstance(scheduler, Client):
        yield scheduler
        return
    if scheduler == "local":
        with LocalCluster(processes=False, n_workers=os.cpu_count() or 1, threads_per_worker=1,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            yield client
        return
    with Client(scheduler) as client:
        yield client


def run_dask(month: Month, input_path: str | os.PathLike[str], output_dir: str | os.PathLike[str], *,
             scheduler: Any = None) -> Summary:
    """Compute benefit ``month`` for a Parquet file or dataset on Dask; write a folder of parts.

    ``output_dir`` must not exist or be empty. Returns the summary of the whole run, equal to the
    single-process ``run_file``'s; the rows written are equal too (tests/batch/test_batch_scaleout.py).
    """
    import dask
    from dask import delayed

    rates = KernelRates.for_month(month)
    columns, partitions = plan(input_path)
    out = Path(output_dir)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise InputError("output", f"'{out}' must be a new or empty folder for the Parquet parts",
                         f"'{out}' skal være en ny eller tom mappe til Parquet-delene", code="output_exists")
    out.mkdir(parents=True, exist_ok=True)
    task = delayed(run_partition, pure=True)
    tasks = [task(partition, columns, rates, str(out)) for partition in partitions]
    with _client(scheduler) as client:
        if client is None or isinstance(client, str):
            results = dask.compute(*tasks, scheduler=client)
        else:
            results = client.compute(tasks, sync=True)
    summary = Summary(month=str(month))
    for result in results:
        if isinstance(result, dict):
            for part in out.glob("part-*.parquet"):  # no half-finished run is left behind
                part.unlink()
            raise InputError(result["field"], result["reason"], result["reason_da"], code=result["code"])
        summary = summary.merge(result)
    return summary
