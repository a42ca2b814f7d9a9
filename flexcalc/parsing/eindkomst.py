"""The income register's answers (eIndkomst, SF0770_A ``IndkomstOplysningPersonHent``), read as a stream.

Indkomstregistrets svar læses i strøm: én lønperiode ad gangen, og elementerne ryddes bagefter, så
hukommelsen ikke vokser med filens størrelse.

**The format.** The answer of SKAT's service ``IndkomstOplysningPersonHent`` (WSDL
``services/demotin/eIndkomst10/IndkomstOplysningPersonHent.wsdl`` in github.com/skat/eksternwiki, revision
r25283; Serviceplatformen offers it as SF0770_A). Its root ``IndkomstOplysningPersonHent_O`` holds, per
person (``IndkomstOplysningPersonStruktur`` with the CPR number), per reporting employer
(``IndkomstOplysningSamling`` → ``IndberetningPligtigVirksomhed`` → SE number), per pay period
(``IndkomstLoenPeriodeSamling``): the disposition date, the pay period (an XKOM date interval), the
register's identifiers of the report and the report's form fields (``AngivelseBlanketIndholdStruktur``:
forms 11000 → 16000 → 16001 …, each field a ``BlanketFeltNummerIdentifikator`` with its text). The
interface schema itself (``IndkomstOplysningPersonHentInterface.xsd``) is only inside the zip file beside
the WSDL, which the stored public material does not hold as text; the element names and their namespaces
here come from the WSDL, the per-element XSDs of ``oioxml/skat_dk/eIndkomst`` and the paths two public
clients of the service walk. ``schemas/eindkomst`` holds our reconstruction of the subset we read (README).

Elements are matched by their local name (a namespace change between schema versions does not break the
reader); everything not named here is skipped. The reader never resolves entities or fetches a DTD.

**What counts as wage** (``place``): see ``FIELDS`` — the AM-liable A-income (felt 13) and B-income
(felt 36), the employee's own pension share (felt 147) and the employer's (felt 148): LAB § 123 stk. 2;
BEK 227/2024 § 1 nr. 1–2. Felt 13 holds neither the employee's own ATP nor the contributions to an
employer-administered pension (skat.dk oid=2233519, "Felt 13"): so the pension fields are added, ATP is not.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any, NamedTuple, Protocol

from flexcalc.money import ZERO

FIELD_PREFIX = "100000000000000"
"""The register's field identifiers are 18 digits: this prefix and the field's three-digit number."""


@dataclass(frozen=True, slots=True)
class FieldMeaning:
    """One form field of the register: what it is, the reporting field number employers know it by
    (``felt``; None where the public material does not name it), and how the subsidy uses it."""

    key: str
    felt: str | None
    label_da: str
    use: str
    """``wage`` (lønindtægt), ``pension_own``, ``pension_employer``, ``hours``, or ``info`` (kept for the
    trace, never counted)."""


FIELDS: dict[str, FieldMeaning] = {
    "057": FieldMeaning("a_income", "13", "A-indkomst, hvoraf der betales AM-bidrag", "wage"),
    "058": FieldMeaning("a_income_no_am", "14", "A-indkomst, hvoraf der ikke betales AM-bidrag", "info"),
    "059": FieldMeaning("a_tax", "15", "Indeholdt A-skat", "info"),
    "060": FieldMeaning("am_contribution", "16", "Indeholdt AM-bidrag", "info"),
    "070": FieldMeaning("b_income", "36", "B-indkomst, hvoraf der betales AM-bidrag", "wage"),
    "071": FieldMeaning("b_income_no_am", "38", "B-indkomst, hvoraf der ikke betales AM-bidrag", "info"),
    "076": FieldMeaning("atp", "46", "ATP-bidrag i alt", "info"),
    "199": FieldMeaning("atp_own", None, "Lønmodtagerens eget ATP-bidrag", "info"),
    "197": FieldMeaning("pension_own", "147", "Lønmodtagers pensionsandel", "pension_own"),
    "198": FieldMeaning("pension_employer", "148", "Arbejdsgivers pensionsandel", "pension_employer"),
    "096": FieldMeaning("hours", "200", "Løntimer", "hours"),
    "098": FieldMeaning("holiday_pay_earned", None, "Bruttoferiepenge (optjent, ikke udbetalt nu)", "info"),
    "217": FieldMeaning("holiday_pay_paid", "113", "A-indkomst udbetalt som feriepenge (heraf, i felt 13)",
                        "info"),
}
"""The 16001 fields the mapping knows (field number → meaning); the numbers and labels of the
register's fields follow the Odense Kommune eIndkomst client's field table and SKAT's field list
(info.skat.dk oid=2277175; skat.dk oid=2233519). Holiday pay and supplements paid with the wage are
inside felt 13 ("løn og løntillæg af enhver art … feriepenge når de skal beskattes"), so they count
through it; the "heraf" fields are shown, never added twice. Other 16001 fields (staff benefits,
travel allowances …) are not wage for the subsidy (PM 39-19) and are kept in the trace as ignored."""

HEADER_FIELDS = {
    "011": "report_kind",       # 11000: indberetningsart, I = indberetning, T = tilbageførsel
    "012": "income_type",       # 11000: indkomsttype, 00 = løn mv. efter de almindelige regler
    "016": "tax_month",         # 11000: skattemåned (basismåned) YYYYMM
    "151": "r_mark",            # 11000: rettelse til tidligere periode (R-markering), 1 = ja
    "019": "income_kind",       # 16000: indtægtsart
    "021": "reversal_mark",     # 16000: markering for tilbageførsel, 1 = ja
}
"""Header fields of forms 11000 and 16000 that decide how a record is placed."""

PLACED_INCOME_TYPES = frozenset({"00"})
"""Indkomsttype 00: wage under the ordinary rules (skat.dk oid=2233519 contrasts 02 and 08 with 00).
Any other income type is held for the caseworker."""


class Part(NamedTuple):
    """One amount of a record and the field it came from, for the trace."""

    key: str
    field_id: str
    felt: str | None
    label_da: str
    amount: Decimal
    use: str

    def to_dict(self) -> dict[str, Any]:
        from flexcalc.money import amount_str

        return {"key": self.key, "field_id": self.field_id, "felt": self.felt, "label_da": self.label_da,
                "amount": amount_str(self.amount), "use": self.use}


@dataclass(slots=True)
class RegisterRecord:
    """One person's report from one employer (SE) for one pay period, as the register answered."""

    where: str
    """The record's place in the file (person, employer, period by their order, never the CPR)."""
    cpr: str = field(repr=False)
    employer_id: str | None
    register_id: str | None
    """``AngivelseIdentifikator``: the register's id of the report."""
    own_id: str | None
    """``AngivelseVirksomhedEgenIdentifikator``: the employer's own id of the report (a reversal names it)."""
    reverses_own_id: str | None
    """``IndkomstPersonGruppeTilbagefoertVirksomhedEgenIdentifikator``: the report this one reverses."""
    reversed_later: bool
    """``IndkomstPersonGruppeTilbagefoertIndikator``: a later reversal has cancelled this report."""
    received_at: dt.datetime | None
    """``AngivelseDatoTid``: when the register received the report."""
    disposition_date: dt.date | None
    period_start: dt.date | None
    period_end: dt.date | None
    header: dict[str, str]
    parts: tuple[Part, ...]
    ignored: tuple[Part, ...]
    problems: tuple[str, ...]
    """What could not be read (a date or an amount that is not one), by element or field."""

    @property
    def identity(self) -> str | None:
        """The register's identity of the report: the employer's own id, else the register's id."""
        if self.own_id:
            return f"own:{self.own_id}"
        if self.register_id:
            return f"reg:{self.register_id}"
        return None

    is_reversal: bool = False
    """Indberetningsart T, the 16000 reversal mark, or a named reversed report."""

    def total(self, use: str) -> Decimal:
        return sum((p.amount for p in self.parts if p.use == use), ZERO)


