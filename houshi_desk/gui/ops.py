"""Running work off the GUI thread with callbacks on it (modelled on Anki's QueryOp/CollectionOp).

    BackgroundOp(parent=self, op=lambda: search(text), success=self.show_rows).run()
    BackgroundOp(parent=self, op=save, success=done).failure(show_error).writes().with_progress("正在保存…").run()

``op`` runs in a QThreadPool; ``success(result)`` or ``failure(exc)`` is called on the GUI thread
(a queued signal), never both, and not at all if ``parent`` was destroyed meanwhile. A ``HoushiError``
reaching the default failure handler is shown to the clerk as its Chinese message.

Reads run in the shared pool. Writes (``.writes()``) go through ONE single-thread pool: SQLite allows
one writer at a time, so serialising our own writes means no "database is locked" waits inside a
worker, writes land in the order the clerk made them, and two saves of one case can never race (the
same reason Picard keeps a one-thread pool for saving files).
"""
from __future__ import annotations

import logging
import threading
import time
import traceback
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

log = logging.getLogger(__name__)

_writer_pool: QThreadPool | None = None
_read_pool: QThreadPool | None = None
_live: set["BackgroundOp"] = set()  # keep ops (and their relays) alive until they report back


def writer_pool() -> QThreadPool:
    global _writer_pool
    if _writer_pool is None:
        _writer_pool = QThreadPool()
        _writer_pool.setMaxThreadCount(1)  # one writer keeps SQLite simple (see module docstring)
        _writer_pool.setObjectName("houshi-writer")
    return _writer_pool


def read_pool() -> QThreadPool:
    global _read_pool
    if _read_pool is None:
        _read_pool = QThreadPool()
        _read_pool.setMaxThreadCount(4)
        _read_pool.setObjectName("houshi-read")
    return _read_pool


def device_pool() -> QThreadPool:
    """One thread for device commands (placing a demo card, starting a scan) so they stay in order."""
    global _device_pool
    if _device_pool is None:
        _device_pool = QThreadPool()
        _device_pool.setMaxThreadCount(1)
    return _device_pool


_device_pool: QThreadPool | None = None


def wait_idle(timeout_ms: int = 10000) -> bool:
    """Block until background work is done (closing the app, tests)."""
    ok = True
    for pool in (_read_pool, _writer_pool, _device_pool):
        if pool is not None:
            ok = pool.waitForDone(timeout_ms) and ok
    return ok


class Cancelled(Exception):
    """Raised inside an op that saw its cancel token set; the op then reports neither result."""


def is_database_locked(exc: BaseException) -> bool:
    """SQLite's SQLITE_BUSY_SNAPSHOT: a transaction that read first and then wants to write fails at
    once (no busy wait) when another connection — the uploader's, say — committed in between."""
    return type(exc).__name__ == "OperationalError" and "database is locked" in str(exc)


def retry_locked(fn: Callable[[], Any], attempts: int = 6) -> Any:
    """Run one transaction again when SQLite refused it as above; it was rolled back, so a retry is safe."""
    import random

    for i in range(attempts):
        try:
            return fn()
        except Exception as exc:  # noqa: BLE001
            if i == attempts - 1 or not is_database_locked(exc):
                raise
            log.info("database busy (snapshot); retrying (%d)", i + 1)
            time.sleep(0.05 * 2 ** i + random.random() * 0.05)
    raise AssertionError("unreachable")


class _Relay(QObject):
    finished = Signal(bool, object)
    progress = Signal(int, int, str)


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay, *, retry: bool = False):
        super().__init__()
        self.fn, self.relay, self.retry = fn, relay, retry
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = retry_locked(self.fn) if self.retry else self.fn()
        except BaseException as exc:  # noqa: BLE001 - reported on the GUI thread
            if not isinstance(exc, Cancelled):
                log.debug("background op failed:\n%s", traceback.format_exc())
            self.relay.finished.emit(False, exc)
            return
        self.relay.finished.emit(True, result)


