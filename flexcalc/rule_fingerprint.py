"""A fingerprint of everything that decides a result, so a change of results cannot slip through
without a new ``RULE_VERSION`` and a CHANGELOG.md entry (as OpenFisca's country template checks
functional changes).

What it covers:

* **parameter values**: every packaged parameter's dated values as loaded (computed values computed),
  normalised to ``name|start|value`` lines, and the law data that decides results
  (``law/data/*.yaml`` except the citations of ``provisions.yaml``), as sorted JSON;
* **rule code**: every ``flexcalc`` module imported by the result entry points (``calculate_month``, the
  batch kernel, the refund and særligt fleksbidrag of finance), found by importing them in a fresh
  interpreter, except modules that only word or cite (``EXCLUDED``). Each module is normalised before it
  is hashed: parsed, its docstrings and import statements dropped, and dumped as a syntax tree; the
  fingerprint is the hash of the *sorted* module hashes. So comments, docstrings, formatting, the
  file's path and name and the imports that a move rewrites do not count: a pure move of modules into
  new packages leaves the fingerprint as it was, while any change of code or of a value changes it.

``python -m flexcalc.rule_fingerprint --check`` (run by ``.ci/run`` and by
``tests/core/test_rule_fingerprint.py``) fails when the fingerprint differs from the one recorded in
``flexcalc/rule_fingerprint.json`` for the current ``RULE_VERSION``; ``--update`` records the new
fingerprint, and refuses unless ``RULE_VERSION`` was bumped and CHANGELOG.md has a ``## <version>``
entry for it (``--update --amend`` re-records a version not yet merged, after a further change on the same
branch; the reviewer sees it in the diff of ``rule_fingerprint.json``). See docs/decisions.md, "Rule version check".
"""

from __future__ import annotations

import ast
import hashlib
import json
import re
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LOCK = Path(__file__).resolve().parent / "rule_fingerprint.json"
CHANGELOG = ROOT / "CHANGELOG.md"

ENTRY_POINTS = ("flexcalc", "flexcalc.batch.kernel", "flexcalc.finance.refund", "flexcalc.finance.fleksbidrag")
"""The modules whose results the check guards; everything they import from flexcalc counts too."""

EXCLUDED = ("flexcalc.version", "flexcalc.text_da.format", "flexcalc.text_da", "flexcalc.trace",
            "flexcalc.law.provisions", "flexcalc.errors", "flexcalc.citizen.explanation", "flexcalc.rule_fingerprint")
"""Modules (and packages) that word, cite or version results but do not compute them."""


def _without_docstrings_and_imports(tree: ast.AST) -> ast.AST:
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if not isinstance(body, list):
            continue
        kept = [child for child in body if not isinstance(child, ast.Import | ast.ImportFrom)]
        if (kept and isinstance(kept[0], ast.Expr) and isinstance(kept[0].value, ast.Constant)
                and isinstance(kept[0].value.value, str)):
            kept = kept[1:]
        node.body = kept or [ast.Pass()]  # type: ignore[attr-defined]
    return tree


def code_hash(source: str) -> str:
    """The hash of a module's code without its docstrings, comments, formatting and imports."""
    tree = _without_docstrings_and_imports(ast.parse(source))
    return hashlib.sha256(ast.dump(tree, include_attributes=False).encode()).hexdigest()


def rule_modules() -> dict[str, Path]:
    """The flexcalc modules the entry points import (by name, with their files), found in a fresh
    interpreter so nothing imported by the caller counts."""
    program = ("import importlib, json, sys\n"
               f"for name in {list(ENTRY_POINTS)!r}: importlib.import_module(name)\n"
               "print(json.dumps({n: getattr(m, '__file__', None) for n, m in sys.modules.items() "
               "if n == 'flexcalc' or n.startswith('flexcalc.')}))")
    out = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True, cwd=ROOT)
    found: dict[str, str | None] = json.loads(out.stdout)
    return {name: Path(file) for name, file in sorted(found.items())
            if file and not any(name == e or name.startswith(e + ".") for e in EXCLUDED)}


def parameter_lines(directory: Path | None = None) -> list[str]:
    """Every parameter value as ``name|start|value`` (computed values as computed), sorted."""
    from flexcalc.law.params import load_parameters

    lines = []
    for name, parameter in load_parameters(directory).items():
        for entry in parameter.values:
            lines.append(f"{name}|{entry.start}|{entry.value}")
    return sorted(lines)