_LOCAL_NAMES: dict[str, str] = {}


def _local(tag: object) -> str:
    """An element's name without its namespace (cached: the same few tags repeat)."""
    text = str(tag)
    name = _LOCAL_NAMES.get(text)
    if name is None:
        name = _LOCAL_NAMES[text] = text.rsplit("}", 1)[-1]
    return name


def _child_text(element: Any, name: str) -> str | None:
    for child in element:
        if _local(child.tag) == name:
            text = (child.text or "").strip()
            return text or None
    return None


def _descendant_text(element: Any, name: str) -> str | None:
    for child in element.iter():
        if _local(child.tag) == name:
            text = (child.text or "").strip()
            return text or None
    return None


_AMOUNT = re.compile(r"^-?[0-9]{1,12}([.,][0-9]{1,2})?$")


def parse_register_amount(text: str) -> Decimal | None:
    """An amount as the register writes it: digits with an optional sign and at most two decimals after
    a point or a comma (no thousands separator); None when it is not one."""
    text = text.strip()
    if not _AMOUNT.match(text):
        return None
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return None


def _date(text: str | None, name: str, problems: list[str]) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        problems.append(f"{name} is not a date")
        return None


def _instant(text: str | None, problems: list[str]) -> dt.datetime | None:
    """``AngivelseDatoTid`` (xs:dateTime); without an offset it is Danish time."""
    if text is None:
        return None
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        problems.append("AngivelseDatoTid is not an instant")
        return None
    if parsed.tzinfo is None:
        from zoneinfo import ZoneInfo

        parsed = parsed.replace(tzinfo=ZoneInfo("Europe/Copenhagen"))
    return parsed.astimezone(dt.UTC)


