"""Indstillinger: the one place that reads flexcalc's configuration (``FLEXCALC_*`` environment variables).

Every setting is a field of ``Settings`` (pydantic-settings): typed, validated, with a default and a
meaning (the README's configuration table lists the same fields; ``tests/core/test_settings.py`` keeps
the two in step). Code reads ``settings().<field>``; nothing else in ``flexcalc/`` or ``api/`` reads
``os.environ`` for a ``FLEXCALC_*`` variable.

The environment is read once: ``settings()`` returns the same object as long as the ``FLEXCALC_*``
variables are unchanged. A process that changes one (the test suite does, with ``monkeypatch``) gets a
fresh, validated object on its next call; a bad value is a clear error naming the variable.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from flexcalc.errors import InputError

PREFIX = "FLEXCALC_"


class Settings(BaseSettings):
    """flexcalc's configuration. Field ``x`` is the environment variable ``FLEXCALC_X``."""

    model_config = SettingsConfigDict(env_prefix=PREFIX, extra="ignore", frozen=True)

    database_url: str | None = Field(
        default=None, description="Database URL (PostgreSQL: postgresql://user:pass@host/db). Empty: the embedded "
                          "SQLite file <data dir>/flexcalc.sqlite.")
    data_dir: Path = Field(default=Path("var"), description="Folder of the embedded SQLite database.")
    parameters_dir: str = Field(
        default="", description="Override folder: its *.yaml rate files replace the packaged files of the same name.")
    max_body_bytes: int = Field(default=1024 * 1024, ge=1,
                                description="Largest request body the API accepts (413 above).")
    key_cache_seconds: float = Field(
        default=2.0, ge=0, description="How long a worker trusts a verified API key (0: never cached); a revocation "
                               "reaches other workers within this time.")
    idempotency_lease_seconds: float = Field(
        default=30.0, ge=0, description="How long an unfinished Idempotency-Key request holds its key.")
    host: str = Field(default="127.0.0.1",
                      description="Address `flexcalc serve` listens on (0.0.0.0 only behind a proxy).")
    api: str = Field(default="http://127.0.0.1:8000", description="The API's address, as the explainer reaches it.")
    log_format: str = Field(default="json", pattern="^(json|text)$",
                            description="API log lines: one JSON object per line (with request_id), or text.")
    log_level: str = Field(default="INFO", pattern="^(DEBUG|INFO|WARNING|ERROR)$", description="Log level of the API.")
    rate_limit_anonymous: int = Field(
        default=600, ge=0,
        description="Requests per minute per client address without a key, per worker (0: no limit).")
    rate_limit_auth_failures: int = Field(
        default=20, ge=0,
        description="Refused keys per minute per client address before 429, per worker (0: no limit).")
    rate_limit_key: int = Field(default=1200, ge=0,
                                description="Requests per minute per API key, per worker (0: no limit).")
    cursor_secret: str = Field(
        default="", description="Key signing the API's pagination cursors (empty: derived from the database "
                                "URL; set one secret for every worker of a deployment).")
    ready_rates_months: int = Field(
        default=3, ge=0, description="/ready fails when the rates do not cover this many coming months.")


_LOCK = threading.Lock()
_CACHE: dict[tuple[tuple[str, str], ...], Settings] = {}


def _snapshot() -> tuple[tuple[str, str], ...]:
    return tuple(sorted((name, value) for name, value in os.environ.items() if name.startswith(PREFIX)))


def settings() -> Settings:
    """The configuration in force (read once per set of ``FLEXCALC_*`` values)."""
    key = _snapshot()
    found = _CACHE.get(key)
    if found is not None:
        return found
    with _LOCK:
        try:
            made = Settings()
        except ValidationError as error:
            first = error.errors()[0]
            name = PREFIX + str(first["loc"][0]).upper() if first["loc"] else PREFIX
            raise InputError(name, f"invalid setting: {first['msg']}", f"ugyldig indstilling: {first['msg']}",
                             code="settings") from None
        _CACHE.clear()  # keep only the current one
        _CACHE[key] = made
        return made


def settings_table() -> list[tuple[str, str, str]]:
    """(variable, default, meaning) for every setting: the README's configuration table."""
    rows = []
    for name, field in Settings.model_fields.items():
        default = field.default
        shown = "" if default is None or default == "" else str(default)
        rows.append((PREFIX + name.upper(), shown, field.description or ""))
    return rows
