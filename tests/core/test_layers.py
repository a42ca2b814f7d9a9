"""The layer contracts of the house (docs/architecture.md), checked on the source with ``ast``.

Every import is read — top-level and inside functions alike — from ``flexcalc/``, ``api/`` and
``explainer/``. A contract names a layer (modules by prefix), what it may not reach, and whether the
reach counts through other flexcalc modules (``transitive``) or only the layer's own import lines:

- the rules and the month know no storage, HTTP or CLI — not even through a module they import;
- the ledger knows no CLI;
- the explainer reaches stored data only through the API: no ``flexcalc.ledger``, no ``flexcalc.security``;
- letters, finance and management information (``flexcalc.insight``) read the ledger through its read model
  (``flexcalc.ledger.read``), not its ORM tables (``flexcalc.ledger.models``).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STORAGE_HTTP_CLI = ("flexcalc.ledger", "flexcalc.security", "flexcalc.letters", "flexcalc.finance", "flexcalc.cli",
                    "flexcalc.batch", "api", "explainer", "sqlalchemy", "alembic", "psycopg", "fastapi",
                    "starlette", "httpx", "uvicorn", "typer", "click", "rich", "streamlit")
CLI = ("flexcalc.cli", "typer", "click", "rich")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, name: str) -> set[str]:
    """Every module name ``path`` imports (``from a import b`` gives ``a`` and ``a.b``)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found |= {base} | {f"{base}.{alias.name}" for alias in node.names}
    return found


@cache
def source_graph() -> dict[str, set[str]]:
    """Module → the names it imports, for every module of flexcalc/, api/ and explainer/ (migrations aside)."""
    graph: dict[str, set[str]] = {}
    for folder in ("flexcalc", "api", "explainer"):
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" not in path.parts:
                name = module_name(path)
                graph[name] = imports_of(path, name)
    return graph


def matching(name: str, prefixes: tuple[str, ...]) -> str | None:
    """The prefix of ``prefixes`` that ``name`` is or lies under, if any."""
    return next((p for p in prefixes if name == p or name.startswith(p + ".")), None)


def within(name: str, prefixes: tuple[str, ...]) -> bool:
    return matching(name, prefixes) is not None


@dataclass(frozen=True)
class Contract:
    name: str
    layer: tuple[str, ...]
    forbidden: tuple[str, ...]
    transitive: bool = False

    def breaches(self, graph: dict[str, set[str]]) -> list[str]:
        """``module → … → forbidden name`` for every way the layer reaches what it may not."""
        found: list[str] = []
        for start in sorted(m for m in graph if within(m, self.layer)):
            path_to = {start: [start]}
            todo = [start]
            while todo:
                module = todo.pop()
                for target in sorted(graph[module]):
                    hit = matching(target, self.forbidden)
                    if hit is not None:
                        breach = " → ".join([*path_to[module], hit])
                        if breach not in found:
                            found.append(breach)
                    elif self.transitive and target in graph and target not in path_to:
                        path_to[target] = [*path_to[module], target]
                        todo.append(target)
        return found


CONTRACTS = (
    Contract("the rules and the month know no storage, HTTP or CLI", ("flexcalc.rules", "flexcalc.month"),
             STORAGE_HTTP_CLI, transitive=True),
    Contract("the law as data knows no storage, HTTP or CLI", ("flexcalc.law",), STORAGE_HTTP_CLI, transitive=True),
    Contract("the ledger knows no CLI", ("flexcalc.ledger",), CLI, transitive=True),
    Contract("the explainer imports no ledger or security", ("explainer",), ("flexcalc.ledger", "flexcalc.security")),
    Contract("finance reads the ledger through its read model", ("flexcalc.finance",), ("flexcalc.ledger.models",)),
    Contract("letters read the ledger through its read model", ("flexcalc.letters",), ("flexcalc.ledger.models",)),
    Contract("management information reads the ledger through its read model", ("flexcalc.insight",),
             ("flexcalc.ledger.models", "flexcalc.ledger.claim_models", "flexcalc.ledger.hearings",
              "flexcalc.ledger.oversight.Complaint", "sqlalchemy.select", "flexcalc.cli", "api")),
    Contract("the self-employed rules know no storage, HTTP or CLI", ("flexcalc.self_employed",), STORAGE_HTTP_CLI,
             transitive=True),
)

ALLOWED = {
    # The letters' own tables join the ledger's append-only guard, column types and Base (they are ledger
    # tables owned by the letters package, not a read of the ledger's rows).
    "flexcalc.letters.models → flexcalc.ledger.models",
}


@pytest.mark.parametrize("contract", CONTRACTS, ids=lambda c: c.name)
def test_layer_contract(contract: Contract) -> None:
    breaches = [b for b in contract.breaches(source_graph()) if b not in ALLOWED]
    assert breaches == [], f"{contract.name}:\n" + "\n".join(breaches)


def test_every_allowed_exception_is_still_needed() -> None:
    """An exception that no longer happens is taken off the list (the list only shrinks)."""
    graph = source_graph()
    happening = {b for contract in CONTRACTS for b in contract.breaches(graph)}
    assert sorted(ALLOWED - happening) == []


def test_a_breach_would_be_found() -> None:
    """The check can fail: a rule that imports a module that imports SQLAlchemy is reported with its path."""
    graph = {"flexcalc.rules.x": {"flexcalc.helper"}, "flexcalc.helper": {"sqlalchemy.orm"}}
    contract = Contract("test", ("flexcalc.rules",), STORAGE_HTTP_CLI, transitive=True)
    assert contract.breaches(graph) == ["flexcalc.rules.x → flexcalc.helper → sqlalchemy"]
    assert Contract("direct only", ("flexcalc.rules",), STORAGE_HTTP_CLI).breaches(graph) == []


def test_the_graph_is_read_from_the_source() -> None:
    graph = source_graph()
    assert "flexcalc.rules.reduction" in graph["flexcalc.month.pipeline"]
    assert "flexcalc.ledger.read.paid_months" in graph["flexcalc.finance.report"]
    assert any(name.startswith("explainer.pages") for name in graph)
