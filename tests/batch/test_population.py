"""The synthetic population: deterministic, and true to the published figures it claims to follow."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from fixtures.population import HOUR_BANDS, band_probabilities, generate, main, write
from flexcalc.batch.kernel import KernelRates, compute_month
from flexcalc.period import Month

N = 200_000


@pytest.fixture(scope="module")
def population():  # type: ignore[no-untyped-def]
    return generate(N, seed=8)


def test_same_seed_same_people_other_seed_other_people() -> None:
    assert generate(5_000, seed=1).equals(generate(5_000, seed=1))
    assert not generate(5_000, seed=1).equals(generate(5_000, seed=2))
    assert generate(0).num_rows == 0


def test_bands_follow_the_published_shares_with_the_rest_spread_in_proportion(population) -> None:  # type: ignore[no-untyped-def]
    # The published shares add up to 93,9 %; spread in proportion, 1–5 h is 29,7 / 93,9 = 31,63 %.
    probabilities = band_probabilities()
    assert probabilities.sum() == pytest.approx(1.0)
    assert probabilities[0] == pytest.approx(29.7 / 93.9)
    hours = population.column("hours").to_numpy()
    assert hours.min() >= 1 and hours.max() <= 37
    for (first, last, published), p in zip(HOUR_BANDS, probabilities, strict=True):
        share = np.mean((hours >= first) & (hours <= last))
        # 200.000 draws: the standard error is at most 0,11 points; allow 0,5 points.
        assert share == pytest.approx(p, abs=0.005), (first, last, published)
    # The published headline figures: 62,1 % at most 10 h, 2,8 % over 20 h (before spreading the rest).
    assert np.mean(hours <= 10) == pytest.approx(0.621 / 0.939, abs=0.005)
    assert np.mean(hours > 20) == pytest.approx(0.028 / 0.939, abs=0.002)


def test_sex_wages_and_ceilings_are_in_realistic_ranges(population) -> None:  # type: ignore[no-untyped-def]
    sex = population.column("sex")
    assert pc.mean(pc.equal(sex, "F").cast("int8")).as_py() == pytest.approx(0.62, abs=0.005)
    hourly = population.column("hourly_wage_ore").to_numpy()
    assert hourly.min() >= 15_000 and hourly.max() <= 42_000
    assert 19_000 <= np.median(hourly) <= 22_000
    hours = population.column("hours").to_numpy()
    wage = population.column("wage_ore").to_numpy()
    # Most wages are exactly hourly × hours × 52/12 rounded half up; the rest within ±20 %.
    agreed = (hourly * hours * 52 + 6) // 12
    assert np.mean(wage == agreed) > 0.75
    assert np.all(np.abs(wage - agreed) <= agreed * 0.2 + 1)
    # Ceiling ≈ 37 × hourly × 52/12: exactly for most, up to 15 % above (supplements), a few stale.
    ceiling = population.column("ceiling_ore").to_numpy()
    plain = (37 * hourly * 52 + 6) // 12
    assert np.mean(ceiling == plain) > 0.60
    ratio = ceiling / plain
    assert ratio.min() >= 0.79 and ratio.max() <= 1.16
    assert 0.01 < np.mean(ratio < 0.999) < 0.03
    other = population.column("other_wage_ore").to_numpy()
    assert np.mean(other > 0) == pytest.approx(0.05, abs=0.005)
    assert np.mean(population.column("other_income_ore").to_numpy() > 0) == pytest.approx(0.01, abs=0.002)


def test_the_ceiling_binds_for_some_and_the_subsidy_is_zero_for_a_few(population) -> None:  # type: ignore[no-untyped-def]
    col = lambda name: population.column(f"{name}_ore").to_numpy()  # noqa: E731
    r = compute_month(KernelRates.for_month(Month(2024, 3)), col("wage"), col("ceiling"), col("other_wage"),
                      col("other_income"))
    binds = np.mean(r.ceiling_cut > 0)
    assert 0.02 < binds < 0.20
    assert 0 < np.mean(r.subsidy == 0) < 0.02
    # Øre amounts that meet the half-up rule (reduction ending in exactly ½ øre) occur naturally.
    assert np.mean(r.reduction_scaled % 100 == 50) > 0.005


def test_kroner_columns_equal_the_ore_columns(population) -> None:  # type: ignore[no-untyped-def]
    small = population.slice(0, 1000)
    for name in ("hourly_wage", "wage", "other_wage", "other_income", "ceiling"):
        kroner = [str(v) for v in small.column(name).to_pylist()]
        ore = small.column(f"{name}_ore").to_pylist()
        assert kroner == [f"{o // 100}.{o % 100:02d}" for o in ore]


def test_written_to_parquet_and_csv(tmp_path: Path) -> None:
    table = generate(1_000, seed=3)
    parquet = write(table, tmp_path / "p.parquet", row_group_rows=300)
    assert pq.ParquetFile(parquet).metadata.num_row_groups == 4
    assert pq.read_table(parquet).equals(table)
    csv = write(table, tmp_path / "p.csv")
    back = pacsv.read_csv(csv)
    assert back.column("wage_ore").to_pylist() == table.column("wage_ore").to_pylist()
    first = csv.read_text().splitlines()[1].split(",")
    assert first[table.schema.names.index("wage")] == str(table.column("wage")[0].as_py())


def test_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["--people", "500", "--seed", "4", "--output", str(tmp_path / "x.parquet")])
    assert "500 people" in capsys.readouterr().out
    assert pq.read_table(tmp_path / "x.parquet").equals(generate(500, seed=4))


def test_sector_follows_the_published_71_29_split_and_leaves_the_other_columns_as_they_were(population) -> None:  # type: ignore[no-untyped-def]
    from fixtures.population import AGREEMENTS

    sector = population.column("sector").to_numpy(zero_copy_only=False)
    assert np.mean(sector == "privat") == pytest.approx(0.71, abs=0.005)
    agreement = population.column("agreement").to_numpy(zero_copy_only=False)
    for name, _, share in AGREEMENTS:
        assert np.mean(agreement == name) == pytest.approx(share / 100, abs=0.005), name
    # Sector and agreement come from their own random stream, so every other column is what it was
    # before they were added: these sums of seed 8's first 20.000 people were taken from the generator
    # as it was before the reform columns were added (the earlier benchmarks and tests used those people).
    before = generate(20_000, seed=8)
    sums = {name: sum(before.column(name).to_pylist()) for name in
            ("hours", "wage_ore", "ceiling_ore", "other_wage_ore", "hourly_wage_ore")}
    assert sums == {"hours": 181_560, "wage_ore": 16_389_855_559, "ceiling_ore": 68_379_093_740,
                    "other_wage_ore": 489_914_419, "hourly_wage_ore": 416_618_174}
    assert before.column("sex").to_pylist().count("F") == 12_386
