"""Response models of the ledger, workbench, letters, finance, reform and calculation endpoints.

The answers are built by the core's ``to_dict``/``case_file``/… and sent as they are (amounts are
strings in kroner with two decimals, never numbers); these models declare their shape in the OpenAPI
document, so a generated client gets typed models. A field that is left out of some answers has a
default (``None``); a nested part whose keys depend on the data (a computation's trace, a letter's
facts, a worklist item's details) is an object of its own. ``tests/api/test_response_models.py`` and
the check in ``tests/conftest.py`` hold every JSON answer of the test suite against its model: the model
must read the answer and give back exactly the same JSON.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

# --- the ledger: cases, months, reports, corrections -------------------------------------------------


class EmploymentOut(BaseModel):
    employer_id: str
    first_basis_month: str
    last_basis_month: str | None


class CeilingOut(BaseModel):
    effective_month: str
    amount: str


class ReportOut(BaseModel):
    """A wage report as stored (amounts as strings; ``received_at`` the instant it was received)."""

    report_id: str
    case_id: str
    employer_id: str
    payment_date: str | None
    basis_month: str | None
    period_start: str | None
    period_end: str | None
    wage: str | None
    pension_own: str | None
    pension_employer: str | None
    hours: str | None
    received_at: str | None
    kind: str | None
    corrects: str | None
    stated_received_at: str | None = None
    possible_duplicate: bool | None = None


class DecisionOut(BaseModel):
    outcome: str
    reason: str
    decided_by: str
    decided_at: str
    knowledge: str | None
    reply_summary: str | None = Field(default=None, description="What the person replied, as the decision "
                                                                 "letter states it.")
    reply_weighing: str | None = Field(default=None, description="How the reply was weighed, for the letter.")
    internal_note: str | None = Field(default=None, description="The caseworker's internal note (never in a "
                                                                 "letter).")


class CorrectionOut(BaseModel):
    """A correction (efterregulering) with its causes, in English and Danish, and its decision."""

    id: int
    case_id: str
    benefit_month: str
    sequence: int
    previous_subsidy: str
    due_subsidy: str
    difference: str
    previous_payout: str
    due_payout: str
    basis_wage: str
    ceiling: str
    caused_by: list[str]
    reasons: list[str]
    reason_text: str
    month: str
    paid: str
    now_due: str
    reason: str
    reason_text_da: str
    event_cause_da: str | None
    explanation_da: str
    explanation_en: str
    legal_basis: str
    earliest_affected_month: str
    status: str
    track: str = Field(description="regulation (settled in the next payments, no hearing) or repayment_review "
                                   "(hearing, assessment, decision).")
    track_text: str
    track_text_da: str
    rule_version: str
    as_of: str
    previous_rule_version: str | None
    event_registration: int | None
    decision: DecisionOut | None


class PaymentOut(BaseModel):
    kind: str
    subsidy: str
    payout: str
    basis_wage: str
    ceiling: str
    as_of: str
    rule_version: str
    reason: str | None = None
    event_registration: int | None = None
    documentation: str | None = None
    released_by: str | None = None


class HoldOut(BaseModel):
    reason: str | None = None
    reason_da: str
    missing_employers: list[str]
    as_of: str | None = None


class CaseMonthOut(BaseModel):
    """One benefit month of a case: basis wage, what is due, what was paid and its corrections. A month
    that cannot be computed carries ``error`` (and no ``reason``); a held month ``held``."""

    benefit_month: str
    basis_month: str
    basis_wage: str | None
    ceiling: str | None
    reason: str | None = None
    event_registration: int | None = None
    error: str | None = None
    missing_employers: list[str]
    due: str | None
    due_payout: str | None
    report_ids: list[str]
    paid: str | None
    payment: PaymentOut | None
    corrections_total: str
    settled: str | None
    corrections: list[CorrectionOut]
    status: str
    held: HoldOut | None = None


class CaseOut(BaseModel):
    """A case as the caseworker sees it; never its CPR number (``cpr_registered`` says whether one is)."""

    case_id: str
    first_month: str
    last_month: str | None
    cpr_registered: bool
    employments: list[EmploymentOut]
    ceilings: list[CeilingOut]
    current_ceiling: str | None
    reports: list[ReportOut]
    months: list[CaseMonthOut]


class CaseSummaryOut(BaseModel):
    case_id: str
    first_month: str
    last_month: str | None
    cpr_registered: bool


class CeilingAddedOut(BaseModel):
    case_id: str
    amount: str
    effective_month: str


class FormCeilingAddedOut(BaseModel):
    case_id: str
    ceiling: str
    effective_date: str
    first_month: str
    note: str | None
    corrections: list[CorrectionOut] = Field(description="The corrections the new ceiling caused in paid months.")


class EmploymentAddedOut(BaseModel):
    case_id: str
    employer_id: str
    first_basis_month: str


class HeldMonthOut(BaseModel):
    case_id: str
    benefit_month: str
    missing_employers: list[str]
    reason_da: str
    reason: str
    held_as_of: str


class ProvisionalPaymentOut(BaseModel):
    case_id: str
    benefit_month: str
    basis_wage: str
    subsidy: str
    payout: str
    kind: str
    documentation: str
    released_by: str
    reason_code: str | None = None
    reason: str | None = None
    reason_da: str | None = None


class DecisionRecordedOut(DecisionOut):
    correction_id: int


class EventsRegistrationOut(BaseModel):
    """A registration of a benefit month's events (the same ``events`` object as the calculation takes)."""

    id: int | None
    benefit_month: str
    events: dict[str, Any]
    received_at: str
    registered_by: str
    document: str | None
    description_da: str
    already_registered: bool | None = None
    status: str | None = None
    in_force: bool | None = None


