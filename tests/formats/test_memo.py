"""Letters as Digital Post messages: every kind of letter wrapped as a MeMo 1.1 message, validated against
the published schema (MeMo_core.xsd 1.1 and its imports, ``tests/formats/schemas/memo-1.1``); the PDF comes
back byte for byte from the base64 main document; the sending is recorded with the message id."""

from __future__ import annotations

import base64
import datetime as dt
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import xmlschema

from flexcalc.errors import InputError
from flexcalc.formats.memo import NAMESPACE, check_message_id, memo_message, party
from tests.letters.support import rising_wage_case
from tests.support.ledger_cli import invoke

SCHEMA_DIR = Path(__file__).parent / "schemas" / "memo-1.1"
NS = {"memo": NAMESPACE}
CPR = "0101901234"  # synthetic


@pytest.fixture(scope="module")
def schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMA_DIR / "MeMo_core.xsd"))


def test_a_minimal_message_is_valid_and_carries_the_pdf(schema: xmlschema.XMLSchema) -> None:
    pdf = b"%PDF-1.7 test \x00\xff"
    mid, xml = memo_message(pdf, title="Afgørelse om fleksløntilskud", sender=party("11223344", "CVR", "Demo Kommune"),
                            recipient=party(CPR, "CPR"), filename="decision-S1.pdf",
                            created=dt.datetime(2024, 6, 10, 9, 30, tzinfo=dt.UTC))
    schema.validate(xml)
    root = ET.fromstring(xml)
    assert root.attrib == {"memoVersion": "1.1", "memoSchVersion": "1.1.0"}
    assert root.findtext("memo:MessageHeader/memo:messageUUID", namespaces=NS) == mid
    assert root.findtext("memo:MessageHeader/memo:Recipient/memo:recipientID", namespaces=NS) == CPR
    assert root.findtext("memo:MessageHeader/memo:Sender/memo:senderID", namespaces=NS) == "11223344"
    assert root.findtext("memo:MessageBody/memo:createdDateTime", namespaces=NS) == "2024-06-10T09:30:00Z"
    content = root.findtext("memo:MessageBody/memo:MainDocument/memo:File/memo:content", namespaces=NS)
    assert base64.b64decode(content or "") == pdf


def test_the_schema_rejects_what_the_builder_must_never_write(schema: xmlschema.XMLSchema) -> None:
    """The validation is real: a message id that is not a version-4 UUID fails the published schema."""
    _, xml = memo_message(b"x", title="t", sender=party("11223344", "CVR", "K"), recipient=party(CPR, "CPR"),
                          filename="a.pdf", message_id="not-a-uuid")
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        schema.validate(xml)


@pytest.mark.parametrize(("value", "kind", "field"), [("123", "CPR", "recipient"), ("1234567", "CVR", "recipient"),
                                                      ("0101901234", "EAN", "recipient")])
def test_bad_parties_are_refused_without_echoing_the_number(value: str, kind: str, field: str) -> None:
    with pytest.raises(InputError) as error:
        party(value, kind)
    assert error.value.field == field and value not in str(error.value) and error.value.reason_da


def test_a_message_id_belongs_to_digital_post_only() -> None:
    good = "8c2ea15d-61fb-4ba9-9366-42f8b194c114"
    assert check_message_id(good.upper(), "digital_post") == good
    for bad, channel in ((good, "post"), ("8c2ea15d-61fb-1ba9-9366-42f8b194c114", "digital_post")):
        with pytest.raises(InputError) as error:
            check_message_id(bad, channel)
        assert error.value.field == "message_id"


