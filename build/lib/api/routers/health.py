"""``GET /health``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from flexcalc import RULE_VERSION
from flexcalc.params import coverage, rates_expiry

router = APIRouter(tags=["health"])


@router.get("/health", summary="Liveness, the rules version, the rates' coverage and a warning when they end soon")
def get_health() -> dict[str, Any]:
    first, last = coverage()
    expiry = rates_expiry()
    warning = None if expiry is None else {
        "code": "rates_end_soon", "last_month": str(expiry.last_month),
        "reason": expiry.message, "reason_da": expiry.message_da,
    }
    return {"status": "ok", "rule_version": RULE_VERSION, "rates_from": str(first), "rates_to": str(last),
            "rates_warning": warning}
