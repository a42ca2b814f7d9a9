"""API keys and roles.

A key is made once (``flexcalc keys create``) and its secret is shown once; the database keeps only
the SHA-256 of the secret (the secret is 256 random bits, so a fast hash cannot be reversed or guessed)
and compares in constant time. A key has one role:

* ``caseworker``: reads and writes every case;
* ``employer``: bound to one CVR number: its own employments (ceilings, the status of its reports),
  nothing of the subsidy;
* ``citizen``: bound to one case: reads it, writes nothing;
* ``admin``: manages keys, reads no case;
* ``finance``: finance staff: the month's finance report and refunds (amounts per case id), no case file;
* ``manager``: management information only: the month's figures and employers' CVR numbers, no person
  (no case id, no CPR number, small counts suppressed; ``flexcalc.insight.figures.manager_view``);
* ``supervisor``: management supervision: reads every case, records supervisions and findings.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, get_args

from sqlalchemy import select
from sqlalchemy.orm import Session

from flexcalc.errors import InputError, NotFoundError
from flexcalc.parsing.identifiers import check_identifier
from flexcalc.security.models import ApiKey
from flexcalc.security.redact import redact

Role = Literal["caseworker", "employer", "citizen", "admin", "finance", "manager", "supervisor"]
ROLES: tuple[str, ...] = get_args(Role)
SECRET_PREFIX = "fck_"
_CVR = re.compile(r"^[0-9]{8}$")


@dataclass(frozen=True)
class Principal:
    """Who is asking: the key's id and role and what it is bound to. Never the secret."""

    key_id: str
    role: str
    case_id: str | None = None
    employer_cvr: str | None = None


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def validate_scope(role: str, case_id: str | None, employer_cvr: str | None) -> None:
    """A citizen key names its case, an employer key its CVR number; other roles name neither."""
    if role not in ROLES:
        raise InputError("role", f"must be one of {', '.join(ROLES)}", f"skal være en af {', '.join(ROLES)}",
                         code="role_unknown")
    if role == "citizen" and not case_id:
        raise InputError("case", "a citizen key needs --case", "en borgernøgle skal have --case", code="case_missing")
    if role == "employer" and not employer_cvr:
        raise InputError("employer", "an employer key needs --employer CVR", "en arbejdsgivernøgle skal have "
                         "--employer CVR", code="employer_missing")
    if role != "citizen" and case_id:
        raise InputError("case", "only a citizen key is bound to a case", "kun en borgernøgle bindes til en sag",
                         code="case_not_allowed")
    if role != "employer" and employer_cvr:
        raise InputError("employer", "only an employer key is bound to a CVR number", "kun en arbejdsgivernøgle "
                         "bindes til et CVR-nummer", code="employer_not_allowed")
    if employer_cvr is not None and not _CVR.match(employer_cvr):
        raise InputError("employer", "a CVR number is 8 digits", "et CVR-nummer er 8 cifre", code="cvr_format")
    if case_id is not None:
        check_identifier(case_id, "case")


def create_key(session: Session, role: str, *, case_id: str | None = None, employer_cvr: str | None = None,
               label: str | None = None) -> tuple[ApiKey, str]:
    """Make a key; returns the row and the secret (shown once, never stored). The case id and CVR number
    are stored as the routes will compare them: stripped ("A1 " is the case "A1")."""
    case_id = case_id.strip() if isinstance(case_id, str) else case_id
    employer_cvr = employer_cvr.strip() if isinstance(employer_cvr, str) else employer_cvr
    validate_scope(role, case_id, employer_cvr)
    label = redact(label) if label is not None else None  # free text: no CPR number is stored
    key_id = "k" + secrets.token_hex(6)
    secret = f"{SECRET_PREFIX}{key_id}_{secrets.token_urlsafe(32)}"
    row = ApiKey(id=key_id, role=role, case_id=case_id, employer_cvr=employer_cvr, secret_sha256=secret_hash(secret),
                 label=label, created_at=datetime.now(UTC), revoked_at=None)
    session.add(row)
    session.flush()
    return row, secret


def list_keys(session: Session) -> list[ApiKey]:
    return list(session.scalars(select(ApiKey).order_by(ApiKey.created_at, ApiKey.id)))


def key_dict(row: ApiKey) -> dict[str, Any]:
    """A key as the API and ``flexcalc keys list --json`` show it: never its secret or its hash."""
    return {"id": row.id, "role": row.role, "case_id": row.case_id, "employer_cvr": row.employer_cvr,
            "label": row.label, "created_at": row.created_at.isoformat(),
            "revoked_at": row.revoked_at.isoformat() if row.revoked_at else None}


def keys_page(session: Session, *, after: str | None = None, limit: int) -> list[ApiKey]:
    """The keys ordered by key id, those after ``after``, at most ``limit`` (the API's paged list)."""
    query = select(ApiKey).order_by(ApiKey.id)
    if after is not None:
        query = query.where(ApiKey.id > after)
    return list(session.scalars(query.limit(limit)))


def existing_key(session: Session, key_id: str) -> ApiKey:
    """The key ``key_id``, or ``NotFoundError`` (field ``key_id``)."""
    row = session.get(ApiKey, key_id)
    if row is None:
        raise NotFoundError("key_id", "no such key", "ingen sådan nøgle", code="key_unknown")
    return row


def revoke_key(session: Session, key_id: str) -> ApiKey:
    row = session.get(ApiKey, key_id)
    if row is None:
        raise InputError("key_id", f"no key with id '{key_id}'", f"ingen nøgle med id '{key_id}'", code="key_unknown")
    if row.revoked_at is None:
        row.revoked_at = datetime.now(UTC)
    KEY_CACHE.forget(row.id)
    return row


def principal_of(row: ApiKey) -> Principal:
    return Principal(key_id=row.id, role=row.role, case_id=row.case_id, employer_cvr=row.employer_cvr)


def lookup(session: Session, secret: str) -> Principal | None:
    """The principal of a presented secret, or None if it is unknown, malformed or revoked."""
    if not secret.startswith(SECRET_PREFIX) or len(secret) > 200:
        return None
    digest = secret_hash(secret)
    row = session.scalars(select(ApiKey).where(ApiKey.secret_sha256 == digest)).first()
    if row is None or row.revoked_at is not None or not hmac.compare_digest(row.secret_sha256, digest):
        return None
    return principal_of(row)


class KeyCache:
    """Valid keys, by the hash of their secret, for a few seconds (``FLEXCALC_KEY_CACHE_SECONDS``,
    default 2; 0 turns it off). A revocation takes effect at once in the process that revokes and
    within that time in other worker processes. Unknown or revoked keys are never cached."""

    def __init__(self) -> None:
        self._entries: dict[str, tuple[Principal, float]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def ttl() -> float:
        from flexcalc.settings import settings

        return settings().key_cache_seconds

    def get(self, digest: str) -> Principal | None:
        entry = self._entries.get(digest)
        if entry is None or entry[1] < time.monotonic():
            return None
        return entry[0]

    def put(self, digest: str, principal: Principal) -> None:
        ttl = self.ttl()
        if ttl <= 0:
            return
        with self._lock:
            if len(self._entries) > 10_000:
                self._entries.clear()
            self._entries[digest] = (principal, time.monotonic() + ttl)

    def forget(self, key_id: str) -> None:
        with self._lock:
            for digest in [d for d, (p, _) in self._entries.items() if p.key_id == key_id]:
                del self._entries[digest]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


KEY_CACHE = KeyCache()
