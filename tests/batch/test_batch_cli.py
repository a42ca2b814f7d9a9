"""``flexcalc batch`` and its reader: file to file, the summary, and clear errors (exit 2) for bad input."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from fixtures.population import generate, write
from flexcalc.batch.io import column_ore, kroner_array, resolve_columns
from flexcalc.batch.kernel import KernelRates, compute_month
from flexcalc.cli import app
from flexcalc.errors import InputError
from flexcalc.money import from_ore
from flexcalc.period import Month
from flexcalc.text_da.format import kr

runner = CliRunner()
D = Decimal


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def expected_for(table: pa.Table, month: str = "2024-03"):  # type: ignore[no-untyped-def]
    col = lambda name: table.column(f"{name}_ore").to_numpy()  # noqa: E731
    return compute_month(KernelRates.for_month(Month.parse(month)), col("wage"), col("ceiling"),
                         col("other_wage"), col("other_income"))


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_file_to_file_with_summary(tmp_path: Path, suffix: str) -> None:
    table = generate(3_000, seed=5)
    source = write(table, tmp_path / f"people{suffix}", row_group_rows=1_000)
    target = tmp_path / f"out{suffix}"
    code, out, err = run("batch", "--month", "2024-03", "--input", str(source), "--output", str(target),
                         "--chunk-rows", "700")
    assert code == 0, err
    result = pq.read_table(target) if suffix == ".parquet" else pa.csv.read_csv(target)
    want = expected_for(table)
    assert [int(v) for v in result.column("person_id").to_pylist()] == list(range(1, 3_001))
    for name in ("subsidy", "atp_own", "payout", "subsidy_before_ceiling", "ceiling_cut", "wage_income"):
        np.testing.assert_array_equal(result.column(f"{name}_ore").to_numpy(), getattr(want, name))
    # The kroner columns say the same in kroner with two decimals.
    kroner = [D(str(v)) for v in result.column("subsidy").to_pylist()[:50]]
    assert kroner == [from_ore(int(v)) for v in want.subsidy[:50]]
    assert result.column("ceiling_binds").to_pylist() == (want.ceiling_cut > 0).tolist()
    total = from_ore(int(want.subsidy.sum()))
    assert "Personer:                     3.000" in out
    assert f"Fleksløntilskud i alt:        {kr(total)}" in out
    assert f"Ramt af lønloftet:            {int((want.ceiling_cut > 0).sum())}" in out
    assert f"Tilskud på 0 kr.:             {int((want.subsidy == 0).sum())}" in out


def test_summary_as_json_and_a_hand_checked_file(tmp_path: Path) -> None:
    # Three people in March 2024 (M 19.952, T 16.323):
    #  1: STAR's example, 15.600 / 32.067 → 15.272,00, ATP 500, payout 14.772,00
    #  2: 26.000 / 32.066,67 → ceiling binds: 6.066,67, ATP 303, payout 5.763,67
    #  3: 50.000 / 60.000 → above the zero point: 0
    source = tmp_path / "three.csv"
    source.write_text("person_id,wage,ceiling\nA,15600,32067\nB,26000.00,\"32066,67\"\nC,50000,60000\n")
    target = tmp_path / "three-out.csv"
    code, out, err = run("batch", "--month", "2024-03", "--input", str(source), "--output", str(target), "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["people"] == 3
    assert summary["total_subsidy"] == "21338.67"   # 15.272 + 6.066,67 + 0
    assert summary["total_atp_own"] == "803.00"     # 500 + 303
    assert summary["total_payout"] == "20535.67"
    assert summary["at_ceiling"] == 1 and summary["at_zero"] == 1
    rows = pa.csv.read_csv(target).to_pylist()
    assert [r["person_id"] for r in rows] == ["A", "B", "C"]
    # An id keeps its leading zeros from CSV to CSV.
    source.write_text("person_id,wage,ceiling\n007,15600,32067\n")
    assert run("batch", "--month", "2024-03", "--input", str(source), "--output", str(target))[0] == 0
    assert target.read_text().splitlines()[1].startswith('"007",')
    assert [r["subsidy_ore"] for r in rows] == [1_527_200, 606_667, 0]
    assert [r["payout_ore"] for r in rows] == [1_477_200, 576_367, 0]


def test_progress_bar_for_large_inputs(tmp_path: Path) -> None:
    source = write(generate(2_000, seed=1), tmp_path / "p.parquet")
    code, _, err = run("batch", "--month", "2024-03", "--input", str(source), "--output",
                       str(tmp_path / "o.parquet"), "--chunk-rows", "500")
    assert code == 0
    assert "Beregner" in err  # larger than one chunk: the bar is shown (on stderr)
    code, _, err = run("batch", "--month", "2024-03", "--input", str(source), "--output",
                       str(tmp_path / "o.parquet"), "--no-progress", "--chunk-rows", "500")
    assert code == 0 and "Beregner" not in err


def bad(tmp_path: Path, csv_text: str, month: str = "2024-03", name: str = "in.csv") -> tuple[int, str, Path]:
    source = tmp_path / name
    source.write_text(csv_text)
    target = tmp_path / "out.csv"
    code, _, err = run("batch", "--month", month, "--input", str(source), "--output", str(target))
    return code, err, target


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("person_id,wage\n1,100\n", "error: ceiling: the input has no column 'ceiling' (or 'ceiling_ore')"),
        ("person_id,wage,ceiling\n1,100,200\n2,-5,200\n3,-1,1\n",
         "error: wage: row 2 (person_id 2): must not be negative (and 1 more rows)"),
        ("wage,ceiling\n100,200\n1000.123,200\n", "error: wage: row 2: has more than two decimals"),
        ("wage,ceiling\n100,200\n100.123,200\n", "error: wage: row 2: is ambiguous"),
        ("wage,ceiling\n100,200\n1e5,200\n", "error: wage: row 2: is not an amount in kroner like 15600.50"),
        ("wage,ceiling\n100,\n", "error: ceiling: row 1: is empty"),
        ("wage,ceiling\n100,20000000\n", "error: ceiling: row 1: is over 10.000.000 kr. a month"),
        ("wage_ore,ceiling\n10050,200\n", None),
        ("wage_ore,ceiling\n100.50,200\n", "error: wage_ore: row 1: is not whole øre (digits only)"),
        ("wage_ore,wage,ceiling\n10050,100.51,200\n", "error: wage: row 1: does not agree with 'wage_ore'"),
        ('wage,ceiling\n"1,2,3\n', "error: input: "),
        ('wage,ceiling\n100,200\n"26.500",200\n', "error: wage: row 2: is ambiguous"),
        ('wage,ceiling\n"15,600",200\n', "error: wage: row 1: is ambiguous"),
    ],
)
def test_bad_csv_input_names_the_column_and_row(tmp_path: Path, text: str, message: str | None) -> None:
    code, err, target = bad(tmp_path, text)
    if message is None:
        assert code == 0, err
        return
    assert code == 2, err
    assert message in err
    assert "fejl:" in err  # and in Danish
    assert not target.exists()  # no half-written output


def test_an_id_that_looks_like_a_cpr_number_is_never_printed(tmp_path: Path) -> None:
    code, err, _ = bad(tmp_path, "person_id,wage,ceiling\n010203-1234,-5,200\n0102031235,-5,200\n")
    assert code == 2
    assert "row 1 (person_id not shown: it looks like a CPR number): must not be negative" in err
    assert "010203" not in err and "1234" not in err
    code, err, _ = bad(tmp_path, "person_id,wage,ceiling\n0102031235,-5,200\n")
    assert "row 1 (person_id not shown" in err and "102031235" not in err
    table = pa.table({"person_id": pa.array([102031235]), "wage": pa.array([-5]), "ceiling": pa.array([1])})
    pq.write_table(table, tmp_path / "cpr.parquet")
    code, _, err = run("batch", "--month", "2024-03", "--input", str(tmp_path / "cpr.parquet"), "--output",
                       str(tmp_path / "o.parquet"))
    assert code == 2 and "person_id not shown" in err and "102031235" not in err
    code, err, _ = bad(tmp_path, "person_id,wage,ceiling\nP-17,-5,200\n")
    assert "row 1 (person_id P-17)" in err


def test_other_bad_input(tmp_path: Path) -> None:
    code, err, _ = bad(tmp_path, "wage,ceiling\n1,2\n", month="2031-01")
    assert code == 2 and "no rates for 2031-01" in err
    code, err, _ = bad(tmp_path, "wage,ceiling\n1,2\n", name="in.xlsx")
    assert code == 2 and "must end in .parquet or .csv" in err
    code, err, _ = bad(tmp_path, "not parquet at all", name="in.parquet")
    assert code == 2 and "is not a readable Parquet file" in err
    code, _, err = run("batch", "--month", "2024-03", "--input", str(tmp_path / "missing.csv"),
                       "--output", str(tmp_path / "o.csv"))
    assert code == 2 and "does not exist" in err
    code, _, err = run("batch", "--month", "2024-3", "--input", "x.csv", "--output", "y.csv")
    assert code == 2 and "is not a month written YYYY-MM" in err


def test_parquet_row_numbers_count_across_chunks(tmp_path: Path) -> None:
    table = generate(1_000, seed=2)
    wage = table.column("wage_ore").to_numpy().copy()
    wage[876] = -1
    table = table.set_column(table.schema.get_field_index("wage_ore"), "wage_ore", pa.array(wage))
    source = write(table.drop_columns(["wage"]), tmp_path / "p.parquet", row_group_rows=300)
    code, _, err = run("batch", "--month", "2024-03", "--input", str(source), "--output",
                       str(tmp_path / "o.parquet"), "--chunk-rows", "100")
    assert code == 2
    assert "error: wage_ore: row 877 (person_id 877): must not be negative" in err


# --- column conversion ------------------------------------------------------------------------------

def test_every_accepted_column_type_gives_the_same_ore() -> None:
    ore = [0, 1, 99, 1_560_050, 1_000_000_000]
    want = np.array(ore, np.int64)
    as_text = pa.array(["0", "0.01", "0,99", " 15600.5 ", "10000000.00"])
    np.testing.assert_array_equal(column_ore(as_text, "wage", required=True), want)
    np.testing.assert_array_equal(column_ore(kroner_array(want), "wage", required=True), want)
    np.testing.assert_array_equal(column_ore(pa.array(ore, pa.int64()), "wage_ore", required=True), want)
    np.testing.assert_array_equal(column_ore(pa.array(["0", "1", "99", "1560050", "1000000000"]), "wage_ore",
                                             required=True), want)
    # Floats only where each is exactly an amount with two decimals (as parse_amount takes a JSON number).
    floats = pa.array([0.0, 0.01, 0.99, 15600.5, 10_000_000.0])
    np.testing.assert_array_equal(column_ore(floats, "wage", required=True), want)
    np.testing.assert_array_equal(column_ore(pa.array([0, 15600], pa.int32()), "wage", required=True),
                                  [0, 1_560_000])
    decimals3 = pa.array([D("1.230"), D("2.500")], pa.decimal128(10, 3))
    np.testing.assert_array_equal(column_ore(decimals3, "wage", required=True), [123, 250])


def test_refused_column_values() -> None:
    with pytest.raises(InputError, match="row 2: has more than two decimals"):
        column_ore(pa.array([1.5, 0.1 + 0.2]), "wage", required=True)
    with pytest.raises(InputError, match="row 1: must be a finite amount"):
        column_ore(pa.array([float("nan")]), "wage", required=True)
    with pytest.raises(InputError, match="row 1: has more than two decimals"):
        column_ore(pa.array([D("1.235")], pa.decimal128(10, 3)), "wage", required=True)
    with pytest.raises(InputError, match="row 1: must not be negative"):
        column_ore(pa.array([D("-1.00")], pa.decimal128(10, 2)), "wage", required=True)
    with pytest.raises(InputError, match="row 11: is empty"):
        column_ore(pa.array([1] * 10 + [None]), "wage", required=True, row_offset=0)
    with pytest.raises(InputError, match="must hold whole øre"):
        column_ore(pa.array([1.0]), "wage_ore", required=True)
    with pytest.raises(InputError, match=r"is over 10\.000\.000 kr\."):
        column_ore(pa.array(["123456789012345678901"]), "wage", required=True)
    with pytest.raises(InputError, match="must hold amounts in kroner"):
        column_ore(pa.array([True]), "wage", required=True)
    # An empty cell in an optional column is 0.
    np.testing.assert_array_equal(column_ore(pa.array([None, "5"]), "other_wage", required=False), [0, 500])


def test_column_choice() -> None:
    columns = resolve_columns(["person_id", "wage_ore", "wage", "ceiling", "other_wage"])
    assert columns.source == {"wage": "wage_ore", "ceiling": "ceiling", "other_wage": "other_wage"}
    assert columns.check == {"wage": "wage"}
    assert columns.has_id
    with pytest.raises(InputError, match="no column 'wage'"):
        resolve_columns(["ceiling"])


def test_danish_amount_texts_in_a_csv_give_the_same_result_as_plain_ones(tmp_path: Path) -> None:
    """"15.600,00" is read as flexcalc.parsing.inputs reads it (one way in): the same rows as "15600.00"."""
    danish = tmp_path / "da.csv"
    danish.write_text('person_id,wage,ceiling\nA,"15.600,00","32.067,00"\nB,"1.234,5",32067\n')
    plain = tmp_path / "plain.csv"
    plain.write_text("person_id,wage,ceiling\nA,15600.00,32067.00\nB,1234.50,32067\n")
    outputs = []
    for source in (danish, plain):
        target = tmp_path / f"{source.stem}-out.csv"
        code, _, err = run("batch", "--month", "2024-03", "--input", str(source), "--output", str(target))
        assert code == 0, err
        outputs.append(target.read_text())
    assert outputs[0] == outputs[1]
    assert "1527200" in outputs[0]  # A: 15.272,00 kr. (STAR's example) in øre
