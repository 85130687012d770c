"""The reference queue server (resources/openapi/queue.yaml): tickets are taken at the kiosk
(``POST /tickets``), a window calls the next waiting one, may recall it, skip it (no-show), pause and
resume itself, and finishes the ticket when the family is served.

State lives in memory and, with a data folder, in ``queue.json`` there (written after every change,
atomically), so a restarted server keeps its tickets. One lock serialises every operation: two windows
calling at once never get the same ticket.
"""
from __future__ import annotations

import json
import os
import threading
import time
from datetime import datetime
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

API = "/api/queue/v1"
WAITING, CALLED, SKIPPED, FINISHED = "waiting", "called", "skipped", "finished"


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


def err(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"code": code, "message": message}, status_code=status)


class QueueState:
    def __init__(self, data_dir: Path | None = None, prefix: str = "A"):
        self.lock = threading.Lock()
        self.path = Path(data_dir) / "queue.json" if data_dir else None
        self.prefix = prefix
        self.tickets: list[dict] = []
        self.windows: dict[str, dict] = {}
        self.last_number = 0
        if self.path is not None and self.path.exists():
            data = json.loads(self.path.read_text(encoding="utf-8"))
            self.tickets, self.windows, self.last_number = data["tickets"], data["windows"], data["last_number"]

    def _save(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"tickets": self.tickets, "windows": self.windows, "last_number": self.last_number},
                                  ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self.path)

    def window(self, name: str) -> dict:
        return self.windows.setdefault(name, {"window": name, "paused": False, "current": None})

    def ticket(self, number: str) -> dict | None:
        return next((t for t in self.tickets if t["ticket"] == number), None)

    # --- operations (callers hold the lock)
    def issue(self, service: str) -> dict:
        self.last_number += 1
        t = {"ticket": f"{self.prefix}{self.last_number:03d}", "service": service, "state": WAITING,
             "issued_at": _now(), "called_at": None, "finished_at": None, "window": None, "recalls": 0}
        self.tickets.append(t)
        self._save()
        return t

    def call_next(self, window: str) -> tuple[int, dict]:
        w = self.window(window)
        if w["paused"]:
            return 409, {"code": "window_paused", "message": "本窗口已暂停叫号，请先恢复叫号"}
        nxt = next((t for t in self.tickets if t["state"] == WAITING), None)
        if nxt is None:
            return 200, {"ticket": None, "waiting": 0}
        nxt.update(state=CALLED, called_at=_now(), window=window)
        w["current"] = nxt["ticket"]
        self._save()
        return 200, {"ticket": nxt, "waiting": self.waiting()}

    def _own(self, window: str, number: str) -> tuple[int, dict] | dict:
        t = self.ticket(number)
        if t is None:
            return 404, {"code": "ticket_unknown", "message": f"没有号码 {number}"}
        if t["window"] != window or t["state"] != CALLED:
            return 409, {"code": "not_called_here", "message": f"号码 {number} 不是本窗口正在呼叫的号码"}
        return t

    def recall(self, window: str, number: str) -> tuple[int, dict]:
        t = self._own(window, number)
        if isinstance(t, tuple):
            return t
        t["recalls"] += 1
        self._save()
        return 200, {"ticket": t}

    def skip(self, window: str, number: str) -> tuple[int, dict]:
        t = self._own(window, number)
        if isinstance(t, tuple):
            return t
        t["state"] = SKIPPED
        self.window(window)["current"] = None
        self._save()
        return 200, {"ticket": t}

    def finish(self, window: str, number: str) -> tuple[int, dict]:
        t = self.ticket(number)
        if t is not None and t["state"] == FINISHED and t["window"] == window:
            return 200, {"ticket": t}  # finishing twice (a retry) is harmless
        t = self._own(window, number)
        if isinstance(t, tuple):
            return t
        t.update(state=FINISHED, finished_at=_now())
        w = self.window(window)
        if w["current"] == number:
            w["current"] = None
        self._save()
        return 200, {"ticket": t}

    def set_paused(self, window: str, paused: bool) -> tuple[int, dict]:
        w = self.window(window)
        w["paused"] = paused
        self._save()
        return 200, {"window": self.window_state(window)}

    def waiting(self) -> int:
        return sum(1 for t in self.tickets if t["state"] == WAITING)

    def window_state(self, window: str) -> dict:
        w = self.window(window)
        return {"window": window, "paused": w["paused"], "current": w["current"], "waiting": self.waiting()}


def make_app(state: QueueState) -> Starlette:
    async def body(request: Request) -> dict:
        raw = await request.body()
        if not raw:
            return {}
        try:
            data = json.loads(raw)
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}

    def locked(fn, *args):
        with state.lock:
            status, payload = fn(*args)
        return JSONResponse(payload, status_code=status)

    async def health(request: Request):
        return JSONResponse({"ok": True, "time": time.time()})

    async def issue(request: Request):
        data = await body(request)
        with state.lock:
            t = state.issue(str(data.get("service", ""))[:40])
        return JSONResponse({"ticket": t}, status_code=201)

    async def tickets(request: Request):
        with state.lock:
            return JSONResponse({"tickets": list(state.tickets)})

    async def window_get(request: Request):
        with state.lock:
            return JSONResponse({"window": state.window_state(request.path_params["window"])})

    async def call_next(request: Request):
        return locked(state.call_next, request.path_params["window"])

    def with_ticket(op):
        async def handler(request: Request):
            number = str((await body(request)).get("ticket", "")).strip()
            if not number:
                return err(422, "ticket_missing", "请求中缺少号码（ticket）")
            return locked(op, request.path_params["window"], number)
        return handler

    async def pause(request: Request):
        return locked(state.set_paused, request.path_params["window"], True)

    async def resume(request: Request):
        return locked(state.set_paused, request.path_params["window"], False)

    w = f"{API}/windows/{{window}}"
    return Starlette(routes=[
        Route(f"{API}/health", health, methods=["GET"]),
        Route(f"{API}/tickets", issue, methods=["POST"]),
        Route(f"{API}/tickets", tickets, methods=["GET"]),
        Route(w, window_get, methods=["GET"]),
        Route(f"{w}/call-next", call_next, methods=["POST"]),
        Route(f"{w}/recall", with_ticket(state.recall), methods=["POST"]),
        Route(f"{w}/skip", with_ticket(state.skip), methods=["POST"]),
        Route(f"{w}/finish", with_ticket(state.finish), methods=["POST"]),
        Route(f"{w}/pause", pause, methods=["POST"]),
        Route(f"{w}/resume", resume, methods=["POST"]),
    ])


def serve(*, host: str = "127.0.0.1", port: int = 8766, data_dir: Path | None = None, quiet: bool = False) -> None:
    import uvicorn

    uvicorn.run(make_app(QueueState(data_dir)), host=host, port=port, log_level="warning" if quiet else "info",
                access_log=not quiet)
