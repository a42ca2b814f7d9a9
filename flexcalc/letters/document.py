"""A letter as data, and its three renderings: text, HTML (one Jinja2 layout per output) and PDF (WeasyPrint
from the HTML; no PDF is written by hand).

A letter is a title, an opening, sections of paragraphs, lists and tables, and a box of the legal
provisions it rests on. Its **running text** — the opening, the paragraphs, the list items and the
closing — is what a person reads as sentences; LIX is measured on it (the tables, the headings and the
box of provisions are not sentences and are left out, as the issue allows for the provisions).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from flexcalc.errors import require
from flexcalc.period import Month
from flexcalc.text_da.format import date_da

from .profile import MunicipalityProfile, SenderWording, sender_on

if TYPE_CHECKING:
    from jinja2 import Environment

PDF_VARIANT = "pdf/ua-1"
"""The PDF is tagged (PDF/UA-1: headings, lists, tables, language ``da`` from ``<html lang="da">``)."""


def tidy(text: str) -> str:
    """One full stop after an amount that ends a sentence ("… 11.550,00 kr." not "kr..")."""
    return text.replace("kr..", "kr.")


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", tidy(self.text))


@dataclass(frozen=True, slots=True)
class Bullets:
    items: tuple[str, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "items", tuple(tidy(item) for item in self.items))


@dataclass(frozen=True, slots=True)
class Table:
    """A small table of amounts: the first column is text, the others are right-aligned figures."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    footer: tuple[str, ...] | None = None

    def widths(self) -> list[int]:
        lines = [self.columns, *self.rows, *([self.footer] if self.footer else [])]
        return [max(len(line[i]) for line in lines) for i in range(len(self.columns))]


Block = Paragraph | Bullets | Table


@dataclass(frozen=True, slots=True)
class Section:
    heading: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class Provision:
    """A legal provision the letter rests on, and what it says in a line."""

    reference: str
    says: str


@dataclass(frozen=True, slots=True)
class Letter:
    """One letter, ready to render. ``facts`` carries the figures it states (JSON-able: amounts as strings,
    dates as ISO text) for the API and the tests."""

    kind: str
    case_id: str
    letter_date: dt.date
    title: str
    opening: tuple[str, ...]
    sections: tuple[Section, ...]
    provisions: tuple[Provision, ...]
    closing: tuple[str, ...]
    correction_ids: tuple[int, ...] = ()
    benefit_month: Month | None = None
    reply_by: dt.date | None = None
    complaint_deadline: dt.date | None = None
    facts: dict[str, Any] = field(default_factory=dict)
    municipality: MunicipalityProfile | None = None
    channel: str = "digital_post"
    """How the letter is to be sent (``digital_post`` or ``paper``), chosen when it is drafted."""

    @property
    def date_da(self) -> str:
        return date_da(self.letter_date)

    @property
    def sender(self) -> SenderWording:
        """The sender's wording on the letter's date (dated data, not a condition in the template)."""
        return sender_on(self.letter_date)

    @property
    def channel_da(self) -> str:
        return "Digital Post" if self.channel == "digital_post" else "almindelig post"

    def running_text(self) -> str:
        """The sentences a person reads (LIX is measured on this): opening, paragraphs, list items, closing."""
        parts: list[str] = list(self.opening)
        for section in self.sections:
            for block in section.blocks:
                if isinstance(block, Paragraph):
                    parts.append(block.text)
                elif isinstance(block, Bullets):
                    parts.extend(item if item.endswith((".", "?", "!")) else item + "." for item in block.items)
        parts.extend(self.closing)
        return "\n".join(parts)

    def text(self) -> str:
        return _environment(False).get_template("letter.txt.j2").render(letter=self, **_kinds()).rstrip() + "\n"

    def html(self) -> str:
        return _environment(True).get_template("letter.html.j2").render(letter=self, **_kinds())

    def pdf(self) -> bytes:
        return html_to_pdf(self.html())


def _kinds() -> dict[str, Any]:
    return {"Paragraph": Paragraph, "Bullets": Bullets, "Table": Table}


@lru_cache(maxsize=2)
def _environment(html: bool) -> Environment:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(loader=PackageLoader("flexcalc.letters", "templates"), autoescape=html,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.tests["paragraph"] = lambda block: isinstance(block, Paragraph)
    env.tests["bullets"] = lambda block: isinstance(block, Bullets)
    env.tests["table"] = lambda block: isinstance(block, Table)
    env.filters["wrap"] = _wrap
    env.filters["row"] = _text_row
    return env


def _wrap(text: str, width: int = 88, indent: str = "") -> str:
    import textwrap

    text = text.replace(" kr.", "\u00a0kr.")  # an amount is never split from its unit
    return textwrap.fill(text, width=width, initial_indent=indent, subsequent_indent=" " * len(indent),
                         break_long_words=False, break_on_hyphens=False).replace("\u00a0", " ")


def _text_row(cells: tuple[str, ...], widths: list[int]) -> str:
    first = cells[0].ljust(widths[0])
    rest = [cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True)]
    return "  ".join([first, *rest]).rstrip()


def html_to_pdf(html: str) -> bytes:
    """The PDF of a letter's HTML (WeasyPrint; its text can be extracted, e.g. with pypdf)."""
    from weasyprint import HTML

    return bytes(require(HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT), "the PDF WeasyPrint writes"))


def contact_lines(letter_date: dt.date, case_id: str, profile: MunicipalityProfile) -> tuple[str, ...]:
    """The closing every letter ends with: whom to call, on which number, when, and how to write."""
    who = sender_on(letter_date).contact_da
    return (f"Har du spørgsmål, kan du ringe til {who} på {profile.phone}. Vi har åbent {profile.opening_hours}.",
            f"Du kan også skrive til os med Digital Post. Skriv sagens nummer, {case_id}, når du skriver.")


def content_hash(text: str, html: str) -> str:
    """SHA-256 of a letter's text and HTML: the stored draft is the letter that was approved."""
    digest = hashlib.sha256()
    digest.update(text.encode())
    digest.update(b"\x00")
    digest.update(html.encode())
    return digest.hexdigest()
