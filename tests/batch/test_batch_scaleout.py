"""The Dask scale-out: the same rows and the same summary as the single-process run."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest
from distributed import Client, LocalCluster
from typer.testing import CliRunner

from fixtures.population import generate, write
from flexcalc.batch.run import run_file
from flexcalc.batch.scaleout import plan, run_dask
from flexcalc.cli import app
from flexcalc.errors import InputError
from flexcalc.period import Month

MONTH = Month(2024, 3)


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Parquet dataset of two files with several row groups each (the partitions)."""
    folder = tmp_path_factory.mktemp("dataset")
    table = generate(24_000, seed=21)
    write(table.slice(0, 14_000), folder / "a.parquet", row_group_rows=4_000)
    write(table.slice(14_000), folder / "b.parquet", row_group_rows=4_000)
    write(table, folder.parent / "whole.parquet", row_group_rows=50_000)
    return folder


def test_plan_one_partition_per_row_group(dataset: Path) -> None:
    _, partitions = plan(dataset)
    assert [(Path(p.path).name, p.row_group, p.row_offset, p.rows) for p in partitions] == [
        ("a.parquet", 0, 0, 4_000), ("a.parquet", 1, 4_000, 4_000), ("a.parquet", 2, 8_000, 4_000),
        ("a.parquet", 3, 12_000, 2_000), ("b.parquet", 0, 14_000, 4_000), ("b.parquet", 1, 18_000, 4_000),
        ("b.parquet", 2, 22_000, 2_000)]


def test_local_cluster_gives_the_single_process_result(dataset: Path, tmp_path: Path) -> None:
    single = run_file(MONTH, dataset.parent / "whole.parquet", tmp_path / "single.parquet")
    with LocalCluster(processes=False, n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        distributed = run_dask(MONTH, dataset, tmp_path / "parts", scheduler=client)
    assert distributed == single
    assert single.people == 24_000 and single.at_ceiling > 0
    parts = sorted(p.name for p in (tmp_path / "parts").iterdir())
    assert parts == [f"part-{i:05d}.parquet" for i in range(7)]
    assert pq.read_table(tmp_path / "parts").equals(pq.read_table(tmp_path / "single.parquet"))


def test_threaded_scheduler_and_errors_come_back_named(dataset: Path, tmp_path: Path) -> None:
    threaded = run_dask(MONTH, dataset, tmp_path / "threads", scheduler="threads")
    assert threaded.people == 24_000
    with pytest.raises(InputError, match="must be a new or empty folder"):
        run_dask(MONTH, dataset, tmp_path / "threads")
    (tmp_path / "people.csv").write_text("wage,ceiling\n1,2\n")
    with pytest.raises(InputError, match="a Dask run reads Parquet"):
        run_dask(MONTH, tmp_path / "people.csv", tmp_path / "csv-out")
    broken = tmp_path / "broken"
    broken.mkdir()
    table = generate(100, seed=1)
    wage = table.column("wage_ore").to_pylist()
    wage[41] = -7
    import pyarrow as pa

    table = table.set_column(table.schema.get_field_index("wage_ore"), "wage_ore", pa.array(wage))
    write(table, broken / "x.parquet", row_group_rows=30)
    with pytest.raises(InputError, match=r"row 42 \(person_id 42\): must not be negative") as error:
        run_dask(MONTH, broken, tmp_path / "broken-out", scheduler="sync")
    assert error.value.field == "wage_ore"
    assert not list((tmp_path / "broken-out").glob("part-*"))


def test_cli_dask_option(dataset: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["batch", "--month", "2024-03", "--input", str(dataset), "--output",
                                      str(tmp_path / "cli-parts"), "--dask", "threads", "--json"])
    assert result.exit_code == 0, result.stderr
    assert '"people": 24000' in result.stdout