class MonthReportOut(ReportOut):
    known: bool | None = None


class MonthEventsOut(EventsRegistrationOut):
    known: bool | None = None
    received_da: str | None = None


class MonthCeilingOut(CeilingOut):
    known_at: str | None = None
    known: bool | None = None


class ComputationOut(BaseModel):
    basis_wage: str | None = None
    fleksjob_wage: str | None = None
    other_wage: str | None = None
    ceiling: str | None = None
    missing_employers: list[str] = Field(default_factory=list)
    reason: str | None = None
    reason_da: str | None = None
    result: dict[str, Any] | None = Field(default=None, description="The month's calculation with its trace "
                                                                    "(as POST /v1/calculations answers).")


class MonthOut(BaseModel):
    """One benefit month for the caseworker: reports, events, ceiling, the computation, paid and corrections."""

    case_id: str
    benefit_month: str
    basis_month: str
    as_of: str | None
    reports: list[MonthReportOut]
    events: list[MonthEventsOut]
    ceilings: list[MonthCeilingOut]
    computation: ComputationOut | None
    error: str | None
    payment: PaymentOut | None
    held: HoldOut | None
    corrections: list[CorrectionOut]
    settled: str | None
    version: str = Field(description="The month's version (also the ETag): a write acting on the month or one of "
                                     "its worklist items states it as If-Match.")


class IngestCounts(BaseModel):
    stored: int
    already_stored: int


class IngestOut(BaseModel):
    stored: list[str] = Field(description="The report ids stored now.")
    already_stored: list[str] = Field(description="Report ids stored already with the same content (no-op).")
    counts: IngestCounts


class EmployerCeilingOut(CeilingOut):
    recorded_at: str
    note: str | None


class EmployerEmploymentOut(BaseModel):
    case_id: str
    first_basis_month: str
    last_basis_month: str | None
    ceilings: list[EmployerCeilingOut]


class EmployerReportOut(BaseModel):
    report_id: str
    case_id: str
    basis_month: str | None
    payment_date: str | None
    kind: str
    corrects: str | None
    wage: str | None
    pension_own: str | None
    pension_employer: str | None
    hours: str | None
    received_at: str | None
    status: str


class EmployerViewOut(BaseModel):
    """An employer's own employments, ceilings and reports with their status; nothing of the subsidy."""

    employer_id: str
    employments: list[EmployerEmploymentOut]
    reports: list[EmployerReportOut]


# --- payment runs and reconciliation ---------------------------------------------------------------