_PERIOD_VALUES = frozenset({
    "AngivelseIdentifikator", "AngivelseVirksomhedEgenIdentifikator", "AngivelseDatoTid",
    "IndkomstPersonGruppeDispositionDato", "IndkomstPersonGruppeTilbagefoertIndikator",
    "IndkomstPersonGruppeTilbagefoertVirksomhedEgenIdentifikator", "StartDate", "EndDate"})


_SCANNED = tuple(f"{{*}}{name}" for name in (*_PERIOD_VALUES, "AngivelseFeltIndholdTekst",
                                              "BlanketFeltNummerIdentifikator", "BlanketNummerIdentifikator"))


def _scan(period: Any) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    """One pass over a pay period in document order: its identifying values (first occurrence) and every
    form field as (form number, field id, text). The schema puts a form's number first, then its fields,
    then its sub-forms, so the latest form number seen is the field's form."""
    values: dict[str, str] = {}
    fields: list[tuple[str, str, str]] = []
    form = ""
    field_id = ""
    names = _LOCAL_NAMES
    for element in period.iter(*_SCANNED):
        name = names.get(element.tag) or _local(element.tag)
        if name == "AngivelseFeltIndholdTekst":
            fields.append((form, field_id, (element.text or "").strip()))
        elif name == "BlanketFeltNummerIdentifikator":
            field_id = (element.text or "").strip()
        elif name == "BlanketNummerIdentifikator":
            form = (element.text or "").strip()
        elif name in _PERIOD_VALUES and name not in values:
            values[name] = (element.text or "").strip()
    return values, fields


def _fields_of(fields: list[tuple[str, str, str]], problems: list[str]
               ) -> tuple[dict[str, str], list[Part], list[Part]]:
    header: dict[str, str] = {}
    parts: list[Part] = []
    ignored: list[Part] = []
    if not fields:
        problems.append("AngivelseBlanketIndholdStruktur has no fields")
    for form, field_id, text in fields:
        number = field_id[len(FIELD_PREFIX):] if field_id.startswith(FIELD_PREFIX) else None
        if number is None or len(field_id) != 18:
            problems.append(f"field id {field_id[:20]!r} of form {form} is not a register field id")
            continue
        if number in HEADER_FIELDS:
            header[HEADER_FIELDS[number]] = text
            continue
        if form != "16001":
            continue
        amount = parse_register_amount(text)
        meaning = FIELDS.get(number)
        if amount is None:
            if meaning is not None:
                problems.append(f"field {field_id} ({meaning.label_da}) is not an amount")
            continue
        if meaning is None:
            ignored.append(Part(f"field_{number}", field_id, None, "ikke brugt i lønindtægten", amount, "ignored"))
        else:
            parts.append(Part(meaning.key, field_id, meaning.felt, meaning.label_da, amount, meaning.use))
    return header, parts, ignored


