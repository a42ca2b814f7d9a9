"""The staff pages' one way to the API (the workbench, the claims page, the letters page): every call carries
the user's own key (``Authorization: Bearer``), a write its Idempotency-Key, and an answer other than the one
hoped for becomes an ``ApiError`` in Danish. The pages never open the database; this is their only door to
stored case data.

What differs between the pages is data given to ``request``: the sentence for a key without access, how a
field is named in Danish, and the sentence for a write refused because the state changed since it was shown."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, NoReturn

import httpx
import streamlit as st

from flexcalc.settings import settings


class ApiError(Exception):
    """An answer other than the one hoped for, in Danish."""


class StaleItem(ApiError):
    """The item changed since it was shown (412): nothing was stored."""


class InProgress(ApiError):
    """The same write (same Idempotency-Key) is still being processed: its answer comes in a moment."""


DENIED_DA = "Nøglen giver ikke adgang. Siden kræver en sagsbehandlernøgle."
IN_PROGRESS_DA = "Handlingen er ved at blive registreret. Vent et øjeblik, og se listen igen."
STALE_DA = "Opgaven er ændret, siden den blev vist. Intet er gemt. Se listen igen, og vælg opgaven på ny."


def api_address() -> str:
    """FLEXCALC_API (set by ``flexcalc serve``), else http://127.0.0.1:8000."""
    return settings().api


def request(method: str, path: str, *, params: Any = None, body: Any = None, headers: dict[str, str] | None = None,
            timeout: float = 60, denied_da: str = DENIED_DA, field_da: Callable[[str], str] = str,
            conflict_da: dict[str, str] | None = None) -> httpx.Response:
    """One call with the key typed on the page; the answer when it is a success, else ``ApiError``.

    ``headers``: a write's own ``If-Match`` and ``Idempotency-Key`` (else a fresh key for a write);
    ``conflict_da``: a 409 naming one of these fields is answered with its sentence (a claim's balance seen)."""
    api = api_address()
    sent = {"Authorization": f"Bearer {st.session_state['api_key'].strip()}", **(headers or {})}
    if method != "GET" and "Idempotency-Key" not in sent:
        sent["Idempotency-Key"] = str(uuid.uuid4())
    try:
        with httpx.Client(base_url=api, timeout=timeout) as client:
            response = client.request(method, path, params=params, json=body, headers=sent)
    except httpx.HTTPError as error:
        raise ApiError(f"API'et kan ikke nås ({api}): {error.__class__.__name__}") from None
    if response.status_code in (401, 403):
        raise ApiError(denied_da)
    if response.status_code < 400:
        return response
    try:
        data = response.json()
    except ValueError:
        data = {}
    _raise_for(response.status_code, data if isinstance(data, dict) else {}, field_da, conflict_da or {})


def _raise_for(status: int, data: dict[str, Any], field_da: Callable[[str], str],
               conflict_da: dict[str, str]) -> NoReturn:
    if status == 409 and data.get("type") == "/problems/idempotency-in-progress":
        raise InProgress(IN_PROGRESS_DA)
    if status == 412:
        raise StaleItem(STALE_DA)
    errors = data.get("errors") or []
    if status == 409:
        for field, sentence in conflict_da.items():
            if field in str(data):
                raise ApiError(sentence)
    if errors:
        raise ApiError("; ".join(f"{field_da(str(e.get('field')))}: {e.get('reason_da') or e.get('reason')}"
                                 for e in errors))
    detail = data.get("detail_da") or data.get("detail")
    raise ApiError(f"API'et svarede {status}" + (f": {detail}" if detail else "."))


def who() -> str | None:
    """The initials typed at the top of a staff page (recorded with every write), or a Danish error and None."""
    name = str(st.session_state.get("by", "")).strip()
    if not name:
        st.error("Skriv dine initialer øverst. De registreres ved hver handling.")
        return None
    return name


def answer(response: httpx.Response) -> Any:
    """The JSON of an answer, or its bytes when it is a file (a PDF letter, a CSV handover file)."""
    if response.headers.get("content-type", "").startswith(("application/pdf", "text/csv")):
        return response.content
    return response.json()
