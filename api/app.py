"""The FastAPI application: ``uvicorn api.app:app``. OpenAPI docs at ``/docs``."""

from __future__ import annotations

from fastapi import FastAPI

from api import problem
from api.routers import all_routers
from api.security import SecurityMiddleware, document_problems
from flexcalc import RULE_VERSION
from flexcalc.security.redact import install_cpr_redaction


def create_app() -> FastAPI:
    install_cpr_redaction()
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

    app.add_middleware(SecurityMiddleware)  # size limit, API keys, audit log (api/security.py)
    document_problems(app)  # 401/413/422/500 problem+json in the OpenAPI document
    return app


app = create_app()
