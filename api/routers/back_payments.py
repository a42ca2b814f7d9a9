"""A back payment (efterbetaling) released at once by a caseworker. Thin: the rule is
``flexcalc.ledger.release``. ``If-Match``: the version of the correction's worklist item (a stale or missing
one stores nothing); audited with the write."""

from __future__ import annotations

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from api.idempotency import IdempotentRoute, mark_applied
from api.item_version import VERSION_RESPONSES, IfMatchDep, expected_version
from api.ledger_common import created, ledger_session
from api.security import AUTH_RESPONSES, CaseWriterDep
from flexcalc.security.redact import RedactedText

router = APIRouter(prefix="/v1/cases", tags=["cases"], route_class=IdempotentRoute, responses=AUTH_RESPONSES)


class BackPaymentRelease(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True,
                              json_schema_extra={"examples": [{"released_by": "sb-7"}]})

    released_by: RedactedText = Field(min_length=1, max_length=64, description="Who releases the back payment.")


class BackPaymentOut(BaseModel):
    """The efterbetaling line written: the month it concerns, the amount, when and by whom it was released."""

    id: int
    case_id: str
    kind: str
    amount: str
    concerns_month: str
    payment_month: str
    cause: str
    correction_id: int | None
    released_at: str | None
    released_by: str | None


@router.post("/{case_id}/corrections/{correction_id}/back-payment", response_model=BackPaymentOut, status_code=201,
             responses={**VERSION_RESPONSES, 409: {"description": "No back payment open for the month: nothing "
                                                                 "stored"}},
             summary="Pay a correction's open back payment (efterbetaling) now")
def release_back_payment(case_id: str, body: BackPaymentRelease, request: Request, principal: CaseWriterDep,
                         if_match: IfMatchDep,
                         correction_id: int = Path(ge=1, le=2**62, description="The correction's id.")) -> JSONResponse:
    from flexcalc.ledger.caserows import get_case, lock_case
    from flexcalc.ledger.item_version import check_version, correction_month
    from flexcalc.ledger.release import release_back_payment as release

    with ledger_session(write=True) as session:
        get_case(session, case_id)
        month = correction_month(session, case_id, correction_id)
        lock_case(session, case_id)
        check_version(session, case_id, month, expected_version(if_match))
        mark_applied(request, session)
        out = release(session, case_id, correction_id, body.released_by)
    return created(out)
