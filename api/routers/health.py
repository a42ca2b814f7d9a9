"""``GET /health``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api.responses import HealthOut
from flexcalc import RULE_VERSION
from flexcalc.law.params import assumed_months, assumed_months_da, assumed_months_en, coverage, rates_expiry

router = APIRouter(tags=["health"])


@router.get("/health", response_model=HealthOut,
            summary="Liveness, the rules version, the rates' coverage, a warning when they end soon, "
            "and the coming months whose rates are assumed")
def get_health() -> dict[str, Any]:
    first, last = coverage()
    expiry = rates_expiry()
    warning = None if expiry is None else {
        "code": "rates_end_soon", "last_month": str(expiry.last_month),
        "reason": expiry.message, "reason_da": expiry.message_da,
    }
    from flexcalc.law.provisions import law_warning

    law = law_warning(last)  # the table covers months whose citations are not confirmed
    assumed = assumed_months()
    assumed_warning = None if not assumed else {
        "code": "rates_assumed", "months": [str(m) for m in assumed],
        "reason": assumed_months_en(assumed), "reason_da": assumed_months_da(assumed),
    }
    return {"status": "ok", "rule_version": RULE_VERSION, "rates_from": str(first), "rates_to": str(last),
            "rates_warning": warning, "assumed_months": [str(m) for m in assumed],
            "assumed_rates_warning": assumed_warning, "law_warning": None if law is None else law.to_dict()}
