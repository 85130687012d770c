"""Column types of our own.

``PackedJSON``: a JSON value stored as deflated UTF-8 bytes with a preset dictionary (issue 19). The
checklist kept at acceptance (every matter and material of the catalog with its reasons, what the
family was told) was 16 KiB of JSON in every case, the facts 1 KiB; their text mostly repeats the
catalog's, so deflate with a dictionary built from the catalog (``resources/packing/``) keeps a
checklist in about 0.5 KiB and the facts in about 0.15 KiB — on SQLite (a BLOB) and PostgreSQL
(``bytea``; its own TOAST compression saw only the value itself) alike.

Stored form: ``b"\\x01"`` + the dictionary's number (one byte, 0 = none) + a raw deflate stream of
the compact UTF-8 JSON. Shipped dictionaries never change (``DICTIONARIES`` records each file's
SHA-256; a changed file stops reading rather than reading wrong); a new one gets a new number.
Reading also accepts the older forms — JSON as text or bytes, and the ``{PACKED: base64(zlib)}``
dict of the first packing — so a row written before (or copied in unconverted) reads the same.
"""
from __future__ import annotations

import base64
import hashlib
import json
import re
import struct
import uuid
import zlib
from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy import DateTime, LargeBinary
from sqlalchemy.types import TypeDecorator

PACKED = "deflated_json_b64"  # the first packing (SQLite only): {PACKED: base64(zlib(UTF-8 JSON))}
MAGIC = 1  # first byte of the stored form
# number → SHA-256 of resources/packing/json-<number>.zdict. Never change or remove an entry.
DICTIONARIES = {
    1: "7c162bda1d3bdb0670becf7bb731a6dedc56495d6749062bbfc0b561152e6479",  # nm-2022 catalog
    2: "4afdc48b26ef7985a28e9d633a3418811d1aaeb0e198257fd13a8ed74f620bce",  # nx-2025 catalog
}


class PackingError(ValueError):
    """A stored value names a dictionary this program does not have (or has altered)."""


@lru_cache(maxsize=None)
def dictionary(number: int) -> bytes:
    if number == 0:
        return b""
    from houshi_desk.resources import resource_path

    if number not in DICTIONARIES:
        raise PackingError(f"packed value names dictionary {number}, which this version does not have")
    data = resource_path("resources", "packing", f"json-{number}.zdict").read_bytes()
    if hashlib.sha256(data).hexdigest() != DICTIONARIES[number]:
        raise PackingError(f"resources/packing/json-{number}.zdict was changed; old rows cannot be read with it")
    return data


def _deflate(data: bytes, number: int) -> bytes:
    zdict = dictionary(number)
    c = zlib.compressobj(9, zlib.DEFLATED, -15, 9, zlib.Z_DEFAULT_STRATEGY, **({"zdict": zdict} if zdict else {}))
    return c.compress(data) + c.flush()


def compact_json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def pack(value) -> bytes | None:
    """The stored form of a JSON value: every dictionary (and none) is tried, the smallest kept."""
    if value is None:
        return None
    text = compact_json(value)
    best = min(((_deflate(text, n), n) for n in (0, *DICTIONARIES)), key=lambda t: len(t[0]))
    return bytes((MAGIC, best[1])) + best[0]


def unpack(value):
    """The JSON value of any stored form (see the module's docstring)."""
    if value is None:
        return None
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, (bytes, bytearray)):
        value = bytes(value)
        if value[:1] == bytes((MAGIC,)):
            d = zlib.decompressobj(-15, **({"zdict": dictionary(value[1])} if value[1] else {}))
            return json.loads((d.decompress(value[2:]) + d.flush()).decode("utf-8"))
        value = json.loads(value.decode("utf-8"))
    elif isinstance(value, str):
        value = json.loads(value)
    if isinstance(value, dict) and len(value) == 1 and isinstance(value.get(PACKED), str):
        return json.loads(zlib.decompress(base64.b64decode(value[PACKED])).decode("utf-8"))
    return value


class PackedJSON(TypeDecorator):
    """A JSON value stored deflated with a preset dictionary (see the module's docstring)."""

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return pack(value)

    def process_result_value(self, value, dialect):
        return unpack(value)

    def compare_values(self, x, y):
        return x == y


# ---------------------------------------------------------------- compact times and event ids (size_0002)

_EPOCH = datetime(1, 1, 1)
_US = timedelta(microseconds=1)


def pack_time(value: datetime) -> bytes:
    """8 bytes, big-endian microseconds since 0001-01-01: sorts as the time does (as a BLOB)."""
    return struct.pack(">Q", (value.replace(tzinfo=None) - _EPOCH) // _US)


def unpack_time(value) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, (bytes, bytearray, memoryview)) and len(value) == 8:
        return _EPOCH + struct.unpack(">Q", bytes(value))[0] * _US
    if isinstance(value, (bytes, bytearray, memoryview)):
        value = bytes(value).decode("ascii")
    return datetime.fromisoformat(str(value))


class CompactDateTime(TypeDecorator):
    """A time stored in 8 bytes on SQLite as well (it stores ``DateTime`` as 26 characters of text);
    PostgreSQL's ``timestamp`` is 8 bytes already and stays as it is. For columns no SQL text reads
    with date functions (only through the model, whose comparisons bind the same form): a
    matter's history and the matters' and materials' last change (issue 19). Text written before
    reads the same."""

    impl = DateTime
    cache_ok = True

    def load_dialect_impl(self, dialect):
        return dialect.type_descriptor(LargeBinary() if dialect.name == "sqlite" else DateTime())

    def process_bind_param(self, value, dialect):
        if value is None or dialect.name != "sqlite":
            return value
        return pack_time(value)

    def process_result_value(self, value, dialect):
        if value is None or dialect.name != "sqlite":
            return value
        return unpack_time(value)


UUID_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def pack_event_id(value: str) -> bytes:
    """A UUID's 16 bytes for its 36 characters of text; any other id as its UTF-8 (0-prefixed if
    that happens to be 16 bytes long, so it cannot read back as a UUID)."""
    if UUID_TEXT.fullmatch(value):
        return uuid.UUID(value).bytes
    data = value.encode("utf-8")
    return b"\x00" + data if len(data) == 16 else data


def unpack_event_id(value) -> str:
    if isinstance(value, str):
        return value
    value = bytes(value)
    if len(value) == 16:
        return str(uuid.UUID(bytes=value))
    return (value[1:] if len(value) == 17 and value[:1] == b"\x00" else value).decode("utf-8")


class EventId(TypeDecorator):
    """A platform event id, stored as 16 bytes when it is a (lower-case) UUID, as all of the
    platform's are; the attribute stays the text (issue 19)."""

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else pack_event_id(value)

    def process_result_value(self, value, dialect):
        return None if value is None else unpack_event_id(value)
