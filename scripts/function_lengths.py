#!/usr/bin/env python3
"""Count the long functions of the product code: lines from ``def`` to the function's last line.

Usage: scripts/function_lengths.py [--over N] [FOLDER ...]   (default folders: flexcalc api; migrations aside)
Prints every function over 50 lines, longest first, then the counts over 50 and over 80 lines.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def functions(folder: Path) -> list[tuple[int, str]]:
    found = []
    for path in sorted(folder.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                length = (node.end_lineno or node.lineno) - start + 1
                found.append((length, f"{path.relative_to(ROOT)}:{node.lineno} {node.name}"))
    return found


def main(argv: list[str]) -> int:
    over = 50
    if "--over" in argv:
        index = argv.index("--over")
        over = int(argv[index + 1])
        del argv[index:index + 2]
    found = [f for folder in (argv or ["flexcalc", "api"]) for f in functions(ROOT / folder)]
    for length, where in sorted(found, reverse=True):
        if length > over:
            print(f"{length:4d}  {where}")
    print(f"functions: {len(found)}; over 50 lines: {sum(1 for n, _ in found if n > 50)}; "
          f"over 80 lines: {sum(1 for n, _ in found if n > 80)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
