"""The card watcher: one long-lived thread that owns the reader, waits for changes and publishes
frozen events (see :mod:`houshi_desk.idcard.events`).

It reads a card once when it arrives and never reports the same card twice unless it was lifted
and put back. Whatever goes wrong — a corrupt read, a card pulled mid-read, the reader unplugged,
pcscd gone, a bug in a subscriber — it reports and carries on; it reconnects to a lost service by
itself. :meth:`CardWatcher.stop` cancels the wait (``SCardCancel`` for PC/SC) so it ends at once.
Subscribers are called on the watcher thread: they must be quick (the GUI re-emits a Qt signal).
"""
from __future__ import annotations

import logging
import threading
import time
from datetime import date
from typing import Callable

from houshi_desk.idcard.errors import CardError, FrameError
from houshi_desk.idcard.events import (CardEvent, CardInserted, CardRead, CardRemoved, ReaderAdded,
                                       ReaderRemoved, ReadFailed, ServiceProblem, role_independent_problems)
from houshi_desk.idcard.reader import CardReader

log = logging.getLogger(__name__)

ReaderFactory = Callable[[], CardReader]


class CardWatcher:
    def __init__(self, reader: CardReader | ReaderFactory | None = None,
                 on_event: Callable[[CardEvent], None] | None = None, *,
                 wait_timeout: float = 1.5, retry_delay: float = 1.0, read_timeout: float = 15.0,
                 today: Callable[[], date] = date.today):
        """``reader``: a reader, a factory that makes one, a ``Settings`` object, or ``None`` for the
        configured one. A factory is called again after the reader was lost (service gone, port
        unplugged), so reconnecting finds a reader plugged back in."""
        from houshi_desk.config import Settings

        if reader is None or isinstance(reader, Settings):
            from houshi_desk.idcard.factory import reader_from_settings

            settings = reader
            reader = lambda: reader_from_settings(settings)  # noqa: E731
        if isinstance(reader, CardReader):
            fixed = reader
            self._factory: ReaderFactory = lambda: fixed
        else:
            self._factory = reader
        self._listeners: list[Callable[[CardEvent], None]] = [on_event] if on_event else []
        self.wait_timeout = wait_timeout
        self.retry_delay = retry_delay
        self.read_timeout = read_timeout  # a real SAM takes ~1 s; a reader silent this long is stuck
        self._today = today
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._reader: CardReader | None = None
        self._reader_lock = threading.Lock()
        self._readers: set[str] = set()
        self._cards: set[str] = set()
        self._last_problem: str | None = None
        self._read_stuck = False

    def subscribe(self, listener: Callable[[CardEvent], None]) -> None:
        self._listeners.append(listener)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> "CardWatcher":
        if self.running:
            return self
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="card-watcher", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        with self._reader_lock:
            if self._reader is not None:
                try:
                    self._reader.cancel()
                except Exception:  # noqa: BLE001 - a dying service must not block closing the app
                    log.debug("cancel failed", exc_info=True)
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    def __enter__(self) -> "CardWatcher":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -----------------------------------------------------------------------------------------
    def _emit(self, event: CardEvent) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:  # noqa: BLE001 - a subscriber's bug must not kill the watcher
                log.exception("card event listener failed")

    def _run(self) -> None:
        reader: CardReader | None = None
        while not self._stop.is_set():
            try:
                if reader is None:
                    reader = self._factory()
                    reader.open()
                    with self._reader_lock:
                        self._reader = reader
                    if self._stop.is_set():
                        break
                changes = reader.wait_changes(self.wait_timeout)
                if self._last_problem is not None:
                    self._last_problem = None
                for change in changes:
                    if self._stop.is_set():
                        break
                    self._handle(reader, change.kind, change.reader)
            except Exception as exc:  # noqa: BLE001 - the thread must survive anything
                self._lost(exc)
                if reader is not None:
                    with self._reader_lock:
                        self._reader = None
                    try:
                        reader.close()
                    except Exception:  # noqa: BLE001
                        log.debug("close failed", exc_info=True)
                    reader = None
                self._stop.wait(self.retry_delay)
        if reader is not None:
            with self._reader_lock:
                self._reader = None
            if self._read_stuck:
                return  # left to the stuck read's thread; it ends when the reader lets go
            try:
                reader.close()
            except Exception:  # noqa: BLE001
                log.debug("close failed", exc_info=True)

    def _lost(self, exc: Exception) -> None:
        for name in sorted(self._cards):
            self._emit(CardRemoved(reader=name))
        for name in sorted(self._readers):
            self._emit(ReaderRemoved(reader=name))
        self._cards.clear()
        self._readers.clear()
        if isinstance(exc, CardError):
            message, hint = exc.message, exc.hint or ""
            log.info("card reader unavailable: %s (%s)", exc.message, exc.detail)
        else:
            message, hint = "读卡器出现意外错误，正在重新连接。", "若持续出现，请重新插拔读卡器或重启程序。"
            log.exception("card watcher error")
        if message != self._last_problem:  # say it once, not every retry
            self._last_problem = message
            self._emit(ServiceProblem(reader="", message=message, hint=hint))

    def _handle(self, reader: CardReader, kind: str, name: str) -> None:
        if kind == "reader_added":
            if name not in self._readers:
                self._readers.add(name)
                self._emit(ReaderAdded(reader=name))
        elif kind == "reader_removed":
            if name in self._cards:
                self._cards.discard(name)
                self._emit(CardRemoved(reader=name))
            if name in self._readers:
                self._readers.discard(name)
                self._emit(ReaderRemoved(reader=name))
        elif kind == "card_present":
            if name not in self._cards:
                self._cards.add(name)
                self._emit(CardInserted(reader=name))
                self._read(reader, name)
        elif kind == "card_absent":
            if name in self._cards:
                self._cards.discard(name)
                self._emit(CardRemoved(reader=name))

    def _read_card(self, reader: CardReader, name: str):
        """``reader.read_card`` on a helper thread, so a reader that never answers (a PC/SC
        driver without a timeout, a hung vendor DLL) cannot freeze the watcher. Returns
        ``None`` when the read did not finish in time (already reported to the clerk)."""
        outcome: dict = {}
        done = threading.Event()

        def work() -> None:
            try:
                outcome["doc"] = reader.read_card(name)
            except BaseException as exc:  # noqa: BLE001 - handed over to the watcher thread
                outcome["exc"] = exc
            finally:
                done.set()

        threading.Thread(target=work, name="card-read", daemon=True).start()
        if not done.wait(self.read_timeout):
            self._emit(ReadFailed(reader=name, message="读卡器长时间没有回应，证件没有读出来。",
                                  hint="请把卡片拿开后重新放置；若仍无反应，请重新插拔读卡器。", code="no_answer"))
            # The reader (and its PC/SC context) is busy until the stuck call returns — it does when
            # the card or the reader goes away. Wait for that, still obeying stop(); its late result
            # is dropped: the clerk has been told to place the card again.
            while not done.wait(0.2):
                if self._stop.is_set():
                    self._read_stuck = True  # closing now could block on the stuck call (a vendor DLL lock)
                    break
            return None
        if "exc" in outcome:
            raise outcome["exc"]
        return outcome["doc"]

    def _read(self, reader: CardReader, name: str) -> None:
        started = time.monotonic()
        for attempt in (1, 2):
            try:
                doc = self._read_card(reader, name)
                if doc is None:
                    return
            except FrameError as exc:  # line noise: one quiet retry before bothering the clerk
                if attempt == 1:
                    log.info("read frame error, retrying: %s (%s)", exc.message, exc.detail)
                    continue
                self._failed(name, exc)
                return
            except CardError as exc:
                self._failed(name, exc)
                return
            except Exception as exc:  # noqa: BLE001 - e.g. a vendor DLL misbehaving
                log.exception("unexpected error reading a card")
                self._failed(name, CardError("读卡时发生意外错误。", hint="请把卡片拿开后重新放置；若反复出现，请重新插拔读卡器。",
                                             detail=repr(exc), code="unexpected"))
                return
            elapsed = (time.monotonic() - started) * 1000
            self._emit(CardRead(reader=name, document=doc,
                                problems=role_independent_problems(doc, self._today()), elapsed_ms=elapsed))
            return

    def _failed(self, name: str, exc: CardError) -> None:
        log.info("card read failed on %s: %s (%s)", name, exc.message, exc.detail)
        self._emit(ReadFailed(reader=name, message=exc.message, hint=exc.hint or "", code=exc.code,
                              retryable=exc.retryable))
