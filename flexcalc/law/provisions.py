"""Provisions as values: law, paragraph, stk., pkt., nr., litra, and the quoted sentence where the text
is at hand (Catala keeps the law beside the code, helse-spleis logs ``paragraf, ledd,
punktum``).

A ``Provision`` *is* the citation text the trace has always shown (it subclasses ``str``, so
``str(step.provision)`` and every comparison with a string stay as they were), and it carries the
same citation as structured ``Citation`` values (``refs``) for the trace JSON
(``provision_ref``). The structure is read from the text once, by ``parse_citations`` (the text is
written in the house form "LAB § 123, stk. 2, 2. pkt.; BEK 227/2024 § 1, nr. 1–3").

Provisions are dated like rates (``flexcalc/law/data/provisions.yaml``): ``cite(key, month)``
gives the text in force in the benefit month, so when an act is renumbered (lov nr. 1750 af
29/12/2025 rewrites the employment act from 2026) a new dated entry makes every month after it cite
the new numbers while earlier months keep the old ones. See docs/decisions.md, "Provisions as values".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from flexcalc.law.lawdata import provision_table
from flexcalc.period import Month


@dataclass(frozen=True, slots=True)
class Citation:
    """One cited provision: ``law`` (LAB, BEK 227/2024, Ankestyrelsen PM 48-22 …) and where in it."""

    law: str
    paragraph: str | None = None
    stk: str | None = None
    pkt: str | None = None
    nr: str | None = None
    litra: str | None = None
    note: str | None = None

    def to_dict(self) -> dict[str, str]:
        return {k: v for k, v in (("law", self.law), ("paragraph", self.paragraph), ("stk", self.stk),
                                  ("pkt", self.pkt), ("nr", self.nr), ("litra", self.litra),
                                  ("note", self.note)) if v is not None}


_PART = re.compile(
    r"^(?P<law>[^§]*?)\s*(?P<sign>§§?)\s*"
    r"(?P<para>\d+(?:\s?[a-z](?![a-z]))?(?:\s*(?:og|–|-)\s*\d+(?:\s?[a-z](?![a-z]))?)*)"
    r"(?:,\s*stk\.\s*(?P<stk>\d+(?:\s*(?:,|og|–|-)\s*\d+(?![\d.]))*))?"
    r"(?:,\s*(?P<pkt>\d+)\.\s*pkt\.)?"
    r"(?:,\s*nr\.\s*(?P<nr>\d+(?:\s*(?:–|-)\s*\d+)?))?"
    r"(?:,\s*litra\s*(?P<litra>[a-z]))?"
    r"(?P<rest>.*)$")


@lru_cache(maxsize=1024)
def parse_citations(text: str) -> tuple[Citation, ...]:
    """The citations of a provision text, one per ``;``-separated part. A part without a law name
    (``§ 2, stk. 2`` after ``BEK 227/2024 § 1``) belongs to the law before it; a part with no ``§``
    (``Ankestyrelsen PM 48-22``) is a citation of that source as a whole."""
    citations: list[Citation] = []
    last_law = ""
    for raw in text.split(";"):
        part = raw.strip()
        if not part:
            continue
        match = _PART.match(part)
        if match is None:
            citations.append(Citation(law=part))
            continue
        law = match.group("law").strip() or last_law
        last_law = law
        rest = match.group("rest").strip(" ,") or None
        citations.append(Citation(law=law, paragraph=match.group("para").strip(), stk=match.group("stk"),
                                  pkt=match.group("pkt"), nr=match.group("nr"), litra=match.group("litra"),
                                  note=rest))
    return tuple(citations)


class Provision(str):
    """A citation text that also carries its structure (``refs``), its key and its quote."""

    key: str | None
    quote: str | None

    def __new__(cls, text: str, key: str | None = None, quote: str | None = None) -> Provision:
        obj = super().__new__(cls, text)
        obj.key = key
        obj.quote = quote
        return obj

    @property
    def refs(self) -> tuple[Citation, ...]:
        return parse_citations(str(self))

    def to_dict(self) -> dict[str, Any]:
        return provision_ref(self)


def provision_ref(text: str) -> dict[str, Any]:
    """The structured form of a provision (or of a plain citation string) for the trace JSON."""
    data: dict[str, Any] = {"citations": [c.to_dict() for c in parse_citations(str(text))]}
    if isinstance(text, Provision):
        if text.key is not None:
            data["key"] = text.key
        if text.quote is not None:
            data["quote"] = text.quote
    return data


@lru_cache(maxsize=8192)
def cite(key: str, month: Month) -> Provision:
    """The provision ``key`` as cited in benefit ``month`` (the text in force on its first day)."""
    entry = provision_table().entry_at(key, month.first_day())
    return Provision(entry.text, key, entry.quote)


def base(key: str) -> Provision:
    """The provision ``key`` as cited under the newest instruments (its latest dated text): the module-level
    constants. A month's trace cites ``cite(key, month)``, the text in force in that month."""
    entry = provision_table().provisions[key][-1]
    return Provision(entry.text, key, entry.quote)


INSTRUMENT_PATTERN = re.compile(
    r"selvstændigebekendtgørelsen før BEK 247/2022|BEK \d+/\d{4}|LAB før 2020|LAB(?= §)"
    r"|bekendtgørelsen før BEK 811/2014|ATP-bekendtgørelsen før BEK 1344/2015"
    r"|Ankestyrelsen PM \d+-\d+|vejledning nr\. \d+")


def instruments_named(text: str) -> list[str]:
    """The instruments a citation text names (as keys of the ``instruments`` register)."""
    return list(dict.fromkeys(INSTRUMENT_PATTERN.findall(text)))


@dataclass(frozen=True, slots=True)
class LawWarning:
    """The months whose citations are not confirmed: from the day a new act is expected whose adopted text
    was not found (``law_dates.yaml``, ``citations_unconfirmed_from``)."""

    since: Month

    @property
    def message(self) -> str:
        return (f"citations from {self.since} on are not confirmed: the new employment act and "
                "sickness rules expected from then were not found; the trace cites the act in force before")

    @property
    def message_da(self) -> str:
        return (f"lovhenvisningerne fra {self.since.first_day().day}. januar {self.since.year} er ikke bekræftet: "
                "den nye lov om beskæftigelsesindsatsen og de nye sygedagpengeregler er ikke fundet; beregningen "
                "henviser til de hidtidige regler")

    def to_dict(self) -> dict[str, str]:
        return {"code": "citations_unconfirmed", "since": str(self.since), "reason": self.message,
                "reason_da": self.message_da}


def law_warning(month: Month) -> LawWarning | None:
    """The warning for a benefit month whose citations are not confirmed (``None`` before that date)."""
    from flexcalc.law.lawdata import law_month

    since = law_month("citations_unconfirmed_from")
    return LawWarning(since) if month >= since else None
