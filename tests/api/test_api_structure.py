"""The API's structure holds: every operation declares a typed response, routers call services instead of
SQLAlchemy, errors become HTTP statuses by their class in one place, roles come in as dependency aliases."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import create_app
from api.problem import STATUS, install, status_of
from api.responses import CaseSummaryOut, CorrectionOut
from flexcalc.errors import (
    AppendOnlyError,
    ConflictError,
    FlexcalcError,
    ForbiddenError,
    InputError,
    InvalidInputError,
    InvariantError,
    LeaseLost,
    NotFoundError,
    PreconditionFailedError,
    PreconditionRequiredError,
    RateLimitedError,
    UnauthorizedError,
)
from tests.support.response_check import mismatch

API = Path(__file__).resolve().parents[2] / "api"
METHODS = {"get", "post", "put", "patch", "delete"}
#: The db session wiring: the only modules of api/ that may import SQLAlchemy.
SESSION_WIRING = {"ledger_common.py", "security.py", "idempotency.py"}


def _resolve(schema: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if isinstance(ref, str):
        name = ref.rsplit("/", 1)[1]
        resolved: dict[str, Any] = document["components"]["schemas"][name]
        return resolved
    return schema


def _typed(schema: dict[str, Any], document: dict[str, Any]) -> bool:
    """A schema a client can type: a model with properties, or an array of such models."""
    schema = _resolve(schema, document)
    if schema.get("type") == "array":
        return _typed(schema.get("items") or {}, document)
    return schema.get("type") == "object" and bool(schema.get("properties"))


def test_every_operation_declares_a_typed_2xx_response() -> None:
    document = create_app().openapi()
    untyped = []
    count = 0
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            count += 1
            answers = [response for code, response in operation["responses"].items() if code.startswith("2")]
            if answers and all((r.get("content") or {}) and "application/json" not in r["content"] for r in answers):
                continue  # a declared non-JSON answer (the Prometheus text of /metrics) is typed by its media type
            json_schemas = [(response.get("content") or {}).get("application/json", {}).get("schema") or {}
                            for response in answers]
            if not answers or not all(_typed(schema, document) for schema in json_schemas):
                untyped.append(f"{method.upper()} {path} ({operation['operationId']})")
    assert count >= 48
    assert untyped == []


def test_a_model_whose_schema_is_untyped_is_found() -> None:
    """The walk above is not vacuous: a route answering an untyped dict fails it."""
    app = FastAPI()

    @app.get("/loose")
    def loose() -> dict[str, Any]:
        return {}

    document = app.openapi()
    schema = document["paths"]["/loose"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert not _typed(schema, document)


def _imports(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


def test_api_imports_sqlalchemy_only_in_the_session_wiring() -> None:
    offenders = [f"{path.relative_to(API.parent)}: {name}" for path in sorted(API.rglob("*.py"))
                 if path.name not in SESSION_WIRING or path.parent != API
                 for name in _imports(path) if name.split(".")[0] == "sqlalchemy"]
    assert offenders == []
    # and the wiring itself is where the ledger's session comes from
    assert "sqlalchemy.orm" in _imports(API / "ledger_common.py")


def test_routers_import_no_orm_tables() -> None:
    offenders = [f"{path.name}: {name}" for path in sorted((API / "routers").glob("*.py"))
                 for name in _imports(path) if name.endswith(".models") and name.startswith("flexcalc.")]
    assert offenders == []


def test_routers_query_no_session_themselves() -> None:
    """A router hands its session to a service or the read model; it never asks the session itself."""
    asking = {"get", "execute", "scalar", "scalars", "query", "add", "add_all", "delete", "merge"}
    offenders = [f"{path.name}:{node.lineno}" for path in sorted((API / "routers").glob("*.py"))
                 for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                 if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in asking
                 and isinstance(node.func.value, ast.Name) and node.func.value.id == "session"]
    assert offenders == []


def test_no_route_chooses_a_status_by_an_error_code() -> None:
    """Statuses come from the error's class (api.problem.STATUS); nothing compares ``error.code``."""
    offenders = []
    for path in sorted(API.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Compare) and any(
                    isinstance(side, ast.Attribute) and side.attr == "code" for side in [node.left, *node.comparators]):
                offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == []


