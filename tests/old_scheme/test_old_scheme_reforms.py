"""A reform models the new scheme only: a population row of another scheme is refused naming the row."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
from typer.testing import CliRunner

from fixtures.population import generate, write
from flexcalc.cli import app

runner = CliRunner()
REFORM = Path(__file__).parents[2] / "fixtures" / "reforms" / "single_rate_40.yaml"


def _run(tmp_path: Path, schemes: list[str]) -> tuple[int, str]:
    table = generate(len(schemes), seed=3)
    table = table.append_column("scheme", pa.array(schemes))
    people = write(table, tmp_path / "people.csv")
    result = runner.invoke(app, ["reform", "run", "--month", "2024-03", "--input", str(people), "--reform",
                                 str(REFORM), "--output", str(tmp_path / "out.csv"), "--json"])
    return result.exit_code, result.stdout + result.stderr


def test_new_scheme_rows_are_compared_and_an_old_scheme_row_is_refused(tmp_path: Path) -> None:
    code, _ = _run(tmp_path, ["new_2013"] * 5)
    assert code == 0
    code, output = _run(tmp_path, ["new_2013", "new_2013", "old", "new_2013", "self_employed"])
    assert code == 2
    assert "scheme" in output and "nye regler" in output and "1 rækker mere" in output


def test_a_reform_states_the_flows_it_covers(tmp_path: Path) -> None:
    import json

    code, output = _run(tmp_path, ["new_2013"] * 3)
    assert code == 0
    flows = json.loads(output[:output.rindex("}") + 1])["flows"]
    assert flows["covered"] == ["new_2013"] and sorted(flows["not_covered"]) == ["old", "self_employed"]
    text = runner.invoke(app, ["reform", "run", "--month", "2024-03", "--input", str(tmp_path / "people.csv"),
                               "--reform", str(REFORM)])
    assert "tilskud til selvstændige er ikke med" in text.stdout
