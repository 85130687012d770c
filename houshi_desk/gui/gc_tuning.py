"""Python's garbage collector, run from the GUI thread on a timer instead of automatically, and
memory handed back to the system when the window goes quiet.

Why a timer: an automatic collection runs in whichever thread happens to allocate, holding the GIL.
With SQLAlchemy, the catalog and reportlab loaded the heap holds ~200 000 objects, and a full
collection triggered by a worker thread (rendering a PDF, say) froze the window for ~100 ms —
measured by tests/gui/test_responsiveness.py. So: the start-up heap is frozen once it is built
(``gc.freeze``: never scanned again), automatic collection is switched off, and a timer on the
GUI thread collects the young generations every second and the old one about every minute when no
background work is running. (The pattern of the PyQt wiki's GarbageCollector.)

What survives a full pass is frozen too (so the next pass stays short) — but only while the window
is quiet: no background work and no window open but the main one. Freezing while a case window was
open froze that window's Python side, and a frozen reference cycle is never collected: every case a
clerk kept open across a full pass (all of them, at a real counter) leaked its dialog, its
unparented widgets and whatever it held (issue 19: +0.2 MB per case, tests/gui/test_memory.py).

Handing memory back (``release_memory``, after a full pass and whenever background work has just
finished): PySide's import hook reads the source of every module imported after it
(``inspect.getsource`` in shibokensupport's ``feature_imported``) and ``linecache`` keeps all of
it — ~30 MB of source lines for ~1 000 modules, never used unless a traceback is printed (it is read
again then) — the CJK font file reportlab holds is mapped and the pages a render touched are
dropped again (houshi_desk/documents/fonts.py) — and glibc keeps the heap a PDF render or a page scan freed for itself until
``malloc_trim`` is asked. After a window closed, the Qt caches it filled are emptied too
(``drop_window_caches``: the card photos in QPixmapCache, and every few windows what Qt's style
sheet cached for combo boxes and never forgets). Numbers: tests/bench/bench_memory.py.
"""
from __future__ import annotations

import gc
import linecache
import logging
import sys
import time

from PySide6.QtCore import QObject, QTimer

log = logging.getLogger(__name__)


class GarbageCollector(QObject):
    def __init__(self, parent=None, *, interval_ms: int = 1000, full_every: int = 60):
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        self.full_every = full_every
        self._ticks = 0
        self._last_op = -1
        self.longest_ms = 0.0
        gc.disable()
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def check(self) -> None:
        self._ticks += 1
        busy = _busy()
        last_op = _last_op()
        settled = last_op != self._last_op and not busy  # background work ran since the last tick and is done
        if not busy:
            self._last_op = last_op
        c0, c1, _c2 = gc.get_count()
        t = time.perf_counter()
        global _full_soon
        if (self._ticks >= self.full_every or _full_soon) and not busy:
            _full_soon = False
            # the old generation: only when no background work is running; what survives is frozen
            # too while the window is quiet, so the next full pass only looks at what is new
            self._ticks = 0
            gc.collect(2)
            if _quiet():
                gc.freeze()
                if _windows_closed:
                    drop_window_caches()
            settled = True
        elif settled:  # a save, a print or a scan just finished: its garbage goes now
            gc.collect(1)
        elif c1 > self.threshold[1]:
            gc.collect(1)
        elif c0 > self.threshold[0]:
            gc.collect(0)
        else:
            return
        if settled:
            release_memory()
        self.longest_ms = max(self.longest_ms, (time.perf_counter() - t) * 1000)

    @staticmethod
    def freeze_startup_heap() -> None:
        """Everything alive now (modules, models, catalog, widgets) lives as long as the app."""
        gc.collect()
        gc.freeze()
        release_memory()
        log.debug("gc: %d objects frozen", gc.get_freeze_count())

    def stop(self) -> None:
        self.timer.stop()
        gc.enable()


def drop_source_lines() -> int:
    """Forget the module source ``linecache`` holds for files on disk (a traceback reads them again);
    entries without a file behind them (generated code registered by a library) stay."""
    cache = linecache.cache
    dropped = 0
    for name, entry in list(cache.items()):
        if isinstance(entry, tuple) and len(entry) == 4 and entry[1] is not None:  # (size, mtime, lines, path)
            cache.pop(name, None)
            dropped += 1
    return dropped


def _libc():
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        libc.malloc_trim, libc.mallopt  # noqa: B018 - glibc's, or not glibc (musl): nothing to do this way
        return libc
    except (OSError, AttributeError):
        return None


M_ARENA_MAX = -8  # glibc's mallopt parameters
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 128 * 1024  # glibc's starting value, kept fixed


