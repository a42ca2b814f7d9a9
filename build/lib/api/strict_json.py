"""Strict JSON bodies: numbers become ``Decimal`` (never float), NaN/Infinity and duplicate keys
are refused. Used as the route class of every router that takes a JSON body."""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from decimal import Decimal
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute


def _constant(name: str) -> Decimal:
    """NaN, Infinity, -Infinity become Decimal values that the amount validator then refuses,
    naming the field."""
    return Decimal(name.replace("Infinity", "Inf"))


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise json.JSONDecodeError(f"the key '{key}' appears twice", "", 0)
        result[key] = value
    return result


def loads_strict(body: bytes) -> Any:
    if isinstance(body, bytes):
        try:
            body = body.decode("utf-8")  # type: ignore[assignment]
        except UnicodeDecodeError as error:
            raise json.JSONDecodeError("the body is not UTF-8 text", "", error.start) from None
    return json.loads(body, parse_float=Decimal, parse_constant=_constant, object_pairs_hook=_no_duplicates)


class StrictJSONRequest(Request):
    """Parses the body strictly; a JSONDecodeError becomes FastAPI's 422 ``json_invalid``."""

    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = loads_strict(await self.body())
        return self._json


class StrictJSONRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def strict_handler(request: Request) -> Response:
            return await handler(StrictJSONRequest(request.scope, request.receive))

        return strict_handler
