"""Starting the window: ``main(argv)`` for the bare ``houshi-desk`` command, ``run(demo=...)`` for
``houshi-desk demo``.

Start-up order (issue 19, ``launch``): the QApplication and the login window come first and paint
before anything else is built; after that first paint the database (keyring, SQLCipher key, the
one-query revision check) opens on the writer thread while the main window is built behind the
login, which then becomes its sheet; the ORM models and the checklist catalog load after the
database is ready; the card watcher and the uploader start when they can. Heavy modules
(SQLAlchemy, Alembic, reportlab, httpx, pyscard, uvicorn) are imported only when first used —
tests/gui/test_startup.py checks that none is loaded when the login paints.
"""
from __future__ import annotations

import logging
import os
import sys

log = logging.getLogger(__name__)


def create_app(argv: list[str] | None = None):
    from houshi_desk.gui.gc_tuning import limit_malloc_arenas

    limit_malloc_arenas()  # before Qt or any pool starts a thread: arenas made earlier stay (issue 19)
    from PySide6.QtCore import QLocale, QTranslator
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        app = QApplication([sys.argv[0] if sys.argv else "houshi-desk", *(argv or [])])
    app.setApplicationName("houshi-desk")
    app.setApplicationDisplayName(tr("身后一件事综合窗口"))
    app.setOrganizationName("houshi-desk")
    _install_translations(app, QLocale.system(), QTranslator)
    _apply_style(app)
    return app  # the wheel guard is installed by start(), after the login has painted


def _install_translations(app, locale, QTranslator) -> None:
    """Source strings are Chinese (zh_CN); another language (e.g. mn) loads its .qm when present.
    Qt's own strings (Yes/No, the file dialog) follow the language the window actually shows: Qt's
    Chinese catalogue when the window is Chinese, whatever the machine's locale."""
    from houshi_desk.resources import resource_path

    lang = os.environ.get("HOUSHI_DESK_LANG") or locale.name()
    shown = "zh_CN"
    if not lang.startswith("zh"):
        folder = resource_path("resources", "translations")
        t = QTranslator(app)
        if t.load(f"houshi_desk_{lang}", str(folder)) or t.load(f"houshi_desk_{lang.split('_')[0]}", str(folder)):
            app.installTranslator(t)
            app._houshi_translator = t  # keep it alive
            shown = lang
    install_qt_translations(app, shown)


def install_qt_translations(app, lang: str = "zh_CN") -> bool:
    """Load Qt's own catalogue (``qtbase_<lang>``) from the PySide6 install; False when it has none."""
    from PySide6.QtCore import QLibraryInfo, QTranslator

    old = getattr(app, "_houshi_qt_translator", None)
    if old is not None:
        app.removeTranslator(old)
        app._houshi_qt_translator = None
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    t = QTranslator(app)
    if not (t.load(f"qtbase_{lang}", folder) or t.load(f"qtbase_{lang.split('_')[0]}", folder)):
        log.info("no Qt translation qtbase_%s in %s: standard dialogs stay in English", lang, folder)
        return False
    app.installTranslator(t)
    app._houshi_qt_translator = t
    if lang.startswith("zh"):
        _install_qt_gaps(app)
    return True


# Qt's zh_CN catalogue (6.x) lags behind its own sources for these file-dialog labels ("&Look in:"
# gained its mnemonic); without them the dialog mixes English into the Chinese window.
_QT_ZH_GAPS = {
    ("QFileDialog", "&Look in:"): "查找范围(&L)：",
    ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
}


def _install_qt_gaps(app) -> None:
    if getattr(app, "_houshi_qt_gaps", None) is not None:
        return
    from PySide6.QtCore import QTranslator

    class _Gaps(QTranslator):
        def translate(self, context, source, disambiguation=None, n=-1):  # noqa: D401 (Qt's virtual)
            return _QT_ZH_GAPS.get((context, source))  # None: not ours, ask the next catalogue

        def isEmpty(self):  # noqa: N802
            return False

    g = _Gaps(app)
    app.installTranslator(g)
    app._houshi_qt_gaps = g


def _apply_style(app) -> None:
    from houshi_desk.resources import resource_path

    try:
        app.setStyleSheet(resource_path("resources", "styles", "app.qss").read_text(encoding="utf-8"))
    except OSError:
        log.warning("style sheet missing; using the platform style")


