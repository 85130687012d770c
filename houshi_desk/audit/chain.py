"""The hash of one audit entry: SHA-256 over an unambiguous serialisation that includes prev_hash.

Each field is written as ``<length>:<text>;`` so no choice of text can make two different entries
serialise alike (a separator alone could be forged by putting the separator into ``detail``).
"""
from __future__ import annotations

import hashlib
from datetime import datetime

GENESIS = "0" * 64  # prev_hash of entry 1


def canonical_time(at: datetime) -> str:
    # Microseconds always written: PostgreSQL and SQLite both keep them, so the hash survives a round trip.
    return at.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def entry_hash(seq: int, at: datetime, actor: str, action: str, case_number: str | None, detail: str,
               prev_hash: str) -> str:
    parts = (str(seq), canonical_time(at), actor, action, case_number or "", detail, prev_hash)
    payload = "".join(f"{len(p)}:{p};" for p in parts)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
