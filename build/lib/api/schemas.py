"""Response models, for the OpenAPI document (responses are built by the core's ``to_dict``)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class StepOut(BaseModel):
    key: str
    label: str
    provision: str
    provision_ref: dict[str, Any] | None = None
    amount: str | None
    inputs: dict[str, str]
    effect: str | None
    part_of: str | None


class CalculationResponse(BaseModel):
    benefit_month: str
    basis_month: str
    wage_income: str
    ceiling: str
    max_subsidy: str
    threshold: str
    reduction_low: str
    reduction_high: str
    reduction: str
    subsidy_before_ceiling: str
    ceiling_room: str
    ceiling_cut: str
    ceiling_binds: bool
    subsidy: str
    atp_own: str
    payout: str
    rates_status: dict[str, str | None]
    derived_rates: list[str]
    rule_version: str
    steps: list[StepOut]
    text_da: list[str]


class ParameterValueOut(BaseModel):
    start: str
    value: str | None
    status: str | None
    source: str | None
    note: str | None


class ParameterOut(BaseModel):
    name: str
    label_da: str
    label_en: str
    unit: str
    reference: str
    reference_url: str
    values: list[ParameterValueOut]
