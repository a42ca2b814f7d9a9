"""``GET /ready`` (may this process take traffic?) and ``GET /metrics`` (Prometheus text format).

``/health`` says the process lives; ``/ready`` says it can serve: the database answers, it is at the
newest migration (the API never migrates: ``flexcalc db upgrade``), and the rates cover the coming
``FLEXCALC_READY_RATES_MONTHS`` months (default 3). Any failing check is 503 with every reason.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from flexcalc.law.params import coverage
from flexcalc.period import Month
from flexcalc.settings import settings

router = APIRouter(tags=["health"])


class ReadyCheckOut(BaseModel):
    ok: bool
    reason: str | None
    rates_to: str | None = None


class ReadyOut(BaseModel):
    """Whether this process can serve: each check with its reason when it fails (503 when any fails)."""

    status: str = Field(description="ready or not ready")
    checks: dict[str, ReadyCheckOut] = Field(description="database, migrations and rates")


def _checks(today: dt.date | None = None) -> dict[str, dict[str, Any]]:
    from flexcalc.ledger.db import schema_problem

    problem = schema_problem()
    unreachable = problem is not None and problem.startswith("database unreachable")
    _, last = coverage()
    current = Month.of(today or dt.date.today())
    left = (last.year - current.year) * 12 + (last.month - current.month)
    months = settings().ready_rates_months
    return {
        "database": {"ok": not unreachable, "reason": problem if unreachable else None},
        "migrations": {"ok": problem is None, "reason": None if problem is None or unreachable else problem},
        "rates": {"ok": left >= months, "rates_to": str(last),
                  "reason": None if left >= months else
                  f"the rates end {last}: fewer than {months} coming months are covered"},
    }


@router.get("/ready", response_model=ReadyOut,
            summary="Readiness: the database answers, is migrated, and the rates cover the coming months",
            responses={503: {"description": "Not ready; every failing check with its reason (the ReadyOut body)"}})
async def get_ready() -> JSONResponse:
    checks = await run_in_threadpool(_checks)
    ready = all(check["ok"] for check in checks.values())
    return JSONResponse({"status": "ready" if ready else "not ready", "checks": checks}, status_code=200 if ready
                        else 503)


def _held_months() -> int | None:
    """Benefit months held (wage unknown) and not paid since, in the configured database."""
    from api.ledger_common import ledger_session
    from api.middleware import SCHEMA
    from flexcalc.ledger.queries import held_unpaid_count

    if SCHEMA.problem() is not None:
        return None
    with ledger_session() as session:
        return held_unpaid_count(session)


@router.get("/metrics", summary="Prometheus metrics: requests by route and status, run durations, held months",
            response_class=Response, responses={200: {
                "description": "The Prometheus text exposition format",
                "content": {"text/plain; version=0.0.4; charset=utf-8": {"schema": {"type": "string"}}}}})
async def get_metrics() -> Response:
    from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest
    from prometheus_client.core import GaugeMetricFamily

    from api.middleware import metrics

    metrics()
    held = await run_in_threadpool(_held_months)
    body = generate_latest(REGISTRY)
    if held is not None:
        family = GaugeMetricFamily("flexcalc_held_months", "Benefit months held for an unknown wage, not yet paid",
                                   value=held)
        from prometheus_client.exposition import generate_latest as latest

        class _One:
            def collect(self) -> list[GaugeMetricFamily]:
                return [family]

        body += latest(_One())
    return Response(body, media_type=CONTENT_TYPE_LATEST)
