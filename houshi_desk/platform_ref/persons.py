"""Shared records of persons on the reference platform (issue 15).

``GET /api/v1/persons/{ref}/records``: what departments and the electronic licence system hold about
a person — facts named as the interview names them (``checklist --list-facts``), each with its
source and date, and electronic licences by material code. ``GET /api/v1/persons/{ref}/cases``: the
person's open cases anywhere in the province (case number, office and date only).

``ref = hex(HMAC-SHA256(K, 18-digit ID number with upper-case X))`` with K the province-wide look-up
key; the reference platform keeps K in ``<data>/lookup.key`` (made on first start; the terminal is
given it with ``platform login --lookup-key-stdin``). The records are synthetic and the platform's
own: ``resources/platform/persons.json`` (or ``<data>/persons.json`` when present), keyed by number
and indexed here by ref, so no number is ever looked up, logged or answered.

A submit for a deceased who already has a submitted, not withdrawn case made by another terminal is
refused with 422 ``duplicate_deceased`` naming that case, unless the case or the submit carries
``duplicate_override: {reason, supervisor}``.
"""
from __future__ import annotations

import json
import secrets
import threading
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from houshi_desk.sync.lookup import REF_RE, BadIdNumber, person_ref

KEY_FILE = "lookup.key"
API = "/api/v1"


def lookup_key(data_dir: str | Path) -> str:
    """The province-wide look-up key of this platform (made on first use, kept in the data folder)."""
    path = Path(data_dir) / KEY_FILE
    try:
        key = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        key = ""
    if not key:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_hex(32)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(key, encoding="ascii")
        tmp.replace(path)
    return key


def fixture_path(data_dir: str | Path) -> Path:
    own = Path(data_dir) / "persons.json"
    if own.exists():
        return own
    from houshi_desk.resources import resource_path

    return resource_path("resources", "platform", "persons.json")


class PersonRecords:
    """The synthetic records, indexed by ref under this platform's key."""

    def __init__(self, data_dir: str | Path):
        self.key = lookup_key(data_dir)
        data = json.loads(fixture_path(data_dir).read_text(encoding="utf-8"))
        self._by_ref: dict[str, dict] = {}
        for number, rec in (data.get("persons") or {}).items():
            self._by_ref[person_ref(self.key, number)] = {"facts": rec.get("facts") or {},
                                                          "licences": rec.get("licences") or []}
        self._refs: dict[str, str] = {}  # deceased number of a stored case → ref (cache; numbers stay in memory)
        self._lock = threading.Lock()

    def records(self, ref: str) -> dict:
        rec = self._by_ref.get(ref)
        if rec is None:
            return {"facts": {}, "licences": []}
        return {"facts": dict(rec["facts"]), "licences": list(rec["licences"])}

    def ref_of(self, number: str) -> str | None:
        with self._lock:
            if number not in self._refs:
                try:
                    self._refs[number] = person_ref(self.key, number)
                except BadIdNumber:
                    self._refs[number] = ""
            return self._refs[number] or None


def deceased_number(payload: dict) -> str:
    for p in payload.get("parties") or []:
        if isinstance(p, dict) and p.get("role") == "deceased":
            return str(p.get("id_number") or "")
    return ""


def _open_cases(st) -> list:
    """Every case number's latest version that is not withdrawn, with its payload and owner."""
    return st.q("SELECT c.case_id, c.version, c.payload, c.app_key, c.office, c.created_at, "
                "EXISTS (SELECT 1 FROM submissions s WHERE s.case_id = c.case_id AND s.version = c.version) "
                "AS submitted "
                "FROM cases c WHERE c.version = (SELECT MAX(version) FROM cases c2 WHERE c2.case_id = c.case_id) "
                "AND NOT EXISTS (SELECT 1 FROM withdrawals w WHERE w.case_id = c.case_id AND w.version = c.version)")


def _override(*bodies: dict) -> dict | None:
    for body in bodies:
        o = body.get("duplicate_override") if isinstance(body, dict) else None
        if isinstance(o, dict) and str(o.get("reason") or "").strip() and str(o.get("supervisor") or "").strip():
            return o
    return None


def duplicate_refusal(platform, st, principal, case_id: str, payload: dict, submit_body: dict):
    """Inside the submit transaction: ``(422, {}, body)`` when another terminal already submitted an
    open case for this deceased and no override was given; else None. (A terminal's own cases were
    checked against its database when it accepted the case; terminals of one office that do not
    share a hall database are each other's "another terminal".)"""
    if _override(payload, submit_body) is not None:
        st.bump("duplicate_overrides")
        return None
    number = deceased_number(payload)
    if not number:
        return None
    for row in _open_cases(st):
        if row["case_id"] == case_id or not row["submitted"]:
            continue
        if deceased_number(json.loads(row["payload"])) != number or row["app_key"] == principal.app_key:
            continue  # this terminal's own cases were checked in its own database (or overridden there)
        other = json.loads(row["payload"])
        st.bump("duplicate_refusals")
        where = other.get("office") or row["office"] or "其他受理点"
        return 422, {}, {"code": "duplicate_deceased", "existing_case": row["case_id"],
                         "message": f"该逝者已有受理中的案件 {row['case_id']}（{where}，"
                                    f"{other.get('application_date') or ''}受理），不能重复提交；"
                                    "确需另行受理须由主管登记原因"}
    return None


def routes(platform) -> list[Route]:
    """The persons endpoints, signed like every other request."""

    def people() -> PersonRecords:
        if getattr(platform, "persons", None) is None:
            platform.persons = PersonRecords(platform.store.dir)
        return platform.persons

    async def records(request: Request) -> Response:
        _, principal, error = await platform._auth(request)
        if error:
            return error
        ref = request.path_params["ref"]
        if not REF_RE.match(ref):
            return JSONResponse({"code": "bad_ref", "message": "查询编号格式错误（应为 64 位小写十六进制）"}, 400)
        platform.store.log("GET", request.url.path, None, 200, "persons.records")
        return JSONResponse(people().records(ref))

    async def cases(request: Request) -> Response:
        _, principal, error = await platform._auth(request)
        if error:
            return error
        ref = request.path_params["ref"]
        if not REF_RE.match(ref):
            return JSONResponse({"code": "bad_ref", "message": "查询编号格式错误（应为 64 位小写十六进制）"}, 400)
        pr = people()

        def scan() -> list[dict]:  # off the event loop, as every other database read of the platform
            found = []
            with platform.store.lock:
                for row in _open_cases(platform.store):
                    payload = json.loads(row["payload"])
                    if pr.ref_of(deceased_number(payload)) == ref:
                        found.append({"case_id": row["case_id"],
                                      "office": payload.get("office") or row["office"] or "",
                                      "date": payload.get("application_date") or ""})
            return found

        found = await run_in_threadpool(scan)
        platform.store.log("GET", request.url.path, None, 200, "persons.cases")
        return JSONResponse({"cases": found})

    return [Route(f"{API}/persons/{{ref}}/records", records, methods=["GET"]),
            Route(f"{API}/persons/{{ref}}/cases", cases, methods=["GET"])]
