"""A letter as a Digital Post message: MeMo (Meddelelsesmodellen) version 1.1, the message format of
Digitaliseringsstyrelsen's Digital Post (sent through Serviceplatformen's SF1601; digitaliser.dk/digital-post/
vejledninger/memo). The schema MeMo_core.xsd 1.1 (``memoVersion="1.1"``, ``memoSchVersion="1.1.0"``, namespace
``https://DigitalPost.dk/MeMo-1``) validates every message in the tests.

flexcalc writes the message only: the letter's PDF as the main document (base64), the recipient (a CPR or a
CVR number), the sender (the municipality's CVR number and name), the title and a new message UUID (version 4,
as the schema's ``memoUuidType`` requires). Sending it (SF1601, the OCES certificate, the receipt) is outside
flexcalc; the caseworker records the sending with the message UUID (``letters sent --message-id``).

The XML carries the recipient's CPR number because Digital Post needs it: write it to a file, never to a log.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
import uuid
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from flexcalc.errors import InputError

NAMESPACE = "https://DigitalPost.dk/MeMo-1"
MEMO_VERSION = "1.1"
MEMO_SCHEMA_VERSION = "1.1.0"
ID_TYPES = ("CPR", "CVR")
_ID_RE = {"CPR": re.compile(r"^[0-9]{10}$"), "CVR": re.compile(r"^[0-9]{8}$")}
_UUID4 = re.compile(r"^[a-f0-9]{8}-[a-f0-9]{4}-4[a-f0-9]{3}-[89ab][a-f0-9]{3}-[a-f0-9]{12}$")
TEXT_MAX = 256
"""``memoTextType``: at most 256 characters."""


@dataclass(frozen=True, slots=True)
class Party:
    """A sender or recipient: its number and kind (CPR or CVR) and, optionally, its name."""

    id: str
    id_type: str
    label: str | None = None


def party(value: str, id_type: str, label: str | None = None, field: str = "recipient") -> Party:
    """A checked party: a CPR number is 10 digits, a CVR number 8 (the value is never echoed)."""
    kind = id_type.strip().upper()
    digits = value.strip().replace("-", "")
    if kind not in ID_TYPES:
        raise InputError(field, "must be a CPR or CVR number", "skal være et CPR- eller CVR-nummer",
                         code="memo_id_type")
    if not _ID_RE[kind].match(digits):
        length = 10 if kind == "CPR" else 8
        raise InputError(field, f"a {kind} number is {length} digits", f"et {kind}-nummer har {length} cifre",
                         code="memo_id")
    return Party(digits, kind, None if label is None else label.strip()[:TEXT_MAX])


def new_message_id() -> str:
    """A new MeMo message UUID (version 4, lower case)."""
    return str(uuid.uuid4())


def check_message_id(value: str, channel: str) -> str:
    """A message id as recorded with a sending: a version-4 UUID, and only for Digital Post."""
    text = value.strip().lower()
    if channel != "digital_post":
        raise InputError("message_id", "only a letter sent by Digital Post has a message id",
                         "kun et brev sendt med Digital Post har et meddelelses-id", code="message_id_channel")
    if not _UUID4.match(text):
        raise InputError("message_id", "must be the MeMo message UUID (version 4)",
                         "skal være MeMo-meddelelsens UUID (version 4)", code="message_id_format")
    return text


def _sub(parent: ET.Element, name: str, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, f"{{{NAMESPACE}}}{name}")
    if text is not None:
        element.text = text
    return element


def _party(parent: ET.Element, name: str, who: Party, id_name: str) -> None:
    element = _sub(parent, name)
    _sub(element, id_name, who.id)
    _sub(element, "idType", who.id_type)
    if who.label:
        _sub(element, "label", who.label)


def memo_message(pdf: bytes, *, title: str, sender: Party, recipient: Party, filename: str,
                 message_id: str | None = None, created: dt.datetime | None = None) -> tuple[str, bytes]:
    """(message UUID, the MeMo XML as UTF-8 bytes) wrapping ``pdf`` as the main document."""
    if sender.label is None:
        raise InputError("sender", "the sender needs its name", "afsenderen skal have sit navn", code="memo_sender")
    label = title.strip()[:TEXT_MAX]
    if not label:
        raise InputError("title", "is missing", "mangler", code="missing")
    mid = message_id or new_message_id()
    stamp = (created or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    ET.register_namespace("memo", NAMESPACE)
    root = ET.Element(f"{{{NAMESPACE}}}Message", {"memoVersion": MEMO_VERSION, "memoSchVersion": MEMO_SCHEMA_VERSION})
    header = _sub(root, "MessageHeader")
    _sub(header, "messageType", "DIGITALPOST")
    _sub(header, "messageUUID", mid)
    _sub(header, "label", label)
    _sub(header, "mandatory", "false")
    _sub(header, "legalNotification", "false")
    _party(header, "Sender", sender, "senderID")
    _party(header, "Recipient", recipient, "recipientID")
    body = _sub(root, "MessageBody")
    _sub(body, "createdDateTime", stamp.strftime("%Y-%m-%dT%H:%M:%SZ"))
    file = _sub(_sub(body, "MainDocument"), "File")
    _sub(file, "encodingFormat", "application/pdf")
    _sub(file, "filename", filename[:TEXT_MAX])
    _sub(file, "language", "da")
    _sub(file, "content", base64.b64encode(pdf).decode("ascii"))
    return mid, ET.tostring(root, encoding="utf-8", xml_declaration=True)
