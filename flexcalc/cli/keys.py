"""``flexcalc keys create|list|revoke``: API keys (the secret is printed once; only its hash is stored)."""

from __future__ import annotations

from typing import Annotated

import typer

from flexcalc.cli.common import app, input_errors, print_json, require_schema
from flexcalc.ledger.db import session_factory
from flexcalc.security import keys
from flexcalc.security.redact import install_cpr_redaction

install_cpr_redaction()  # no CPR number in any log line of the CLI either

keys_app = typer.Typer(help="API keys and their roles (caseworker, employer, citizen, admin, finance).",
                       no_args_is_help=True)
app.add_typer(keys_app, name="keys")

DbOption = Annotated[str | None, typer.Option("--db", help="Database URL (else FLEXCALC_DATABASE_URL, else "
                                                           "the embedded SQLite file var/flexcalc.sqlite).")]


@keys_app.command("create")
def keys_create(
    role: Annotated[str, typer.Option("--role", help="caseworker | employer | citizen | admin | finance")],
    case: Annotated[str | None, typer.Option("--case", help="The case a citizen key may read.")] = None,
    employer: Annotated[str | None, typer.Option("--employer", help="The CVR number of an employer key.")] = None,
    label: Annotated[str | None, typer.Option("--label", help="A note: whose key, what for.")] = None,
    db: DbOption = None,
) -> None:
    """Make a key and print its secret once (it cannot be shown again)."""
    require_schema(db)
    with input_errors(), session_factory(db).begin() as session:
        row, secret = keys.create_key(session, role, case_id=case, employer_cvr=employer, label=label)
        key_id = row.id
    scope = f" case={case}" if case else f" employer={employer}" if employer else ""
    typer.echo(f"key {key_id} role={role}{scope}", err=True)
    typer.echo("the secret below is shown once; only its hash is stored:", err=True)
    typer.echo(secret)


@keys_app.command("list")
def keys_list(db: DbOption = None, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Every key: id, role, scope, made, revoked (never a secret)."""
    require_schema(db)
    with session_factory(db)() as session:
        rows = keys.list_keys(session)
    data = [keys.key_dict(r) for r in rows]
    if as_json:
        print_json(data)
        return
    for d in data:
        scope = d["case_id"] or d["employer_cvr"] or "-"
        state = f"revoked {d['revoked_at']}" if d["revoked_at"] else "active"
        typer.echo(f"{d['id']}  {d['role']:<10}  {scope:<16}  {state}  {d['label'] or ''}".rstrip())


@keys_app.command("revoke")
def keys_revoke(key_id: Annotated[str, typer.Argument(help="The key's id (from `keys list`).")],
                db: DbOption = None) -> None:
    """Revoke a key: refused at once by this process, within seconds by running servers."""
    require_schema(db)
    with input_errors(), session_factory(db).begin() as session:
        keys.revoke_key(session, key_id)
    typer.echo(f"key {key_id} revoked")
