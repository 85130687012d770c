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

import atexit
import logging
import sys
import threading
import time
import traceback
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

log = logging.getLogger(__name__)

_writer_pool: QThreadPool | None = None
_read_pool: QThreadPool | None = None


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
    """One relay for every op, created on the GUI thread and never deleted (see ``_Task``)."""

    finished = Signal(int)  # op id: its outcome waits in ``_outcomes``
    progress = Signal(int, int, int, str)  # op id, done, total, text


_relay_obj: _Relay | None = None
_outcomes: dict[int, tuple[Any, bool, Any]] = {}  # op id -> (the op's callable, ok, result or exception)
_outcomes_lock = threading.Lock()
_ops: dict[int, "BackgroundOp"] = {}  # running ops by id; only the GUI thread touches it
_next_id = 0


def _relay() -> _Relay:
    global _relay_obj
    if _relay_obj is None:
        _relay_obj = _Relay()
        _relay_obj.finished.connect(_deliver)
        _relay_obj.progress.connect(_deliver_progress)
    return _relay_obj


_exiting = False


@atexit.register
def _at_exit() -> None:
    # daemon look-ups may still finish while Python shuts down and Qt objects go away: from now on
    # their answers are dropped instead of emitted into a half-destroyed application
    global _exiting
    _exiting = True


def _emit(signal_name: str, *args: Any) -> None:
    relay = _relay_obj
    if relay is None or _exiting:
        return
    try:
        getattr(relay, signal_name).emit(*args)
    except RuntimeError:  # the application is shutting down and took the relay with it
        log.debug("op relay gone; dropping %s", signal_name)


class _Task(QRunnable):
    """Runs one op on a worker thread and hands its outcome to the GUI thread.

    Every Python reference the worker holds (the op's callable and closure, the result, an
    exception and its traceback) is moved into ``_outcomes`` *before* the signal goes out, and the
    signal carries only an int. So the last reference to anything the op touched — a widget, a
    Qt object, the op itself — is always dropped on the GUI thread. A worker that drops the last
    reference to a Qt object deletes it on the wrong thread, which crashes at random (seen in CI).
    """

    def __init__(self, op_id: int, fn: Callable[[], Any], *, retry: bool = False):
        super().__init__()
        self.op_id, self.fn, self.retry = op_id, fn, retry
        self.setAutoDelete(True)

    def run(self) -> None:
        fn, self.fn = self.fn, None
        try:
            outcome = (fn, True, retry_locked(fn) if self.retry else fn())
        except BaseException as exc:  # noqa: BLE001 - reported on the GUI thread
            if not isinstance(exc, Cancelled):
                log.debug("background op failed:\n%s", traceback.format_exc())
            outcome = (fn, False, exc)
            del exc
        with _outcomes_lock:
            _outcomes[self.op_id] = outcome
        del fn, outcome
        _emit("finished", self.op_id)


def _deliver(op_id: int) -> None:
    with _outcomes_lock:
        outcome = _outcomes.pop(op_id, None)
    op = _ops.pop(op_id, None)
    if outcome is None or op is None:
        return
    _fn, ok, value = outcome
    op._finished(ok, value)


def _deliver_progress(op_id: int, done: int, total: int, text: str) -> None:
    op = _ops.get(op_id)
    if op is not None:
        op._on_progress(done, total, text)


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
        self.started_at = 0.0
        global _next_id
        _next_id += 1
        self._id = _next_id
        _relay()  # created here, on the GUI thread

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
        _ops[self._id] = self  # kept alive here until it reports back
        self.started_at = time.monotonic()
        fn = self._op
        if self._with_reporter:
            op_id, token = self._id, self.cancel_token

            def report(done: int, total: int, text: str = "") -> None:
                if token.is_set():
                    raise Cancelled()
                _emit("progress", op_id, int(done), int(total), str(text))

            report.cancelled = token.is_set  # type: ignore[attr-defined]
            op_fn = self._op
            fn = lambda: op_fn(report)  # noqa: E731
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
        task = _Task(self._id, fn, retry=self._retry)
        del fn
        if self._daemon:
            task.setAutoDelete(False)
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

    def _on_progress(self, done: int, total: int, text: str) -> None:
        if self._dialog is not None:
            self._dialog.setMaximum(max(total, 0))
            self._dialog.setValue(done)
            if text:
                self._dialog.setLabelText(text)

    def _finished(self, ok: bool, value: Any) -> None:
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
            # ...but it is a bug: hand it to sys.excepthook as Qt does for a slot, so the test harness
            # (pytest-qt) fails the test instead of a log line nobody reads
            sys.excepthook(*sys.exc_info())


def _alive(obj: QObject) -> bool:
    try:
        import shiboken6

        return shiboken6.isValid(obj)
    except Exception:  # noqa: BLE001
        return True


def error_text(exc: BaseException) -> str:
    """What the clerk reads: the Chinese message of a HoushiError, else a generic sentence."""
    from houshi_desk.errors import HoushiError

    from PySide6.QtCore import QCoreApplication

    if isinstance(exc, HoushiError):
        # a translation by the error's code (context "errors"), filled with its params; untranslated
        # (the Chinese UI), the core's own sentence
        translated = QCoreApplication.translate("errors", exc.code)
        if translated != exc.code:
            try:
                return translated.format(**exc.params)
            except (KeyError, IndexError, ValueError):
                return translated
        return str(exc)

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
