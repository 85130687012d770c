"""The daily backup, triggered from the open window (issue 17).

A timer asks every few minutes (and once shortly after the database opens) whether the daily backup
is due; :func:`houshi_desk.services.backups.run_scheduled_backup` decides, makes and prunes it on a
one-thread pool of its own — never on the GUI thread, never holding the read pool or the writer
while it copies. The status bar shows one word about the last backup, the full sentence as its
tooltip; a failed backup (USB stick not plugged in) is said in the status bar message too, and tried
again at the next check. A hall window's terminal makes no backup; it shows the hall server's.
"""
from __future__ import annotations

import logging
from datetime import datetime

from PySide6.QtCore import QObject, QThreadPool, QTimer
from PySide6.QtWidgets import QLabel

log = logging.getLogger(__name__)

CHECK_MS = 5 * 60 * 1000  # how often the window asks whether the backup is due
FIRST_MS = 3 * 60 * 1000  # after the database opens: start-up work first

_pool: QThreadPool | None = None


def backup_pool() -> QThreadPool:
    global _pool
    if _pool is None:
        _pool = QThreadPool()
        _pool.setMaxThreadCount(1)
        _pool.setObjectName("houshi-backup")
    return _pool


class BackupTimer(QObject):
    def __init__(self, ctx, window, *, check_ms: int = CHECK_MS, first_ms: int = FIRST_MS):
        super().__init__(window)
        self.ctx, self.window = ctx, window
        self.running = False
        self.last_outcome = None
        self.label = QLabel(self.tr("备份：—"))
        self.label.setObjectName("backup_state")
        window.statusBar().addPermanentWidget(self.label)
        self.timer = QTimer(self)
        self.timer.setInterval(check_ms)
        self.timer.timeout.connect(self.check)
        self._first_ms = first_ms
        if ctx.store is not None:
            self._start()
        else:
            ctx.store_ready.connect(lambda _s: self._start())

    def _start(self) -> None:
        self.timer.start()
        QTimer.singleShot(self._first_ms, self.check)

    def check(self, now: datetime | None = None) -> bool:
        """Ask (off the GUI thread) whether the backup is due and make it; False if one is running."""
        from houshi_desk.gui.ops import BackgroundOp

        store, settings = self.ctx.store, self.ctx.settings
        if self.running or store is None:
            return False
        self.running = True

        def work():
            from houshi_desk.services.backups import run_scheduled_backup, status

            outcome = run_scheduled_backup(store, settings, now)
            return outcome, status(store, settings, now)

        BackgroundOp(parent=self, op=work, success=self._done).failure(self._failed).in_pool(backup_pool()).run()
        return True

    def _done(self, result) -> None:
        outcome, (level, line) = result
        self.running = False
        self.last_outcome = outcome
        if outcome.status == "failed":
            self.label.setText(self.tr("备份：失败"))
            self.label.setToolTip(outcome.message)
            self.window.statusBar().showMessage(self.tr("自动备份失败：") + outcome.message, 60_000)
        else:
            self.label.setText(self.tr("备份：正常") if level == "ok" else self.tr("备份：需注意"))
            self.label.setToolTip(line)
            if outcome.status == "done":
                self.window.statusBar().showMessage(outcome.message, 15_000)

    def _failed(self, exc: BaseException) -> None:
        from houshi_desk.gui.ops import error_text

        self.running = False
        log.warning("scheduled backup check failed: %s", exc)
        self.label.setText(self.tr("备份：失败"))
        self.label.setToolTip(error_text(exc))
