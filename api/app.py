"""The FastAPI application: ``uvicorn api.app:app``. OpenAPI docs at ``/docs``."""

from __future__ import annotations

from fastapi import FastAPI

from api import docs, item_version, middleware, problem
from api.operation_ids import operation_id
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
        generate_unique_id_function=operation_id,  # operationId = the route function's name (api/operation_ids.py)
        docs_url=None, redoc_url=None,  # served with local assets (api/docs.py): no CDN
    )
    docs.install(app)
    problem.install(app)
    item_version.install(app)  # 412/428 on a write with a stale or missing If-Match
    for router in all_routers():
        app.include_router(router)

    # size limit, API keys, audit log and the X-Flexcalc-Rule-Version header (api/security.py; a pure
    # ASGI middleware: the former @app.middleware("http") cost a task group per request)
    app.add_middleware(SecurityMiddleware)
    # request id + JSON logs + metrics, rate limits, readiness gate (api/middleware.py), outside the above
    middleware.install(app)
    document_problems(app)  # 401/413/422/500 problem+json in the OpenAPI document
    return app


app = create_app()
