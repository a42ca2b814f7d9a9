"""``flexcalc serve`` binds the API and the explainer to loopback unless told otherwise."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from typer.testing import CliRunner

from flexcalc.cli import app
from flexcalc.cli import serve as serve_module


def _started(monkeypatch: pytest.MonkeyPatch, *args: str, env: dict[str, str] | None = None) -> list[list[str]]:
    started: list[list[str]] = []

    class FakeProcess:
        def __init__(self, cmd: list[str], **_: Any) -> None:
            started.append(cmd)

        def wait(self) -> int:
            return 0

        def terminate(self) -> None:
            pass

    monkeypatch.delenv("FLEXCALC_HOST", raising=False)
    monkeypatch.setattr(serve_module.EXPLAINER.__class__, "exists", lambda self: True)
    with mock.patch.object(serve_module.subprocess, "Popen", FakeProcess), \
            mock.patch.object(serve_module.signal, "signal"):
        result = CliRunner().invoke(app, ["serve", *args], env=env)
    assert result.exit_code == 0, result.output
    return started


def _addresses(cmds: list[list[str]]) -> list[str]:
    api, ui = cmds
    return [api[api.index("--host") + 1], ui[ui.index("--server.address") + 1]]


def test_serve_listens_on_loopback_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    cmds = _started(monkeypatch)
    assert _addresses(cmds) == ["127.0.0.1", "127.0.0.1"]
    assert "--no-access-log" not in cmds[0]  # the access log is on: it is redacted


def test_serve_listens_elsewhere_only_when_told(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _addresses(_started(monkeypatch, "--host", "0.0.0.0")) == ["0.0.0.0", "0.0.0.0"]
    assert _addresses(_started(monkeypatch, env={"FLEXCALC_HOST": "10.0.0.5"})) == ["10.0.0.5", "10.0.0.5"]
