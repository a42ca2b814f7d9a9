"""``POST /v1/register/eindkomst``: the income register's answer (eIndkomst), stored as wage reports.

Indkomstregistrets svar (IndkomstOplysningPersonHent_O) som XML: personerne findes ud fra CPR-nummeret
på de gemte sager; svaret er det samme resumé som ``flexcalc reports ingest --format eindkomst --json``.

For a caseworker's key (the register is read for the municipality; an employer key sends its own reports
to ``/v1/employer/wage-reports``). The body is the XML answer as the register gives it (Content-Type
``application/xml`` or ``text/xml``), bounded by ``FLEXCALC_MAX_BODY_BYTES`` (default 1 MiB, a few
thousand people); a national month belongs to the CLI, which streams a file of any size. One transaction:
a body that is not well-formed XML stores nothing (422 naming ``file`` and the line). Idempotency-Key
accepted. The answer never carries a CPR number.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from api.idempotency import IdempotentRoute, mark_applied
from api.security import AUTH_RESPONSES, CaseReaderDep, CaseworkerDep, audit_event
from flexcalc.errors import InputError

# Security: a caseworker's key only; audited with the ingest's rows: one write entry, and one per case written.
router = APIRouter(prefix="/v1/register", tags=["register"], route_class=IdempotentRoute, responses=AUTH_RESPONSES)

BODY = {"requestBody": {"required": True, "description": (
    "The income register's answer IndkomstOplysningPersonHent_O (SF0770_A) as XML; README, \"The income "
    "register (eIndkomst) in\". The request size limit applies (FLEXCALC_MAX_BODY_BYTES)."),
    "content": {"application/xml": {"schema": {"type": "string"}}}}}
MEDIA = ("application/xml", "text/xml")


class RegisterIngestOut(BaseModel):
    read: int = Field(description="Records (person, employer, pay period) read.")
    stored: int = Field(description="New wage reports stored.")
    unchanged: int = Field(description="Records stored already with the same figures (a re-read: nothing done).")
    corrections: int = Field(description="Records stored already with other figures: stored as corrections.")
    reversals: int = Field(description="Register reversals stored as reversals of the reports they name.")
    held: int = Field(description="Records the mapping could not place: held with the reason for the caseworker.")
    unknown_cpr: int = Field(description="Records of a CPR number with no case: counted, not stored.")
    held_reasons: dict[str, int] = Field(description="Held records by reason code.")


@router.post("/eindkomst", status_code=201, openapi_extra=BODY, response_model=RegisterIngestOut,
             responses={200: {"model": RegisterIngestOut, "description": "Nothing new was stored."}},
             summary="Ingest the income register's answer (eIndkomst) as wage reports")
async def ingest_eindkomst(request: Request, principal: CaseworkerDep) -> JSONResponse:
    """201 with the summary when a report was stored; 200 when nothing new was (a re-read)."""
    import io

    from starlette.concurrency import run_in_threadpool

    from api.ledger_common import LedgerSession, factory
    from flexcalc.ledger.register_import import RegisterIngestResult, ingest_register
    from flexcalc.security.audit import AuditEvent

    audit_event(request, AuditEvent(action="write", principal=principal))
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media not in MEDIA:
        raise InputError("body", "must be the register's XML answer (Content-Type: application/xml)",
                         "skal være registrets XML-svar (Content-Type: application/xml)", code="content_type")
    body = await request.body()

    def before_commit(session: LedgerSession, found: RegisterIngestResult) -> None:
        for case_id in sorted(found.touched):  # one audit row per case written, queryable by case
            audit_event(request, AuditEvent(action="write", case_id=case_id, principal=principal))
        mark_applied(request, session)

    result = await run_in_threadpool(ingest_register, factory(), lambda: io.BytesIO(body),
                                     before_commit=before_commit)
    data = result.to_dict()
    new = data["stored"] + data["corrections"] + data["reversals"]
    return JSONResponse(data, status_code=201 if new else 200)


class RegisterPartOut(BaseModel):
    key: str
    field_id: str = Field(description="The register's 18-digit field id.")
    felt: str | None = Field(description="The reporting field number employers know (felt 13 …), where established.")
    label_da: str
    amount: str
    use: str = Field(description="wage, pension_own, pension_employer, hours, info (not counted) or ignored.")


class RegisterReportOut(BaseModel):
    report_id: str
    employer_id: str
    kind: str
    register_id: str | None
    own_id: str | None
    reverses_own_id: str | None
    reversed_later: bool
    received_at: str
    parts: list[RegisterPartOut]
    ignored: list[RegisterPartOut]
    wage_income: str | None = Field(description="Felt 13 + 36 + 147 + 148; none for a reversal.")


class RegisterHeldOut(BaseModel):
    id: int
    case_id: str
    employer_id: str | None
    register_key: str | None
    payment_date: str | None
    code: str
    reason: str
    reason_da: str
    held_at: str


class CaseRegisterOut(BaseModel):
    case_id: str
    reports: list[RegisterReportOut]
    held: list[RegisterHeldOut]


@router.get("/cases/{case_id}", response_model=CaseRegisterOut,
            summary="A case's reports from the income register: the wage's parts with their fields; held records")
def case_register_reports(case_id: str, principal: CaseReaderDep) -> JSONResponse:
    """Each report made from the register with its identifiers and every part of the wage with the field
    it came from (the trace of the wage income), and the records held for the caseworker with the reason."""
    from api.ledger_common import ledger_session
    from flexcalc.ledger.register_import import held_records, register_parts
    from flexcalc.ledger.store import get_case

    with ledger_session() as session:
        get_case(session, case_id)
        return JSONResponse({"case_id": case_id, "reports": register_parts(session, case_id),
                             "held": held_records(session, case_id)})
