"""Keep ID numbers (and other long personal numbers) out of audit text.

Anything that looks like a resident ID number (18 characters: 17 digits + digit/X; or the old
15-digit form), a foreign permanent residence number (3 letters + 12 digits) or any other run of 15+
digits (bank cards) is masked the way lists show ID numbers: ``150702********1234``.
"""
from __future__ import annotations

import re

from houshi_desk.domain.identity import mask_id_number

# Not glued to other letters/digits: a case number like 150702-W03-20260122-0007 never matches.
_ID_LIKE = re.compile(r"(?<![0-9A-Za-z])(?:[A-Za-z]{3}\d{12}|\d{14,}[\dXx])(?![0-9A-Za-z])")


def scrub(text: str | None) -> str:
    if not text:
        return ""
    return _ID_LIKE.sub(lambda m: mask_id_number(m.group(0)), str(text))
