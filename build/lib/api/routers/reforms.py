"""``POST /v1/reforms/run``: a what-if reform beside today's rules over a population, for analysts.

The reform is the YAML text of a reform file (``reform``) or the same thing as a JSON object
(``reform_object``). The population is either ``synthetic`` (the generator of fixtures/population.py,
by size and seed) or ``people``: a list of rows with the columns of ``flexcalc reform run`` (amounts as
strings in kroner). **Upload limit**: at most ``MAX_PEOPLE`` (20.000) rows, and the request body is
bounded by ``FLEXCALC_MAX_BODY_BYTES`` (default 1 MiB, about 10.000 rows); larger populations belong to
the CLI (``flexcalc reform run``, Parquet, Dask). The answer is the comparison only (aggregates; no row
is returned or stored), as ``flexcalc reform run --json`` prints it. Stateless, like ``/v1/calculations``.
"""

from __future__ import annotations

from typing import Any, Literal

import pyarrow as pa
from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, field_validator

from api.strict_json import StrictJSONRoute
from flexcalc.errors import InputError, require
from flexcalc.model import MonthField, validate_month
from flexcalc.period import Month
from flexcalc.reforms import parse_reform, reform_from_text
from flexcalc.reforms.run import compare_table

router = APIRouter(prefix="/v1", tags=["reforms"], route_class=StrictJSONRoute)

MAX_PEOPLE = 20_000
MAX_SYNTHETIC = 200_000
_COLUMNS = ("person_id", "wage", "ceiling", "other_wage", "other_income", "hours", "sex", "agreement",
            "hourly_wage")


class Synthetic(BaseModel):
    model_config = ConfigDict(extra="forbid")
    people: int = Field(ge=1, le=MAX_SYNTHETIC, description="How many synthetic people (fixtures/population.py).")
    seed: int = Field(default=8, ge=0, le=2**31)


class PersonRow(BaseModel):
    """One person of the basis month: amounts as strings in kroner, ``hours`` agreed weekly hours (1–37)."""

    model_config = ConfigDict(extra="forbid")
    person_id: str | None = Field(default=None, max_length=64)
    wage: str
    ceiling: str
    other_wage: str | None = None
    other_income: str | None = None
    hours: int
    sex: str | None = Field(default=None, max_length=10)
    agreement: str | None = Field(default=None, max_length=100)
    hourly_wage: str | None = None

    @field_validator("wage", "ceiling", "other_wage", "other_income", "hourly_wage", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class ReformRunRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "month": "2024-03", "reform": "name: M + 100\nparameters:\n  max_subsidy: {2024-01-01: \"20052\"}\n",
        "synthetic": {"people": 10000, "seed": 8}}]})

    month: MonthField
    reform: str | None = Field(default=None, max_length=256 * 1024, description="The reform file's YAML text.")
    reform_object: dict[str, Any] | None = Field(default=None, description="The reform as a JSON object instead.")
    synthetic: Synthetic | None = None
    people: list[PersonRow] | None = Field(default=None, max_length=MAX_PEOPLE)
    refund_step: Literal["1-4", "5-26", "27-52", "53+", "before-ladder"] = Field(
        default="53+", description="The refund-ladder step assumed for everybody in the state/municipal split "
                                   "(weeks with benefits; LBK 221/2021 § 5, stk. 2).")

    @field_validator("month", mode="before")
    @classmethod
    def _month(cls, value: Any) -> Any:
        return validate_month(value, "month")

    def check_one_of_each(self) -> None:
        """Exactly one way to give the reform and one way to give the people (an ``InputError`` naming it)."""
        if (self.reform is None) == (self.reform_object is None):
            raise InputError("reform", "give the reform as YAML text (reform) or as an object (reform_object)",
                             "angiv reformen som YAML-tekst (reform) eller som objekt (reform_object)",
                             code="reform_missing")
        if (self.synthetic is None) == (self.people is None):
            raise InputError("people", "give either people or synthetic", "angiv enten people eller synthetic",
                             code="people_missing")


def _table(rows: list[PersonRow]) -> pa.Table:
    data = {name: [getattr(row, name) for row in rows] for name in _COLUMNS}
    columns = {name: pa.array(values, pa.int64() if name == "hours" else pa.string())
               for name, values in data.items() if name in ("wage", "ceiling", "hours")
               or any(v is not None for v in values)}
    return pa.table(columns)


@router.post(
    "/reforms/run",
    responses={422: {"description": "Invalid reform or people (problem+json naming the key or field)"}},
    summary="Compare a what-if reform with today's rules over a population",
)
def run_reform(request: ReformRunRequest) -> Any:
    """Cost before and after, winners, losers and unchanged by weekly hour band and by sex, the distribution
    of gains and losses, and how much of one more hour's pay a person keeps. Amounts are strings."""
    request.check_one_of_each()
    reform = reform_from_text(request.reform) if request.reform is not None else parse_reform(request.reform_object)
    if request.synthetic is not None:
        from fixtures.population import generate

        table = generate(request.synthetic.people, seed=request.synthetic.seed)
    else:
        table = _table(require(request.people, "people"))
    comparison = compare_table(Month.parse(request.month), table, reform)
    comparison.refund_step = request.refund_step
    return JSONResponse(comparison.to_dict())
