"""Pagination of the list endpoints with a stable, opaque cursor (keyset pagination).

Every list (cases, a case's months, corrections and held months, all held months, the audit log, the
API keys) is ordered by a unique key (a case id; a benefit month; a correction id; case id and month;
an audit entry id; a key id). A page holds at most ``limit`` items (``?limit=``, 1–1000); if there
are more, the answer carries the cursor of the next page, which continues *after the last key
shown*: rows written meanwhile are neither skipped nor shown twice, unlike an offset.

The cursor is opaque to the client: base64url of ``[list, last key]``, a dot, and an HMAC-SHA256 tag
of it (key: ``FLEXCALC_CURSOR_SECRET``, else derived from the database URL, so every worker of one
deployment accepts the others' cursors). A cursor that is forged or altered, from another list, or
that does not decode is refused (422, field ``cursor``) before any query runs. Lists answered with a JSON array keep
their array body and give the next page in the headers: ``Link: <…?cursor=…>; rel="next"`` (RFC 8288)
and ``X-Next-Cursor``; no such header means the last page. The audit log, an object already, carries
``next_cursor`` in its body too.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import Query, Request
from fastapi.responses import JSONResponse

from flexcalc.errors import InputError

MAX_LIMIT = 1000
DEFAULT_LIMIT = 500
NEXT_HEADER = "X-Next-Cursor"

#: OpenAPI: the headers of a paged answer (``responses={200: PAGED}``).
PAGED: dict[str, Any] = {"description": "One page; the next page's cursor in `X-Next-Cursor` and `Link`.",
                         "headers": {
                             NEXT_HEADER: {"description": "The cursor of the next page (absent on the last page).",
                                           "schema": {"type": "string"}},
                             "Link": {"description": 'RFC 8288: `<url>; rel="next"` (absent on the last page).',
                                      "schema": {"type": "string"}}}}


@dataclass(frozen=True, slots=True)
class PageRequest:
    """``?cursor=&limit=`` of one list: ``after`` is the last key of the previous page (None: first)."""

    limit: int
    after: tuple[Any, ...] | None


def _signing_key() -> bytes:
    from flexcalc.ledger.db import database_url
    from flexcalc.settings import settings

    secret = settings().cursor_secret or "flexcalc-cursor:" + database_url()
    return hashlib.sha256(secret.encode()).digest()


def _tag(payload: str) -> str:
    digest = hmac.new(_signing_key(), payload.encode(), hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def encode(kind: str, key: Sequence[Any]) -> str:
    raw = json.dumps([kind, list(key)], separators=(",", ":")).encode()
    payload = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    return f"{payload}.{_tag(payload)}"


def decode(kind: str, cursor: str, arity: int) -> tuple[Any, ...]:
    """The key in ``cursor``; ``InputError`` (field ``cursor``) if it is not a cursor of this list, or
    not one this service made (the tag does not match)."""
    payload, _, tag = cursor.partition(".")
    ok = bool(tag) and hmac.compare_digest(tag.encode(), _tag(payload).encode())
    try:
        if ok:
            raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
            tag_kind, key = json.loads(raw)
            ok = tag_kind == kind and isinstance(key, list) and len(key) == arity and all(
                (isinstance(k, str) and len(k) <= 200) or (isinstance(k, int) and not isinstance(k, bool)
                                                           and abs(k) < 2**62) for k in key)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        ok = False
    if not ok:
        raise InputError("cursor", "is not a cursor of this list (take it from the previous page's answer)",
                         "er ikke en markør for denne liste (tag den fra svaret på forrige side)",
                         code="cursor_invalid")
    return tuple(key)


def page_params(kind: str, arity: int = 1, default: int = DEFAULT_LIMIT) -> Any:
    """A dependency reading ``cursor`` and ``limit`` for the list ``kind`` (keys of ``arity`` parts)."""

    def dependency(
        cursor: str | None = Query(default=None, max_length=400,
                                   description="The cursor of the next page, from the previous answer."),
        limit: int = Query(default=default, ge=1, le=MAX_LIMIT, description="At most this many items."),
    ) -> PageRequest:
        return PageRequest(limit, decode(kind, cursor, arity) if cursor else None)

    return dependency


def page_of(items: Sequence[Any], key: Any, page: PageRequest) -> tuple[list[Any], tuple[Any, ...] | None]:
    """Cut ``items`` (sorted by ``key``, already after the cursor or not) to a page: the items and the
    key of the last one if more follow. Give it ``limit + 1`` rows from the database."""
    rows = [item for item in items if page.after is None or key(item) > page.after]
    if len(rows) > page.limit:
        return rows[:page.limit], key(rows[page.limit - 1])
    return rows, None


def paged_response(request: Request, kind: str, items: list[Any], next_key: tuple[Any, ...] | None,
                   body: Any = None) -> JSONResponse:
    """The JSON answer (``body``, default the list ``items``) with the next page's cursor in the headers."""
    response = JSONResponse(items if body is None else body)
    if next_key is not None:
        cursor = encode(kind, next_key)
        response.headers[NEXT_HEADER] = cursor
        url = request.url.include_query_params(cursor=cursor)
        response.headers["Link"] = f'<{url}>; rel="next"'
    return response
