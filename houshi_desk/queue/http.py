"""The queue protocol's client (resources/openapi/queue.yaml), on httpx; short timeouts, since the
window must never wait on the queue system."""
from __future__ import annotations

from datetime import datetime
from urllib.parse import quote

import httpx

from houshi_desk.queue import QueueRefused, QueueUnavailable, Ticket, WindowState

API = "/api/queue/v1"
MSG_DOWN = "叫号系统没有响应，本窗口暂不带号办理；叫号系统恢复后会自动重新连接。"


def _ticket(data) -> Ticket:
    if not isinstance(data, dict) or not isinstance(data.get("ticket"), str) or not data["ticket"]:
        raise QueueUnavailable("叫号系统的回复格式不对。", hint="请联系信息科检查叫号系统设置（queue.url）")
    called = data.get("called_at")
    try:
        called_at = datetime.fromisoformat(called) if called else None
    except (TypeError, ValueError):
        called_at = None
    return Ticket(data["ticket"], called_at, int(data.get("recalls") or 0), str(data.get("state") or "called"))


class HttpQueue:
    def __init__(self, url: str, window: str, *, timeout: float = 3.0, transport=None):
        self.url = url.rstrip("/")
        self.window = window
        self.http = httpx.Client(base_url=self.url, timeout=timeout, transport=transport)

    def close(self) -> None:
        self.http.close()

    def _post(self, op: str, body: dict | None = None) -> dict:
        path = f"{API}/windows/{quote(self.window, safe='')}" + (f"/{op}" if op else "")
        try:
            resp = self.http.post(path, json=body or {}) if op else self.http.get(path)
        except httpx.HTTPError as exc:
            raise QueueUnavailable(MSG_DOWN, detail=type(exc).__name__) from exc
        try:
            data = resp.json()
        except ValueError:
            data = None
        if not isinstance(data, dict):
            raise QueueUnavailable(MSG_DOWN, detail=f"HTTP {resp.status_code}")
        if resp.status_code >= 500:
            raise QueueUnavailable(MSG_DOWN, detail=f"HTTP {resp.status_code}")
        if resp.status_code >= 400:
            raise QueueRefused(str(data.get("message") or "叫号系统拒绝了本次操作。"),
                               detail=str(data.get("code") or resp.status_code))
        return data

    def call_next(self) -> Ticket | None:
        data = self._post("call-next")
        return None if data.get("ticket") is None else _ticket(data["ticket"])

    def recall(self, ticket: str) -> Ticket:
        return _ticket(self._post("recall", {"ticket": ticket}).get("ticket"))

    def skip(self, ticket: str) -> None:
        self._post("skip", {"ticket": ticket})

    def finish(self, ticket: str) -> None:
        self._post("finish", {"ticket": ticket})

    def _window(self, data: dict) -> WindowState:
        w = data.get("window")
        if not isinstance(w, dict):
            raise QueueUnavailable(MSG_DOWN, detail="window shape")
        return WindowState(str(w.get("window", self.window)), bool(w.get("paused")), w.get("current"),
                           int(w.get("waiting") or 0))

    def pause(self) -> WindowState:
        return self._window(self._post("pause"))

    def resume(self) -> WindowState:
        return self._window(self._post("resume"))

    def state(self) -> WindowState:
        return self._window(self._post(""))


def take_ticket(url: str, service: str = "身后一件事", *, timeout: float = 3.0, transport=None) -> str:
    """Take a ticket as the hall's ticket machine does (``POST /tickets``); returns its number."""
    try:
        with httpx.Client(base_url=url.rstrip("/"), timeout=timeout, transport=transport) as http:
            resp = http.post(f"{API}/tickets", json={"service": service})
        data = resp.json()
    except (httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:  # InvalidURL: a mistyped address
        raise QueueUnavailable(MSG_DOWN, detail=type(exc).__name__) from exc
    if resp.status_code >= 400 or not isinstance(data, dict):
        raise QueueUnavailable(MSG_DOWN, detail=f"HTTP {resp.status_code}")
    return _ticket(data.get("ticket")).number
