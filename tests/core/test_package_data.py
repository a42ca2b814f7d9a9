"""The wheel carries every data file the package reads: each file of ``flexcalc/`` that is not Python source
(the rates by area, the law data, the letters' templates, the finance accounts …) is matched by a
``[tool.setuptools.package-data]`` pattern of pyproject.toml, read the way setuptools reads it (globs
relative to the package folder). A data file moved or added without its pattern fails here."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "flexcalc"


def packaged(patterns: list[str]) -> set[Path]:
    return {path for pattern in patterns for path in PACKAGE.glob(pattern) if path.is_file()}


def data_files() -> set[Path]:
    return {path for path in PACKAGE.rglob("*")
            if path.is_file() and path.suffix not in (".py", ".pyc") and "__pycache__" not in path.parts}


def test_every_data_file_is_in_the_wheel() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["flexcalc"]
    missing = sorted(str(p.relative_to(ROOT)) for p in data_files() - packaged(patterns))
    assert missing == []


def test_the_rates_are_found_by_their_area_pattern() -> None:
    """The check can fail: without the area pattern the rates would be left out."""
    assert PACKAGE / "law" / "parameters" / "subsidy" / "max_subsidy.yaml" in data_files()
    assert PACKAGE / "law" / "parameters" / "subsidy" / "max_subsidy.yaml" not in packaged(["parameters/*.yaml"])