class PayRunSummary(BaseModel):
    paid: int
    held: int
    already_paid: int
    total_subsidy: str | None = None
    total_atp_own: str | None = None
    total_payout: str | None = None


class PaidMonthOut(BaseModel):
    case_id: str
    benefit_month: str
    basis_wage: str
    subsidy: str
    payout: str
    reason_code: str | None = None
    reason: str | None = None
    reason_da: str | None = None


class HeldInRunOut(BaseModel):
    case_id: str
    benefit_month: str
    missing_employers: list[str]
    reason: str
    reason_da: str


class SchemeRunOut(BaseModel):
    """One other scheme's flow in a payment run (``flexcalc.ledger.scheme_flows``)."""

    scheme: str
    month: str
    counts: dict[str, int]
    total_paid: str
    outcomes: list[dict[str, Any]]


class PayRunOut(BaseModel):
    month: str
    as_of: str
    rule_version: str
    summary: PayRunSummary
    paid: list[PaidMonthOut]
    held: list[HeldInRunOut]
    already_paid: list[str]
    schemes: dict[str, SchemeRunOut] | None = Field(
        default=None, description="The other schemes' cases of the month (old scheme, self-employed), by scheme; "
                                  "present only when a flow had cases.")


class ReconcileSummary(BaseModel):
    cases_checked: int
    months_checked: int
    corrections: int
    efterbetaling: int
    repayment_review: int
    to_pay: str
    possible_repayment: str
    regulation: int | None = Field(default=None, description="Corrections on the regulation track.")
    to_regulate: str | None = Field(default=None, description="Regulations to be settled in the next payments.")


class ReconcileOut(BaseModel):
    as_of: str
    rule_version: str
    summary: ReconcileSummary
    corrections: list[CorrectionOut]
    waiting: list[dict[str, Any]] = Field(description="Months that wait for a report before they can be "
                                                      "reconciled.")


class PossibleDuplicateOut(BaseModel):
    case_id: str
    employer_id: str
    report_ids: list[str]


# --- the workbench: hearings and the worklist ------------------------------------------------------


class HearingEventOut(BaseModel):
    id: int
    correction_id: int
    case_id: str
    kind: str
    by: str
    recorded_at: str
    sent_on: str | None = None
    reply_by: str | None = None
    letter_id: str | None = None
    received_on: str | None = None
    summary: str | None = None
    channel: str | None = Field(default=None, description="letter or oral (a hearing sent).")
    held_by: str | None = Field(default=None, description="Who held an oral hearing.")


class HearingEventRecordedOut(HearingEventOut):
    already_recorded: bool


class HearingExceptionOut(BaseModel):
    """Why a possible repayment may be decided without a hearing, with its legal ground."""

    id: int
    correction_id: int
    case_id: str
    ground: str
    provision: str
    ground_da: str
    explanation: str
    by: str
    recorded_at: str


class HearingExceptionRecordedOut(HearingExceptionOut):
    already_recorded: bool


class HearingOut(BaseModel):
    case_id: str
    correction_id: int
    decided: bool
    status: str
    status_da: str
    sent_on: str | None
    reply_by: str | None
    letter_id: str | None
    received_on: str | None
    summary: str | None
    channel: str | None
    held_by: str | None
    events: list[HearingEventOut]
    exceptions: list[HearingExceptionOut]
    version: str = Field(description="The version of the correction's worklist item (also the ETag).")


class WorklistActionOut(BaseModel):
    action: str
    method: str
    href: str
    label_da: str
    body: dict[str, Any] | None = None


class WorklistItemOut(BaseModel):
    id: str = Field(description="The item's id: kind~case~YYYY-MM[~reference].")
    version: str | None = Field(description="The state the item is shown in; a write acting on it states it as "
                                            "If-Match (ETag).")
    kind: str
    kind_da: str
    kind_plain_da: str = Field(description="The kind said in plain Danish beside the legal term.")
    case_id: str
    month: str | None
    since: str
    age_days: int
    amount: str | None
    label_da: str
    ref: str
    correction_id: int | None
    details: dict[str, Any]
    actions: list[WorklistActionOut]
    scheme: str = Field(default="new_2013", description="The case's scheme in the item's month: new_2013, old or "
                                                        "self_employed.")


