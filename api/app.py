"""The FastAPI application: ``uvicorn api.app:app``. OpenAPI docs at ``/docs``."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import problem
from api.routers import all_routers
from flexcalc import RULE_VERSION


def create_app() -> FastAPI:
    app = FastAPI(
        title="flexcalc",
        version=RULE_VERSION,
        description=(
            "An open, exact engine for the Danish fleksløntilskud (LAB § 123). Amounts are strings in "
            "kroner with two decimals; errors are application/problem+json naming the field."
        ),
    )
    problem.install(app)
    for router in all_routers():
        app.include_router(router)

    app.add_middleware(RuleVersionHeader)
    return app


class RuleVersionHeader:
    """Adds ``X-Flexcalc-Rule-Version`` to every response (a plain ASGI middleware: no per-request task)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_header(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-flexcalc-rule-version", _VERSION)]
            await send(message)

        await self.app(scope, receive, send_with_header)


_VERSION = RULE_VERSION.encode()


app = create_app()