def start(ctx, *, login=True):
    """Show the main window (login sheet on top) and start the background services; returns the window.

    ``login``: True for a new login sheet, False for none, or the login window ``launch`` already
    showed (it becomes the sheet)."""
    from PySide6.QtCore import Qt

    from houshi_desk.gui.bridges import CardBridge, SyncBridge
    from houshi_desk.gui.main_window import MainWindow

    from PySide6.QtWidgets import QApplication

    from houshi_desk.gui import gc_tuning

    gc_tuning.install(QApplication.instance())
    from houshi_desk.gui.widgets import install_wheel_guard

    install_wheel_guard(QApplication.instance())  # also when a test builds the window without create_app
    demo = ctx.demo
    if ctx.card is None:
        ctx.card = _card_bridge(ctx, CardBridge)
    ctx.sync = SyncBridge(ctx)
    window = MainWindow(ctx)
    if demo is not None:
        from houshi_desk.gui.demo import SampleCardPanel

        panel = SampleCardPanel(demo, window)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, panel)
        window.sample_panel = panel
    window.show()

    def store_ready(_store):
        ctx.after_warm_up(services)

    def services():
        from shiboken6 import isValid

        if not isValid(window):  # closed before the warm-up finished
            return
        # the heap is built (models, catalog, main window): later full collections skip it
        gc_tuning.GarbageCollector.freeze_startup_heap()
        ctx.sync.start()
        _probe_scanners(ctx, window)
        if demo is not None and demo.use_platform:
            from houshi_desk.gui.ops import BackgroundOp

            def platform_up(url):
                ctx.sync.start_uploader()
                window.statusBar().showMessage(demo.banner())

            def platform_failed(exc):
                from houshi_desk.gui.ops import error_text

                ctx.sync._set_platform(tr("平台：演示平台未能启动（{0}）").format(error_text(exc)))

            BackgroundOp(parent=window, op=lambda: demo.start_platform(ctx.settings), success=platform_up) \
                .failure(platform_failed).run()
        else:
            ctx.sync.start_uploader()

    ctx.store_ready.connect(store_ready)
    ctx.store_failed.connect(lambda exc: _store_failed(window, exc))
    if ctx.card is not None:
        ctx.card.start()
    if ctx.store is not None:
        store_ready(ctx.store)
    elif ctx.store_error is not None:  # failed while launch() showed the login alone
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, lambda: _store_failed(window, ctx.store_error))
    elif not ctx.store_opening:
        ctx.open_store()
    if login:
        from houshi_desk.gui.login import LoginDialog

        if isinstance(login, LoginDialog):
            dlg = login  # shown alone by launch(): from now on the sheet of the main window
            dlg.setParent(window, dlg.windowFlags())
        else:
            dlg = LoginDialog(ctx, window)
        dlg.setWindowModality(Qt.WindowModality.WindowModal)
        dlg.rejected.connect(lambda: window.close() if ctx.user is None else None)
        window.login_dialog = dlg
        if ctx.user is None:
            dlg.open()
    return window


WINDOW_AFTER_MS = 1500  # launch(): the main window is built by then even if the database is still opening


def launch(ctx, *, window_built=None):
    """The real start: the login window is shown alone and paints first; after its first paint the
    database opens on the writer thread; once it is ready (or failed, or after ``WINDOW_AFTER_MS``
    at the latest) ``start`` builds the main window behind the login, makes the login its sheet and
    calls ``window_built(window)``. Returns the login dialog.

    The main window waits for the database rather than being built beside it: both want the
    interpreter, and the login is what the clerk uses first (issue 19: building them side by side
    made the database ready ~0.1 s later; the window is still built long before anyone has typed a
    password)."""
    from PySide6.QtCore import QObject, Qt, QTimer

    from houshi_desk.gui.login import LoginDialog

    dlg = LoginDialog(ctx, None)
    dlg.setWindowModality(Qt.WindowModality.ApplicationModal)
    state = {"done": False, "window": False}

    def build():
        if state["done"]:
            return
        state["done"] = True
        dlg.removeEventFilter(painted)
        if ctx.store is None and not ctx.store_opening:
            ctx.open_store()
        if ctx.store is not None or ctx.store_error is not None:
            build_window()
            return
        later = lambda *_a: QTimer.singleShot(0, build_window)  # noqa: E731 - after the other slots
        ctx.store_ready.connect(later)
        ctx.store_failed.connect(later)
        QTimer.singleShot(WINDOW_AFTER_MS, build_window)  # a long migration: the window meanwhile

    def build_window():
        if state["window"]:
            return
        state["window"] = True
        if dlg.result() == dlg.DialogCode.Rejected and not dlg.isVisible():
            from PySide6.QtWidgets import QApplication

            QApplication.quit()  # closed before the main window existed
            return
        window = start(ctx, login=dlg)
        if window_built is not None:
            window_built(window)

    class _FirstPaint(QObject):
        def eventFilter(self, obj, event):  # noqa: N802 (Qt's virtual)
            if event.type() == event.Type.Paint and not state["done"]:
                QTimer.singleShot(0, build)  # after this paint has reached the screen
            return False

    painted = _FirstPaint(dlg)
    dlg.installEventFilter(painted)
    dlg.show()
    QTimer.singleShot(500, build)  # no paint (a hidden session, a slow X server): build anyway
    return dlg