# --- letters ---------------------------------------------------------------------------------------


class LetterOut(BaseModel):
    """A stored letter with its status (draft, approved, sent); nothing is ever sent by the system."""

    id: int
    case_id: str
    kind: str
    correction_ids: list[int]
    benefit_month: str | None
    letter_date: str
    letter_date_da: str
    reply_by: str | None
    complaint_deadline: str | None
    subject: str
    content_sha256: str
    created_by: str
    created_at: str
    status: str
    approved_by: str | None
    approved_at: str | None
    sent_by: str | None
    sent_at: str | None
    channel: str | None = Field(description="How the letter was sent (once it is): digital_post, post or in_person.")
    draft_channel: str | None = Field(
        description="The channel chosen at drafting (digital_post or paper); it decides the letter's deadline.")
    message_id: str | None = Field(default=None, description="The MeMo message UUID of a letter sent by Digital Post.")


class LetterDraftOut(LetterOut):
    facts: dict[str, Any] = Field(description="The facts the letter was written from (amounts as strings).")


class LetterContentOut(LetterOut):
    text: str
    html: str


# --- finance ---------------------------------------------------------------------------------------


class RefundStepOut(BaseModel):
    step: int
    label_da: str
    days: int
    weeks: list[int]
    refund_rate: str
    rate_status: str
    subsidy: str
    refund: str
    provision: str


class RefundOut(BaseModel):
    """The state refund of one month's subsidy on the refund ladder, with OP and the fleksbidrag."""

    month: str
    subsidy: str
    weeks_before: int
    period: list[str]
    steps: list[RefundStepOut]
    refund_rate: str
    refund: str
    cohort: str
    provision: str
    op: dict[str, Any] | None
    fleksbidrag: dict[str, Any] | None


class AccountOut(BaseModel):
    id: str
    function: str
    dranst: int | None
    grouping: str | None
    label_da: str
    status: str
    source: str


class ReportAccountOut(AccountOut):
    kinds: list[str]
    amount: str


class BookingOut(BaseModel):
    account: str
    sign: int


class ChartOut(BaseModel):
    accounts: list[AccountOut]
    booking: dict[str, BookingOut]


class FinanceLineOut(BaseModel):
    case_id: str
    benefit_month: str
    weeks_before: int | None
    cohort: str | None
    history_sources: list[str] = Field(description="The sources of the benefit history the weeks were counted "
                                                   "from (the case's paid months, imported periods).")
    subsidy: str
    atp_own: str
    payout: str
    municipal_atp: str
    op: str
    refund: str
    fleksbidrag: str
    municipal_atp_refund: str
    op_refund: str
    net_municipal_cost: str
    refund_steps: list[RefundStepOut]
    bookings: list[dict[str, Any]]


class MoneyLineOut(BaseModel):
    """A back payment, regulation, repayment, set-off or collection booked in the month, refunded at the step of
    the month it concerns (``refund_month``: the month the refund is settled: the booking month)."""

    case_id: str
    kind: str
    booked_month: str
    concerns_month: str
    refund_month: str
    amount: str
    subsidy: str
    atp_own: str
    refund: str
    net_municipal_cost: str
    refund_step: str
    cohort: str
    cause: str
    source: str
    bookings: list[dict[str, Any]]


class FinanceReportOut(BaseModel):
    """The month's finance report: totals, refund by ladder step, accounts and the lines they add up from."""

    month: str
    payments: int
    line_kinds: dict[str, str] = Field(description="Each kind of money line and whether the report books it "
                                                   "(booked / not_yet_booked).")
    totals: dict[str, str]
    refund_by_step: dict[str, dict[str, str]]
    accounts: list[ReportAccountOut]
    lines: list[FinanceLineOut]
    money_lines: list[MoneyLineOut] = Field(default_factory=list, description="The money lines booked in the "
                                            "month (efterbetaling, regulation, repayment, claim_set_off, "
                                            "claim_collected).")
    money_line_totals: dict[str, dict[str, str]] = Field(default_factory=dict, description="Per kind and in all.")
    totals_with_lines: dict[str, str] = Field(default_factory=dict, description="Payments and money lines "
                                              "together: subsidy, refund, net_municipal_cost.")
    reconciliation: dict[str, Any] | None = Field(description="The difference against the state's refund "
                                                              "statement (null without a statement).")
    statement_total: str | None = Field(default=None, description="The state's refund of the month's "
                                        "fleksløntilskud in its statement (with a statement).")
    expected_total: str | None = Field(default=None, description="flexcalc's refund of the month's payments and "
                                       "of the money lines booked in it.")
    difference: str | None = Field(default=None, description="statement_total − expected_total.")
    year: list[dict[str, Any]] | dict[str, Any] | None = Field(
        default=None, description="The year's figures from January to the month (with year: true).")