def _record(period: Any, cpr: str, employer: str | None, where: str) -> RegisterRecord:
    problems: list[str] = []
    values, fields = _scan(period)
    header, parts, ignored = _fields_of(fields, problems)
    reversed_text = (values.get("IndkomstPersonGruppeTilbagefoertIndikator") or "false").lower()
    return RegisterRecord(
        where=where, cpr=cpr, employer_id=employer,
        register_id=values.get("AngivelseIdentifikator") or None,
        own_id=values.get("AngivelseVirksomhedEgenIdentifikator") or None,
        reverses_own_id=values.get("IndkomstPersonGruppeTilbagefoertVirksomhedEgenIdentifikator") or None,
        reversed_later=reversed_text in ("true", "1"),
        received_at=_instant(values.get("AngivelseDatoTid") or None, problems),
        disposition_date=_date(values.get("IndkomstPersonGruppeDispositionDato") or None,
                               "IndkomstPersonGruppeDispositionDato", problems),
        period_start=_date(values.get("StartDate") or None, "StartDate", problems),
        period_end=_date(values.get("EndDate") or None, "EndDate", problems),
        header=header, parts=tuple(parts), ignored=tuple(ignored), problems=tuple(problems),
        is_reversal=(header.get("report_kind", "").upper() == "T" or header.get("reversal_mark") == "1"
                     or bool(values.get("IndkomstPersonGruppeTilbagefoertVirksomhedEgenIdentifikator"))))


class Readable(Protocol):
    """A binary stream: what ``read_records`` reads from besides a path."""

    def read(self, size: int = -1, /) -> bytes: ...


ANSWER = "IndkomstOplysningPersonHent_O"
_TAGS = ("{*}IndkomstLoenPeriodeSamling", "{*}IndkomstOplysningSamling", "{*}IndkomstOplysningPersonStruktur",
         f"{{*}}{ANSWER}")


def _ancestor(element: Any, name: str) -> Any:
    current = element.getparent()
    while current is not None and _local(current.tag) != name:
        current = current.getparent()
    return current


def _forget(element: Any) -> None:
    """Free a finished element and the finished sibling of its kind before it (memory stays flat); the
    siblings that identify the person or the employer stay until their parent is freed."""
    element.clear(keep_tail=False)
    previous = element.getprevious()
    if previous is not None and previous.tag == element.tag:
        element.getparent().remove(previous)


def _period_record(element: Any, persons: int, employers: int, periods: int) -> RegisterRecord:
    """The record of one pay period (``IndkomstLoenPeriodeSamling``), with the person's CPR number and the
    employer's SE number read from its ancestors, and where in the file it stands (for a held record)."""
    samling = _ancestor(element, "IndkomstOplysningSamling")
    person = _ancestor(element, "IndkomstOplysningPersonStruktur")
    cpr = _child_text(person, "PersonCivilRegistrationIdentifier") if person is not None else None
    employer = _descendant_text(samling, "VirksomhedSENummerIdentifikator") if samling is not None else None
    if samling is not None and person is not None and samling.getparent() is person:
        where = f"person {persons + 1}, employer {employers + 1}, period {periods}"
    else:
        where = f"period {periods}"
    return _record(element, (cpr or "").replace("-", ""), employer, where)


