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
import zlib
from functools import lru_cache

from sqlalchemy import LargeBinary
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
