"""``GET /v1/parameters``: the rates with the dates they take effect, sources and status."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api.schemas import ParameterOut
from flexcalc.errors import NotFoundError
from flexcalc.law.params import load_parameters

router = APIRouter(prefix="/v1", tags=["parameters"])


def _out(name: str) -> dict[str, Any]:
    parameter = load_parameters()[name]
    data = parameter.model_dump(mode="json", exclude={"values"})
    data["values"] = [
        {"start": str(v.start), "value": None if v.value is None else str(v.value), "status": v.status,
         "source": v.source, "note": v.note, "rule": v.rule,
         "inputs": [i.to_dict() for i in v.inputs] if v.rule is not None else None}
        for v in parameter.values
    ]
    return data


@router.get("/parameters", response_model=list[ParameterOut], summary="Every rate, by date, with status")
def list_parameters() -> list[dict[str, Any]]:
    """Every parameter file: values by the date they take effect, each with status
    (``published`` / ``computed`` / ``assumed``; a computed or assumed value
    with its rule and inputs) and source address."""
    return [_out(name) for name in sorted(load_parameters())]


@router.get("/parameters/{name}", response_model=ParameterOut, summary="One rate, by date, with status",
            responses={404: {"description": "No parameter of that name (problem+json)"}})
def get_parameter(name: str) -> dict[str, Any]:
    if name not in load_parameters():
        raise NotFoundError("name", f"no parameter named '{name}'", f"der er ingen parameter ved navn '{name}'",
                            code="unknown_parameter")
    return _out(name)
