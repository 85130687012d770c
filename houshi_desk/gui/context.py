"""What every screen shares: settings, the store (opened in the background), the logged-in clerk,
the card reader bridge, the outbox status and, in demo mode, the demo environment.

The store is opened off the GUI thread (keyring, SQLCipher key, migrations) so the first window
shows at once; screens that need it wait for ``store_ready``.
"""
from __future__ import annotations

import logging
from datetime import date
from typing import Any, Callable

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)


class AppContext(QObject):
    store_ready = Signal(object)
    store_failed = Signal(object)
    user_changed = Signal(object)
    cases_changed = Signal()  # a case was saved, submitted or closed: lists refresh

    def __init__(self, settings, *, demo: Any = None, today: Callable[[], date] = date.today):
        super().__init__()
        self.settings = settings
        self.demo = demo
        self._today = today
        self.store = None
        self.store_error: BaseException | None = None
        self.store_opening = False  # open_store is running on the writer
        self.warmed_up = False  # the ORM models and the catalog are loaded (after store_ready)
        self._after_warm_up: list[Callable[[], None]] = []
        self.user = None
        self.card = None  # houshi_desk.gui.bridges.CardBridge
        self.sync = None  # houshi_desk.gui.bridges.SyncBridge
        self.store_hooks: list[Callable[[Any], None]] = []  # run on the writer right after opening
        self.scanners: list = []  # DeviceInfo of the scanners that answered at start-up
        self.last_message = ""  # what the last finished flow wants the main window to say

    # ---- clock and catalog
    def today(self) -> date:
        return self._today()

    @property
    def region(self) -> str:
        return self.settings.office_region

    def catalog(self):
        from houshi_desk.services.cases import office_catalog

        # with provincial IT's configured deadlines; cached by the loader
        return office_catalog(self.settings, self.region)

    @property
    def clerk(self) -> str:
        return self.user.username if self.user is not None else ""

    # ---- the store
    def open_store(self, store=None) -> None:
        """Open (and migrate) the store through the writer; ``store_ready`` follows on the GUI thread."""
        from houshi_desk.gui.ops import BackgroundOp

        if store is not None:
            self._ready(store)
            return

        def work():
            from houshi_desk.store.db import open_store

            s = open_store(self.settings)
            for hook in self.store_hooks:
                hook(s)
            return s

        self.store_opening = True
        BackgroundOp(parent=self, op=work, success=self._ready).failure(self._failed).writes().run()

    def _ready(self, store) -> None:
        self.store_opening = False
        self.store = store
        self.store_ready.emit(store)
        self._warm_up()

    def _warm_up(self) -> None:
        """After ``store_ready`` (the login is usable by then): load the ORM models and the checklist
        catalog in the background, so neither the first query nor the first checklist waits for them."""
        from houshi_desk.gui.ops import BackgroundOp

        store = self.store

        def warm():
            store.engine  # noqa: B018 - SQLAlchemy and the engine, made here rather than at the first query
            import houshi_desk.store.models_all  # noqa: F401 - the mappers, configured at first use

            try:
                self.catalog()  # with provincial IT's deadlines; cached by the loader
            except Exception:  # noqa: BLE001 - reported when the checklist is first used
                log.warning("catalog warm-up failed", exc_info=True)

        def done(_result=None):
            self.warmed_up = True
            waiting, self._after_warm_up = self._after_warm_up, []
            for fn in waiting:
                fn()

        def failed(exc):
            log.warning("warm-up failed: %s", exc)
            done()

        BackgroundOp(parent=self, op=warm, success=done).failure(failed).run()

    def after_warm_up(self, fn: Callable[[], None]) -> None:
        """Run ``fn`` on the GUI thread once the warm-up after ``store_ready`` is done (at once if it
        is): the outbox poller, the uploader and the scanner probe start after the login's first
        query has the ORM to itself, not beside it."""
        if self.warmed_up:
            fn()
        else:
            self._after_warm_up.append(fn)

    def _failed(self, exc: BaseException) -> None:
        self.store_opening = False
        self.store_error = exc
        self.store_failed.emit(exc)

    def scan_device(self) -> str | None:
        """The configured scanner, else the first that answered; None when there is none."""
        configured = self.settings.scanning_device
        if configured:
            return configured
        return self.scanners[0].name if self.scanners else None

    def set_user(self, user) -> None:
        self.user = user
        self.user_changed.emit(user)

    def close(self) -> None:
        if self.card is not None:
            self.card.stop()
        if self.sync is not None:
            self.sync.stop()
        if self.demo is not None:
            self.demo.stop()
        from houshi_desk.gui.ops import wait_idle

        wait_idle(5000)
        if self.store is not None:
            self.store.close()
