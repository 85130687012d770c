"""Core events re-emitted as Qt signals (Electrum's ``qt_event_listener`` pattern).

The card watcher calls its subscribers on its own thread; :class:`CardBridge` only emits a signal
there, and Qt queues it to the GUI thread, so a slow read can never freeze the window. The
:class:`SyncBridge` polls the outbox summary through the background pool and drives the uploader
(``houshi_desk.sync``) in its own thread when that is available.
"""
from __future__ import annotations

import logging
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

log = logging.getLogger(__name__)


def tr(text: str) -> str:
    # pyside6-lupdate files a bare tr("…") under the empty context, so look it up there
    return QCoreApplication.translate("", text)


class CardBridge(QObject):
    """Events from a :class:`houshi_desk.idcard.CardWatcher`, as signals on the GUI thread."""

    event = Signal(object)  # every CardEvent, in order
    card_read = Signal(object)  # CardRead
    read_failed = Signal(object)  # ReadFailed
    state_changed = Signal(str)  # a sentence for the status bar

    def __init__(self, watcher=None, *, reader_label: str = ""):
        super().__init__()
        self.watcher = watcher
        self.reader_label = reader_label
        self.readers: set[str] = set()
        self.card_present = False
        self.problem = ""
        self.reading = False
        self.event.connect(self._on_event)
        if watcher is not None:
            watcher.subscribe(self.event.emit)  # called on the watcher thread; the signal is queued

    def start(self) -> None:
        if self.watcher is not None:
            self.watcher.start()
        self.state_changed.emit(self.state_text())

    def stop(self) -> None:
        if self.watcher is not None:
            self.watcher.stop(timeout=3.0)

    def _on_event(self, ev) -> None:
        from houshi_desk.idcard import (CardInserted, CardRead, CardRemoved, ReaderAdded, ReaderRemoved,
                                        ReadFailed, ServiceProblem)

        if isinstance(ev, ReaderAdded):
            self.readers.add(ev.reader)
            self.problem = ""
        elif isinstance(ev, ReaderRemoved):
            self.readers.discard(ev.reader)
        elif isinstance(ev, CardInserted):
            self.card_present, self.reading = True, True
        elif isinstance(ev, CardRemoved):
            self.card_present, self.reading = False, False
        elif isinstance(ev, CardRead):
            self.reading = False
            self.card_read.emit(ev)
        elif isinstance(ev, ReadFailed):
            self.reading = False
            self.read_failed.emit(ev)
        elif isinstance(ev, ServiceProblem):
            self.problem = ev.message
        self.state_changed.emit(self.state_text())

    def state_text(self) -> str:
        if self.watcher is None:
            return tr("读卡器：未启用（手工录入）")
        if self.problem and not self.readers:
            return tr("读卡器：{0}").format(self.problem)
        if not self.readers:
            return tr("读卡器：正在连接…")
        name = self.reader_label or "、".join(sorted(self.readers))
        if self.reading:
            return tr("读卡器：{0}，正在读卡…").format(name)
        if self.card_present:
            return tr("读卡器：{0}，卡片在位").format(name)
        return tr("读卡器：{0}，请放卡").format(name)


