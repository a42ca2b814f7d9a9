"""``GET /health``."""

from __future__ import annotations

from fastapi import APIRouter

from flexcalc import RULE_VERSION
from flexcalc.params import coverage

router = APIRouter(tags=["health"])


@router.get("/health", summary="Liveness and the rules version")
def health() -> dict[str, str]:
    first, last = coverage()
    return {"status": "ok", "rule_version": RULE_VERSION, "rates_from": str(first), "rates_to": str(last)}