def test_no_principal_typed_any() -> None:
    """Roles come in as dependency aliases (``CaseworkerDep``…), never ``principal: Any = Depends(...)``."""
    offenders = []
    for path in sorted(API.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for arg in [*node.args.args, *node.args.kwonlyargs]:
                    if arg.arg == "principal" and (arg.annotation is None or ast.unparse(arg.annotation) == "Any"):
                        offenders.append(f"{path.name}:{node.name}")
    assert offenders == []


@pytest.mark.parametrize(("error", "status"), [
    (InputError("wage", "must not be negative", "må ikke være negativ"), 422),
    (InvalidInputError("wage", "x", "x"), 422),
    (NotFoundError("case", "there is no case 'K-9'", "der er ingen sag 'K-9'", code="unknown_case"), 404),
    (ConflictError("month", "2024-03 is paid already", "2024-03 er allerede udbetalt", code="already_paid"), 409),
    (LeaseLost("key-1"), 409),
    (UnauthorizedError("needs a key"), 401),
    (ForbiddenError("the role 'citizen' may not do this"), 403),
    (PreconditionFailedError("If-Match names another version"), 412),
    (PreconditionRequiredError("send If-Match"), 428),
    (RateLimitedError("slow down", retry_after=7), 429),
    (InvariantError("a rate is missing"), 500),
    (AppendOnlyError("Payment records are append-only"), 500),
])
def test_each_error_class_answers_its_status(error: FlexcalcError, status: int) -> None:
    assert status_of(error) == status
    app = FastAPI()
    install(app)

    @app.get("/boom")
    def boom() -> None:
        raise error

    answer = TestClient(app, raise_server_exceptions=False).get("/boom")
    assert answer.status_code == status
    assert answer.headers["content-type"] == "application/problem+json"
    body = answer.json()
    assert body["status"] == status and body["title"] and body["detail"]
    if status == 409 and isinstance(error, ConflictError):
        assert body == {"type": "/problems/conflict", "title": "Conflict", "status": 409,
                        "detail": "month: 2024-03 is paid already", "detail_da": "month: 2024-03 er allerede udbetalt",
                        "errors": [{"field": "month", "code": "already_paid", "reason": "2024-03 is paid already",
                                    "reason_da": "2024-03 er allerede udbetalt"}]}
    if status == 404:
        assert body == {"type": "about:blank", "title": "Not found", "status": 404,
                        "detail": "there is no case 'K-9'"}
    if status == 422:
        assert body["errors"][0]["field"] == "wage" and body["detail_da"].startswith("wage: ")
    if status == 500:
        assert "missing" not in body["detail"] and "append-only" not in body["detail"]  # no internals
    if status == 429:
        assert answer.headers["retry-after"] == "7"


def test_every_error_of_the_hierarchy_is_a_flexcalc_error_with_a_status() -> None:
    for kind in STATUS:
        assert issubclass(kind, FlexcalcError)
    for kind in (AppendOnlyError, LeaseLost, NotFoundError, ConflictError):
        assert issubclass(kind, FlexcalcError)
    # not-found and conflict are bad input too: code that catches InputError (the CLI) still catches them
    assert issubclass(NotFoundError, InputError) and issubclass(ConflictError, InputError)


def test_an_unknown_case_is_404_and_a_conflict_409_through_the_real_app(sqlite_url: str,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from flexcalc.ledger.db import session_factory, upgrade
    from flexcalc.security.keys import create_key

    monkeypatch.setenv("FLEXCALC_DATABASE_URL", sqlite_url)
    upgrade(sqlite_url)
    with session_factory(sqlite_url).begin() as session:
        _, secret = create_key(session, "caseworker")
    client = TestClient(create_app(), headers={"Authorization": f"Bearer {secret}"})
    case = {"case_id": "S-1", "ceiling": "32067", "first_month": "2024-03", "employers": ["11111111"]}
    assert client.post("/v1/cases", json=case).status_code == 201
    again = client.post("/v1/cases", json=case)
    assert again.status_code == 409 and again.json()["errors"][0]["code"] == "case_exists"
    assert again.json()["detail_da"] == "case: sagen 'S-1' findes allerede"
    missing = client.get("/v1/cases/S-2")
    assert missing.status_code == 404 and missing.json()["detail"] == "there is no case 'S-2'"
    unknown_key = client.post("/v1/keys/k000000000000/revoke")
    assert unknown_key.status_code == 403  # a caseworker is no admin: refused before the key is looked up
    listed = client.get("/v1/cases")
    assert listed.json() == [{"case_id": "S-1", "first_month": "2024-03", "last_month": None,
                              "cpr_registered": False}]


def test_the_response_check_refuses_a_body_its_model_does_not_declare_exactly() -> None:
    row = {"case_id": "K-1", "first_month": "2024-03", "last_month": None, "cpr_registered": False}
    assert mismatch(list[CaseSummaryOut], [row]) is None
    assert "not declared" in (mismatch(list[CaseSummaryOut], [{**row, "cpr": "0101901234"}]) or "")
    assert mismatch(CaseSummaryOut, {**row, "first_month": 202403}) is not None  # a number is not a month string
    assert mismatch(CaseSummaryOut, {"case_id": "K-1"}) is not None  # required fields missing
    assert mismatch(CorrectionOut, {}) is not None
