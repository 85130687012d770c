"""Python's garbage collector, run from the GUI thread on a timer instead of automatically.

Why: an automatic collection runs in whichever thread happens to allocate, holding the GIL. With
SQLAlchemy, the catalog and reportlab loaded the heap holds ~200 000 objects, and a full
collection triggered by a worker thread (rendering a PDF, say) froze the window for ~100 ms —
measured by tests/gui/test_responsiveness.py. So: the start-up heap is frozen once it is built
(``gc.freeze``: never scanned again), automatic collection is switched off, and a timer on the
GUI thread collects the young generations every second and the old one about every minute when no
background work is running, freezing what survives, so each full pass stays short. (Frozen objects
are still freed by reference counting; only reference cycles among them wait — the 50-case
session benchmark watches the memory this could cost.) (The pattern of the PyQt wiki's GarbageCollector.)
"""
from __future__ import annotations

import gc
import logging
import time

from PySide6.QtCore import QObject, QTimer

log = logging.getLogger(__name__)


class GarbageCollector(QObject):
    def __init__(self, parent=None, *, interval_ms: int = 1000, full_every: int = 60):
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        self.full_every = full_every
        self._ticks = 0
        self.longest_ms = 0.0
        gc.disable()
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def check(self) -> None:
        self._ticks += 1
        c0, c1, _c2 = gc.get_count()
        t = time.perf_counter()
        if self._ticks >= self.full_every and not _busy():
            # the old generation: only when no background work is running, and what survives is
            # frozen too, so the next full pass only looks at what is new since this one
            self._ticks = 0
            gc.collect(2)
            gc.freeze()
        elif c1 > self.threshold[1]:
            gc.collect(1)
        elif c0 > self.threshold[0]:
            gc.collect(0)
        else:
            return
        self.longest_ms = max(self.longest_ms, (time.perf_counter() - t) * 1000)

    @staticmethod
    def freeze_startup_heap() -> None:
        """Everything alive now (modules, models, catalog, widgets) lives as long as the app."""
        gc.collect()
        gc.freeze()
        log.debug("gc: %d objects frozen", gc.get_freeze_count())

    def stop(self) -> None:
        self.timer.stop()
        gc.enable()


def _busy() -> bool:
    from houshi_desk.gui import ops

    return bool(ops._ops)


_collector: GarbageCollector | None = None


def install(app) -> GarbageCollector:
    global _collector
    if _collector is None:
        _collector = GarbageCollector(app)
        app.aboutToQuit.connect(_collector.stop)
    return _collector
