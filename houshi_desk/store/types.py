"""Column types of our own.

``PackedJSON``: a JSON column whose large values the embedded database keeps deflated. The
checklist kept at acceptance (every matter and material of the catalog with its reasons, what the
family was told) was 24 KiB of every case in the SQLCipher file, two thirds of it (issue 19);
SQLite stores text as it is, while PostgreSQL compresses a large value itself (TOAST), so there the
value stays plain JSON a query can still look into. Reading accepts both forms on both databases,
so rows written before, or copied between the two, read the same.
"""
from __future__ import annotations

import base64
import json
import zlib

from sqlalchemy import JSON
from sqlalchemy.types import TypeDecorator

PACKED = "deflated_json_b64"  # the one key of a packed value: {PACKED: base64(zlib(UTF-8 JSON))}
PACK_FROM = 1024  # bytes of JSON below which packing gains nothing worth the opacity


def pack(value):
    """The form the embedded database stores: a packed dict for a large value, else the value."""
    if value is None:
        return None
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if len(text) < PACK_FROM:
        return value
    return {PACKED: base64.b64encode(zlib.compress(text, 9)).decode("ascii")}


def unpack(value):
    if isinstance(value, dict) and len(value) == 1 and isinstance(value.get(PACKED), str):
        return json.loads(zlib.decompress(base64.b64decode(value[PACKED])).decode("utf-8"))
    return value


class PackedJSON(TypeDecorator):
    """JSON, deflated on SQLite when large (see the module's docstring)."""

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return pack(value) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        return unpack(value)