class HistoryImportOut(BaseModel):
    """An import of earlier benefit history: rows read, stored and already stored; CPR numbers with no case
    counted, never returned."""

    rows: int
    stored: int
    already_stored: int
    unknown_cpr: int
    cases: list[str] | int


class CaseHistoryOut(BaseModel):
    """A case's refund history: the periods with their sources, the cohort and the weeks counted."""

    case_id: str
    visitation_date: str | None
    visitation_source: str | None
    job_starts: list[dict[str, Any]]
    counted_weeks: list[dict[str, Any]]
    periods: list[dict[str, Any]]
    stored_rows: list[dict[str, Any]]
    next_month: dict[str, Any] | None


# --- stateless: bonus spread and reforms -----------------------------------------------------------


class BonusMonthOut(BaseModel):
    basis_month: str
    benefit_month: str
    bonus_share: str
    bonus_moved_out: str
    subsidy_before: str
    subsidy_after: str
    subsidy_difference: str
    payout_before: str
    payout_after: str
    payout_difference: str
    after: dict[str, Any] = Field(description="The month recomputed with the bonus spread (a calculation).")


class BonusSpreadOut(BaseModel):
    bonus: str
    provision: str
    subsidy_difference: str
    payout_difference: str
    months: list[BonusMonthOut]


class ReformGroupOut(BaseModel):
    group: str
    people: int
    winners: int
    losers: int
    unchanged: int
    cost_before: str
    cost_after: str
    difference: str
    keep_share_before: str | None
    keep_share_after: str | None
    no_gain_before: int
    no_gain_after: int


class ReformComparisonOut(BaseModel):
    """A reform beside today's rules: cost, winners and losers by group, one more hour's pay kept."""

    month: str
    reform: str
    people: int
    cost_before: str
    cost_after: str
    difference: str
    payout_before: str
    payout_after: str
    winners: int
    losers: int
    unchanged: int
    largest_gain: str
    largest_loss: str
    distribution: list[dict[str, Any]]
    one_more_hour: dict[str, Any]
    by_hour_band: list[ReformGroupOut]
    by_sex: list[ReformGroupOut]
    finance_shares: dict[str, Any] | None = None
    flows: dict[str, Any] | None = Field(default=None, description="Which flows the reform computes (the new "
                                         "scheme only) and why the old scheme and the self-employed are not.")


# --- health ----------------------------------------------------------------------------------------


class RatesWarningOut(BaseModel):
    code: str
    last_month: str
    reason: str
    reason_da: str


class AssumedRatesWarningOut(BaseModel):
    code: str
    months: list[str]
    reason: str
    reason_da: str


class LawWarningOut(BaseModel):
    code: str
    since: str
    reason: str
    reason_da: str


class HealthOut(BaseModel):
    status: str
    rule_version: str
    rates_from: str
    rates_to: str
    rates_warning: RatesWarningOut | None
    assumed_months: list[str] = Field(
        description="The coming months (this and the next three) whose rates are assumed.")
    assumed_rates_warning: AssumedRatesWarningOut | None
    law_warning: LawWarningOut | None = Field(
        description="Set when the rates table covers months whose citations are not confirmed (from 2027-01).")


from api.schemas import StepOut  # noqa: E402  (appended beside the old scheme's models)


class OldSchemeRateOut(BaseModel):
    value: str
    status: str | None
    source: str | None


