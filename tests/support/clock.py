"""A controlled server clock for the ledger tests.

The ledger has one clock, ``flexcalc.ledger.caserows.now``; the store, the payment run, the event
registrations and the CLI import that very function. Its body reads ``dt.datetime.now`` through the
module's own ``dt`` name, so replacing that name in ``caserows`` (with ``monkeypatch``, undone after the
test) sets the clock for every caller at once — also for modules imported later, and with no copy of the
clock left behind.

Used where a scenario lies after today's real date (e.g. the January 2027 payment run): the server may
not accept a ``received_at`` ahead of its clock (``flexcalc.ledger.reports.check_not_ahead``), so the
test states the day on which the scenario happens instead of writing instants from the future.
"""

from __future__ import annotations

import datetime as dt
import types

import pytest


def set_server_clock(monkeypatch: pytest.MonkeyPatch, instant: dt.datetime) -> None:
    """Make the ledger's ``now()`` return ``instant`` (which must carry a time zone) until the test ends."""
    from flexcalc.ledger import caserows

    if instant.tzinfo is None:
        raise ValueError("the clock's instant must carry a time zone")

    class FixedDatetime(dt.datetime):
        @classmethod
        def now(cls, tz: dt.tzinfo | None = None) -> dt.datetime:  # type: ignore[override]
            return instant.astimezone(tz) if tz is not None else instant.astimezone().replace(tzinfo=None)

    clock = types.ModuleType("datetime")
    clock.__dict__.update({k: v for k, v in vars(dt).items() if not k.startswith("__")})
    clock.datetime = FixedDatetime  # type: ignore[attr-defined]
    monkeypatch.setattr(caserows, "dt", clock)
    if caserows.now() != instant:
        raise RuntimeError("flexcalc.ledger.caserows.now no longer reads its clock through dt.datetime.now")
