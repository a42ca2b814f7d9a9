"""The audit of the command line's ledger writes: the same append-only audit log as the API's, with the
writer named by ``--by`` (``flexcalc --by sb-17 pay ...`` or a command's own ``--by``) or else the operating
system user, as ``cli:<who>`` in the key column and the role ``cli``. The row is written in the write's own
transaction: a write whose audit row cannot be written is not made."""

from __future__ import annotations

import getpass
from collections.abc import Callable
from typing import Annotated, Any

import typer

from flexcalc.cli.common import app

_BY: dict[str, str | None] = {"by": None}


@app.callback()
def _global_options(by: Annotated[str | None, typer.Option(
        "--by", help="Who makes the ledger writes of this command (the audit log); default: the OS user.")]
        = None) -> None:
    """Fleksløntilskud, exactly: monthly calculation, rates, payment runs and corrections."""
    _BY["by"] = by


def actor(by: str | None = None) -> str:
    """Who writes: ``by``, else the global ``--by``, else the OS user (CPR-redacted, at most 28 characters)."""
    from flexcalc.security.redact import redact

    who = (by or _BY["by"] or "").strip()
    if not who:
        try:
            who = getpass.getuser()
        except (KeyError, OSError):
            who = "unknown"
    return redact(who)[:28]


def audit_write(session: Any, command: str, *, case_id: str | None = None, employer_id: str | None = None,
                by: str | None = None) -> None:
    """Add the audit row of a command-line write to ``session`` (the write's transaction)."""
    from flexcalc.security import audit
    from flexcalc.security.audit import AuditEvent
    from flexcalc.security.keys import Principal

    principal = Principal(key_id=f"cli:{actor(by)}", role="cli")
    audit.record(session, [AuditEvent(action="write", case_id=case_id, employer_cvr=employer_id,
                                      principal=principal)], method="CLI", route=f"flexcalc {command}", status=200)


def audit_before(factory: Callable[[], Any], command: str, **kwargs: Any) -> None:
    """For a write made in many transactions (payment runs, reconciliations, file imports): its audit row
    is committed first, so a write that cannot be audited never starts."""
    from flexcalc.ledger.store import transaction

    with transaction(factory) as session:
        audit_write(session, command, **kwargs)