class OldSchemeCalculationOut(BaseModel):
    """The employer's subsidy of one period in an old-scheme fleksjob (LAB § 133), with the trace."""

    scheme: str = Field(description="Always 'old': fleksjob begun before 1 January 2013.")
    month: str
    fraction: str = Field(description="1/2 or 2/3 (LAB § 133, stk. 2).")
    basis: str = Field(description="The wage with the employer's contributions (LAB § 133, stk. 3, 1. pkt.).")
    cap: str = Field(description="The month's cap: annual cap / 12, or the hourly cap × hours when lower.")
    capped_basis: str
    gross_subsidy: str
    sickness_reduction: str = Field(description="The reduction for the employer's sickness refund (§ 133, stk. 4).")
    subsidy: str
    payee: str = Field(description="Always 'employer': the subsidy is paid to the employer.")
    rates_status: str
    rates: dict[str, OldSchemeRateOut]
    trace: list[StepOut] = Field(description="The steps, each with its Danish label and provision "
                                             "(the same step shape as a month's calculation).")


class SchemeStateOut(BaseModel):
    """A case's scheme statement: new_2013, old (with the payee employer and the fraction) or self_employed."""

    scheme: str
    effective_from: str | None
    employer_id: str | None
    fraction: str | None
    reason: str | None
    row_id: int | None = Field(description="The statement's id: state it as expected_row in the next write.")


class OldSchemeSettlementOut(BaseModel):
    id: int
    period: str
    sequence: int
    kind: str
    employer_id: str
    due: str
    previous: str
    difference: str
    causes: list[str]
    explanation_da: str
    as_of: str


class CaseSchemeOut(BaseModel):
    """A case's scheme history and the old scheme's settlements (payments and corrections)."""

    case_id: str
    schemes: list[SchemeStateOut]
    settlements: list[OldSchemeSettlementOut]


class OldSchemeClaimOut(BaseModel):
    id: int
    case_id: str
    employer_id: str
    period: str
    replaces: int | None
    received_at: str


class FinanceBySchemeOut(BaseModel):
    """A month's finance figures by scheme: the new scheme's totals and accounts beside the old scheme's paid amount,
    its fixed 65 % refund and its own accounts."""

    month: str
    schemes: dict[str, dict[str, Any]]
    total: dict[str, str] | None = Field(default=None, description="The three schemes added: subsidy, refund, "
                                         "net_expense (they reconcile with the payment run's totals).")
# --- the check of the municipality's calculation -------------------------------------------------------


class CheckCauseOut(BaseModel):
    """One cause of a month's difference, found by swapping the municipality's inputs in one at a time."""

    code: str = Field(description="wage_differs, ceiling_differs, rates_differ, atp, rounding or unexplained.")
    reason: str | None = Field(description="The named cause when an amount matched to the øre: pension_missing, "
                                           "holiday_wrong_month, wrong_basis_month, other_employer_counted, "
                                           "ceiling_without_supplements, ceiling_without_pension, "
                                           "ceiling_without_supplements_and_pension, wrong_year_rates.")
    amount: str = Field(description="This cause's share of the difference (right − paid).")
    title_da: str
    text_da: str
    provision: str


class CheckMonthOut(BaseModel):
    month: str
    basis_month: str
    right_subsidy: str
    paid_subsidy: str
    difference: str = Field(description="right_subsidy − paid_subsidy: positive, too little was paid.")
    direction: str
    verdict_da: str
    overpaid_provision: str | None
    right_wage: str
    used_wage: str
    right_ceiling: str
    used_ceiling: str
    used_rates_month: str
    recomputed_subsidy: str
    right_atp_own: str
    right_payout: str
    causes: list[CheckCauseOut]
    computation: list[dict[str, Any]]


class CheckRequestOut(BaseModel):
    kind: str = Field(description="'complaint' within 4 weeks of receipt (retssikkerhedsloven § 67, stk. 1), "
                                  "else 'reopening'.")
    deadline: str | None
    title: str
    text: str


class CheckResponse(BaseModel):
    months: list[CheckMonthOut]
    total_difference: str
    total_da: str
    request: CheckRequestOut
