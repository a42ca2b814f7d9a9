from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Letters need a municipality profile (flexcalc.letters.profile): the tests and their subprocesses use the
# packaged demo profile unless a test sets another one.
os.environ.setdefault("FLEXCALC_MUNICIPALITY", "demo")
# The API's rate limits (api/middleware.py) are off for the suite, whose clients all share one address and
# send thousands of requests; tests/security/test_operations.py turns them on where it attacks them.
for _limit in ("ANONYMOUS", "AUTH_FAILURES", "KEY"):
    os.environ.setdefault(f"FLEXCALC_RATE_LIMIT_{_limit}", "0")

settings.register_profile("ci", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=100, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


def _postgres_admin_url() -> str | None:
    url = os.environ.get("FLEXCALC_TEST_POSTGRES_URL")
    if not url:
        if os.environ.get("FLEXCALC_REQUIRE_POSTGRES"):
            pytest.fail("FLEXCALC_REQUIRE_POSTGRES is set but FLEXCALC_TEST_POSTGRES_URL is not")
        return None
    return url


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test (dropped afterwards)."""
    from sqlalchemy import create_engine, text

    admin_url = _postgres_admin_url()
    if admin_url is None:
        pytest.skip("no PostgreSQL server (set FLEXCALC_TEST_POSTGRES_URL or run ./scripts/test)")
    from flexcalc.ledger.db import database_url

    admin_url = database_url(admin_url)
    name = f"flexcalc_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin_url.rsplit("/", 1)[0] + f"/{name}"
    try:
        yield url
    finally:
        from flexcalc.ledger.db import dispose_all

        dispose_all()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'flexcalc.sqlite'}"
    yield url
    from flexcalc.ledger.db import dispose_all

    dispose_all()


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest) -> str:
    """An empty database of each kind: the test runs once on SQLite and once on PostgreSQL."""
    return str(request.getfixturevalue(f"{request.param}_url"))


@pytest.fixture
def migrated_databases(request: pytest.FixtureRequest) -> None:
    """The explicit migration step (``flexcalc db upgrade``) on each database fixture the test uses
    (``sqlite_url``, ``postgres_url``, ``database_url``), before the test's other fixtures: the CLI refuses
    an unmigrated database and never migrates it. Use with ``pytest.mark.usefixtures("migrated_databases")``."""
    from flexcalc.ledger.db import upgrade

    for name in ("database_url", "sqlite_url", "postgres_url"):
        if name in request.fixturenames:
            upgrade(str(request.getfixturevalue(name)))


@pytest.fixture(autouse=True)
def _packaged_rates_after_each_test() -> Iterator[None]:
    """A test that replays a ledger scenario publishing rates (FLEXCALC_PARAMETERS_DIR, e.g. through
    ``tests.ledger.test_ledger_scenarios.replay`` from the letters' tests) leaves the packaged rates
    behind it, so no later test in the same process computes with the scenario's published values."""
    before = os.environ.get("FLEXCALC_PARAMETERS_DIR")
    yield
    if os.environ.get("FLEXCALC_PARAMETERS_DIR") != before:
        from flexcalc.law.params import reload_parameters

        if before is None:
            os.environ.pop("FLEXCALC_PARAMETERS_DIR", None)
        else:
            os.environ["FLEXCALC_PARAMETERS_DIR"] = before
        reload_parameters()



@pytest.fixture(autouse=True, scope="session")
def _check_answers_against_response_models() -> Iterator[None]:
    """Every test client of the app checks each JSON answer of an API route against the route's declared
    response model (``tests/support/response_check.py``): the OpenAPI document tells the truth."""
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from tests.support.response_check import checking

    original = TestClient.__init__

    def init(self: TestClient, app: object, *args: object, **kwargs: object) -> None:
        original(self, checking(app) if isinstance(app, FastAPI) else app, *args, **kwargs)  # type: ignore[arg-type]
        self.app = app  # type: ignore[assignment]

    TestClient.__init__ = init  # type: ignore[method-assign]
    yield
    TestClient.__init__ = original  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def _answers_match_their_response_models(_check_answers_against_response_models: None) -> Iterator[None]:
    """Fail the test whose requests got an answer that its response model does not read back exactly."""
    from tests.support.response_check import FAILURES

    seen = len(FAILURES)
    yield
    new = FAILURES[seen:]
    if new:
        pytest.fail("answers that differ from their response models:\n" + "\n".join(dict.fromkeys(new)))