def limit_malloc_arenas(arenas: int = 2) -> bool:
    """glibc gives every thread that allocates its own heap ("arena", up to 8 per core), and each
    keeps what it once needed: our thread pools (reads, the writer, devices, sync, rendering) spread
    ~16 MB over their arenas for nothing (issue 19, tests/bench/bench_memory.py). Two arenas are
    plenty for a window whose threads mostly wait. Best called before threads start; arenas that
    already exist stay. Linux/glibc only; True when applied.

    The threshold above which malloc maps a block of its own (returned whole when freed) is fixed
    at 128 KiB too. By default glibc raises it to the size of every mapped block freed (up to 32 MB),
    and the trim threshold to twice that: after one large picture or PDF buffer was freed, the next
    ones came from a worker's arena, whose free top malloc_trim does not hand back — in about half
    the bench runs the window kept ~20 MB more for the rest of the day (bench_memory at 50 cases:
    ~200 MB instead of ~180)."""
    libc = _libc()
    if libc is None:
        return False
    libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)
    return bool(libc.mallopt(M_ARENA_MAX, arenas))


_trim = None
_trim_looked_up = False
releases = 0  # how many times memory was handed back (the memory bench waits for the next one)


def release_memory() -> None:
    """Hand back what the process no longer needs: cached module source, the font-file pages the
    last render touched, and (glibc) freed heap."""
    global _trim, _trim_looked_up, releases
    drop_source_lines()
    fonts = sys.modules.get("houshi_desk.documents.fonts")  # only once something was printed
    if fonts is not None:
        fonts.release_pages()
    if not _trim_looked_up:
        libc = _libc()
        _trim, _trim_looked_up = (libc.malloc_trim if libc is not None else None), True
    if _trim is not None:
        _trim(0)
    releases += 1


_full_soon = False
_windows_closed = 0  # windows closed since Qt's caches were last emptied
_closed_since_restyle = 0
RESTYLE_EVERY = 10  # closed windows between two empties of the style sheet's cache (see drop_window_caches)
cache_drops = 0  # how many times drop_window_caches ran (tests, the memory bench)
restyles = 0  # … and how many of those emptied the style sheet's cache too


def collect_soon() -> None:
    """A window was closed: collect all generations at the next quiet tick (not a minute later), so
    what it held in reference cycles — its forms, steps and their unparented widgets — goes now; and
    empty the Qt caches it filled then (``drop_window_caches``)."""
    global _full_soon, _windows_closed, _closed_since_restyle
    _full_soon = True
    _windows_closed += 1
    _closed_since_restyle += 1


def drop_window_caches(*, restyle: bool | None = None) -> bool:
    """Empty the Qt caches that closed windows fill and nothing else empties (issue 19,
    tests/bench/bench_memory.py, tests/gui/test_qt_caches.py); run at a quiet tick after a window
    closed. True when done.

    - QPixmapCache keeps a copy of every ID-card photo a form painted (~40–50 KB, two per case)
      until its 10 MB limit is full: the window grew ~100 KB per case for its first ~100 cases.
      Once the window closed, what is in there is its pictures and style pixmaps Qt draws again
      on the next paint (emptying it takes microseconds).
    - Qt's style-sheet style (QStyleSheetStyle) caches the rules it worked out per widget and forgets
      a widget's entry when the widget is destroyed — but the popup container of a QComboBox counts
      as "unstylable" there and its entry is never forgotten: ~0.9 KB for good per combo box whose
      popup was built (every one placed in a layout after construction, as all our forms do):
      ~40 KB per new-case dialog, without bound. Setting the same sheet again empties that cache,
      but re-polishes every widget — ~0.65 ms per row of the main window's case list (ResizeToContents
      columns): so only every RESTYLE_EVERY closed windows (the cache stays below ~0.4 MB), or when
      ``restyle`` says so."""
    global _windows_closed, _closed_since_restyle, cache_drops, restyles
    from PySide6.QtGui import QPixmapCache
    from PySide6.QtWidgets import QApplication

    _windows_closed = 0
    app = QApplication.instance()
    if app is None:
        return False
    QPixmapCache.clear()
    cache_drops += 1
    if restyle is None:
        restyle = _closed_since_restyle >= RESTYLE_EVERY
    if restyle:
        _closed_since_restyle = 0
        sheet = app.styleSheet()
        if sheet:
            app.setStyleSheet(sheet)
            restyles += 1
    return True


def _busy() -> bool:
    from houshi_desk.gui import ops

    return bool(ops._ops)


def _last_op() -> int:
    from houshi_desk.gui import ops

    return ops._next_id


def _quiet() -> bool:
    """No window open but the main window (a case being entered or viewed is not frozen)."""
    from PySide6.QtWidgets import QApplication, QMainWindow

    return not any(w.isVisible() and w.isWindow() and not isinstance(w, QMainWindow)
                   for w in QApplication.topLevelWidgets())


_collector: GarbageCollector | None = None


def install(app) -> GarbageCollector:
    global _collector
    if _collector is None:
        limit_malloc_arenas()
        _collector = GarbageCollector(app)
        app.aboutToQuit.connect(_collector.stop)
    return _collector
