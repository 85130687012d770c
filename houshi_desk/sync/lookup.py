"""Shared-data look-ups on the platform (issue 15): a person's records and open cases.

The person is named by ``ref = hex(HMAC-SHA256(K, the 18-digit ID number with upper-case X))``, where
K is the province-wide look-up key (kept in the keyring, ``platform login --lookup-key-stdin``). The
number itself never goes into a URL, a log line or an exception message; only the ref does, and
only in the URL.
"""
from __future__ import annotations

import hashlib
import hmac
import re

from houshi_desk.sync import errors as E

API = "/api/v1"
REF_RE = re.compile(r"^[0-9a-f]{64}$")
LICENCE_NOTE = "电子证照"
_NOTE_RE = re.compile(r"^电子证照 (?P<number>\S+?)(?:（(?P<issuer>[^，）]*)(?:，(?P<issued>[0-9-]+) 签发)?）)?$")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


class BadIdNumber(E.SyncError):
    code = "bad_id_number"


def _check_digit(body17: str) -> str:
    return "10X98765432"[sum(int(c) * w for c, w in zip(body17, _WEIGHTS)) % 11]


def normalise_id_number(id_number: str) -> str:
    """The 18-digit form with upper-case X; a 15-digit (first-generation) number is converted
    (``19`` inserted before the two-digit year, check digit computed). Anything else is refused."""
    text = (id_number or "").strip().upper()
    if re.fullmatch(r"\d{15}", text):
        body = text[:6] + "19" + text[6:]
        return body + _check_digit(body)
    if re.fullmatch(r"\d{17}[\dX]", text):
        return text
    raise BadIdNumber("证件号码应为 18 位（末位可为 X）或 15 位数字，请核对后重试。")


def person_ref(key: str | bytes, id_number: str) -> str:
    """The look-up reference of a person: what the platform's persons endpoints are addressed by."""
    k = key.encode("utf-8") if isinstance(key, str) else key
    return hmac.new(k, normalise_id_number(id_number).encode("ascii"), hashlib.sha256).hexdigest()


def _check_records(data: dict) -> dict:
    facts, licences = data.get("facts"), data.get("licences")
    if not isinstance(facts, dict) or not isinstance(licences, list):
        raise E.TransientError(E.MSG_GARBAGE, code="bad_reply", detail="records shape")
    clean_facts = {}
    for name, item in facts.items():
        if isinstance(item, dict) and "value" in item:
            clean_facts[str(name)] = {"value": item["value"], "source": str(item.get("source") or ""),
                                      "as_of": str(item.get("as_of") or "")}
    clean_licences = [{"material": str(x.get("material") or ""), "number": str(x.get("number") or ""),
                       "issued": str(x.get("issued") or ""), "issuer": str(x.get("issuer") or "")}
                      for x in licences if isinstance(x, dict) and x.get("material")]
    return {"facts": clean_facts, "licences": clean_licences}


def fetch_records(client, key: str, id_number: str) -> dict:
    """``{"facts": {name: {value, source, as_of}}, "licences": [{material, number, issued, issuer}]}``;
    a person the platform has nothing on answers empty. Raises the ``sync.errors`` classes."""
    ref = person_ref(key, id_number)
    resp = client._send("GET", f"{API}/persons/{ref}/records")
    return _check_records(client._json(resp, "facts", "licences"))


def fetch_cases(client, key: str, id_number: str) -> list[dict]:
    """Open cases of this person anywhere in the province: ``[{case_id, office, date}]``."""
    ref = person_ref(key, id_number)
    data = client._json(client._send("GET", f"{API}/persons/{ref}/cases"), "cases")
    if not isinstance(data["cases"], list):
        raise E.TransientError(E.MSG_GARBAGE, code="bad_reply", detail="cases shape")
    return [{"case_id": str(c.get("case_id") or ""), "office": str(c.get("office") or ""),
             "date": str(c.get("date") or "")} for c in data["cases"] if isinstance(c, dict)]


def licence_note(lic: dict) -> str:
    issuer, issued = lic.get("issuer") or "", lic.get("issued") or ""
    tail = f"（{issuer}{'，' + issued + ' 签发' if issued else ''}）" if (issuer or issued) else ""
    return f"{LICENCE_NOTE} {lic.get('number') or ''}{tail}"


def licence_from_note(note: str) -> dict | None:
    """The licence a 共享获取 material's note names (what the payload carries), or None."""
    m = _NOTE_RE.match(note or "")
    if not m:
        return None
    return {"number": m["number"], "issuer": m["issuer"] or "", "issued": m["issued"] or ""}
