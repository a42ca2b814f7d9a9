"""The income register's answer read in a second process, so parsing and storing use both CPU cores.

Indkomstregistrets svar læses i en anden proces: den ene kerne læser XML, mens den anden gemmer.

``read_records_parallel(stream)`` yields the same records, in the same order, with the same errors, as
``eindkomst.read_records(stream)``: a child Python process runs ``read_records`` on the bytes this
process feeds it through a pipe (a feeding thread, so any readable stream works: a file, an upload in
memory) and sends the records back in batches of ``BATCH``, each record as a tuple of plain strings,
booleans and tuples (``marshal``: no code can travel that way, unlike pickle). Decoding a record here
costs a fraction of parsing it (no XML tree is built in this process).

A file that is not well-formed XML, or holds no answer, raises the same ``InputError`` after the
records before the fault (the child sends the error's field, reasons and code). If the child stops
for any other reason, ``RegisterReaderError`` is raised; if the caller stops early (a database error),
the child is killed. The CPR numbers travel only through the pipe between the two processes, never a
file or a log.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import marshal
import os
import queue
import struct
import subprocess
import sys
import threading
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from flexcalc.errors import FlexcalcError, InputError
from flexcalc.parsing.eindkomst import FIELDS, Part, Readable, RegisterRecord, read_records

BATCH = 500
"""Records per message from the child."""
FEED = 1 << 20
"""Bytes per write to the child."""
_FRAME = struct.Struct("<I")
_ROOT = str(Path(__file__).resolve().parents[2])
_BOOT = ("import sys; sys.path.insert(0, sys.argv[1]); "
         "from flexcalc.parsing.eindkomst_worker import serve; serve()")
_IGNORED_LABEL = "ikke brugt i lønindtægten"


class RegisterReaderError(FlexcalcError):
    """The reading process stopped without an answer (it crashed or was killed)."""


def _iso(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def encode(record: RegisterRecord) -> tuple[Any, ...]:
    """A record as plain values (``decode`` gives it back equal)."""
    return (record.where, record.cpr, record.employer_id, record.register_id, record.own_id,
            record.reverses_own_id, record.reversed_later, _iso(record.received_at), _iso(record.disposition_date),
            _iso(record.period_start), _iso(record.period_end), record.header,
            tuple((p.field_id, str(p.amount)) for p in record.parts),
            tuple((p.field_id, str(p.amount)) for p in record.ignored), record.problems, record.is_reversal)


def _part(field_id: str, amount: str) -> Part:
    meaning = FIELDS[field_id[-3:]]
    return Part(meaning.key, field_id, meaning.felt, meaning.label_da, Decimal(amount), meaning.use)


_date = dt.date.fromisoformat
_instant = dt.datetime.fromisoformat


def decode(values: tuple[Any, ...], parts_seen: dict[tuple[str, str], Part]) -> RegisterRecord:
    """The record ``encode`` wrote. ``parts_seen`` keeps the parts already made (a part is immutable, and
    the same field with the same amount recurs across a month's reports)."""
    (where, cpr, employer, register_id, own_id, reverses, reversed_later, received, disposition, start, end,
     header, parts, ignored, problems, is_reversal) = values
    made = []
    for key in parts:
        part = parts_seen.get(key)
        if part is None:
            if len(parts_seen) > 200_000:
                parts_seen.clear()
            part = parts_seen[key] = _part(*key)
        made.append(part)
    return RegisterRecord(
        where=where, cpr=cpr, employer_id=employer, register_id=register_id, own_id=own_id,
        reverses_own_id=reverses, reversed_later=reversed_later,
        received_at=None if received is None else _instant(received),
        disposition_date=None if disposition is None else _date(disposition),
        period_start=None if start is None else _date(start), period_end=None if end is None else _date(end),
        header=header, parts=tuple(made),
        ignored=tuple(Part(f"field_{f[-3:]}", f, None, _IGNORED_LABEL, Decimal(a), "ignored") for f, a in ignored),
        problems=problems, is_reversal=is_reversal)


def _send(out: IO[bytes], message: tuple[Any, ...]) -> None:
    data = marshal.dumps(message)
    out.write(_FRAME.pack(len(data)))
    out.write(data)


def serve() -> None:
    """The child's side: read the answer from standard input, write the records to standard output."""
    source, out = sys.stdin.buffer, sys.stdout.buffer
    batch: list[tuple[Any, ...]] = []
    try:
        for record in read_records(source):
            batch.append(encode(record))
            if len(batch) >= BATCH:
                _send(out, ("records", tuple(batch)))
                batch = []
        _send(out, ("records", tuple(batch)))
        _send(out, ("end",))
    except InputError as error:
        _send(out, ("records", tuple(batch)))
        _send(out, ("input_error", error.field, error.reason_en, error.reason_da, error.code))
    except BaseException as error:  # told to the parent (no record text in it)
        _send(out, ("failed", type(error).__name__))
    out.flush()


def _read_exactly(pipe: IO[bytes], size: int) -> bytes | None:
    data = pipe.read(size)
    if len(data) != size:
        return None
    return data


LOOKAHEAD = 40
"""Messages (of ``BATCH`` records) read ahead from the child while this process stores: without them the
child would wait on a full pipe whenever this process is busy with the database."""


def _drain(pipe: IO[bytes], messages: queue.Queue[bytes | None], stop: threading.Event) -> None:
    """Read the child's messages as they come (a thread: the reading waits outside the GIL)."""
    while True:
        head = _read_exactly(pipe, _FRAME.size)
        body = None if head is None else _read_exactly(pipe, _FRAME.unpack(head)[0])
        while not stop.is_set():
            try:
                messages.put(body, timeout=0.1)
                break
            except queue.Full:
                continue
        if body is None or stop.is_set():
            return


def _feed(stream: Readable, pipe: IO[bytes], failed: list[BaseException]) -> None:
    try:
        while data := stream.read(FEED):
            pipe.write(data)
    except (BrokenPipeError, ValueError):  # the child stopped (or was killed): its side reports why
        pass
    except BaseException as error:  # reading the source failed: raised by the consumer
        failed.append(error)
    finally:
        with contextlib.suppress(OSError):
            pipe.close()


def parallel_possible() -> bool:
    """A second process helps only with a second core and a Python to start."""
    return bool(sys.executable) and (os.cpu_count() or 1) > 1


def read_records_parallel(source: Readable) -> Iterator[RegisterRecord]:
    """``read_records(source)`` with the XML parsed in a child process (see the module text)."""
    child = subprocess.Popen([sys.executable, "-c", _BOOT, _ROOT], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL)
    stdin, stdout = child.stdin, child.stdout
    if stdin is None or stdout is None:  # pragma: no cover - both are pipes by construction
        raise RegisterReaderError("the register reader has no pipes")
    failed: list[BaseException] = []
    feeder = threading.Thread(target=_feed, args=(source, stdin, failed), name="register-feed", daemon=True)
    feeder.start()
    messages: queue.Queue[bytes | None] = queue.Queue(maxsize=LOOKAHEAD)
    stop = threading.Event()
    drainer = threading.Thread(target=_drain, args=(stdout, messages, stop), name="register-drain", daemon=True)
    drainer.start()
    parts_seen: dict[tuple[str, str], Part] = {}
    finished = False
    try:
        while True:
            body = messages.get()
            if body is None:
                feeder.join()
                if failed:
                    raise failed[0]
                raise RegisterReaderError(f"the register reader stopped (exit {child.wait()})")
            message = marshal.loads(body)
            kind = message[0]
            if kind == "records":
                for values in message[1]:
                    yield decode(values, parts_seen)
                continue
            feeder.join()
            if failed:
                raise failed[0]
            if kind == "end":
                finished = True
                return
            if kind == "input_error":
                _kind, field, reason_en, reason_da, code = message
                raise InputError(field, reason_en, reason_da, code=code)
            raise RegisterReaderError(f"the register reader failed ({message[1]})")
    finally:
        stop.set()
        if not finished and child.poll() is None:
            child.kill()
        drainer.join()
        stdout.close()
        feeder.join()
        child.wait()