def _probe_scanners(ctx, window) -> None:
    """Which scanners answer (SANE/WIA, in a worker process): the materials step offers 扫描 when one does."""
    from houshi_desk.gui.ops import BackgroundOp

    def probe():
        from houshi_desk.scanning.sources import list_all

        return list_all()

    def found(devices):
        ctx.scanners = list(devices)
        log.info("scanners: %s", ", ".join(d.name for d in ctx.scanners) or "none")

    BackgroundOp(parent=window, op=probe, success=found).failure(lambda exc: log.info("no scanner: %s", exc)) \
        .in_daemon_thread().run()


def tr(text: str) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("", text)  # lupdate's context for a bare tr("…")


def _store_failed(window, exc) -> None:
    from PySide6.QtWidgets import QMessageBox

    from houshi_desk.gui.ops import error_text

    QMessageBox.critical(window, tr("数据库无法打开"), error_text(exc))


def _card_bridge(ctx, CardBridge):
    demo = ctx.demo
    if demo is not None:
        from houshi_desk.idcard import CardWatcher

        reader = demo.reader or demo.make_reader()
        return CardBridge(CardWatcher(reader), reader_label=demo.reader_label)
    if ctx.settings.idcard_transport == "none":
        return CardBridge(None)
    from houshi_desk.idcard import CardWatcher

    settings = ctx.settings

    def factory():
        from houshi_desk.idcard.factory import reader_from_settings

        return reader_from_settings(settings)

    return CardBridge(CardWatcher(factory))


def run(*, demo=None, argv: list[str] | None = None, settings=None) -> int:
    # Settings are read before Qt is imported: PySide's import hook inspects the source of every
    # module imported after it, which would make tomllib, platformdirs and config cost twice.
    from houshi_desk.config import load_settings
    from houshi_desk.logs import setup_logging

    setup_logging(settings)  # the rotating log file, names and ID numbers filtered out
    settings = settings or load_settings()
    app = create_app(argv)
    from houshi_desk.gui.context import AppContext

    ctx = AppContext(settings, demo=demo)
    if demo is not None:
        ctx.store_hooks.append(demo.prepare_store)
    built = []
    launch(ctx, window_built=built.append)
    app.aboutToQuit.connect(ctx.close)
    code = app.exec()
    del built
    return code


def run_smoke_test(*, demo, settings, timeout_ms: int = 60000) -> int:
    """``houshi-desk demo --smoke-test`` (packaging/smoke_test.py): the main window shows, the first
    step of the new-case flow opens, each is announced on stdout, then the app quits with 0."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from houshi_desk.gui.context import AppContext

    app = create_app([])
    ctx = AppContext(settings, demo=demo)
    ctx.store_hooks.append(demo.prepare_store)
    window = start(ctx, login=False)
    window.close_confirm = lambda pending: True
    app.aboutToQuit.connect(ctx.close)
    result = {"code": 1}

    def shown():
        if window.isVisible():
            print("SMOKE-OK main-window", flush=True)

    def first_step(_store):
        dlg = window.new_case()
        if dlg is not None and dlg.isVisible() and dlg.current_key() == "applicant":
            print("SMOKE-OK first-step", flush=True)
            result["code"] = 0
            dlg.has_input = lambda: False
        QTimer.singleShot(100, QApplication.quit)

    QTimer.singleShot(0, shown)
    if ctx.store is not None:
        QTimer.singleShot(0, lambda: first_step(ctx.store))
    else:
        ctx.store_ready.connect(lambda s: QTimer.singleShot(0, lambda: first_step(s)))
        ctx.store_failed.connect(lambda exc: (print(f"SMOKE-FAIL {exc}", flush=True), QApplication.quit()))
    QTimer.singleShot(timeout_ms, QApplication.quit)
    app.exec()
    return result["code"]


def main(argv: list[str] | None = None) -> int:
    """The bare ``houshi-desk`` command: the window on this terminal's settings."""
    from houshi_desk.config import ConfigError
    from houshi_desk.errors import HoushiError

    try:
        return run(argv=argv)
    except (HoushiError, ConfigError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
