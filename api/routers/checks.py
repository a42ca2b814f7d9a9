"""``POST /v1/checks``: check the municipality's calculation of the fleksløntilskud (no key needed; nothing is
stored). ``POST /v1/checks/request``: the draft complaint or request to reopen as text or PDF.

The rules live in ``flexcalc.check``; the body is the check file as JSON (the same fields as the YAML file
``flexcalc check`` reads). Anonymous requests are rate-limited like every route without a key."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, Response

from api.responses import CheckResponse
from api.strict_json import StrictJSONRoute
from flexcalc.check import CheckFile, check_calculation
from flexcalc.check.request import draft_request

router = APIRouter(prefix="/v1", tags=["checks"], route_class=StrictJSONRoute)


@router.post(
    "/checks",
    response_model=CheckResponse,
    responses={422: {"description": "Invalid input (problem+json naming the field, e.g. months.0.paid_subsidy)"}},
    summary="Check the municipality's calculation, month by month",
)
def create_check(check: CheckFile) -> JSONResponse:
    """Each month's right subsidy beside the paid one, the difference (right − paid) and its causes with their
    provisions, the total, and the draft request (a complaint within 4 weeks of receipt, else a request to
    reopen). Nothing is stored; no key is needed."""
    result = check_calculation(check)
    draft = draft_request(result)
    body = result.to_dict()
    body["request"] = {"kind": draft.kind, "deadline": None if draft.deadline is None else draft.deadline.isoformat(),
                       "title": draft.title, "text": draft.text}
    return JSONResponse(body)


@router.post(
    "/checks/request",
    responses={200: {"content": {"text/plain": {"schema": {"type": "string"}},
                                 "application/pdf": {"schema": {"type": "string", "format": "binary"}}}},
               422: {"description": "Invalid input (problem+json naming the field)"}},
    response_class=Response,
    summary="The draft complaint or request to reopen, as text or PDF",
)
def create_check_request(check: CheckFile,
                        format: Literal["text", "pdf"] = Query(default="text", description="The rendering."),
                        ) -> Response:
    """The draft the person may send, with the months, amounts, causes and the computations attached."""
    draft = draft_request(check_calculation(check))
    if format == "pdf":
        return Response(draft.pdf(), media_type="application/pdf",
                        headers={"Content-Disposition": 'attachment; filename="henvendelse.pdf"'})
    return Response(draft.text, media_type="text/plain; charset=utf-8")
