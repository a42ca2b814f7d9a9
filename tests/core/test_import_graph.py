"""No import cycle anywhere in ``flexcalc/``: the graph of the package's own imports,
built from the source with ``ast`` (top-level and function-level imports alike), sorts topologically."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "flexcalc"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def import_graph() -> dict[str, set[str]]:
    """Module → the flexcalc modules it imports. ``from a import b`` is an edge to ``a.b`` when that is a
    module, else to ``a`` (importing a submodule initialises its parents; that is Python, not a cycle)."""
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            graph[name] |= {t for t in targets if t in modules and t != name}
    return graph


def test_the_import_graph_is_built_from_the_package() -> None:
    graph = import_graph()
    assert "flexcalc.month.pipeline" in graph["flexcalc.month"]
    assert "flexcalc.rules.reduction" in graph["flexcalc.month.pipeline"]
    assert "flexcalc.month.steps" in graph["flexcalc.month.pipeline"]
    assert len(graph) > 50


def test_flexcalc_has_no_import_cycle() -> None:
    try:
        tuple(TopologicalSorter(import_graph()).static_order())
    except CycleError as error:
        raise AssertionError(f"import cycle: {' → '.join(error.args[1])}") from None


def test_a_cycle_would_be_found() -> None:
    """The check can fail: the same sort on a graph with a cycle raises."""
    try:
        tuple(TopologicalSorter({"a": {"b"}, "b": {"a"}}).static_order())
    except CycleError:
        return
    raise AssertionError("a cycle was not found")
