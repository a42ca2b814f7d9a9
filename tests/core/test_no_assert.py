"""Production code raises the project's errors, not ``assert`` (``python -O`` drops asserts)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from flexcalc.errors import InvariantError, require

ROOT = Path(__file__).resolve().parents[2]


def _asserts(folder: str) -> list[str]:
    found = []
    for path in sorted((ROOT / folder).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Assert):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


@pytest.mark.parametrize("folder", ["flexcalc", "api"])
def test_no_assert_statement_in_production_code(folder: str) -> None:
    assert _asserts(folder) == []


def test_require_names_what_is_missing() -> None:
    assert require(0, "zero") == 0
    with pytest.raises(InvariantError, match="the value of max_subsidy is missing"):
        require(None, "the value of max_subsidy")
