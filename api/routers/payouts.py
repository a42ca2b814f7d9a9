"""Tax cards and the month's payouts after A-skat (finance role only): import tax cards, and read the payouts of
a payment run (case id, gross, A-skat, net and totals that reconcile with the run). No CPR number is ever
answered (SECURITY.md): the NemKonto payment file and the income report, which must carry the CPR numbers, are
written by the command line to a file the operator names (``flexcalc payout-file``, ``flexcalc income-report``).
Every call is audited. Nothing is sent anywhere by flexcalc.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from api.security import AUTH_RESPONSES, audit_event, require_role
from api.strict_json import StrictJSONRoute
from flexcalc.period import Month
from flexcalc.security.audit import AuditEvent
from flexcalc.security.keys import Principal

router = APIRouter(prefix="/v1/finance", tags=["finance"], route_class=StrictJSONRoute, responses=AUTH_RESPONSES)
FinanceOnlyDep = Annotated[Principal, Depends(require_role("finance"))]
MonthPath = Path(description="The paid benefit month, YYYY-MM (after its payment run).", examples=["2024-03"])
PaymentDate = Query(None, description="The payment date, YYYY-MM-DD (default: the month's last weekday).")


class TaxCardImport(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    tax_cards_csv: str = Field(min_length=1, max_length=5_000_000, description="CSV: case_id, card (hovedkort, "
                               "bikort, frikort), withholding_rate (%), monthly_deduction, valid_from, free_amount.")
    source: str = Field("api import", min_length=1, max_length=200, description="Where the cards come from.")
    recorded_by: str = Field(min_length=1, max_length=64, description="Who imports them.")


class TaxCardImportOut(BaseModel):
    stored: int = Field(description="Tax cards stored (each a new dated row).")


class PayoutRowOut(BaseModel):
    case_id: str
    gross: str = Field(description="A-income: the subsidy less the own ATP (the run's payout), kr.")
    a_skat: str = Field(description="A-skat withheld by the tax card in force on the payment date, whole kr.")
    net: str = Field(description="Paid to the person's NemKonto, kr.")


class BackPaymentRowOut(PayoutRowOut):
    concerns_month: str = Field(description="The benefit month the back payment (efterbetaling) concerns.")


class EmployerRowOut(BaseModel):
    case_id: str
    payee: str = Field(description="The payee kind: employer (the old scheme's subsidy, LAB § 133, stk. 2).")
    cvr: str = Field(description="The employer's CVR number: NemKonto is found by it.")
    sequence: int = Field(description="The settlement of the period: 1 the payment, above 1 a later correction.")
    gross: str
    a_skat: str = Field(description="Always 0.00: the subsidy is the employer's, not the person's income.")
    net: str


class PayoutsOut(BaseModel):
    benefit_month: str
    payment_date: str
    rows: list[PayoutRowOut]
    back_payment_rows: list[BackPaymentRowOut] = Field(
        default_factory=list, description="Back payments paid in the month's run, A-skat withheld now.")
    employer_rows: list[EmployerRowOut] = Field(
        default_factory=list, description="The old scheme's transfers to employers for the period.")
    totals: dict[str, str | int] = Field(description="count, gross, a_skat, net and the run's own totals.")


def _payouts(month: str, payment_date: str | None) -> Any:
    from api.ledger_common import ledger_session
    from flexcalc.ledger.payouts import month_payouts
    from flexcalc.parsing.inputs import parse_date

    benefit = Month.parse(month, "month")
    day = parse_date(payment_date, "payment_date") if payment_date else None
    with ledger_session() as session:
        return month_payouts(session, benefit, day)


@router.post("/tax-cards", response_model=TaxCardImportOut, status_code=201,
             summary="Import tax cards (skattekort): dated, append-only; a bad row refuses the file (finance role)")
def import_tax_cards(body: TaxCardImport, request: Request, principal: FinanceOnlyDep) -> JSONResponse:
    from api.ledger_common import import_write
    from flexcalc.ledger.tax_cards import import_tax_cards as run_import

    stored = import_write(request, principal, body.source, body.recorded_by,
                          lambda session: run_import(session, body.tax_cards_csv, body.source, body.recorded_by))
    return JSONResponse({"stored": stored}, status_code=201)


@router.get("/payouts/{month}", response_model=PayoutsOut,
            summary="The month's payouts after A-skat: case id, gross, A-skat, net and totals (no CPR number)")
def list_payouts(request: Request, principal: FinanceOnlyDep, month: str = MonthPath,
                 payment_date: str | None = PaymentDate) -> JSONResponse:
    audit_event(request, AuditEvent(action="read", principal=principal))
    return JSONResponse(_payouts(month, payment_date).to_dict())
