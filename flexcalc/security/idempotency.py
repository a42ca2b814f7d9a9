"""Idempotent writes: the first answer to a write sent with an ``Idempotency-Key`` is kept and returned
again for every retry; the write itself happens once.

A key is scoped to the API key that sent it (or ``-`` without one) and bound to a fingerprint of the
request (method, path, body). The life of a record:

1. ``claim``: insert a ``pending`` row with a random lease token (its own committed transaction; the
   primary key makes two concurrent claims impossible). A second request with the same key finds
   the row: ``done`` → the stored answer; a different fingerprint → refused; ``pending`` and the lease
   fresh → 409, try again; ``pending`` and the lease expired (the server died) → taken over and
   executed again; ``applied`` (the write committed) → 409 "in progress" while the lease is fresh (its
   answer is about to be stored: a double click lands here), and once the lease has expired (the answer
   was lost in a crash) 409 with a problem saying so — never a second write.
2. ``mark_applied`` (optional, recommended for every write): called inside the write's own
   transaction, it flips the row to ``applied`` only if this request still holds the lease — so a
   write and its idempotency record commit together, and a request whose lease was taken over
   cannot commit its write at all.
3. ``complete``: store the answer (``done``) before it is sent; 5xx, 401, 403 answers ``release``
   the claim instead so a retry runs again.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from flexcalc.errors import LeaseLost
from flexcalc.security.models import IdempotencyRecord

KEY_MAX_LENGTH = 255


def lease_seconds() -> float:
    from flexcalc.settings import settings

    return settings().idempotency_lease_seconds


def fingerprint(method: str, path: str, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (method.upper().encode(), b"\0", path.encode(), b"\0", body):
        digest.update(part)
    return digest.hexdigest()


@dataclass(frozen=True)
class Replay:
    status_code: int
    content_type: str
    body: bytes


@dataclass(frozen=True)
class Conflict:
    """The key cannot be used now: ``reason`` is mismatch | in_progress | applied."""

    reason: str


@dataclass
class Claim:
    principal: str
    key: str
    lease_token: str

    def _where(self) -> tuple[ColumnElement[bool], ...]:
        return (IdempotencyRecord.principal == self.principal, IdempotencyRecord.key == self.key,
                IdempotencyRecord.lease_token == self.lease_token)

    def mark_applied(self, session: Session) -> None:
        """In the write's transaction: record that the write is made; raises ``LeaseLost`` (roll back!)
        if another request took the key over."""
        result = session.execute(update(IdempotencyRecord).where(*self._where(), IdempotencyRecord.state == "pending")
                                 .values(state="applied"))
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise LeaseLost(self.key)

    def complete(self, factory: sessionmaker[Session], status_code: int, content_type: str, body: bytes) -> None:
        with factory.begin() as session:
            session.execute(update(IdempotencyRecord).where(*self._where(),
                                                            IdempotencyRecord.state.in_(("pending", "applied")))
                            .values(state="done", status_code=status_code, content_type=content_type,
                                    response_body=body, completed_at=datetime.now(UTC)))

    def release(self, factory: sessionmaker[Session]) -> None:
        with factory.begin() as session:
            session.execute(delete(IdempotencyRecord).where(*self._where(), IdempotencyRecord.state == "pending"))


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def claim(factory: sessionmaker[Session], principal: str, key: str, method: str, path: str,
          print_: str) -> Claim | Replay | Conflict:
    """Claim ``key`` for this request, or say why not (a stored answer to replay, or a conflict)."""
    for _ in range(3):
        now = datetime.now(UTC)
        token = secrets.token_hex(16)
        try:
            with factory.begin() as session:
                session.add(IdempotencyRecord(principal=principal, key=key, method=method, path=path[:500],
                                              fingerprint=print_, state="pending", lease_token=token,
                                              locked_at=now, created_at=now))
            return Claim(principal, key, token)
        except IntegrityError:
            pass
        with factory.begin() as session:
            row = session.scalars(select(IdempotencyRecord).where(IdempotencyRecord.principal == principal,
                                                                  IdempotencyRecord.key == key)).first()
            if row is None:
                continue  # released meanwhile: claim again
            if row.fingerprint != print_:
                return Conflict("mismatch")
            if row.state == "done":
                return Replay(row.status_code or 200, row.content_type or "application/json", row.response_body or b"")
            fresh = _aware(row.locked_at) + timedelta(seconds=lease_seconds()) > now
            if row.state == "applied":
                # committed; its answer is stored in a moment (fresh lease) or was lost in a crash (expired)
                return Conflict("in_progress" if fresh else "applied")
            if fresh:
                return Conflict("in_progress")
            taken = session.execute(update(IdempotencyRecord)
                                    .where(IdempotencyRecord.principal == principal, IdempotencyRecord.key == key,
                                           IdempotencyRecord.lease_token == row.lease_token,
                                           IdempotencyRecord.state == "pending")
                                    .values(lease_token=token, locked_at=now))
            if taken.rowcount == 1:  # type: ignore[attr-defined]
                return Claim(principal, key, token)
    return Conflict("in_progress")
