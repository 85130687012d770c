"""The main window: today's cases, one search box (case number, name, ID number — a keyboard-wedge
barcode scanner reading a receipt opens that case at once), and a status bar with the card reader,
the platform, the outbox and the clerk. Everything slow runs in the background."""
from __future__ import annotations

import logging
import weakref

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QLineEdit, QMainWindow, QMessageBox, QPushButton, QVBoxLayout,
                               QWidget)

from houshi_desk.domain.case import CaseStatus, InvalidCaseNumber, parse_case_number
from houshi_desk.gui.ops import BackgroundOp, error_text
from houshi_desk.gui.widgets import cell, fit_initial, make_table

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    def __init__(self, ctx):
        super().__init__()
        self.ctx = ctx
        self.setObjectName("MainWindow")
        self._title()
        central = QWidget()
        lay = QVBoxLayout(central)
        row = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText(self.tr("受理编号、姓名或证件号码；扫描回执条码直接打开案件（Ctrl+F）"))
        self.search.setClearButtonEnabled(True)
        self.search.returnPressed.connect(self.run_search)
        self.search.textChanged.connect(self._search_cleared)
        row.addWidget(QLabel(self.tr("查找：")))
        row.addWidget(self.search, 1)
        self.new_button = QPushButton(self.tr("新建案件 (Ctrl+N)"))
        self.new_button.setObjectName("primary")
        self.new_button.clicked.connect(self.new_case)
        row.addWidget(self.new_button)
        lay.addLayout(row)
        from houshi_desk.gui.queue_panel import QueuePanel  # 叫号 (issue 17); hidden without a queue system

        self.queue_panel = QueuePanel(ctx, self)
        self.queue_panel.ticket_called.connect(self.new_case_for_ticket)
        for a in self.queue_panel.shortcut_actions():
            self.addAction(a)
        lay.addWidget(self.queue_panel)
        self.list_title = QLabel(self.tr("今日案件"))
        self.list_title.setObjectName("heading")
        lay.addWidget(self.list_title)
        self.table = make_table([self.tr("受理编号"), self.tr("逝者"), self.tr("证件号码"), self.tr("状态"),
                                 self.tr("经办人"), self.tr("受理日期")], stretch=1)
        self.table.setObjectName("cases")
        self.table.installEventFilter(self)  # a barcode read while the list has focus goes to the search box
        # `activated` is Enter and the double-click (or a single click where the desktop is set so);
        # connecting doubleClicked as well opened every case twice
        self.table.activated.connect(lambda idx: self.open_case(self._number_at(idx.row())))
        lay.addWidget(self.table, 1)
        self.message = QLabel()
        self.message.setObjectName("note")
        self.message.setWordWrap(True)
        lay.addWidget(self.message)
        # Nobody logged in (the login sheet is up): the case list (names, masked ID numbers) is not shown.
        from PySide6.QtWidgets import QStackedWidget

        self.pages = QStackedWidget()
        self.signed_out = QLabel(self.tr("请先登录。登录后显示今日案件。"))
        self.signed_out.setObjectName("heading")
        self.signed_out.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages.addWidget(self.signed_out)
        self.pages.addWidget(central)
        self.content = central
        self.setCentralWidget(self.pages)
        self.rows = []
        self._actions()
        self._status_bar()
        fit_initial(self, 1300, 680)
        self.search.setFocus()
        ctx.cases_changed.connect(self.refresh)
        ctx.user_changed.connect(self._user_changed)
        self._show_content(ctx.user is not None)
        from houshi_desk.gui.lock import IdleLock

        self.idle_lock = IdleLock(ctx, self)
        from houshi_desk.gui.backup_timer import BackupTimer  # the daily backup (issue 17), off the GUI thread

        self.backup_timer = BackupTimer(ctx, self)
        if ctx.store is not None:
            QTimer.singleShot(0, self.refresh)
        else:
            ctx.store_ready.connect(lambda _s: self.refresh())
        self.open_dialogs = []
        self.close_confirm = self._confirm_close  # tests may replace the question

    def _show_content(self, shown: bool) -> None:
        self.pages.setCurrentWidget(self.content if shown else self.signed_out)
        for a in (getattr(self, "act_new", None), getattr(self, "act_find", None), getattr(self, "act_today", None),
                  getattr(self, "act_outbox", None)):
            if a is not None:
                a.setEnabled(shown)
        self.new_button.setEnabled(shown)

    def _user_changed(self, user) -> None:
        self._title()
        self._user_label()
        self._role_actions()
        # what the previous clerk was told (and searched) is not the next one's business
        self.message.clear()
        self.statusBar().clearMessage()
        demo = self.ctx.demo
        if demo is not None:
            self.statusBar().showMessage(demo.banner())
        self.ctx.last_message = ""
        self._show_content(user is not None)
        if user is not None:
            if self.search.text():
                self.search.clear()  # back to today's list
            else:
                self.refresh()
        else:
            self.table.setRowCount(0)
            self.rows = []

    def _title(self) -> None:
        title = self.tr("身后一件事综合窗口 — {0}").format(self.ctx.settings.office_name)
        demo = self.ctx.demo
        if demo is not None:
            title += self.tr("【演示模式】")
            if getattr(demo, "keyring_note", ""):
                title += "（" + demo.keyring_note + "）"
        self.setWindowTitle(title)

    # ---------------------------------------------------------------- actions
    def _actions(self) -> None:
        tb = self.addToolBar(self.tr("常用"))
        tb.setObjectName("toolbar")
        tb.setMovable(False)

        def act(text, shortcut, slot, name):
            a = QAction(text, self)
            a.setObjectName(name)
            if shortcut:
                a.setShortcut(QKeySequence(shortcut))
            a.triggered.connect(slot)
            tb.addAction(a)
            return a

        self.act_new = act(self.tr("新建案件"), "Ctrl+N", self.new_case, "act_new")
        self.act_find = act(self.tr("查找"), "Ctrl+F", self.focus_search, "act_find")
        self.act_today = act(self.tr("今日案件"), "F5", self.show_today, "act_today")
        self.act_outbox = act(self.tr("发送队列"), "Ctrl+Shift+O", self.open_outbox, "act_outbox")
        self.act_super = act(self.tr("主管"), "Ctrl+Shift+S", self.open_supervisor, "act_super")
        self.act_switch = act(self.tr("切换用户"), "Ctrl+L", self.switch_user, "act_switch")
        self.act_lock = QAction(self.tr("锁定屏幕"), self)
        self.act_lock.setObjectName("act_lock")
        self.act_lock.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.act_lock.triggered.connect(lambda: self.idle_lock.lock())
        self.addAction(self.act_lock)
        self._role_actions()

    def _role_actions(self) -> None:
        u = self.ctx.user
        if u is None:  # at start-up: no need to import the users package (SQLAlchemy) on the GUI thread
            self.act_super.setVisible(False)
            return
        from houshi_desk.users import Permission

        self.act_super.setVisible(u.can(Permission.REPORT))

    def _status_bar(self) -> None:
        sb = self.statusBar()
        self.card_label = QLabel(self.tr("读卡器：—"))
        self.platform_label = QLabel(self.tr("平台：—"))
        self.outbox_label = QLabel(self.tr("发送队列：—"))
        self.user_label = QLabel()
        for w, name in ((self.card_label, "card_state"), (self.platform_label, "platform_state"),
                        (self.outbox_label, "outbox_state"), (self.user_label, "user_state")):
            w.setObjectName(name)
            sb.addPermanentWidget(w)
        self._user_label()
        if self.ctx.card is not None:
            self.ctx.card.state_changed.connect(self.card_label.setText)
            self.card_label.setText(self.ctx.card.state_text())
        else:
            self.card_label.setText(self.tr("读卡器：未启用（手工录入）"))
        if self.ctx.sync is not None:
            self.ctx.sync.summary_changed.connect(lambda _s: self.outbox_label.setText(self.ctx.sync.outbox_text()))
            self.ctx.sync.platform_changed.connect(self.platform_label.setText)
            self.ctx.sync.notice.connect(lambda text: self.statusBar().showMessage(text, 120_000))
            self.platform_label.setText(self.ctx.sync.platform_text)
        demo = self.ctx.demo
        if demo is not None:
            self.statusBar().showMessage(demo.banner())

    def _user_label(self) -> None:
        u = self.ctx.user
        self.user_label.setText(self.tr("经办人：{0}").format(u.label) if u else self.tr("未登录"))

    # ---------------------------------------------------------------- lists and search
    def _number_at(self, row: int) -> str | None:
        return self.rows[row].number if 0 <= row < len(self.rows) else None

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _search_cleared(self, text: str) -> None:
        if not text.strip() and self.list_title.text() != self.tr("今日案件"):
            self.show_today()

    def show_today(self) -> None:
        self.search.clear()
        self.refresh()

    def refresh(self) -> None:
        store = self.ctx.store
        if store is None or self.ctx.user is None:  # nobody logged in: no list to show
            return
        text = self.search.text().strip()
        if text:
            self.run_search()
            return
        from houshi_desk.services.search import case_list

        day, user = self.ctx.today(), self.ctx.user
        BackgroundOp(parent=self, op=lambda: case_list(store, user, day=day),
                     success=lambda r: self._show(r, self.tr("今日案件"))) \
            .failure(lambda exc: self.message.setText(error_text(exc))).run()
        if self.ctx.last_message:
            self.message.setText(self.ctx.last_message)
            self.ctx.last_message = ""

    def run_search(self) -> None:
        text = self.search.text().strip()
        if not text or self.ctx.store is None:
            self.show_today()
            return
        try:
            parse_case_number(text)
        except InvalidCaseNumber:
            pass
        else:  # a receipt barcode (or a typed number): open that case at once
            self.search.clear()
            self.open_case(text.upper())
            return
        from houshi_desk.services.search import case_list

        store, user = self.ctx.store, self.ctx.user
        BackgroundOp(parent=self, op=lambda: case_list(store, user, text=text),
                     success=lambda r: self._show(r, self.tr("查找“{0}”：{1} 件").format(text, len(r[0])))) \
            .failure(lambda exc: self.message.setText(error_text(exc))).run()

    def _show(self, result, title: str) -> None:
        rows, names = result if isinstance(result, tuple) else (result, {})
        self.rows = rows
        self.list_title.setText(title)
        self.table.setRowCount(0)
        for r in rows:
            i = self.table.rowCount()
            self.table.insertRow(i)
            for c, v in enumerate((r.number, r.deceased_name, r.deceased_id_masked, CaseStatus(r.status).label,
                                   names.get(r.clerk, r.clerk), r.application_date.isoformat())):
                self.table.setItem(i, c, cell(v))
        if rows:
            self.table.selectRow(0)

    def _to_search(self, event) -> bool:
        # Typing (or a keyboard-wedge barcode scanner "typing") anywhere in the window goes to the search box.
        text = event.text()
        if text and text.isprintable() and not text.isspace() and not self.search.hasFocus() and \
                not event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            if not self.search.text() or self.search.selectedText() == self.search.text():
                self.search.clear()
            self.search.setFocus()
            self.search.setText(self.search.text() + text)
            return True
        return False

    def keyPressEvent(self, event) -> None:
        if not self._to_search(event):
            super().keyPressEvent(event)

    def eventFilter(self, obj, event) -> bool:
        from PySide6.QtCore import QEvent

        if obj is self.table and event.type() == QEvent.Type.KeyPress and self._to_search(event):
            return True
        return super().eventFilter(obj, event)

    # ---------------------------------------------------------------- screens
    def new_case(self) -> None:
        if self.ctx.user is None and self.ctx.demo is None:
            self.message.setText(self.tr("请先登录。"))
            return None
        if self.ctx.store is None:
            self.message.setText(self.tr("数据库正在打开，请稍候。"))
            return
        from houshi_desk.gui.new_case import NewCaseDialog

        dlg = NewCaseDialog(self.ctx, self)
        dlg.case_created.connect(lambda number: self.message.setText(self.ctx.last_message or number))
        # accepted: its queue ticket (if any) is finished and the family is asked to evaluate (issue 17)
        dlg.case_created.connect(lambda number, d=dlg: self.case_accepted(number, getattr(d, "queue_ticket", None)))
        self._keep(dlg)
        # not modal: the case being entered must not lock the rest of the window (in the demo the
        # sample-card panel lives there; at a counter a barcode look-up may be needed meanwhile)
        dlg.setWindowModality(Qt.WindowModality.NonModal)
        dlg.show()
        return dlg

    def new_case_for_ticket(self, ticket):
        """A ticket was called (or the queue is down: ``None``): a new case, the ticket attached;
        once accepted the ticket is finished and the family is asked to evaluate (issue 17)."""
        dlg = self.new_case()
        if dlg is None:
            return None
        dlg.queue_ticket = ticket
        if ticket is not None:
            dlg.setWindowTitle(dlg.windowTitle() + self.tr("（{0} 号）").format(ticket.number))
        return dlg

    def case_accepted(self, number: str | None, ticket=None) -> None:
        if not number:
            return
        if ticket is not None:
            self.queue_panel.finish(number, ticket)
        self.offer_evaluation(number, "accepted")

    def offer_evaluation(self, number: str, stage: str):
        """好差评 after acceptance (and after 办结): the family-facing screen, a vendor evaluator or a
        printed slip, as ``evaluation.channel`` says (houshi_desk/gui/evaluation_window.py)."""
        from houshi_desk.gui.evaluation_window import offer_evaluation

        return offer_evaluation(self.ctx, number, stage, parent=self)

    def open_case(self, number: str | None):
        if not number or self.ctx.store is None:
            return None
        from houshi_desk.gui.case_view import CaseDialog

        key = number.strip().upper()
        for open_dlg in self.open_dialogs:  # one window per case: a second open brings it forward
            if isinstance(open_dlg, CaseDialog) and open_dlg.number == key and open_dlg.isVisible():
                open_dlg.showNormal() if open_dlg.isMinimized() else None
                open_dlg.raise_()
                open_dlg.activateWindow()
                return open_dlg
        dlg = CaseDialog(self.ctx, number, self)
        self._keep(dlg)
        dlg.open()
        return dlg

    def open_outbox(self):
        if self.ctx.store is None:
            return None
        from houshi_desk.gui.outbox_view import OutboxDialog

        dlg = OutboxDialog(self.ctx, self)
        self._keep(dlg)
        dlg.open()
        return dlg

    def open_supervisor(self):
        if self.ctx.store is None:
            return None
        from houshi_desk.gui.supervisor_view import SupervisorDialog

        dlg = SupervisorDialog(self.ctx, self)
        self._keep(dlg)
        dlg.open()
        return dlg

    def _keep(self, dlg) -> None:
        self.open_dialogs.append(dlg)
        dlg.finished.connect(lambda _r: self.open_dialogs.remove(dlg) if dlg in self.open_dialogs else None)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        ref = weakref.ref(dlg)
        dlg.destroyed.connect(lambda *_a: _forget(ref()))

    def switch_user(self):
        from houshi_desk.gui.login import LoginDialog

        dlg = LoginDialog(self.ctx, self, switching=True)
        dlg.form.username.clear()
        dlg.form.password.clear()
        dlg.form.username.setFocus()
        self._keep(dlg)
        dlg.open()
        return dlg

    # ---------------------------------------------------------------- closing
    def pending_items(self) -> int:
        sync = self.ctx.sync
        if sync is not None and sync.summary is not None:
            return sync.summary.pending_items
        if self.ctx.store is None:
            return 0
        try:
            from houshi_desk.services.outbox import outbox_summary

            return outbox_summary(self.ctx.store).pending_items  # closing anyway: a short synchronous look is fine
        except Exception:  # noqa: BLE001
            return 0

    def _confirm_close(self, pending: int) -> bool:
        answer = QMessageBox.warning(
            self, self.tr("还有未送达的案件"),
            self.tr("发送队列中还有 {0} 项尚未送达省级平台。\n\n关闭后它们保存在本机，不会丢失："
                    "下次打开程序时自动继续发送，也可以在窗口关闭时运行 houshi-desk sync 在后台发送。\n\n确定关闭吗？")
            .format(pending),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def closeEvent(self, event) -> None:
        pending = self.pending_items()
        if pending and not self.close_confirm(pending):
            event.ignore()
            return
        event.accept()


def _forget(dlg) -> None:
    """A closed dialog's Qt side is gone (WA_DeleteOnClose); let its Python side go too. Its parts
    point back at it (the shared-data look-up's ``dialog``, the interview's ``case_so_far``) and PySide
    keeps an extra reference to a wrapper Qt deleted, so the collector never freed that ring — nor
    the party forms, pages and unparented widgets it held, once per cancelled new case (issue 19,
    tests/gui/test_memory.py). Emptying its attributes breaks the ring."""
    if dlg is None:
        return
    try:
        vars(dlg).clear()
    except TypeError:  # no instance dictionary: nothing held
        pass
    from houshi_desk.gui import gc_tuning

    gc_tuning.collect_soon()  # and what its parts held in rings of their own goes at the next tick