class BackgroundOp:
    def __init__(self, *, parent: QObject | None, op: Callable[..., Any],
                 success: Callable[[Any], None] | None = None):
        self.parent = parent
        self._op = op
        self._success = success
        self._failure: Callable[[BaseException], None] | None = None
        self._writes = False
        self._pool: QThreadPool | None = None
        self._retry = False
        self._daemon = False
        self._progress_label: str | None = None
        self._cancellable = False
        self.cancel_token = threading.Event()
        self.cancel_hooks: list[Callable[[], None]] = []
        self._with_reporter = False
        self._dialog: QProgressDialog | None = None
        self._relay = _Relay()
        self._relay.finished.connect(self._finished)
        self._relay.progress.connect(self._on_progress)
        self.started_at = 0.0

    # ---- builder
    def failure(self, fn: Callable[[BaseException], None]) -> "BackgroundOp":
        self._failure = fn
        return self

    def writes(self, *, one_transaction: bool = True) -> "BackgroundOp":
        """Run on the writer. ``one_transaction``: the op is a single transaction, so it is retried
        when SQLite refuses it as busy (see ``retry_locked``); ops made of several transactions
        retry their own steps instead."""
        self._writes = True
        self._retry = one_transaction
        return self

    def in_pool(self, pool: QThreadPool) -> "BackgroundOp":
        """Run in a pool of the caller's (e.g. a one-thread pool that keeps device commands in order)."""
        self._pool = pool
        return self

    def in_daemon_thread(self) -> "BackgroundOp":
        """Run in a daemon thread of its own, never waited for at exit: for slow look-ups whose
        answer may be dropped (e.g. asking SANE which scanners exist takes seconds)."""
        self._daemon = True
        return self

    def with_progress(self, label: str, *, cancellable: bool = False) -> "BackgroundOp":
        self._progress_label = label
        self._cancellable = cancellable
        return self

    def with_reporter(self) -> "BackgroundOp":
        """``op(report)`` is called with ``report(done, total, text)`` (thread-safe) and may check
        ``report.cancelled()`` to stop early by raising :class:`Cancelled`."""
        self._with_reporter = True
        return self

    # ---- running
    def run(self) -> "BackgroundOp":
        _live.add(self)
        self.started_at = time.monotonic()
        fn = self._op
        if self._with_reporter:
            relay, token = self._relay, self.cancel_token

            def report(done: int, total: int, text: str = "") -> None:
                if token.is_set():
                    raise Cancelled()
                relay.progress.emit(int(done), int(total), str(text))

            report.cancelled = token.is_set  # type: ignore[attr-defined]
            fn = lambda: self._op(report)  # noqa: E731
        if self._progress_label is not None and isinstance(self.parent, QWidget):
            d = QProgressDialog(self._progress_label, "", 0, 0, self.parent)
            if self._cancellable:
                d.setCancelButtonText(QCoreApplication.translate("ops", "取消"))
                d.canceled.connect(self.cancel)
            else:
                d.setCancelButton(None)
            d.setMinimumDuration(400)  # quick work never flashes a dialog
            d.setWindowTitle(QCoreApplication.translate("ops", "请稍候"))
            d.setAutoClose(False)
            d.setAutoReset(False)
            self._dialog = d
        task = _Task(fn, self._relay, retry=self._retry)
        if self._daemon:
            task.setAutoDelete(False)
            self._task = task  # the op holds it until it reports back
            threading.Thread(target=task.run, name="houshi-lookup", daemon=True).start()
            return self
        pool = self._pool or (writer_pool() if self._writes else read_pool())
        pool.start(task)
        return self

    def cancel(self) -> None:
        self.cancel_token.set()
        for hook in self.cancel_hooks:  # e.g. stop a scanner at once instead of after its page
            try:
                hook()
            except Exception:  # noqa: BLE001
                log.debug("cancel hook failed", exc_info=True)

    @Slot(int, int, str)
    def _on_progress(self, done: int, total: int, text: str) -> None:
        if self._dialog is not None:
            self._dialog.setMaximum(max(total, 0))
            self._dialog.setValue(done)
            if text:
                self._dialog.setLabelText(text)

    @Slot(bool, object)
    def _finished(self, ok: bool, value: Any) -> None:
        _live.discard(self)
        if self._dialog is not None:
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None
        if self.parent is not None and not _alive(self.parent):
            return
        if not ok and isinstance(value, Cancelled) and self._failure is None:
            return  # cancelled by the clerk: nothing to report unless the caller wants to know
        try:
            if ok:
                if self._success is not None:
                    self._success(value)
            elif self._failure is not None:
                self._failure(value)
            else:
                show_error(self.parent if isinstance(self.parent, QWidget) else None, value)
        except Exception:  # noqa: BLE001 - a callback bug must not kill the event loop
            log.exception("op callback failed")


def _alive(obj: QObject) -> bool:
    try:
        import shiboken6

        return shiboken6.isValid(obj)
    except Exception:  # noqa: BLE001
        return True


def error_text(exc: BaseException) -> str:
    """What the clerk reads: the Chinese message of a HoushiError, else a generic sentence."""
    from houshi_desk.errors import HoushiError

    if isinstance(exc, HoushiError):
        return str(exc)
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("ops", "发生意外错误，操作未完成，已输入的内容没有丢失。请重试；若反复出现，请联系信息科。")


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QMessageBox

    if not isinstance(exc, Exception):
        raise exc
    log.info("error shown to clerk: %s", type(exc).__name__)
    QMessageBox.warning(parent, QCoreApplication.translate("ops", "未能完成"), error_text(exc))


def later(ms: int, fn: Callable[[], None]) -> None:
    QTimer.singleShot(ms, fn)
