"""Is the embedded database file whole? ``PRAGMA cipher_integrity_check`` (every page's HMAC) and
``PRAGMA quick_check`` (the b-trees), run without Qt.

A damaged page is otherwise found only when something happens to read it: the last page of a busy
file may not be read for days while new cases keep being written into the damaged file.
:class:`IntegrityWatch` runs the check in a background thread when the store opens; a write
session waits for its verdict (usually long done: ~4 ms per MB) and refuses to write into a damaged
file. ``backup now`` runs it synchronously before copying.
"""
from __future__ import annotations

import logging
import threading
import time

log = logging.getLogger(__name__)

RECHECK_SECONDS = 24 * 3600  # a window left open for days is checked again daily

# Words of SQLite/SQLCipher errors that mean the file itself is damaged (not a lock or a bug).
DAMAGE_WORDS = ("malformed", "not a database", "hmac", "corrupt", "disk i/o error", "unable to get the page")


def damage_error(path, detail: str = ""):
    """The one message a clerk gets for a damaged database file, wherever it is found."""
    from houshi_desk.store.db import DatabaseDamaged

    return DatabaseDamaged(
        f"数据库文件已损坏（{path}），为免损坏扩大，程序已停止写入，文件未作任何改动。"
        "请不要删除或移动数据文件，先把整个数据目录复制一份交信息科，"
        "再由主管从最近的备份恢复：houshi-desk backup restore 备份文件。",
        detail=detail[:2000],
    )


def looks_damaged(exc: BaseException) -> bool:
    text = str(getattr(exc, "orig", None) or exc).lower()
    return any(word in text for word in DAMAGE_WORDS)


def check_connection(dbapi_conn) -> list[str]:
    """Problems found on a raw SQLCipher connection (empty list = whole). Never raises for damage:
    a read error during the check is itself reported as a problem."""
    problems: list[str] = []
    try:
        rows = dbapi_conn.execute("PRAGMA cipher_integrity_check").fetchall()
        problems += [str(r[0]) for r in rows if r and r[0]]
        if not problems:
            rows = dbapi_conn.execute("PRAGMA quick_check").fetchall()
            problems += [str(r[0]) for r in rows if r and str(r[0]).lower() != "ok"]
    except Exception as exc:  # noqa: BLE001 - sqlcipher3.DatabaseError and friends: damage
        if not looks_damaged(exc):
            raise
        problems.append(f"{type(exc).__name__}: {exc}")
    return problems


def check_engine(engine) -> list[str]:
    """Run the check on a fresh connection of ``engine`` (SQLCipher only)."""
    raw = engine.raw_connection()
    try:
        return check_connection(raw.driver_connection)
    finally:
        raw.close()


class IntegrityWatch:
    """One background check of the store's file; :meth:`require_whole` waits for its verdict."""

    def __init__(self, engine, path):
        self.engine = engine
        self.path = path
        self.problems: list[str] | None = None  # None = not (yet) known
        self.error: str = ""
        self.seconds: float = 0.0
        self.finished_at: float | None = None  # time.monotonic() when the verdict came
        self.previous: list[str] | None = None  # the last verdict, in force while this one runs
        self._raw = None
        self._closing = False
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="houshi-integrity", daemon=True)

    def start(self) -> "IntegrityWatch":
        self._thread.start()
        return self

    def _run(self) -> None:
        start = time.monotonic()
        try:
            raw = self.engine.raw_connection()
            self._raw = raw
            try:
                self.problems = check_connection(raw.driver_connection)
            finally:
                self._raw = None
                raw.close()
        except Exception as exc:  # noqa: BLE001 - closed while checking, or a bug: unknown, not damage
            if not self._closing:
                self.error = f"{type(exc).__name__}: {exc}"
                log.warning("integrity check did not finish: %s", self.error)
        finally:
            self.seconds = time.monotonic() - start
            self.finished_at = time.monotonic()
            self._done.set()
            if self.problems:
                log.error("database %s damaged: %s", self.path, "; ".join(self.problems[:5]))

    def wait(self, timeout: float | None = None) -> list[str] | None:
        self._done.wait(timeout)
        return self.problems

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def require_whole(self) -> None:
        """Raise the damage error if the check found damage (waiting for it if still running, unless
        an earlier verdict is in force meanwhile)."""
        if not self._done.is_set():
            if self.previous is not None:
                problems = self.previous
            else:
                self._done.wait()
                problems = self.problems
        else:
            problems = self.problems
        if problems:
            raise damage_error(self.path, "; ".join(problems[:20]))

    def due_again(self) -> bool:
        return self.finished_at is not None and time.monotonic() - self.finished_at > RECHECK_SECONDS

    def again(self) -> "IntegrityWatch":
        """A fresh check, started; this one's verdict holds until it has one."""
        fresh = IntegrityWatch(self.engine, self.path)
        fresh.previous = list(self.problems or [])
        return fresh.start()

    def stop(self) -> None:
        """Called when the store closes: interrupt a check still running (CLI commands are short)."""
        if self._done.is_set() or not self._thread.is_alive():
            return
        self._closing = True
        raw = self._raw
        if raw is not None:
            try:
                raw.driver_connection.interrupt()
            except Exception:  # noqa: BLE001 - already closed
                pass
        self._thread.join(5)
