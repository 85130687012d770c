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


def entry_hash(seq: int, at: "datetime | str", actor: str, action: str, case_number: str | None, detail: str,
               prev_hash: str) -> str:
    # Written out by hand (not a loop over the fields): verify runs this a million times.
    s = str(seq)
    if isinstance(at, str):  # already in canonical form (SQLite's stored text, see log.verify)
        t = at
    else:
        t = at.isoformat(" ", "microseconds") if at.tzinfo is None else canonical_time(at)
    n = case_number or ""
    payload = (f"{len(s)}:{s};{len(t)}:{t};{len(actor)}:{actor};{len(action)}:{action};"
               f"{len(n)}:{n};{len(detail)}:{detail};{len(prev_hash)}:{prev_hash};")
    return _sha256(payload.encode("utf-8")).hexdigest()


_sha256 = hashlib.sha256
