"""Simulated departments: after a submit, each matter's department accepts it, works on it and
finishes it (or asks for 补正 / refuses) over time, emitting events to the changes feed."""
from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone

TEXTS = {
    "accepted": "已受理",
    "in_progress": "正在办理",
    "done": "已办结",
    "returned": "材料不全，请补充提交相关证明材料",
    "refused": "不符合办理条件，不予受理",
    "withdrawn": "申请人已撤回",
}


@dataclass
class Processing:
    step_seconds: float = 2.0  # time between one department step and the next
    return_matters: set[str] = field(default_factory=set)  # these matters get 退回补正 instead of 办结
    refuse_matters: set[str] = field(default_factory=set)

    def update(self, data: dict) -> None:
        if "step_seconds" in data:
            self.step_seconds = float(data["step_seconds"])
        if "return_matters" in data:
            self.return_matters = set(data["return_matters"])
        if "refuse_matters" in data:
            self.refuse_matters = set(data["refuse_matters"])

    def schedule(self, store, case_id: str, version: int, matters: list[dict]) -> None:
        """Caller holds store.lock and is inside the submit's transaction."""
        now = time.time()
        for i, m in enumerate(matters):
            code, dept = m.get("code", ""), m.get("department", "")
            if code in self.refuse_matters:
                steps = ["refused"]
            elif code in self.return_matters:
                steps = ["accepted", "returned"]
            else:
                steps = ["accepted", "in_progress", "done"]
            for j, kind in enumerate(steps):
                due = now + self.step_seconds * (j + 1) + 0.01 * i
                store.db.execute("INSERT INTO schedule(case_id, version, matter, department, kind, text, due_at) "
                                 "VALUES (?,?,?,?,?,?,?)", (case_id, version, code, dept, kind, TEXTS[kind], due))

    @staticmethod
    def emit(store, case_id: str, version: int, matter: str, department: str, kind: str, text: str) -> str:
        event_id = str(uuid.uuid4())
        at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        store.db.execute("INSERT INTO events(event_id, case_id, version, matter, department, kind, text, at) "
                         "VALUES (?,?,?,?,?,?,?,?)", (event_id, case_id, version, matter, department, kind, text, at))
        return event_id

    def tick(self, store) -> int:
        with store.lock:
            due = store.q("SELECT * FROM schedule WHERE emitted = 0 AND due_at <= ? ORDER BY due_at, id", time.time())
            if not due:
                return 0
            store.db.execute("BEGIN IMMEDIATE")
            try:
                for r in due:
                    self.emit(store, r["case_id"], r["version"], r["matter"], r["department"], r["kind"], r["text"])
                    store.db.execute("UPDATE schedule SET emitted = 1 WHERE id = ?", (r["id"],))
                store.db.execute("COMMIT")
            except BaseException:
                store.db.execute("ROLLBACK")
                raise
            return len(due)

    def run(self, store, stop: threading.Event, interval: float = 0.1) -> None:
        while not stop.wait(interval):
            try:
                self.tick(store)
            except Exception:  # noqa: BLE001 - a closed store at shutdown
                if stop.is_set():
                    return