def _cpr_case(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The letters' rising-wage case, created with a CPR number stored (as a case import stores it)."""
    import functools

    import tests.letters.support as support
    from flexcalc.ledger.store import create_case

    monkeypatch.setattr(support, "create_case", functools.partial(create_case, cpr=CPR))
    rising_wage_case(db)


def test_every_letter_kind_as_memo_then_sent_with_its_message_id(sqlite_url: str, tmp_path: Path,
                                                                 schema: xmlschema.XMLSchema,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from flexcalc.ledger.models import Correction
    from flexcalc.ledger.store import open_ledger
    from tests.letters.support import decide

    _cpr_case(sqlite_url, monkeypatch)
    factory = open_ledger(sqlite_url)
    with factory() as session:
        correction = next(c.id for c in session.query(Correction).filter_by(case_id="SP")
                          if c.difference == Decimal("-120.00"))
    runs = {
        "specification": ("letters", "specification", "--case", "SP", "--month", "2024-04", "--date", "2024-04-10"),
        "hearing": ("letters", "hearing", "--correction", str(correction), "--date", "2024-04-10"),
    }
    ids = {}
    for kind, args in runs.items():
        out_file = tmp_path / f"{kind}.xml"
        result = invoke(*args, "--format", "memo", "--output", str(out_file), "--save", "--by", "sb-17",
                        "--db", sqlite_url)
        assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
        xml = out_file.read_bytes()
        schema.validate(xml)
        root = ET.fromstring(xml)
        pdf = base64.b64decode(root.findtext(".//memo:File/memo:content", namespaces=NS) or "")
        assert pdf.startswith(b"%PDF")
        assert root.findtext(".//memo:Recipient/memo:recipientID", namespaces=NS) == CPR
        assert root.findtext(".//memo:Sender/memo:label", namespaces=NS) == "Demo Kommune"
        ids[kind] = root.findtext(".//memo:messageUUID", namespaces=NS)
        assert ids[kind] and ids[kind] in result.stderr  # type: ignore[attr-defined]
        assert CPR not in result.stderr and CPR not in result.stdout  # type: ignore[attr-defined]
    decide(factory, correction, "waive", "Du kunne ikke vide det", "did_not_know",
           dt.datetime(2024, 5, 2, tzinfo=dt.UTC))
    decision = tmp_path / "decision.xml"
    result = invoke("letters", "decision", "--correction", str(correction), "--date", "2024-05-03", "--format", "memo",
                    "--output", str(decision), "--recipient-cvr", "12345678", "--db", sqlite_url)
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    schema.validate(decision.read_bytes())
    root = ET.fromstring(decision.read_bytes())
    assert root.findtext(".//memo:Recipient/memo:idType", namespaces=NS) == "CVR"
    # a stored letter shown as MeMo, then recorded as sent by Digital Post with its message id
    shown = tmp_path / "shown.xml"
    assert invoke("letters", "show", "1", "--format", "memo", "--output", str(shown),
                  "--db", sqlite_url).exit_code == 0
    schema.validate(shown.read_bytes())
    assert invoke("letters", "approve", "1", "--by", "sb-2", "--db", sqlite_url).exit_code == 0
    bad = invoke("letters", "sent", "1", "--by", "sb-17", "--channel", "digital_post", "--message-id", "x",
                 "--db", sqlite_url)
    assert bad.exit_code == 2 and "message_id" in bad.stderr  # type: ignore[attr-defined]
    ok = invoke("letters", "sent", "1", "--by", "sb-17", "--channel", "digital_post", "--message-id",
                str(ids["specification"]), "--db", sqlite_url)
    assert ok.exit_code == 0, ok.stderr  # type: ignore[attr-defined]
    listed = invoke("letters", "list", "SP", "--json", "--db", sqlite_url)
    first = __import__("json").loads(listed.stdout)[0]  # type: ignore[attr-defined]
    assert first["channel"] == "digital_post" and first["message_id"] == ids["specification"]


def test_memo_needs_an_output_file_and_a_case_cpr(sqlite_url: str, tmp_path: Path) -> None:
    rising_wage_case(sqlite_url)  # no CPR stored
    no_file = invoke("letters", "specification", "--case", "SP", "--month", "2024-04", "--format", "memo",
                     "--db", sqlite_url)
    assert no_file.exit_code == 2 and "output" in no_file.stderr  # type: ignore[attr-defined]
    no_cpr = invoke("letters", "specification", "--case", "SP", "--month", "2024-04", "--format", "memo",
                    "--output", str(tmp_path / "m.xml"), "--db", sqlite_url)
    assert no_cpr.exit_code == 2 and "recipient" in no_cpr.stderr and "CPR" in no_cpr.stderr  # type: ignore[attr-defined]
    assert not (tmp_path / "m.xml").exists()


def test_the_api_records_the_message_id_of_a_digital_post_sending(sqlite_url: str, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from fastapi.testclient import TestClient

    from api.app import create_app
    from flexcalc.ledger.db import session_factory
    from flexcalc.security.keys import create_key

    _cpr_case(sqlite_url, monkeypatch)
    out = invoke("letters", "specification", "--case", "SP", "--month", "2024-04", "--format", "memo", "--output",
                 str(tmp_path / "m.xml"), "--save", "--by", "sb-17", "--db", sqlite_url)
    assert out.exit_code == 0, out.stderr  # type: ignore[attr-defined]
    message_id = ET.fromstring((tmp_path / "m.xml").read_bytes()).findtext(".//memo:messageUUID", namespaces=NS)
    assert invoke("letters", "approve", "1", "--by", "sb-2", "--db", sqlite_url).exit_code == 0
    monkeypatch.setenv("FLEXCALC_DATABASE_URL", sqlite_url)
    with session_factory(sqlite_url).begin() as session:
        key = create_key(session, "caseworker")[1]
    api = TestClient(create_app(), headers={"Authorization": f"Bearer {key}"})
    bad = api.post("/v1/letters/1/sending", json={"sent_by": "sb-17", "channel": "digital_post", "message_id": "x"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "message_id"
    ok = api.post("/v1/letters/1/sending", json={"sent_by": "sb-17", "channel": "digital_post",
                                                 "message_id": message_id})
    assert ok.status_code in (200, 201), ok.text
    assert api.get("/v1/letters/1").json()["message_id"] == message_id
