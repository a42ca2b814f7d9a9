"""A test-only app: the real app plus a small router that stands in for case endpoints, so the
security mechanisms are tested on their own (the ledger's own endpoints are tested where they live)."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request
from pydantic import BaseModel

from api.app import create_app
from api.idempotency import IdempotentRoute
from api.security import authorize_employer, current_principal, read_case, write_case
from flexcalc.security.keys import Principal

log = logging.getLogger("flexcalc.test.cases")

REPORTS: dict[str, list[dict[str, Any]]] = {}


class ReportIn(BaseModel):
    month: str
    wage: str


class CaseIn(BaseModel):
    case_id: str
    cpr: str


def make_router() -> APIRouter:
    router = APIRouter(prefix="/v1", route_class=IdempotentRoute)

    @router.post("/test-cases", status_code=201)
    def create_case(body: CaseIn, request: Request) -> dict[str, str]:
        # A careless line on purpose: the CPR redaction must catch it.
        log.info("created case %s for citizen %s", body.case_id, body.cpr)
        log.warning("lookup failed for cpr=%s (10-digit form %s)", body.cpr, body.cpr.replace("-", ""))
        return {"case_id": body.case_id}

    @router.get("/test-cases/{case_id}/summary")
    def read_summary(case_id: str, principal: Principal = Depends(read_case)) -> dict[str, Any]:
        return {"case_id": case_id, "subsidy": "15272.00", "reports": len(REPORTS.get(case_id, []))}

    @router.post("/test-cases/{case_id}/reports", status_code=201)
    def add_report(case_id: str, body: ReportIn, principal: Principal = Depends(write_case)) -> dict[str, Any]:
        REPORTS.setdefault(case_id, []).append(body.model_dump())
        return {"case_id": case_id, "number": len(REPORTS[case_id])}

    @router.get("/test-employers/{cvr}/cases/{case_id}/ceiling")
    def read_ceiling(cvr: str, case_id: str, request: Request) -> dict[str, str]:
        authorize_employer(request, current_principal(request), cvr, case_id=case_id)
        return {"ceiling": "32067.00"}

    @router.get("/test-boom")
    def boom() -> None:
        raise RuntimeError("database password=hunter2 failed for 010203-1234")

    return router


def make_app() -> FastAPI:
    app = create_app()
    app.include_router(make_router())
    return app
