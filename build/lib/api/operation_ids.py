"""Short, stable OpenAPI ``operationId``s: the route function's own name (``create_calculation``,
``run_payments``, ``list_cases`` …), set in one place for every route (``FastAPI(
generate_unique_id_function=operation_id)``), so endpoints added later get a good id without doing
anything. FastAPI's default (``create_bonus_spread_v1_calculations_bonus_spread_post``) makes generated
clients hard to read. ``check_unique`` refuses an OpenAPI document where two routes share a function name (name the
function after what it does, e.g. ``list_case_held_months`` beside ``list_held_months``).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from fastapi.routing import APIRoute

SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


def operation_id(route: APIRoute) -> str:
    """The operation's id: the name of the route's function (``route.name``)."""
    return route.name


def check_unique(schema: dict[str, Any]) -> None:
    """Raise ``RuntimeError`` if two operations of the OpenAPI document share an id, or an id is not
    snake_case (called where the document is built, ``api.security.document_problems``)."""
    names = Counter(operation["operationId"] for item in schema.get("paths", {}).values()
                    for operation in item.values() if isinstance(operation, dict) and "operationId" in operation)
    twice = sorted(name for name, count in names.items() if count > 1)
    if twice:
        raise RuntimeError(f"operationIds used twice (rename the route functions): {', '.join(twice)}")
    bad = sorted(name for name in names if not SNAKE_CASE.match(name))
    if bad:
        raise RuntimeError(f"operationIds not in snake_case: {', '.join(bad)}")
