"""Every JSON answer of an API route, held against the route's declared response model.

``checking(app, failures)`` wraps an ASGI app: after a route of ``api/`` answers 2xx with
``application/json``, the body is read with the route's response model (``response_model``, or the
``model`` of its ``responses`` entry for that status) and written out again; it must give back exactly
the same JSON — no field the model does not declare, none of another type, nothing dropped. A mismatch
is added to ``FAILURES`` (``tests/conftest.py`` fails the test during which it was added).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from typing import Any

from fastapi.routing import APIRoute
from pydantic import TypeAdapter, ValidationError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

FAILURES: list[str] = []


@cache
def _adapter(model: Any) -> TypeAdapter[Any]:
    return TypeAdapter(model)


def model_of(route: APIRoute, status: int) -> Any:
    """The model a 2xx answer of ``route`` with ``status`` is declared with (None: none declared)."""
    declared = route.responses.get(status) or route.responses.get(str(status)) or {}
    if isinstance(declared, dict) and declared.get("model") is not None:
        return declared["model"]
    return route.response_model


def mismatch(model: Any, body: Any) -> str | None:
    """Why ``body`` is not exactly an instance of ``model`` as JSON (None: it is)."""
    adapter = _adapter(model)
    try:
        again = adapter.dump_python(adapter.validate_python(body), mode="json", exclude_unset=True, by_alias=True)
    except ValidationError as error:
        return str(error)
    if again != body:
        return f"the model gives back other JSON: {_first_difference(body, again)}"
    return None


def _first_difference(body: Any, again: Any, path: str = "$") -> str:
    if isinstance(body, dict) and isinstance(again, dict):
        for key in body.keys() | again.keys():
            if key not in again:
                return f"{path}.{key} is not declared"
            if key not in body:
                return f"{path}.{key} is added"
            if body[key] != again[key]:
                return _first_difference(body[key], again[key], f"{path}.{key}")
    if isinstance(body, list) and isinstance(again, list) and len(body) == len(again):
        for index, (a, b) in enumerate(zip(body, again, strict=True)):
            if a != b:
                return _first_difference(a, b, f"{path}[{index}]")
    return f"{path}: {body!r} became {again!r}"


def checking(app: ASGIApp, failures: list[str] = FAILURES) -> Callable[[Scope, Receive, Send], Any]:
    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        answer: dict[str, Any] = {"body": b""}

        async def watching_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                answer["status"] = message["status"]
                answer["type"] = dict(message.get("headers", [])).get(b"content-type", b"").decode()
            elif message["type"] == "http.response.body":
                answer["body"] += message.get("body", b"")
            await send(message)

        await app(scope, receive, watching_send)
        route = scope.get("route")
        status = answer.get("status", 0)
        if not (isinstance(route, APIRoute) and route.endpoint.__module__.startswith("api.")
                and 200 <= status < 300 and answer.get("type", "").startswith("application/json")):
            return
        model = model_of(route, status)
        if model is None:
            failures.append(f"{route.name}: answered {status} JSON without a declared response model")
            return
        problem = mismatch(model, json.loads(answer["body"]))
        if problem is not None:
            failures.append(f"{route.name} ({status}): {problem}")

    return wrapped