def read_records(source: str | Path | IO[bytes] | Readable) -> Iterator[RegisterRecord]:
    """Every record of a register answer, in file order, read as a stream.

    The answer may stand alone or inside the SOAP envelope the service returns. A file that is not
    well-formed XML, or holds no answer element, raises ``InputError`` (field ``file``); what was yielded
    before stays yielded (the caller decides about its transaction)."""
    if isinstance(source, str | Path):
        with open(source, "rb") as stream:  # closed when the reading ends or is abandoned
            yield from read_records(stream)
        return
    from lxml import etree

    from flexcalc.errors import InputError

    persons = 0
    employers = 0
    periods = 0
    answers = 0
    parser = etree.iterparse(source, events=("end",), tag=_TAGS, resolve_entities=False, load_dtd=False,
                             no_network=True, huge_tree=False, remove_comments=True)
    try:
        for _event, element in parser:
            name = _local(element.tag)
            if name == "IndkomstLoenPeriodeSamling":
                periods += 1
                yield _period_record(element, persons, employers, periods)
                _forget(element)
            elif name == ANSWER:
                answers += 1
            elif name == "IndkomstOplysningSamling":
                employers += 1
                periods = 0
                _forget(element)
            else:
                persons += 1
                employers = 0
                _forget(element)
    except etree.XMLSyntaxError as error:
        line = getattr(error, "lineno", None) or 0
        raise InputError("file", f"is not well-formed XML (line {line})",
                         f"er ikke gyldig XML (linje {line})", code="xml_syntax") from None
    if not answers:
        raise InputError("file", f"holds no {ANSWER} element: it is not an answer of IndkomstOplysningPersonHent",
                         f"indeholder intet {ANSWER}-element: det er ikke et svar fra IndkomstOplysningPersonHent",
                         code="not_an_answer")


@dataclass(frozen=True, slots=True)
class Placement:
    """A record placed as a wage report: the amounts the subsidy counts, each from its fields."""

    wage: Decimal
    pension_own: Decimal
    pension_employer: Decimal
    hours: Decimal


@dataclass(frozen=True, slots=True)
class Held:
    """A record the mapping cannot place, with the reason (never guessed)."""

    code: str
    reason_en: str
    reason_da: str


def place(record: RegisterRecord) -> Placement | Held:
    """The wage income of a record for the subsidy, or why it is held.

    Lønindtægt = felt 13 (AM-liable A-income) + felt 36 (AM-liable B-income) + felt 147 (the employee's
    pension share) + felt 148 (the employer's); LAB § 123 stk. 2, BEK 227/2024 § 1 nr. 1–2. Held: a
    record that cannot be read whole, without an employer, identity, disposition date or pay period, of
    another income type than 00, with an indtægtsart (a benefit or a special income, not plain wage), or
    with the R-mark (a correction of an earlier period: which basis month it changes is the caseworker's
    call, RULES.md "Corrections").
    """
    if record.problems:
        return Held("unreadable", f"cannot be read: {record.problems[0]}", f"kan ikke læses: {record.problems[0]}")
    missing = [name for name, value in (("VirksomhedSENummerIdentifikator", record.employer_id),
                                        ("AngivelseVirksomhedEgenIdentifikator/AngivelseIdentifikator",
                                         record.identity),
                                        ("AngivelseDatoTid", record.received_at),
                                        ("IndkomstPersonGruppeDispositionDato", record.disposition_date),
                                        ("AngivelsePeriode", record.period_start and record.period_end))
               if not value]
    if missing:
        return Held("incomplete", f"{missing[0]} is missing", f"{missing[0]} mangler")
    income_type = record.header.get("income_type", "00")
    if income_type not in PLACED_INCOME_TYPES:
        return Held("income_type", f"income type {income_type[:4]} is not wage under the ordinary rules",
                    f"indkomsttype {income_type[:4]} er ikke løn efter de almindelige regler")
    kind = record.header.get("income_kind")
    if kind and kind.strip("0"):
        return Held("income_kind", f"indtægtsart {kind[:6]}: a benefit or special income is not placed automatically",
                    f"indtægtsart {kind[:6]}: en ydelse eller særlig indkomst placeres ikke automatisk")
    if record.header.get("r_mark") == "1":
        return Held("r_mark", "corrects an earlier period (R-mark): the caseworker places it",
                    "retter en tidligere periode (R-markering): sagsbehandleren placerer den")
    if record.is_reversal and not record.reverses_own_id:
        return Held("reversal_target", "a reversal that does not name the report it reverses",
                    "en tilbageførsel, der ikke angiver den indberetning, den tilbagefører")
    return Placement(wage=record.total("wage"), pension_own=record.total("pension_own"),
                     pension_employer=record.total("pension_employer"), hours=record.total("hours"))
