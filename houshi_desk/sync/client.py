"""The HTTP client of the platform contract (resources/openapi/platform.yaml), on httpx.

Every write carries an ``Idempotency-Key``; every request is signed (``signing``); TLS trusts the
configured CA file when one is set. Each failure is turned into one of the three error classes in
``sync.errors`` with a plain Chinese message; a reply that is not what the contract promises
(truncated, wrong content type, a 200 with a body that does not parse) is a transient error, since
the idempotency key makes asking again safe.
"""
from __future__ import annotations

import base64
import email.utils
import hashlib
import json
import logging
import ssl
import time
from typing import Any, Callable

import httpx

from houshi_desk.sync import errors as E
from houshi_desk.sync.signing import Signer, get_signer, sign_headers

log = logging.getLogger(__name__)

API = "/api/v1"
TUS_VERSION = "1.0.0"


def canonical_json(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def parse_retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
        return max(0.0, when.timestamp() - time.time())
    except (TypeError, ValueError):
        return None


class OffsetMismatch(E.TransientError):
    def __init__(self, server_offset: int | None):
        super().__init__("附件续传位置与平台不一致，正在向平台确认后继续。", code="offset_mismatch")
        self.server_offset = server_offset


def _tus_metadata(meta: dict[str, str]) -> str:
    return ",".join(f"{k} {base64.b64encode(str(v).encode('utf-8')).decode('ascii')}" for k, v in meta.items())


class PlatformClient:
    def __init__(self, base_url: str, app_key: str, secret: str, *, signer: str | Signer = "hmac-sha256",
                 ca_file: str = "", timeout: float = 60.0, time_source: Callable[[], float] = time.time,
                 transport: httpx.BaseTransport | None = None):
        if not base_url:
            raise E.NotConfigured(E.MSG_NOT_CONFIGURED)
        self.base_url = base_url.rstrip("/")
        self.app_key = app_key
        self._secret = secret
        self.signer = signer if isinstance(signer, Signer) else get_signer(signer)
        self.time_source = time_source
        self.max_chunk: int | None = None  # the largest chunk the platform takes (its Houshi-Max-Chunk)
        verify: Any = True
        if ca_file:
            verify = ssl.create_default_context(cafile=ca_file)
        self._http = httpx.Client(
            base_url=self.base_url,
            timeout=httpx.Timeout(timeout, connect=min(10.0, timeout)),  # a short check waits no longer to connect
            verify=verify,
            headers={"User-Agent": "houshi-desk-sync/1"},
            transport=transport,
        )

    def __repr__(self) -> str:  # never show the secret
        return f"PlatformClient({self.base_url!r}, app_key={self.app_key!r})"

    def close(self) -> None:
        self._http.close()

    # ------------------------------------------------------------------ transport and errors

    def _send(self, method: str, path: str, *, body: bytes = b"", headers: dict | None = None,
              params: dict | None = None, idem_key: str | None = None) -> httpx.Response:
        h = dict(headers or {})
        if idem_key:
            h["Idempotency-Key"] = idem_key
        req = self._http.build_request(method, path, content=body, headers=h, params=params)
        path_q = req.url.raw_path.decode("ascii")
        req.headers.update(sign_headers(self.signer, self.app_key, self._secret, method, path_q, body,
                                        self.time_source(), headers=h))
        try:
            resp = self._http.send(req)
            resp.read()
        except httpx.ConnectTimeout as exc:
            raise E.TransientError(E.MSG_NETWORK, code="network", link_down=True, detail=repr(exc)) from exc
        except httpx.ConnectError as exc:
            text = str(exc)
            if "CERTIFICATE_VERIFY_FAILED" in text or "certificate verify failed" in text:
                raise E.AuthError(E.MSG_TLS, code="tls", detail=text) from exc
            raise E.TransientError(E.MSG_NETWORK, code="network", link_down=True, detail=text) from exc
        except httpx.TimeoutException as exc:
            raise E.TransientError(E.MSG_TIMEOUT, code="timeout", detail=repr(exc)) from exc
        except (httpx.TransportError, httpx.DecodingError) as exc:  # closed mid-reply, reset, garbage framing
            raise E.TransientError("与平台的连接中途断开，已自动排队稍后重试。", code="connection_lost",
                                   detail=repr(exc)) from exc
        self._raise_for_status(resp)
        return resp

    @staticmethod
    def _error_body(resp: httpx.Response) -> dict:
        try:
            data = json.loads(resp.content)
            return data if isinstance(data, dict) else {}
        except ValueError:
            return {}

    def _raise_for_status(self, resp: httpx.Response) -> None:
        status = resp.status_code
        if status < 300:
            return
        body = self._error_body(resp)
        # a HEAD reply has no body: the platform names the error in a header instead
        code = str(body.get("code", "") or resp.headers.get("X-Houshi-Error-Code", ""))
        server_msg = str(body.get("message", ""))[:300]
        retry_after = parse_retry_after(resp.headers.get("Retry-After"))
        detail = f"HTTP {status} {code}"
        if status == 403 and code == "not_owner":
            # this one item touches another office's case: a person must look at it; the queue
            # (and the credential) is fine, so nothing pauses
            raise E.RejectedError(E.MSG_NOT_OWNER, code="not_owner", status=403, detail=detail)
        if status in (401, 403):
            if code == "clock_skew":
                raise E.AuthError(E.MSG_CLOCK, code="clock_skew", detail=detail)
            raise E.AuthError(E.MSG_LOGIN, code="login", detail=detail)
        if status == 409:
            if code == "offset_mismatch":
                off = resp.headers.get("Upload-Offset")
                raise OffsetMismatch(int(off) if off and off.isdigit() else None)
            if code == "idempotency_key_reused":
                raise E.RejectedError("同一请求编号被用于不同内容，平台拒收。请联系信息科处理。", code=code, status=409, detail=detail)
            if code == "case_number_taken":
                number = str(body.get("case_id", ""))[:40] or "（见案件）"
                raise E.RejectedError(
                    f"平台拒收：受理编号 {number} 在平台上已经是本终端的另一个案件（本机数据库丢失或从较早的备份恢复后，"
                    "编号与之前受理的案件重复）。本案件没有发送，请联系信息科核对两个案件后处理，不要重新受理。",
                    code=code, status=409, detail=detail)
            if code == "attachments_incomplete":
                raise E.TransientError("平台尚未收齐附件，稍后自动重试。", code=code, retry_after=retry_after, detail=detail)
            raise E.TransientError(E.MSG_IN_PROGRESS, code="in_progress", retry_after=retry_after or 1.0, detail=detail)
        if status == 429:
            raise E.TransientError(E.MSG_BUSY, code="rate_limited", retry_after=retry_after, detail=detail)
        if status == 460:  # tus: checksum mismatch — the chunk was damaged on the way; send it again
            raise E.TransientError("附件分块在传输中损坏，正在重新发送。", code="checksum", detail=detail)
        if status in (404, 410) and (code == "upload_gone" or resp.request.method == "HEAD"):
            raise E.UploadGone("平台已不保留这次上传，正在重新上传该附件。", detail=detail)
        if status in (502, 503, 504):
            raise E.TransientError(E.MSG_SERVER.format(status=status), code="unavailable", retry_after=retry_after,
                                   link_down=True, detail=detail)
        if status >= 500:
            raise E.TransientError(E.MSG_SERVER.format(status=status), code="server_error", retry_after=retry_after,
                                   detail=detail)
        if status in (400, 404, 410, 413, 415, 422):
            text = server_msg or "请求内容不符合平台要求"
            raise E.RejectedError(f"平台拒收：{text}。请核对案件后重新提交或联系信息科。", code=code or "rejected",
                                  status=status, detail=detail)
        raise E.TransientError(E.MSG_SERVER.format(status=status), code="unexpected_status", detail=detail)

    @staticmethod
    def _json(resp: httpx.Response, *required: str) -> dict:
        ctype = resp.headers.get("Content-Type", "")
        if not ctype.split(";")[0].strip().lower().endswith("json"):
            raise E.TransientError(E.MSG_GARBAGE, code="bad_reply", detail=f"content-type {ctype!r}")
        try:
            data = json.loads(resp.content)
        except ValueError as exc:
            raise E.TransientError(E.MSG_GARBAGE, code="bad_reply", detail="invalid JSON") from exc
        if not isinstance(data, dict) or any(k not in data for k in required):
            raise E.TransientError(E.MSG_GARBAGE, code="bad_reply", detail=f"missing {required}")
        return data

    def _post_json(self, path: str, body: dict, idem_key: str, *required: str) -> dict:
        resp = self._send("POST", path, body=canonical_json(body), idem_key=idem_key,
                          headers={"Content-Type": "application/json; charset=utf-8"})
        return self._json(resp, *required)

    # ------------------------------------------------------------------ the contract

    def session_info(self) -> dict:
        """A signed no-op: checks the link, the credential and the clock in one round trip."""
        return self._json(self._send("GET", f"{API}/session"), "app_key")

    def create_case(self, idem_key: str, payload: dict) -> dict:
        return self._post_json(f"{API}/cases", payload, idem_key, "case_id", "version")

    def create_upload(self, idem_key: str, *, case_id: str, size: int, sha256: str, material: str,
                      filename: str) -> tuple[str, int | None]:
        """(location, offset): the offset is known (0) only for a fresh upload, not for a replayed
        creation — that one may have progressed since, so the caller asks with HEAD."""
        meta = {"case_id": case_id, "sha256": sha256, "material": material, "filename": filename}
        resp = self._send("POST", f"{API}/uploads", idem_key=idem_key, headers={
            "Tus-Resumable": TUS_VERSION, "Upload-Length": str(size), "Upload-Metadata": _tus_metadata(meta)})
        self._note_max_chunk(resp)
        location = resp.headers.get("Location", "")
        if resp.status_code != 201 or not location.startswith(f"{API}/uploads/"):
            raise E.TransientError(E.MSG_GARBAGE, code="bad_reply", detail=f"create upload {resp.status_code} {location!r}")
        fresh = resp.headers.get("Idempotent-Replayed", "").lower() != "true" and resp.headers.get("Upload-Offset") == "0"
        return location, (0 if fresh else None)

    def upload_offset(self, location: str) -> tuple[int, int]:
        """(offset, length) as the server has it. Resumes always start here."""
        resp = self._send("HEAD", location, headers={"Tus-Resumable": TUS_VERSION})
        self._note_max_chunk(resp)
        off, length = resp.headers.get("Upload-Offset", ""), resp.headers.get("Upload-Length", "")
        if not off.isdigit() or not length.isdigit():
            raise E.TransientError(E.MSG_GARBAGE, code="bad_reply", detail="HEAD without offsets")
        return int(off), int(length)

    def _note_max_chunk(self, resp: httpx.Response) -> None:
        value = resp.headers.get("Houshi-Max-Chunk", "")
        if value.isdigit() and 1024 <= int(value) <= 1 << 30:
            self.max_chunk = int(value)

    def upload_chunk(self, location: str, offset: int, chunk: bytes, idem_key: str) -> int:
        digest = base64.b64encode(hashlib.sha256(chunk).digest()).decode("ascii")
        resp = self._send("PATCH", location, body=chunk, idem_key=f"{idem_key}@{offset}", headers={
            "Tus-Resumable": TUS_VERSION, "Upload-Offset": str(offset),
            "Content-Type": "application/offset+octet-stream", "Upload-Checksum": f"sha256 {digest}"})
        new = resp.headers.get("Upload-Offset", "")
        if not new.isdigit() or not (offset < int(new) <= offset + len(chunk)):
            raise E.TransientError(E.MSG_GARBAGE, code="bad_reply", detail=f"PATCH offset {new!r}")
        return int(new)

    def submit(self, idem_key: str, case_id: str, payload: dict) -> dict:
        return self._post_json(f"{API}/cases/{case_id}/submit", payload, idem_key, "submission_id")

    def supplement(self, idem_key: str, case_id: str, payload: dict) -> dict:
        return self._post_json(f"{API}/cases/{case_id}/supplements", payload, idem_key, "supplement_id")

    def withdraw(self, idem_key: str, case_id: str, payload: dict) -> dict:
        return self._post_json(f"{API}/cases/{case_id}/withdraw", payload, idem_key, "case_id")

    def audit_anchor(self, idem_key: str, body: dict) -> dict:
        """Hand the platform the audit chain head (``seq``, ``hash``, ``at``, and ``prev_seq`` /
        ``prev_hash``: what this chain now has at the platform's previous anchor)."""
        return self._post_json(f"{API}/audit-anchors", body, idem_key, "seq", "hash")

    def audit_anchor_latest(self, at_or_before: int | None = None) -> dict | None:
        """The latest anchor the platform holds for this terminal (at or before chain entry
        ``at_or_before``, when given: the anchor a restored chain must agree with), or None."""
        params = None if at_or_before is None else {"at_or_before": str(int(at_or_before))}
        data = self._json(self._send("GET", f"{API}/audit-anchors/latest", params=params), "anchor")
        anchor = data["anchor"]
        if anchor is not None and (not isinstance(anchor, dict) or not isinstance(anchor.get("seq"), int)
                                   or not isinstance(anchor.get("hash"), str)):
            raise E.TransientError(E.MSG_GARBAGE, code="bad_reply", detail="anchor shape")
        return anchor

    def latest_case_number(self, prefix: str) -> str | None:
        """The highest case number starting ``prefix-`` (``region-terminal-YYYYMMDD``) that this terminal
        (or its office) created on the platform, or None: where the day's numbering must continue."""
        data = self._json(self._send("GET", f"{API}/case-numbers/latest", params={"prefix": prefix}), "number")
        number = data["number"]
        if number is not None and (not isinstance(number, str) or not number.startswith(prefix + "-")
                                   or not number[len(prefix) + 1:].isdigit()):
            raise E.TransientError(E.MSG_GARBAGE, code="bad_reply", detail="case number shape")
        return number

    def changes(self, since: str, limit: int = 200) -> dict:
        resp = self._send("GET", f"{API}/changes", params={"since": since, "limit": str(limit)})
        data = self._json(resp, "events", "cursor")
        if not isinstance(data["events"], list) or not isinstance(data["cursor"], str):
            raise E.TransientError(E.MSG_GARBAGE, code="bad_reply", detail="changes shape")
        return data