WORDING_DATA = ("provisions.yaml", "letters.yaml")
"""Law data files that cite or word results (who signs a letter, how it is received) but decide no amount."""


def _plain(value: Any) -> Any:
    """YAML data with every mapping key as text (dates as keys are ISO text), so it dumps as JSON."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def law_data_lines(directory: Path) -> list[str]:
    """The law data that decides results (not the citations or letter wording), as sorted JSON."""
    import yaml

    return sorted(json.dumps(_plain(yaml.safe_load(path.read_text(encoding="utf-8"))), sort_keys=True, default=str)
                  for path in sorted(directory.glob("*.yaml")) if path.name not in WORDING_DATA)


def fingerprint(code_files: Iterable[Path], parameters: list[str], law: list[str]) -> dict[str, str]:
    """The fingerprint's parts and the whole: the sorted hashes of the code, the parameter values, the law."""
    code = hashlib.sha256("\n".join(sorted(code_hash(f.read_text(encoding="utf-8")) for f in code_files))
                          .encode()).hexdigest()
    values = hashlib.sha256("\n".join(parameters).encode()).hexdigest()
    law_data = hashlib.sha256("\n".join(law).encode()).hexdigest()
    whole = hashlib.sha256(f"{code}|{values}|{law_data}".encode()).hexdigest()
    return {"code": code[:16], "parameters": values[:16], "law": law_data[:16], "fingerprint": whole[:16]}


def current() -> dict[str, str]:
    from flexcalc.law.lawdata import LAW_DIR
    from flexcalc.law.params import PARAMETER_DIR

    return fingerprint(rule_modules().values(), parameter_lines(PARAMETER_DIR), law_data_lines(LAW_DIR))


def changelog_versions(text: str) -> list[str]:
    return re.findall(r"^##\s+\[?([0-9][0-9A-Za-z.+-]*)\]?", text, flags=re.MULTILINE)


def check(lock: dict[str, Any], now: dict[str, str], rule_version: str, changelog: str) -> list[str]:
    """The problems, in words (empty: the check passes)."""
    problems = []
    if lock.get("rule_version") != rule_version:
        problems.append(f"RULE_VERSION is {rule_version} but the recorded fingerprint is for "
                        f"{lock.get('rule_version')}: run `python -m flexcalc.rule_fingerprint --update`")
    elif lock.get("fingerprint") != now["fingerprint"]:
        changed = [part for part in ("code", "parameters", "law") if lock.get(part) != now[part]]
        problems.append(f"results may change ({', '.join(changed)} changed) without a new RULE_VERSION: bump "
                        f"RULE_VERSION (flexcalc/version.py), add a '## <version>' entry to CHANGELOG.md, and run "
                        "`python -m flexcalc.rule_fingerprint --update`")
    if rule_version not in changelog_versions(changelog):
        problems.append(f"CHANGELOG.md has no '## {rule_version}' entry")
    return problems


def main(argv: list[str]) -> int:
    from flexcalc.version import RULE_VERSION

    now = current()
    lock = json.loads(LOCK.read_text(encoding="utf-8")) if LOCK.exists() else {}
    changelog = CHANGELOG.read_text(encoding="utf-8") if CHANGELOG.exists() else ""
    if "--update" in argv:
        if (lock.get("fingerprint") not in (None, now["fingerprint"]) and lock.get("rule_version") == RULE_VERSION
                and "--amend" not in argv):
            print(f"refused: the results changed but RULE_VERSION is still {RULE_VERSION}; bump it first",
                  file=sys.stderr)
            return 1
        if RULE_VERSION not in changelog_versions(changelog):
            print(f"refused: CHANGELOG.md has no '## {RULE_VERSION}' entry", file=sys.stderr)
            return 1
        LOCK.write_text(json.dumps({"rule_version": RULE_VERSION, **now}, indent=2) + "\n", encoding="utf-8")
        print(f"recorded {now['fingerprint']} for {RULE_VERSION}")
        return 0
    problems = check(lock, now, RULE_VERSION, changelog)
    for problem in problems:
        print(f"rule version check: {problem}", file=sys.stderr)
    if not problems:
        print(f"rule version check: {RULE_VERSION} ({now['fingerprint']}) ok")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
