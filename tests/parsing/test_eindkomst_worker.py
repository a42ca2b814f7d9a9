"""The register's answer parsed in a second process: the same records, in the same order, with the same
errors as the reader in this process; the child is stopped when the reading is abandoned."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from fixtures.eindkomst import Period, Person, national_month, write_answer
from flexcalc.errors import InputError
from flexcalc.parsing.eindkomst import Part, read_records
from flexcalc.parsing.eindkomst_worker import decode, encode, read_records_parallel

HERE = Path(__file__).resolve().parents[2] / "fixtures" / "eindkomst"
MARCH, APRIL = HERE / "answer_2024_03.xml", HERE / "answer_2024_04.xml"
BASE = dict(se="12345678", received="2024-04-05T10:00:00.250+02:00", disposition="2024-03-28",
            start="2024-03-01", end="2024-03-31")


def _odd_answer() -> bytes:
    """Records that exercise every field of a record: a reversal, an ignored field, a decimal comma, an
    unreadable amount and date, a tab and a backslash in the employer's own id, a later reversal mark."""
    out = io.StringIO()
    write_answer(out, [Person("0101901234", [
        Period(own_id="T\\1\tx", register_id=1, amounts={"057": "100,5"}, header={"011": "T", "012": "00"},
               reverses="L\\0", **BASE),  # type: ignore[arg-type]
        Period(own_id="L1", register_id=2, amounts={"057": "-0.00", "301": "12.00", "197": "007.50"},
               reversed_later=True, **BASE),  # type: ignore[arg-type]
        Period(own_id="L2", register_id=3, amounts={"057": "12 000"}, kind_fields={"019": "0024"},
               **{**BASE, "start": "2024-13-01"}),  # type: ignore[arg-type]
    ]), Person("0101911234", [Period(own_id="", register_id=4, amounts={}, **BASE)])])  # type: ignore[arg-type]
    return out.getvalue().encode()


def _sources() -> list[bytes]:
    big = io.StringIO()
    write_answer(big, national_month(1200))
    return [MARCH.read_bytes(), APRIL.read_bytes(), _odd_answer(), big.getvalue().encode()]


@pytest.mark.parametrize("index", range(4))
def test_the_child_gives_the_same_records_in_the_same_order(index: int) -> None:
    data = _sources()[index]
    here = list(read_records(io.BytesIO(data)))
    there = list(read_records_parallel(io.BytesIO(data)))
    assert len(here) >= 4 and there == here
    assert [r.cpr for r in there] == [r.cpr for r in here]  # the CPR is kept out of the comparison's repr only


def test_encoding_keeps_every_field_and_the_exact_amounts() -> None:
    records = list(read_records(io.BytesIO(_odd_answer())))
    seen: dict[tuple[str, str], Part] = {}
    back = [decode(encode(r), seen) for r in records]
    assert back == records
    first = back[0]
    assert first.is_reversal and first.reverses_own_id == "L\\0" and first.own_id == "T\\1\tx"
    assert str(back[1].parts[1].amount) == "7.50" and str(back[0].parts[0].amount) == "100.5"
    assert back[1].reversed_later and back[1].ignored[0].field_id.endswith("301")
    assert back[2].problems == records[2].problems and back[2].problems  # the unreadable amount and date
    assert back[0].received_at is not None and back[0].received_at.microsecond == 250000


def test_a_file_that_breaks_off_yields_what_came_before_then_the_same_error() -> None:
    data = _sources()[3]
    broken = data[:len(data) // 2]
    here: list[object] = []
    with pytest.raises(InputError) as serial:
        here.extend(read_records(io.BytesIO(broken)))
    there: list[object] = []
    with pytest.raises(InputError) as parallel:
        there.extend(read_records_parallel(io.BytesIO(broken)))
    assert len(there) == len(here) > 100 and there == here
    assert parallel.value.as_dict() == serial.value.as_dict() and parallel.value.code == "xml_syntax"


def test_other_xml_is_refused_as_in_this_process() -> None:
    with pytest.raises(InputError) as caught:
        list(read_records_parallel(io.BytesIO(b"<a><b/></a>")))
    assert caught.value.code == "not_an_answer" and caught.value.field == "file"


class _Failing(io.BytesIO):
    def read(self, size: int | None = -1, /) -> bytes:
        if self.tell() > 200_000:
            raise OSError("the disk went away")
        return super().read(min(size or 65536, 65536))


def test_a_source_that_fails_raises_its_own_error() -> None:
    with pytest.raises(OSError, match="disk went away"):
        list(read_records_parallel(_Failing(_sources()[3])))


def test_an_abandoned_reading_stops_the_child(monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess

    started: list[subprocess.Popen[bytes]] = []
    real = subprocess.Popen

    def spy(*args: Any, **kwargs: Any) -> subprocess.Popen[bytes]:
        child: subprocess.Popen[bytes] = real(*args, **kwargs)
        started.append(child)
        return child

    monkeypatch.setattr(subprocess, "Popen", spy)
    records = read_records_parallel(io.BytesIO(_sources()[3]))
    next(records)
    assert started[0].poll() is None  # still reading
    records.close()  # type: ignore[attr-defined]
    assert len(started) == 1 and started[0].poll() is not None
