"""Booking (kontering): each amount of a payment on the account the municipal chart of accounts
prescribes. The accounts and the booking of each kind of amount are data (``accounts.yaml``), each
account with its source (STAR's konteringsregler for 5.58.81 and 8.51.52) and status.

An account id not in the chart is an ``InputError`` on field ``account`` (en + da), never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from flexcalc.errors import InputError

CHART = Path(__file__).with_name("accounts.yaml")
KINDS = ("subsidy", "refund", "fleksbidrag", "municipal_atp", "municipal_atp_refund", "op", "op_refund")


@dataclass(frozen=True, slots=True)
class Account:
    id: str
    function: str
    dranst: int | None
    grouping: str | None
    label_da: str
    status: str
    source: str
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "function": self.function, "dranst": self.dranst, "grouping": self.grouping,
                "label_da": self.label_da, "status": self.status, "source": self.source}


Chart = tuple[dict[str, Account], dict[str, tuple[str, int]]]


@cache
def load_chart(path: Path, kinds: tuple[str, ...] | None = None) -> Chart:
    """A chart of accounts file: its accounts by id and each kind's (account, sign). Every kind must be booked
    on an account of the file with sign +1 or −1; with ``kinds``, exactly those kinds."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    accounts = {a["id"]: Account(**a) for a in data["accounts"]}
    booking = {kind: (b["account"], int(b["sign"])) for kind, b in data["booking"].items()}
    if kinds is not None and set(booking) != set(kinds):
        raise ValueError(f"{path.name} must book exactly {kinds}")
    for kind, (account_id, sign) in booking.items():
        if account_id not in accounts or sign not in (1, -1):
            raise ValueError(f"{path.name}: {kind} is booked on unknown account {account_id!r} or sign {sign}")
    return accounts, booking


def chart() -> Chart:
    return load_chart(CHART, tuple(KINDS))


def booked_lines(found: Chart, amounts: tuple[tuple[str, Decimal], ...]) -> list[dict[str, Any]]:
    """Each (kind, amount) on its account with the account's sign, as the report's account rows."""
    from flexcalc.money import amount_str

    accounts, booking = found
    out = []
    for kind, amount in amounts:
        account_id, sign = booking[kind]
        out.append({**accounts[account_id].to_dict(), "kinds": [kind], "amount": amount_str(amount * sign)})
    return out


def account(account_id: str, field: str = "account") -> Account:
    """The account ``account_id``; an ``InputError`` naming ``field`` if the chart has no such account."""
    accounts, _ = chart()
    found = accounts.get(account_id)
    if found is None:
        known = ", ".join(sorted(accounts))
        raise InputError(field, f"unknown account {account_id!r}; the chart has {known}",
                         f"ukendt konto {account_id!r}; kontoplanen har {known}", code="unknown_account")
    return found


def book(kind: str, amount: Decimal) -> tuple[Account, Decimal]:
    """The account and the signed amount (expense +, income −) of ``amount`` of ``kind``."""
    _, booking = chart()
    if kind not in booking:
        raise InputError("kind", f"unknown amount kind {kind!r}", f"ukendt beløbstype {kind!r}")
    account_id, sign = booking[kind]
    return account(account_id), amount * sign
