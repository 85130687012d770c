"""The reference platform's HTTP server (Starlette on uvicorn).

Why Starlette + uvicorn: small, well-kept ASGI pieces (encode/), already dependencies of the
program, with streaming request and response bodies — which is what fault injection needs (cut a
reply off after the commit, trickle a body, close the connection mid-upload) — and uvicorn runs in a
thread with a clean shutdown, so the demo and the tests start a real server on loopback in-process.

Contract: resources/openapi/platform.yaml. Every write is idempotent (the key and the operation
are committed in one transaction; replays return the stored reply; keys kept ≥ 30 days); requests
are signed (HMAC-SHA256, HMAC-SM3 or SM2, 5-minute clock window; the signature covers the method,
path and query, body hash and the headers that carry meaning; nonces are stored, so a replay is refused
even after a restart); uploads follow tus 1.0 (create / HEAD / PATCH with per-chunk checksum;
whole-file SHA-256 checked at the end).

Ownership (issue 14): every case, upload, supplement, withdrawal and change belongs to the terminal
that made it and to its office (``platform add-client KEY --office CODE``); any other terminal is
refused with 403 ``not_owner``. Bodies are size-limited before they are read (413): case, submit and
supplement ≤ 1 MiB, an upload chunk ≤ the chunk limit + 64 KiB, Upload-Length ≤ 512 MiB, the rest
≤ 64 KiB.
"""
from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import logging
import re
import secrets
import threading
import time
import uuid
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from houshi_desk.platform_ref import evaluations
from houshi_desk.platform_ref.faults import Faults
from houshi_desk.platform_ref import persons
from houshi_desk.platform_ref.processing import Processing
from houshi_desk.platform_ref.store import PlatformStore, Principal
from houshi_desk.sync import signing

log = logging.getLogger(__name__)

API = "/api/v1"
KIB, MIB = 1024, 1024 * 1024
MAX_UPLOAD = 512 * MIB  # Upload-Length
MAX_CHUNK = 1 * MIB  # the largest upload chunk (the program sends 256 KiB by default)
CASE_BODY_LIMIT = 1 * MIB  # case, submit and supplement bodies
CHUNK_SLACK = 64 * KIB
DEFAULT_BODY_LIMIT = 64 * KIB  # everything else
CASE_WRITE_RE = re.compile(rf"^{API}/cases(/[^/]+/(submit|supplements))?$")
NONCE_RE = re.compile(r"^[0-9A-Za-z_-]{16,64}$")
OFFICE_RE = re.compile(r"^[0-9A-Za-z_-]{1,40}$")
MSG_NOT_OWNER = "该案件（或上传、补正、撤回）属于其他受理点的终端，本终端无权操作"
TUS = {"Tus-Resumable": "1.0.0"}
CASE_ID_RE = re.compile(r"^[0-9A-Z-]{6,40}$")
CASE_PREFIX_RE = re.compile(r"\d{6}-[A-Z0-9]{1,8}-(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])")


def err(status: int, code: str, message: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"code": code, "message": message}, status_code=status, headers=headers)


def not_owner() -> JSONResponse:
    return err(403, "not_owner", MSG_NOT_OWNER, {"X-Houshi-Error-Code": "not_owner"})


def foreign(principal: Principal, row) -> bool:
    """True when ``row`` (with app_key and office columns) was made by a terminal outside the
    caller's reach. Rows from before ownership was recorded (no app_key) stay reachable."""
    return row["app_key"] is not None and not principal.owns(row["app_key"], row["office"])


class Abort(Exception):
    """Raised after a response has started: uvicorn then closes the connection mid-reply."""


