"""``GET /v1/parameters``: the rates with the dates they take effect, sources and status."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException

from api.schemas import ParameterOut
from flexcalc.params import load_parameters

router = APIRouter(prefix="/v1", tags=["parameters"])


def _out(name: str) -> dict[str, Any]:
    parameter = load_parameters()[name]
    data = parameter.model_dump(mode="json", exclude={"values"})
    data["values"] = [
        {"start": str(v.start), "value": None if v.value is None else str(v.value), "status": v.status,
         "source": v.source, "note": v.note}
        for v in parameter.values
    ]
    return data


@router.get("/parameters", response_model=list[ParameterOut], summary="Every rate, by date, with status")
def list_parameters() -> Any:
    """Every parameter file: values by the date they take effect, each with status
    (``verified`` / ``derived``) and source address."""
    return [_out(name) for name in sorted(load_parameters())]


@router.get("/parameters/{name}", response_model=ParameterOut, summary="One rate, by date, with status",
            responses={404: {"description": "No parameter of that name (problem+json)"}})
def get_parameter(name: str) -> Any:
    if name not in load_parameters():
        raise HTTPException(404, f"no parameter named '{name}'")
    return _out(name)
