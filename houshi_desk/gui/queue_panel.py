"""叫号 at the window: the current ticket and the buttons (and keys) to call the next family, recall,
skip a no-show, pause and resume the window.

Every call to the queue system runs in the background, one at a time in order (a one-thread pool).
When the queue system does not answer, one quiet status line says the window works without tickets,
and calling the next family still opens a new case (without a ticket): nothing at the window waits
on the queue. The panel is hidden when no queue is configured (``queue.kind = "none"``).
"""
from __future__ import annotations

import logging

from PySide6.QtCore import QThreadPool, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from houshi_desk.gui.ops import BackgroundOp

log = logging.getLogger(__name__)


class QueuePanel(QWidget):
    ticket_called = Signal(object)  # a queue.Ticket, or None: the queue is down, serve without one

    def __init__(self, ctx, parent=None, *, queue=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("QueuePanel")
        if queue is None:
            from houshi_desk.queue import queue_for_settings

            queue = queue_for_settings(ctx.settings)
        self.queue = queue
        self.current = None  # the Ticket being served
        self.paused = False
        self.online: bool | None = None
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)  # queue operations stay in the order the clerk gave them
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.ticket_label = QLabel(self.tr("当前号：—"))
        self.ticket_label.setObjectName("heading")
        lay.addWidget(self.ticket_label)

        def button(text, key, slot, name):
            b = QPushButton(text.format(key))
            b.setObjectName(name)
            b.clicked.connect(slot)
            lay.addWidget(b)
            act = QAction(self)
            act.setShortcut(QKeySequence(key))
            act.triggered.connect(slot)
            self.addAction(act)
            return b, act

        self.next_button, self.act_next = button(self.tr("叫下一号 ({0})"), "F2", self.call_next, "queue_next")
        self.recall_button, self.act_recall = button(self.tr("重呼 ({0})"), "F3", self.recall, "queue_recall")
        self.skip_button, self.act_skip = button(self.tr("过号 ({0})"), "F4", self.skip, "queue_skip")
        self.pause_button, self.act_pause = button(self.tr("暂停叫号 ({0})"), "F6", self.toggle_pause, "queue_pause")
        self.status = QLabel()
        self.status.setObjectName("queue_status")
        lay.addWidget(self.status, 1)
        self.setVisible(self.queue is not None)
        self._buttons()

    def set_queue(self, queue) -> None:
        """Connect to a queue system that became known after start-up (the demo's own server)."""
        old, self.queue = self.queue, queue
        if old is not None and old is not queue:
            getattr(old, "close", lambda: None)()
        self.current = None
        self.paused = False
        self.online = None
        self.status.clear()
        self.setVisible(queue is not None)
        self._buttons()

    def shortcut_actions(self) -> list[QAction]:
        """The panel's key actions, for the main window to hold (so they work wherever focus is)."""
        return [self.act_next, self.act_recall, self.act_skip, self.act_pause]

    def _buttons(self) -> None:
        has = self.current is not None
        self.recall_button.setEnabled(has)
        self.skip_button.setEnabled(has)
        self.next_button.setEnabled(not self.paused)
        self.pause_button.setText(self.tr("恢复叫号 ({0})").format("F6") if self.paused
                                  else self.tr("暂停叫号 ({0})").format("F6"))
        self.ticket_label.setText(self.tr("当前号：{0}").format(self.current.number) if has else self.tr("当前号：—"))

    def _run(self, op, success) -> None:
        BackgroundOp(parent=self, op=op, success=success).failure(self._failed).in_pool(self.pool).run()

    def _online(self) -> None:
        if self.online is not True:
            self.status.clear()
        self.online = True

    def _failed(self, exc) -> None:
        from houshi_desk.queue import QueueRefused

        if isinstance(exc, QueueRefused):
            self.online = True
            self.status.setText(exc.message)
            return
        if self.online is not False:
            log.info("queue system unavailable (%s)", type(exc).__name__)
        self.online = False
        self.status.setText(self.tr("叫号系统未连接，本窗口暂不带号办理；恢复后点“叫下一号”即可继续叫号。"))

    # ---------------------------------------------------------------- operations
    def call_next(self) -> None:
        if self.queue is None or self.paused:
            return
        queue = self.queue

        def called(ticket) -> None:
            self._online()
            if ticket is None:
                self.status.setText(self.tr("目前没有等候的群众。"))
                return
            self.current = ticket
            self._buttons()
            self.ticket_called.emit(ticket)

        def down(exc) -> None:
            self._failed(exc)
            from houshi_desk.queue import QueueRefused

            if not isinstance(exc, QueueRefused):
                self.ticket_called.emit(None)  # the family is at the counter anyway: serve without a ticket

        BackgroundOp(parent=self, op=queue.call_next, success=called).failure(down).in_pool(self.pool).run()

    def recall(self) -> None:
        if self.queue is None or self.current is None:
            return
        number = self.current.number

        def done(ticket) -> None:
            self._online()
            self.status.setText(self.tr("已重呼 {0}（第 {1} 次）。").format(ticket.number, ticket.recalls))

        self._run(lambda: self.queue.recall(number), done)

    def skip(self) -> None:
        if self.queue is None or self.current is None:
            return
        number = self.current.number
        self.current = None
        self._buttons()

        def done(_r) -> None:
            self._online()
            self.status.setText(self.tr("{0} 已过号。").format(number))

        self._run(lambda: self.queue.skip(number), done)

    def toggle_pause(self) -> None:
        if self.queue is None:
            return
        pausing = not self.paused
        op = self.queue.pause if pausing else self.queue.resume

        def done(state) -> None:
            self._online()
            self.paused = state.paused
            self._buttons()
            self.status.setText(self.tr("本窗口已暂停叫号。") if state.paused else self.tr("本窗口已恢复叫号。"))

        self._run(op, done)

    def finish(self, number: str, ticket) -> None:
        """The case ``number`` was accepted: stamp it finished and close its ticket at the queue."""
        store = self.ctx.store
        queue = self.queue
        if self.current is not None and ticket is not None and self.current.number == ticket.number:
            self.current = None
            self._buttons()
        if store is None:
            return

        def work():
            from houshi_desk.queue.calls import finish_ticket

            return finish_ticket(store, queue, number, ticket.number if ticket else None)

        def done(took: bool) -> None:
            if ticket is not None and took:
                self._online()
                self.status.setText(self.tr("{0} 已办结。").format(ticket.number))

        BackgroundOp(parent=self, op=work, success=done).failure(self._failed).writes().run()