class SyncBridge(QObject):
    """Outbox state for the status bar, refreshed in the background; the uploader when present."""

    summary_changed = Signal(object)  # houshi_desk.sync.outbox.OutboxSummary
    platform_changed = Signal(str)
    results_arrived = Signal()
    notice = Signal(str)  # a sentence the status bar shows for a while (e.g. case numbers raised)

    def __init__(self, ctx, *, interval_ms: int = 3000):
        super().__init__()
        self.ctx = ctx
        self.summary = None
        self.platform_text = tr("平台：未配置")
        self._busy = False
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.refresh)
        self.uploader = None
        self.throughput_bps: float | None = None
        self._stopped = False  # stop() is for good: a start that comes later (after warm-up) is ignored

    def start(self) -> None:
        if self._stopped:
            return
        self._timer.start()
        self.refresh()

    def start_uploader(self) -> None:
        """Drain the outbox in its own thread (the same Uploader ``houshi-desk sync`` runs headless)."""
        import threading

        settings, store = self.ctx.settings, self.ctx.store
        if store is None or self.uploader is not None or self._stopped:
            return
        if not settings.platform_url:
            self._set_platform(tr("平台：未配置（案件保存在本机队列）"))
            return
        from houshi_desk.sync.service import build_uploader

        try:
            from houshi_desk.services.case_numbers import uploader_check

            self.uploader = build_uploader(settings, store, numbers_check=uploader_check(
                store, settings, on_raised=lambda result: self.notice.emit(result.message)))
        except Exception as exc:  # noqa: BLE001 - e.g. the secret missing from the keyring
            from houshi_desk.gui.ops import error_text

            self._set_platform(tr("平台：{0}").format(error_text(exc)))
            return
        up = self.uploader

        def run():
            try:
                up.start()
                up.run()
            except Exception:  # noqa: BLE001 - the window keeps working; the queue waits
                log.exception("uploader stopped")

        self._uploader_thread = threading.Thread(target=run, name="uploader", daemon=True)
        self._uploader_thread.start()
        self._set_platform(tr("平台：正在连接…"))

    def pause_uploader(self) -> None:
        """The clerk paused sending: stop the uploader thread (the queue stays in the database)."""
        up, self.uploader = self.uploader, None
        if up is not None:
            up.stop()
        self._set_platform(tr("平台：发送已暂停"))

    def resume_uploader(self) -> None:
        self.start_uploader()

    def _set_platform(self, text: str) -> None:
        if text != self.platform_text:
            self.platform_text = text
            self.platform_changed.emit(text)

    def _watch_uploader(self) -> None:
        import time

        up = self.uploader
        if up is None:
            return
        if up.paused is not None:
            self._set_platform(tr("平台：已暂停（{0}）").format(getattr(up.paused, "message", str(up.paused))))
        elif up.link_down:
            self._set_platform(tr("平台：网络中断，恢复后自动续传"))
        elif self.summary is not None and self.summary.last_answer:
            self._set_platform(tr("平台：已连接"))
        now, sent = time.monotonic(), up.stats.bytes_sent
        last = getattr(self, "_last_sample", None)
        if last is not None and now > last[0] and sent > last[1]:
            rate = (sent - last[1]) / (now - last[0])
            self.throughput_bps = rate if self.throughput_bps is None else 0.7 * self.throughput_bps + 0.3 * rate
        self._last_sample = (now, sent)
        applied = up.stats.events_applied
        if applied != getattr(self, "_applied", 0):
            self._applied = applied
            self.results_arrived.emit()

    def stop(self) -> None:
        self._stopped = True
        self._timer.stop()
        if self.uploader is not None:
            try:
                self.uploader.stop()
            except Exception:  # noqa: BLE001
                log.debug("uploader stop failed", exc_info=True)

    def wake(self) -> None:
        """A case was saved: tell the uploader and refresh the counts now."""
        if self.uploader is not None and hasattr(self.uploader, "wake"):
            try:
                self.uploader.wake()
            except Exception:  # noqa: BLE001
                log.debug("uploader wake failed", exc_info=True)
        self.refresh()

    def refresh(self) -> None:
        self._watch_uploader()
        store = self.ctx.store
        if store is None or self._busy:
            return
        from houshi_desk.gui.ops import BackgroundOp

        from houshi_desk.services.outbox import outbox_summary

        self._busy = True
        BackgroundOp(parent=self, op=lambda: outbox_summary(store), success=self._got).failure(self._failed).run()

    def _got(self, summary) -> None:
        self._busy = False
        self.summary = summary
        self.summary_changed.emit(summary)

    def _failed(self, exc) -> None:
        self._busy = False
        log.info("outbox summary failed: %s", exc)

    def outbox_text(self) -> str:
        s = self.summary
        if s is None:
            return tr("发送队列：—")
        if not s.pending_items:
            text = tr("发送队列：已全部送达")
        else:
            mb = s.bytes_left / (1024 * 1024)
            text = tr("发送队列：{0} 项待发（{1} 件），余 {2:.1f} MB").format(s.pending_items, s.pending_cases, mb)
            if self.throughput_bps and s.bytes_left:
                secs = s.bytes_left / self.throughput_bps
                text += tr("，约 {0} 分钟").format(max(1, round(secs / 60)))
        if s.paused:
            text += tr("（已暂停）")
        if s.last_answer:
            text += tr("；平台最后应答 {0}").format(_short_time(s.last_answer))
        return text


def _short_time(value: str) -> str:
    """The sync tables keep naive UTC; the clerk reads local time."""
    from datetime import timezone

    try:
        t = datetime.fromisoformat(value)
    except ValueError:
        return value[:16]
    if t.tzinfo is None:
        t = t.replace(tzinfo=timezone.utc)
    t = t.astimezone()
    return f"{t:%H:%M:%S}" if t.date() == datetime.now().date() else f"{t:%m-%d %H:%M}"
