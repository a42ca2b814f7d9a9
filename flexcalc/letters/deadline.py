"""When a letter is received and when the complaint deadline ends (docs/decisions.md, "Letters").

- **Received**: a letter sent by Digital Post is received the day it is dated and sent; a paper letter 6
  delivery days later (Justitsministeriets vejledning nr. 9533 af 26/6 2018, as Ankestyrelsen applies it).
  A delivery day is a weekday that is not a Danish public holiday, Constitution Day, 24 or 31 December.
- **Deadline**: 4 weeks after the day of receipt (retssikkerhedsloven § 67, stk. 1); a deadline on a
  Saturday, Sunday or such a day moves to the next weekday that is not one.

The numbers (days per channel, weeks, the last year of Store bededag) are dated data in
``flexcalc/law/data/letters.yaml``; nothing here is a rate.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from .errors import letter_error
from .profile import letters_data

CHANNELS = ("digital_post", "paper")
"""How a letter is to be sent, chosen when it is drafted: the deadline it states depends on it."""


def easter_sunday(year: int) -> dt.date:
    """Easter Sunday (the Gregorian computus, Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    day = (h + l_ - 7 * m + 114) % 31 + 1
    return dt.date(year, month, day)


@cache
def closed_days(year: int) -> frozenset[dt.date]:
    """The public holidays of ``year``, with Constitution Day and 24 and 31 December (no post, no deadline)."""
    easter = easter_sunday(year)
    offsets = [-3, -2, 0, 1, 39, 49, 50]  # skærtorsdag .. 2. pinsedag
    if year <= int(letters_data()["store_bededag_last_year"]):
        offsets.append(26)
    days = {easter + dt.timedelta(days=n) for n in offsets}
    days |= {dt.date(year, 1, 1), dt.date(year, 6, 5), dt.date(year, 12, 24), dt.date(year, 12, 25),
             dt.date(year, 12, 26), dt.date(year, 12, 31)}
    return frozenset(days)


def is_open_day(day: dt.date) -> bool:
    """A weekday that is not a public holiday, Constitution Day, 24 or 31 December."""
    return day.weekday() < 5 and day not in closed_days(day.year)


def check_channel(channel: str | None, field: str = "channel") -> str:
    value = (channel or "").strip().lower()
    if value not in CHANNELS:
        raise letter_error(field, "draft_channel")
    return value


def received_on(letter_date: dt.date, channel: str) -> dt.date:
    """The day the letter counts as received: same day by Digital Post, after the delivery days by paper post."""
    days = int(letters_data()["receipt"]["channels"][check_channel(channel)]["delivery_days"])
    day = letter_date
    while days > 0:
        day += dt.timedelta(days=1)
        if is_open_day(day):
            days -= 1
    return day


def complaint_deadline(letter_date: dt.date, channel: str = "digital_post") -> dt.date:
    """The last day to complain: 4 weeks after receipt, moved to the next open day if it falls on a closed one."""
    weeks = int(letters_data()["complaint"]["weeks"])
    day = received_on(letter_date, channel) + dt.timedelta(weeks=weeks)
    while not is_open_day(day):
        day += dt.timedelta(days=1)
    return day


def channel_label_da(channel: str) -> str:
    return str(letters_data()["receipt"]["channels"][check_channel(channel)]["label_da"])


__all__ = ["CHANNELS", "channel_label_da", "check_channel", "closed_days", "complaint_deadline", "easter_sunday",
           "is_open_day", "received_on"]
