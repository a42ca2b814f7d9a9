"""``flexcalc reform run``: file to file with the comparison, JSON, Dask, and exit 2 with nothing written."""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from fixtures.population import generate, write
from flexcalc.cli import app
from flexcalc.period import Month
from flexcalc.reforms import load_reform
from flexcalc.reforms.run import compare_table

runner = CliRunner()
ROOT = Path(__file__).parents[2] / "fixtures" / "reforms"


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def table() -> pa.Table:
    return generate(2_000, seed=5)


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_run_writes_people_and_prints_the_comparison(tmp_path: Path, table: pa.Table, suffix: str) -> None:
    people = write(table, tmp_path / f"people{suffix}", row_group_rows=700)
    out = tmp_path / f"out{suffix}"
    code, stdout, _ = run("reform", "run", "--month", "2024-03", "--input", str(people), "--reform",
                          str(ROOT / "single_rate_40.yaml"), "--output", str(out), "--json", "--chunk-rows", "600")
    assert code == 0, stdout
    data = json.loads(stdout)
    expected = compare_table(Month(2024, 3), table, load_reform(ROOT / "single_rate_40.yaml")).to_dict()
    for key in ("cost_before", "cost_after", "difference", "winners", "losers", "unchanged", "by_hour_band",
                "by_sex", "distribution", "one_more_hour"):
        assert data[key] == expected[key], key
    rows = pq.read_table(out) if suffix == ".parquet" else pacsv.read_csv(out)
    assert rows.num_rows == 2_000
    diff = rows.column("difference_ore").to_pylist()
    assert sum(diff) == round(float(data["difference"]) * 100)
    assert rows.column("subsidy_reform_ore").to_pylist()[0] - rows.column("subsidy_today_ore").to_pylist()[0] == diff[0]


def test_danish_text_summary(tmp_path: Path, table: pa.Table) -> None:
    people = write(table, tmp_path / "people.parquet")
    code, stdout, _ = run("reform", "run", "--month", "2024-03", "--input", str(people), "--reform",
                          str(ROOT / "minimum_gain_150.yaml"))
    assert code == 0
    assert "Udgift i dag:" in stdout and "Vindere / tabere / uændrede:" in stdout and "Timer pr. uge" in stdout


def test_dask_gives_the_same_comparison(tmp_path: Path, table: pa.Table) -> None:
    people = write(table, tmp_path / "people.parquet", row_group_rows=500)
    args = ["reform", "run", "--month", "2024-03", "--input", str(people), "--reform",
            str(ROOT / "hourly_1_37_flat_subsidy.yaml"), "--json"]
    code, local, _ = run(*args)
    code_dask, dask, _ = run(*args, "--dask", "threads")
    assert code == code_dask == 0
    strip = lambda text: {k: v for k, v in json.loads(text).items() if k not in ("seconds", "output")}  # noqa: E731
    assert strip(local) == strip(dask)


@pytest.mark.parametrize(("reform_text", "field"), [
    ("name: x\nrules:\n  flat_tax: {}", "rules.flat_tax"),
    ("name: x\nparameters:\n  max_subsidy: {2024-01-01: 'many'}", "parameters.max_subsidy.2024-01-01"),
    ("name: x\nparameters:\n  threshold: {2030-01-01: '17000'}", "parameters.threshold.2030-01-01"),
])
def test_a_bad_reform_exits_2_naming_the_key_and_writes_nothing(tmp_path: Path, table: pa.Table,
                                                                reform_text: str, field: str) -> None:
    people = write(table, tmp_path / "people.parquet")
    reform = tmp_path / "reform.yaml"
    reform.write_text(reform_text, encoding="utf-8")
    out = tmp_path / "out.parquet"
    code, _, stderr = run("reform", "run", "--month", "2024-03", "--input", str(people), "--reform", str(reform),
                          "--output", str(out))
    assert code == 2
    assert f"error: {field}:" in stderr and f"fejl: {field}:" in stderr
    assert sorted(tmp_path.iterdir()) == sorted([people, reform])


def test_bad_people_exit_2_and_leave_no_output(tmp_path: Path, table: pa.Table) -> None:
    no_hours = write(table.drop_columns(["hours"]), tmp_path / "nohours.parquet")
    code, _, stderr = run("reform", "run", "--month", "2024-03", "--input", str(no_hours), "--reform",
                          str(ROOT / "empty.yaml"), "--output", str(tmp_path / "o.csv"))
    assert code == 2 and "error: hours:" in stderr
    bad = table.set_column(table.schema.get_field_index("hours"), "hours",
                           pa.array([40] + [10] * (table.num_rows - 1), pa.int16()))
    path = write(bad, tmp_path / "bad.parquet")
    code, _, stderr = run("reform", "run", "--month", "2024-03", "--input", str(path), "--reform",
                          str(ROOT / "empty.yaml"), "--output", str(tmp_path / "o.csv"))
    assert code == 2 and "row 1" in stderr and "1 til 37" in stderr
    assert not (tmp_path / "o.csv").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
    code, _, stderr = run("reform", "run", "--month", "2031-03", "--input", str(path), "--reform",
                          str(ROOT / "empty.yaml"))
    assert code == 2 and "error: month:" in stderr


def test_help() -> None:
    code, stdout, _ = run("reform", "run", "--help")
    assert code == 0 and "--reform" in stdout and "--dask" in stdout


def test_refund_step_splits_the_cost_between_state_and_municipality(tmp_path: Path, table: pa.Table) -> None:
    people = write(table, tmp_path / "people.parquet")
    code, stdout, _ = run("reform", "run", "--month", "2024-03", "--input", str(people), "--reform",
                          str(ROOT / "single_rate_40.yaml"), "--json", "--refund-step", "5-26")
    assert code == 0, stdout
    data = json.loads(stdout)
    shares = data["finance_shares"]
    assert shares["refund_rate"] == "0.40" and shares["provision"] == "LBK 221/2021 § 5, stk. 2, nr. 2"
    for key, cost in (("before", data["cost_before"]), ("after", data["cost_after"])):
        state, municipality = Decimal(shares[key]["state"]), Decimal(shares[key]["municipality"])
        assert state + municipality == Decimal(cost)
        assert state == (Decimal(cost) * Decimal("0.40")).quantize(Decimal("0.01"), ROUND_HALF_UP)
    code, _, stderr = run("reform", "run", "--month", "2024-03", "--input", str(people), "--reform",
                          str(ROOT / "single_rate_40.yaml"), "--refund-step", "60")
    assert code == 2 and "refund-step" in stderr