class FaultMiddleware:
    def __init__(self, app, platform: "Platform"):
        self.app = app
        self.platform = platform

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not scope["path"].startswith("/api/"):
            return await self.app(scope, receive, send)
        faults = self.platform.faults
        method, path = scope["method"], scope["path"]
        if faults.outage:
            return await err(503, "outage", "平台维护中，请稍后再试")(scope, receive, send)
        kind = faults.choose(method, path) if path != f"{API}/health" else None
        if kind is None:
            return await self.app(scope, receive, send)
        self.platform.store.log(method, path, None, 0, f"fault:{kind}")
        if kind == "5xx":
            status = 503 if secrets.randbelow(2) else 500
            return await err(status, "server_error", "平台内部错误")(scope, receive, send)
        if kind == "429":
            return await err(429, "rate_limited", "请求过于频繁",
                             {"Retry-After": str(int(faults.retry_after))})(scope, receive, send)
        if kind == "close_mid_upload":
            await receive()  # take part of the chunk, then hang up without committing anything
            await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"100")]})
            raise Abort("fault: connection closed mid-upload")
        # The rest run the operation (it commits), then spoil the reply.
        captured: list[dict] = []

        async def capture(message):
            captured.append(message)

        await self.app(scope, receive, capture)
        start = next(m for m in captured if m["type"] == "http.response.start")
        body = b"".join(m.get("body", b"") for m in captured if m["type"] == "http.response.body")
        if kind == "drop":
            await send(dict(start, headers=[h for h in start["headers"] if h[0] != b"content-length"]
                            + [(b"content-length", str(len(body) + 50).encode())]))
            await send({"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True})
            raise Abort("fault: reply dropped after commit")
        if kind in ("garbage", "bad_json"):
            data, ctype = ((b"<html><body>502 Bad Gateway</body></html>", b"text/html") if kind == "garbage"
                           else (b'{"ok": true}', b"application/json"))
            await send({"type": "http.response.start", "status": 200,
                        "headers": [(b"content-type", ctype), (b"content-length", str(len(data)).encode())]})
            await send({"type": "http.response.body", "body": data})
            return
        if kind == "slow":
            pieces = [body[i:i + 64] for i in range(0, len(body), 64)] or [b""]
            await asyncio.sleep(faults.slow_seconds / 2)
            await send(start)
            for i, piece in enumerate(pieces):
                await asyncio.sleep(faults.slow_seconds / 2 / len(pieces))
                await send({"type": "http.response.body", "body": piece, "more_body": i < len(pieces) - 1})
            return
        await send(start)
        await send({"type": "http.response.body", "body": body})


class Platform:
    def __init__(self, data_dir: Path, *, faults: Faults | None = None, processing: Processing | None = None,
                 admin: bool = False, max_skew: int = signing.MAX_SKEW_SECONDS, max_chunk: int = MAX_CHUNK):
        self.store = PlatformStore(Path(data_dir))
        self.faults = faults or Faults()
        self.processing = processing or Processing()
        self.max_skew = max_skew
        self.max_chunk = max_chunk
        self.reject_cases: dict[str, str] = {}
        self.dup_events = 1
        self._deliveries: dict[tuple[str, int], int] = {}
        routes = [
            Route(f"{API}/health", self.health, methods=["GET"]),
            Route(f"{API}/session", self.session, methods=["GET"]),
            Route(f"{API}/cases", self.create_case, methods=["POST"]),
            Route(f"{API}/cases/{{case_id}}/submit", self.submit, methods=["POST"]),
            Route(f"{API}/cases/{{case_id}}/withdraw", self.withdraw, methods=["POST"]),
            Route(f"{API}/cases/{{case_id}}/supplements", self.supplement, methods=["POST"]),
            Route(f"{API}/uploads", self.create_upload, methods=["POST"]),
            Route(f"{API}/uploads/{{upload_id}}", self.upload_head, methods=["HEAD"]),
            Route(f"{API}/uploads/{{upload_id}}", self.upload_patch, methods=["PATCH"]),
            Route(f"{API}/changes", self.changes, methods=["GET"]),
            Route(f"{API}/case-numbers/latest", self.latest_case_number, methods=["GET"]),
            Route(f"{API}/audit-anchors", self.post_anchor, methods=["POST"]),
            Route(f"{API}/audit-anchors/latest", self.latest_anchor, methods=["GET"]),
            *evaluations.routes(self),  # 好差评 evaluations (issue 17)
            *persons.routes(self),  # shared records and open cases of a person (issue 15)
        ]
        if admin:
            routes += [
                Route("/admin/state", self.admin_state, methods=["GET"]),
                Route("/admin/faults", self.admin_faults, methods=["POST"]),
                Route("/admin/clients", self.admin_clients, methods=["POST"]),
                Route("/admin/reject", self.admin_reject, methods=["POST"]),
                Route("/admin/processing", self.admin_processing, methods=["POST"]),
                Route("/admin/events", self.admin_events, methods=["POST"]),
            ]
        self.app = FaultMiddleware(Starlette(routes=routes), self)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        # Size limits before a byte of the body is read (issue 14): a declared length over the
        # limit is refused at once; a streamed body is read only up to the limit.
        method, path = scope["method"], scope["path"]
        limit = self.body_limit(method, path)
        headers = {}
        for name, value in scope.get("headers", []):
            headers.setdefault(name.lower(), value)
        declared = headers.get(b"content-length")
        if declared is not None:
            if not declared.strip().isdigit():
                return await err(400, "bad_length", "请求的 Content-Length 格式错误",
                                 {"Connection": "close"})(scope, receive, send)
            if int(declared) > limit:
                return await self._too_large(scope, receive, send, limit)
        upload_length = headers.get(b"upload-length", b"").strip()
        if method == "POST" and path == f"{API}/uploads" and upload_length.isdigit() and int(upload_length) > MAX_UPLOAD:
            return await self._too_large(scope, receive, send, MAX_UPLOAD, what="附件")
        if declared is None and b"transfer-encoding" in headers:
            parts, total = [], 0
            while True:
                message = await receive()
                if message["type"] != "http.request":
                    return  # the client went away
                part = message.get("body", b"")
                total += len(part)
                if total > limit:
                    return await self._too_large(scope, receive, send, limit)
                parts.append(part)
                if not message.get("more_body", False):
                    break
            pending = [{"type": "http.request", "body": b"".join(parts), "more_body": False}]

            async def replay():
                return pending.pop() if pending else await receive()

            return await self.app(scope, replay, send)
        await self.app(scope, receive, send)

    def body_limit(self, method: str, path: str) -> int:
        if method == "POST" and CASE_WRITE_RE.match(path):
            return CASE_BODY_LIMIT
        if method == "PATCH" and path.startswith(f"{API}/uploads/"):
            return self.max_chunk + CHUNK_SLACK
        return DEFAULT_BODY_LIMIT

    async def _too_large(self, scope, receive, send, limit: int, what: str = "请求内容") -> None:
        self.store.log(scope["method"], scope["path"], None, 413, "too_large")
        size = f"{limit // MIB} MB" if limit >= MIB else f"{limit // KIB} KB"
        # "Connection: close": the server hangs up instead of reading (and discarding) the rest
        await err(413, "too_large", f"{what}超过平台允许的大小（{size}）", {"Connection": "close"})(scope, receive, send)

    # ------------------------------------------------------------------ authentication

    def _check_signature(self, request: Request, body: bytes) -> tuple[Principal | None, JSONResponse | None]:
        h = request.headers
        app_key, ts, nonce, sig = (h.get(signing.HEADER_APP_KEY), h.get(signing.HEADER_TIMESTAMP),
                                   h.get(signing.HEADER_NONCE), h.get(signing.HEADER_SIGNATURE))
        if not (app_key and ts and nonce and sig):
            return None, err(401, "unsigned", "请求缺少签名")
        if not NONCE_RE.match(nonce):
            return None, err(401, "bad_nonce", "请求随机数格式错误（应为 16–64 位字母或数字）")
        signed_names = (signing.HEADER_TIMESTAMP, signing.HEADER_NONCE, signing.HEADER_SIGNATURE) + signing.SIGNED_HEADERS
        if any(len(h.getlist(name)) > 1 for name in signed_names):
            # two copies of a signed header: which one counts would be ambiguous
            return None, err(401, "bad_signature", "请求签名不正确（签名覆盖的请求头重复出现）")
        secret, revoked, client_scheme = self.store.client(app_key)
        if secret is None:
            return None, err(401, "unknown_client", "平台不认识该应用标识")
        if revoked:
            return None, err(401, "revoked", "该应用的凭据已被吊销")
        try:
            skew = abs(time.time() - int(ts))
        except ValueError:
            return None, err(401, "bad_timestamp", "请求时间戳格式错误")
        if skew > self.max_skew:
            return None, err(401, "clock_skew", f"请求时间与平台相差 {int(skew)} 秒，超过允许范围")
        scheme = sig.split(" ", 1)[0]
        # the scheme a terminal was registered with decides: an SM2 terminal's stored key is public,
        # so an HMAC "signature" made with it must never pass
        allowed = {"hmac": ("hmac-sha256", "hmac-sm3"), "sm2": ("sm2",)}.get(client_scheme, ())
        signer = signing.SIGNERS[scheme] if scheme in allowed else None
        path = request.scope.get("raw_path") or request.url.path.encode()
        if request.scope.get("query_string"):
            path += b"?" + request.scope["query_string"]
        message = signing.canonical_string(request.method, path.decode("ascii"), ts, nonce, body, h)
        if signer is None or not signer.verify(secret, message, sig):
            return None, err(401, "bad_signature", "请求签名不正确")
        # remembered in the platform's database until the timestamp leaves the window, so a
        # restart does not reopen the door to a captured request
        if not self.store.remember_nonce(app_key, nonce, int(ts) + self.max_skew + 1):
            return None, err(401, "replayed", "重复的请求签名")
        return self.store.principal(app_key), None

    async def _auth(self, request: Request) -> tuple[bytes, Principal | None, JSONResponse | None]:
        body = await request.body()
        principal, error = self._check_signature(request, body)
        if error is not None:
            self.store.log(request.method, request.url.path, request.headers.get("Idempotency-Key"), 401, "auth")
        return body, principal, error

    # ------------------------------------------------------------------ idempotent writes

    async def _idempotent(self, request: Request, body: bytes, principal: Principal, fn) -> Response:
        key = request.headers.get("Idempotency-Key", "")
        if not key or len(key) > 200:
            return err(400, "idempotency_key_missing", "写请求缺少 Idempotency-Key")
        fingerprint = hashlib.sha256(b"\n".join([
            request.method.encode(), request.url.path.encode(), body,
            request.headers.get("Upload-Length", "").encode(), request.headers.get("Upload-Metadata", "").encode(),
        ])).hexdigest()

        def work():
            st = self.store
            with st.lock:
                row = st.one("SELECT * FROM idempotency WHERE key = ?", key)
                if row is not None:
                    if foreign(principal, row):  # another office's key: its stored reply is not ours to see
                        st.bump("not_owner")
                        return 403, {"X-Houshi-Error-Code": "not_owner"}, json.dumps(
                            {"code": "not_owner", "message": MSG_NOT_OWNER}, ensure_ascii=False).encode()
                    if row["request_hash"] != fingerprint:
                        st.bump("idempotency_conflicts")
                        return 409, {}, json.dumps({"code": "idempotency_key_reused",
                                                    "message": "同一幂等编号用于了不同的请求内容"}).encode()
                    st.bump("idempotent_replays")
                    st.log(request.method, request.url.path, key, row["status"], "replay")
                    return row["status"], {**json.loads(row["headers"]), "Idempotent-Replayed": "true"}, row["body"]
                st.db.execute("BEGIN IMMEDIATE")
                try:
                    status, headers, payload = fn(principal)
                    data = json.dumps(payload, ensure_ascii=False).encode()
                    if status == 403:
                        st.bump("not_owner")
                        headers = {**headers, "X-Houshi-Error-Code": payload.get("code", "")}
                    if status < 500 and status not in (403, 409, 429):
                        st.db.execute("INSERT INTO idempotency(key, request_hash, status, headers, body, created_at, "
                                      "app_key, office) VALUES (?,?,?,?,?,?,?,?)",
                                      (key, fingerprint, status, json.dumps(headers), data, time.time(),
                                       principal.app_key, principal.office))
                    st.db.execute("COMMIT")
                except BaseException:
                    st.db.execute("ROLLBACK")
                    raise
                st.log(request.method, request.url.path, key, status)
                return status, headers, data

        status, headers, data = await run_in_threadpool(work)
        return Response(data, status_code=status, headers=headers, media_type="application/json")

    # ------------------------------------------------------------------ endpoints

    async def health(self, request: Request) -> Response:
        return JSONResponse({"ok": True, "time": time.time()})

    async def session(self, request: Request) -> Response:
        _, principal, error = await self._auth(request)
        if error:
            return error
        return JSONResponse({"app_key": principal.app_key, "office": principal.office, "server_time": time.time()})

    @staticmethod
    def _case_owner(st: PlatformStore, case_id: str):
        """Who owns a case number: the terminal (and office) that created its first version."""
        return st.one("SELECT app_key, office FROM cases WHERE case_id = ? ORDER BY version LIMIT 1", case_id)

    def _foreign_case(self, st: PlatformStore, principal: Principal, case_id: str) -> bool:
        owner = self._case_owner(st, case_id)
        return owner is not None and foreign(principal, owner)

    @staticmethod
    def _json_body(body: bytes) -> dict | None:
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):  # RecursionError: a hostile body nested thousands deep
            return None
        return data if isinstance(data, dict) else None

    async def create_case(self, request: Request) -> Response:
        body, principal, error = await self._auth(request)
        if error:
            return error
        data = self._json_body(body)
        problem = self._validate_case(data)
        if problem:
            return err(422, "invalid_case", problem)
        case_id, version = data["case_id"], int(data["version"])
        if case_id in self.reject_cases:
            return err(422, "rejected", self.reject_cases[case_id])

        def fn(principal):
            st = self.store
            if self._foreign_case(st, principal, case_id):  # another office's case: no version of it here
                return 403, {}, {"code": "not_owner", "message": MSG_NOT_OWNER}
            held = st.one("SELECT payload FROM cases WHERE case_id = ? AND version = ?", case_id, version)
            if held is not None and json.loads(held["payload"]) != data:
                # the number is taken by another case of this terminal (e.g. its database was lost and
                # it numbered the day again from 0001): never merge two cases under one number
                st.bump("case_number_conflicts")
                return 409, {}, {"code": "case_number_taken", "case_id": case_id, "message":
                                 f"受理编号 {case_id} 在平台上已经是本终端的另一个案件"}
            if held is not None:
                st.bump("natural_duplicates")
            else:
                st.db.execute("INSERT INTO cases(case_id, version, payload, app_key, office, created_at) "
                              "VALUES (?,?,?,?,?,?)", (case_id, version, json.dumps(data, ensure_ascii=False),
                                                      principal.app_key, principal.office, time.time()))
                st.bump("cases_created")
            return 201, {}, {"case_id": case_id, "version": version, "status": "shell"}

        return await self._idempotent(request, body, principal, fn)

    @staticmethod
    def _validate_case(data) -> str:
        if data is None:
            return "请求内容不是有效的 JSON 对象"
        if not isinstance(data.get("case_id"), str) or not CASE_ID_RE.match(data["case_id"]):
            return "受理编号缺失或格式不正确"
        if not isinstance(data.get("version"), int) or data["version"] < 1:
            return "案件版本号缺失或不正确"
        roles = {p.get("role") for p in data.get("parties", []) if isinstance(p, dict)}
        if not {"deceased", "applicant"} <= roles:
            return "案件缺少逝者或申请人信息"
        if not isinstance(data.get("matters"), list):
            return "案件缺少办理事项"
        return ""

    async def create_upload(self, request: Request) -> Response:
        body, principal, error = await self._auth(request)
        if error:
            return error
        h = request.headers
        length = h.get("Upload-Length", "")
        if not length.isdigit():
            return err(400, "bad_length", "缺少或错误的 Upload-Length")
        if int(length) > MAX_UPLOAD:
            return err(413, "too_large", "附件超过平台允许的大小（512 MB）")
        meta = {}
        for pair in h.get("Upload-Metadata", "").split(","):
            k, _, v = pair.strip().partition(" ")
            try:
                meta[k] = base64.b64decode(v).decode("utf-8") if v else ""
            except ValueError:
                return err(400, "bad_metadata", "Upload-Metadata 格式错误")
        if not re.fullmatch(r"[0-9a-f]{64}", meta.get("sha256", "")):
            return err(400, "bad_metadata", "附件缺少 SHA-256 校验值")
        case_id = meta.get("case_id", "")

        def fn(principal):
            st = self.store
            owner = self._case_owner(st, case_id)
            if owner is None:
                return 422, {}, {"code": "case_unknown", "message": "平台上没有该案件，请先建立案件"}
            if foreign(principal, owner):
                return 403, {}, {"code": "not_owner", "message": MSG_NOT_OWNER}
            upload_id = uuid.uuid4().hex
            st.db.execute("INSERT INTO uploads(id, case_id, length, sha256, material, filename, created_at, app_key, "
                          "office) VALUES (?,?,?,?,?,?,?,?,?)",
                          (upload_id, case_id, int(length), meta["sha256"], meta.get("material", ""),
                           meta.get("filename", ""), time.time(), principal.app_key, principal.office))
            st.upload_path(upload_id).write_bytes(b"")
            st.bump("uploads_created")
            return 201, {"Location": f"{API}/uploads/{upload_id}", "Upload-Offset": "0",
                         "Houshi-Max-Chunk": str(self.max_chunk), **TUS}, {"upload_id": upload_id}

        return await self._idempotent(request, body, principal, fn)

    async def upload_head(self, request: Request) -> Response:
        _, principal, error = await self._auth(request)
        if error:  # a HEAD reply has no body: the error code travels in a header
            code = json.loads(error.body).get("code", "")
            return Response(status_code=error.status_code, headers={"X-Houshi-Error-Code": code, **TUS})
        with self.store.lock:
            row = self.store.one("SELECT * FROM uploads WHERE id = ?", request.path_params["upload_id"])
            if row is not None and foreign(principal, row):
                self.store.bump("not_owner")
        if row is None:
            return Response(status_code=404, headers=TUS)
        if foreign(principal, row):
            return Response(status_code=403, headers={"X-Houshi-Error-Code": "not_owner", **TUS})
        return Response(status_code=200, headers={"Upload-Offset": str(row["offset"]),
                                                  "Upload-Length": str(row["length"]), "Cache-Control": "no-store",
                                                  "Houshi-Max-Chunk": str(self.max_chunk),
                                                  **TUS})

    async def upload_patch(self, request: Request) -> Response:
        body, principal, error = await self._auth(request)
        if error:
            return error
        upload_id = request.path_params["upload_id"]
        h = request.headers
        if h.get("Content-Type", "") != "application/offset+octet-stream":
            return err(415, "bad_content_type", "分块上传的内容类型应为 application/offset+octet-stream")
        offset = h.get("Upload-Offset", "")
        if not offset.isdigit():
            return err(400, "bad_offset", "缺少 Upload-Offset")
        offset = int(offset)
        algo, _, digest = h.get("Upload-Checksum", "").partition(" ")
        if algo != "sha256":
            return err(400, "checksum_required", "每个分块必须带 sha256 校验值")

        def work():
            st = self.store
            with st.lock:
                st.bump("bytes_received", len(body))
                st.bump("patches")
                row = st.one("SELECT * FROM uploads WHERE id = ?", upload_id)
                if row is None:
                    return err(404, "upload_gone", "平台上没有这次上传")
                if foreign(principal, row):
                    st.bump("not_owner")
                    return not_owner()
                if offset != row["offset"] or row["complete"]:
                    st.bump("offset_conflicts")
                    return err(409, "offset_mismatch", "续传位置与平台不一致",
                               {"Upload-Offset": str(row["offset"]), **TUS})
                if base64.b64encode(hashlib.sha256(body).digest()).decode() != digest:
                    st.bump("checksum_failures")
                    return err(460, "checksum_mismatch", "分块校验值不符")
                if offset + len(body) > row["length"]:
                    return err(400, "too_long", "分块超出附件声明的长度")
                path = st.upload_path(upload_id)
                with open(path, "r+b") as fh:
                    fh.seek(offset)
                    fh.write(body)
                    fh.truncate(offset + len(body))
                    fh.flush()
                new = offset + len(body)
                complete = 0
                if new == row["length"]:
                    if hashlib.sha256(path.read_bytes()).hexdigest() != row["sha256"]:
                        st.db.execute("UPDATE uploads SET offset = 0 WHERE id = ?", (upload_id,))
                        path.write_bytes(b"")
                        st.bump("file_hash_mismatches")
                        return err(422, "file_hash_mismatch", "附件整体校验值与声明不符")
                    complete = 1
                st.db.execute("UPDATE uploads SET offset = ?, complete = ?, completed_at = ? WHERE id = ?",
                              (new, complete, time.time() if complete else None, upload_id))
                st.bump("bytes_stored", len(body))
                return Response(status_code=204, headers={"Upload-Offset": str(new), **TUS})

        return await run_in_threadpool(work)

    async def submit(self, request: Request) -> Response:
        body, principal, error = await self._auth(request)
        if error:
            return error
        case_id = request.path_params["case_id"]
        data = self._json_body(body)
        if data is None or not isinstance(data.get("attachments"), list) or not isinstance(data.get("matters"), list):
            return err(422, "invalid_submit", "提交内容不完整（缺少事项或附件清单）")
        version = data.get("version", 1)

        def fn(principal):
            st = self.store
            if self._foreign_case(st, principal, case_id):
                return 403, {}, {"code": "not_owner", "message": MSG_NOT_OWNER}
            case = st.one("SELECT * FROM cases WHERE case_id = ? AND version = ?", case_id, version)
            if case is None:
                return 422, {}, {"code": "case_unknown", "message": "平台上没有该案件，请先建立案件"}
            if st.one("SELECT 1 FROM withdrawals WHERE case_id = ? AND version = ?", case_id, version):
                return 422, {}, {"code": "withdrawn", "message": "该案件已撤回"}
            refused = persons.duplicate_refusal(self, st, principal, case_id, json.loads(case["payload"]), data)
            if refused is not None:  # another terminal's open case for the same deceased (issue 15)
                return refused
            for a in data["attachments"]:
                up = st.one("SELECT * FROM uploads WHERE id = ?", str(a.get("upload_id", "")))
                if up is not None and foreign(principal, up):
                    return 403, {}, {"code": "not_owner", "message": MSG_NOT_OWNER}
                if up is None or up["case_id"] != case_id or not up["complete"] or up["sha256"] != a.get("sha256"):
                    st.bump("premature_submits")
                    return 409, {}, {"code": "attachments_incomplete", "message": "附件尚未上传完整或校验值不符"}
            existing = st.one("SELECT id FROM submissions WHERE case_id = ? AND version = ?", case_id, version)
            if existing:
                st.bump("natural_duplicates")
                return 202, {}, {"submission_id": existing["id"], "status": "submitted"}
            sub_id = uuid.uuid4().hex
            st.db.execute("INSERT INTO submissions(id, case_id, version, body, created_at) VALUES (?,?,?,?,?)",
                          (sub_id, case_id, version, json.dumps(data, ensure_ascii=False), time.time()))
            st.db.execute("UPDATE cases SET status = 'submitted' WHERE case_id = ? AND version = ?", (case_id, version))
            payload = json.loads(case["payload"])
            depts = {m.get("code"): m.get("department", "") for m in payload.get("matters", [])}
            self.processing.schedule(st, case_id, version,
                                     [{"code": c, "department": depts.get(c, "")} for c in data["matters"]])
            st.bump("submissions")
            return 202, {}, {"submission_id": sub_id, "status": "submitted"}

        return await self._idempotent(request, body, principal, fn)

    async def supplement(self, request: Request) -> Response:
        """The answer to 退回补正: new attachments for one matter; the department takes it up again."""
        body, principal, error = await self._auth(request)
        if error:
            return error
        case_id = request.path_params["case_id"]
        data = self._json_body(body)
        if data is None or not isinstance(data.get("attachments"), list) or not data.get("matter"):
            return err(422, "invalid_supplement", "补正内容不完整（缺少事项或附件清单）")
        version = data.get("version", 1)

        def fn(principal):
            st = self.store
            if self._foreign_case(st, principal, case_id):
                return 403, {}, {"code": "not_owner", "message": MSG_NOT_OWNER}
            case = st.one("SELECT * FROM cases WHERE case_id = ? AND version = ?", case_id, version)
            if case is None or not st.one("SELECT 1 FROM submissions WHERE case_id = ? AND version = ?",
                                          case_id, version):
                return 422, {}, {"code": "case_unknown", "message": "平台上没有该案件的提交记录"}
            for a in data["attachments"]:
                up = st.one("SELECT * FROM uploads WHERE id = ?", str(a.get("upload_id", "")))
                if up is not None and foreign(principal, up):
                    return 403, {}, {"code": "not_owner", "message": MSG_NOT_OWNER}
                if up is None or up["case_id"] != case_id or not up["complete"] or up["sha256"] != a.get("sha256"):
                    st.bump("premature_submits")
                    return 409, {}, {"code": "attachments_incomplete", "message": "附件尚未上传完整或校验值不符"}
            sup_id = uuid.uuid4().hex
            st.db.execute("INSERT INTO supplements(id, case_id, version, matter, body, created_at, app_key, office) "
                          "VALUES (?,?,?,?,?,?,?,?)",
                          (sup_id, case_id, version, str(data["matter"]), json.dumps(data, ensure_ascii=False),
                           time.time(), principal.app_key, principal.office))
            depts = {m.get("code"): m.get("department", "") for m in json.loads(case["payload"]).get("matters", [])}
            matter = data["matter"]
            self.processing.return_matters.discard(matter)
            self.processing.schedule(st, case_id, version, [{"code": matter, "department": depts.get(matter, "")}])
            st.bump("supplements")
            return 202, {}, {"supplement_id": sup_id, "status": "received"}

        return await self._idempotent(request, body, principal, fn)

    async def withdraw(self, request: Request) -> Response:
        body, principal, error = await self._auth(request)
        if error:
            return error
        case_id = request.path_params["case_id"]
        data = self._json_body(body) or {}
        version = data.get("version", 1)

        def fn(principal):
            st = self.store
            owner = self._case_owner(st, case_id)
            if owner is None:
                # nothing of it here (the program sends no create after a withdraw): nothing to
                # withdraw, and nothing recorded, so no terminal can stake out a future case number
                return 200, {}, {"case_id": case_id, "status": "withdrawn"}
            if foreign(principal, owner):
                return 403, {}, {"code": "not_owner", "message": MSG_NOT_OWNER}
            if not st.one("SELECT 1 FROM withdrawals WHERE case_id = ? AND version = ?", case_id, version):
                st.db.execute("INSERT INTO withdrawals(case_id, version, reason, created_at, app_key, office) "
                              "VALUES (?,?,?,?,?,?)", (case_id, version, str(data.get("reason", ""))[:500],
                                                      time.time(), principal.app_key, principal.office))
                st.db.execute("DELETE FROM schedule WHERE case_id = ? AND version = ? AND emitted = 0", (case_id, version))
                case = st.one("SELECT payload FROM cases WHERE case_id = ? AND version = ?", case_id, version)
                if case is not None and st.one("SELECT 1 FROM submissions WHERE case_id = ? AND version = ?",
                                               case_id, version):
                    for m in json.loads(case["payload"]).get("matters", []):
                        self.processing.emit(st, case_id, version, m.get("code", ""), m.get("department", ""),
                                             "withdrawn", "申请人已撤回")
                st.bump("withdrawals")
            return 200, {}, {"case_id": case_id, "status": "withdrawn"}

        return await self._idempotent(request, body, principal, fn)

    async def changes(self, request: Request) -> Response:
        _, principal, error = await self._auth(request)
        if error:
            return error
        app_key = principal.app_key
        since = request.query_params.get("since", "0") or "0"
        limit = request.query_params.get("limit", "200")
        if not since.isdigit() or not limit.isdigit() or len(since) > 18 or len(limit) > 6:
            return err(400, "bad_cursor", "游标格式错误")
        since_i, limit_i = int(since), max(1, min(500, int(limit)))
        with self.store.lock:
            # only the results of cases this terminal's office owns (rows from before ownership was
            # recorded have no app_key and stay visible)
            rows = self.store.q(
                "SELECT e.* FROM events e WHERE e.seq > ? AND EXISTS (SELECT 1 FROM cases c WHERE c.case_id = e.case_id "
                "AND (c.app_key IS NULL OR c.app_key = ? OR (? IS NOT NULL AND c.office = ?))) ORDER BY e.seq LIMIT ?",
                since_i, app_key, principal.office, principal.office, limit_i)
        events = [{"event_id": r["event_id"], "seq": r["seq"], "case_id": r["case_id"], "version": r["version"],
                   "matter": r["matter"], "department": r["department"], "kind": r["kind"], "text": r["text"],
                   "at": r["at"]} for r in rows]
        cursor = str(rows[-1]["seq"]) if rows else since
        if self.dup_events > 1 and rows:
            # at-least-once feed: hold the cursor back until every event went out dup_events times
            counts = []
            for r in rows:
                k = (app_key, r["seq"])
                self._deliveries[k] = self._deliveries.get(k, 0) + 1
                counts.append(self._deliveries[k])
            if min(counts) < self.dup_events:
                cursor = since
        return JSONResponse({"events": events, "cursor": cursor, "more": len(rows) == limit_i})

    # ------------------------------------------------------------------ case numbers

    async def latest_case_number(self, request: Request) -> Response:
        """The highest case number with ``prefix`` (``region-terminal-YYYYMMDD``) among the cases the
        caller (or its office) created: a terminal whose database was lost continues after it."""
        _, principal, error = await self._auth(request)
        if error:
            return error
        prefix = request.query_params.get("prefix", "")
        if not CASE_PREFIX_RE.fullmatch(prefix):
            return err(422, "invalid_prefix", "受理编号前缀格式不正确（应为 行政区划代码-终端编号-年月日，"
                                              "如 150702-W03-20260122）")
        with self.store.lock:  # "P-" <= case_id < "P." is every "P-…" ('.' follows '-'), on the primary key
            rows = self.store.q("SELECT DISTINCT case_id, app_key, office FROM cases WHERE case_id > ? AND case_id < ?",
                                prefix + "-", prefix + ".")
        best, best_seq = None, -1
        for r in rows:
            seq = r["case_id"][len(prefix) + 1:]
            if seq.isdigit() and not foreign(principal, r) and int(seq) > best_seq:
                best, best_seq = r["case_id"], int(seq)
        return JSONResponse({"number": best})

    # ------------------------------------------------------------------ audit anchors

    @staticmethod
    def _latest_anchor(st: PlatformStore, app_key: str, at_or_before: int | None = None):
        """The latest anchor received (anchors only move forward, except through a declared restore); or
        the latest one at or before chain entry ``at_or_before`` among those still on the terminal's chain
        (not the entries a restore lost, anchored before that restore)."""
        if at_or_before is not None:
            return st.one("SELECT a.seq, a.hash, a.at, a.received_at FROM audit_anchors a WHERE a.app_key = ? "
                          "AND a.seq <= ? AND NOT EXISTS (SELECT 1 FROM audit_restores r WHERE r.app_key = a.app_key "
                          "AND a.id < r.anchor_id AND a.seq BETWEEN r.lost_from AND r.lost_to) "
                          "ORDER BY a.seq DESC, a.id DESC LIMIT 1", app_key, at_or_before)
        return st.one("SELECT seq, hash, at, received_at FROM audit_anchors WHERE app_key = ? "
                      "ORDER BY id DESC LIMIT 1", app_key)

    def _restore_agrees(self, st: PlatformStore, app_key: str, restored) -> tuple[bool, int]:
        """A terminal restored from a backup declares the chain head it came back with (``seq``) and what
        its chain has at the platform's latest anchor at or before it (``prev_seq``/``prev_hash``). The
        restored chain must agree with that earlier anchor: a backup is an older state of the same chain,
        a rewrite is not. Returns (agrees, the anchor's seq)."""
        if (not isinstance(restored, dict) or not isinstance(restored.get("seq"), int) or restored["seq"] < 0
                or not isinstance(restored.get("prev_seq"), int)):
            return False, 0
        base = self._latest_anchor(st, app_key, at_or_before=restored["seq"])
        if base is None:
            return restored["prev_seq"] == 0, 0
        return (restored["prev_seq"] == base["seq"] and restored.get("prev_hash") == base["hash"]), base["seq"]

    async def post_anchor(self, request: Request) -> Response:
        """A terminal's audit chain head. Kept per terminal (app key), append-only. The terminal
        states what its chain now has at the previous anchor's sequence; a different hash means the
        chain was rewritten since, and the anchor is refused (the old one stays the latest)."""
        body, principal, error = await self._auth(request)
        if error:
            return error
        data = self._json_body(body)
        if (data is None or not isinstance(data.get("seq"), int) or data["seq"] < 1
                or not re.fullmatch(r"[0-9a-f]{64}", str(data.get("hash", ""))) or len(str(data.get("at", ""))) > 40):
            return err(422, "invalid_anchor", "审计链锚点内容不完整（缺少序号或哈希）")

        def fn(principal):
            st = self.store
            latest = self._latest_anchor(st, principal.app_key)
            restore = None
            if latest is not None:
                if data.get("prev_seq") != latest["seq"] or data.get("prev_hash") != latest["hash"]:
                    agrees, base_seq = (self._restore_agrees(st, principal.app_key, data["restored"])
                                        if "restored" in data else (False, 0))
                    if not agrees:
                        st.bump("anchor_mismatches")
                        return 422, {}, {"code": "anchor_mismatch", "message":
                                         f"本机审计链与平台保存的锚点（第 {latest['seq']} 条）不一致，审计链可能已被改写，"
                                         "平台拒收新的锚点"}
                    # restored from a backup: entries after the backup's head are gone from the terminal;
                    # the platform keeps the record of what was lost (its earlier anchors stay as they are)
                    r = data["restored"]["seq"]
                    restore = (r, base_seq, r + 1 if latest["seq"] > r else None, latest["seq"] if latest["seq"] > r else None)
                elif data["seq"] < latest["seq"]:
                    return 422, {}, {"code": "anchor_behind", "message": "审计链锚点的序号比平台已保存的更小"}
            cur = st.db.execute("INSERT INTO audit_anchors(app_key, office, terminal, seq, hash, at, received_at) "
                                "VALUES (?,?,?,?,?,?,?)", (principal.app_key, principal.office, principal.app_key,
                                                           data["seq"], data["hash"], str(data.get("at", "")), time.time()))
            if restore is not None:
                st.db.execute("INSERT INTO audit_restores(app_key, restored_seq, base_seq, lost_from, lost_to, anchor_id,"
                              " received_at) VALUES (?,?,?,?,?,?,?)", (principal.app_key, *restore, cur.lastrowid, time.time()))
                st.bump("audit_restores")
            st.bump("audit_anchors")
            out = {"seq": data["seq"], "hash": data["hash"]}
            if restore is not None:
                out["restored_from"] = restore[0]
            return 201, {}, out

        return await self._idempotent(request, body, principal, fn)

    async def latest_anchor(self, request: Request) -> Response:
        _, principal, error = await self._auth(request)
        if error:
            return error
        bound = request.query_params.get("at_or_before")
        if bound is not None and not re.fullmatch(r"\d{1,18}", bound):
            return err(422, "invalid_query", "at_or_before 应为非负整数（审计链序号）")
        with self.store.lock:
            row = self._latest_anchor(self.store, principal.app_key, None if bound is None else int(bound))
        anchor = None if row is None else {"seq": row["seq"], "hash": row["hash"], "at": row["at"],
                                           "received_at": row["received_at"]}
        return JSONResponse({"anchor": anchor})

    # ------------------------------------------------------------------ admin (tests, demo)

    async def admin_state(self, request: Request) -> Response:
        state = await run_in_threadpool(self.store.dump)
        state["faults"] = self.faults.snapshot()
        return JSONResponse(state)

    async def admin_faults(self, request: Request) -> Response:
        try:
            self.faults.update(await request.json())
        except ValueError as exc:
            return err(400, "bad_faults", str(exc))
        return JSONResponse(self.faults.snapshot())

    async def admin_clients(self, request: Request) -> Response:
        data = await request.json()
        self.store.add_client(data["app_key"], data["secret"], bool(data.get("revoked", False)),
                              office=data.get("office"))
        return JSONResponse({"ok": True})

    async def admin_reject(self, request: Request) -> Response:
        data = await request.json()
        for cid in data.get("case_ids", []):
            self.reject_cases[cid] = data.get("message", "逝者身份信息与人口库比对不一致")
        return JSONResponse({"rejecting": sorted(self.reject_cases)})

    async def admin_processing(self, request: Request) -> Response:
        data = await request.json()
        self.processing.update(data)
        if "dup_events" in data:
            self.dup_events = int(data["dup_events"])
        return JSONResponse({"ok": True})

    async def admin_events(self, request: Request) -> Response:
        d = await request.json()
        with self.store.lock:
            eid = self.processing.emit(self.store, d["case_id"], d.get("version", 1), d.get("matter", ""),
                                       d.get("department", ""), d["kind"], d.get("text", ""))
        return JSONResponse({"event_id": eid})


# ---------------------------------------------------------------------- running it


class RunningPlatform:
    """What ``run_in_thread`` returns as ``stop``: call it to stop; ``.platform`` for in-process tests."""

    def __init__(self, server, thread, platform: Platform, proc_stop: threading.Event, proc_thread):
        self.server, self.thread, self.platform = server, thread, platform
        self._proc_stop, self._proc_thread = proc_stop, proc_thread

    def __call__(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self._proc_stop.set()
        self._proc_thread.join(5)
        self.platform.store.close()


def _config(platform: Platform, host: str, port: int, quiet: bool, tls: tuple[str, str] | None = None):
    import uvicorn

    kw = {"ssl_certfile": tls[0], "ssl_keyfile": tls[1]} if tls else {}
    return uvicorn.Config(platform, host=host, port=port, log_level="critical" if quiet else "warning",
                          access_log=False, lifespan="off", timeout_keep_alive=30, http="h11", **kw)


def run_in_thread(data_dir, port: int = 0, faults: Faults | None = None, *, host: str = "127.0.0.1",
                  admin: bool = True, clients: dict[str, str] | None = None, processing: Processing | None = None,
                  quiet: bool = True, tls: tuple[str, str] | None = None,
                  offices: dict[str, str] | None = None) -> tuple[str, RunningPlatform]:
    """Start the platform on loopback in this process; returns ``(url, stop)``. ``tls`` is
    (certificate file, key file) to serve HTTPS; ``offices`` (app key → office code) puts
    terminals of ``clients`` in an office."""
    import uvicorn

    platform = Platform(Path(data_dir), faults=faults, processing=processing, admin=admin)
    for key, secret in (clients or {}).items():
        platform.store.add_client(key, secret, office=(offices or {}).get(key))
    server = uvicorn.Server(_config(platform, host, port, quiet, tls))
    thread = threading.Thread(target=server.run, name="platform-ref", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("reference platform did not start")
        time.sleep(0.01)
    bound = server.servers[0].sockets[0].getsockname()[1]
    proc_stop = threading.Event()
    proc_thread = threading.Thread(target=platform.processing.run, args=(platform.store, proc_stop),
                                   name="platform-ref-departments", daemon=True)
    proc_thread.start()
    return f"{'https' if tls else 'http'}://{host}:{bound}", RunningPlatform(server, thread, platform, proc_stop, proc_thread)


def serve(data_dir, *, host: str = "127.0.0.1", port: int = 8787, faults: Faults | None = None,
          admin: bool = False, processing: Processing | None = None, tls: tuple[str, str] | None = None) -> None:
    """Blocking: the ``houshi-desk platform serve`` command."""
    import uvicorn

    platform = Platform(Path(data_dir), faults=faults, processing=processing, admin=admin)
    proc_stop = threading.Event()
    threading.Thread(target=platform.processing.run, args=(platform.store, proc_stop), daemon=True).start()
    try:
        uvicorn.Server(_config(platform, host, port, quiet=False, tls=tls)).run()
    finally:
        proc_stop.set()
        platform.store.close()


def new_client(data_dir, app_key: str, scheme: str = "hmac", office: str | None = None) -> str:
    """Register a terminal's app key on the platform; returns what the terminal keeps (shown once):
    the shared secret, or with ``scheme="sm2"`` its private key (the platform keeps the public key).
    ``office``: the terminal's office code; terminals of one office may act on each other's cases."""
    if office is not None and not OFFICE_RE.match(office):
        raise ValueError("受理点代码只能由 1–40 位字母、数字、“-”或“_”组成")
    store = PlatformStore(Path(data_dir))
    try:
        if scheme == "sm2":
            secret, public = signing.generate_sm2_keypair()
            store.add_client(app_key, public, scheme="sm2", office=office)
            return secret
        secret = secrets.token_urlsafe(32)
        store.add_client(app_key, secret, office=office)
        return secret
    finally:
        store.close()


def start_demo(settings, data_dir, *, port: int = 0, app_key: str = "demo-terminal",
               step_seconds: float = 20.0) -> RunningPlatform:
    """For the demo: start the platform in-process, register this terminal with a fresh secret
    (kept in the keyring), point the settings at it. Returns ``stop``."""
    from houshi_desk.sync.credentials import save_secret

    secret = secrets.token_urlsafe(32)
    url, stop = run_in_thread(data_dir, port=port, clients={app_key: secret}, admin=False,
                              processing=Processing(step_seconds=step_seconds))
    save_secret(app_key, secret)
    settings.set("platform.url", url)
    settings.set("platform.app_key", app_key)
    return stop
