"""The FastAPI application: ``uvicorn api.app:app``. OpenAPI docs at ``/docs``."""

from __future__ import annotations

from fastapi import FastAPI

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

    @app.middleware("http")
    async def rule_version_header(request, call_next):  # type: ignore[no-untyped-def]
        response = await call_next(request)
        response.headers["X-Flexcalc-Rule-Version"] = RULE_VERSION
        return response

    return app


app = create_app()
