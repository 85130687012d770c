"""Screen lock after inactivity (setting ``users.lock_minutes``, 0 = never): clerks leave the
counter. When no key, click or wheel reached the program for that long, every open window of the
program is covered (names, ID numbers and pictures are hidden, the work underneath is kept as it
was) and a dialog asks the logged-in clerk's password again. Nothing is closed or lost."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import (QApplication, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout,
                               QWidget)

from houshi_desk.gui.ops import BackgroundOp, error_text

_INPUT = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick, QEvent.Type.Wheel,
          QEvent.Type.TouchBegin}


class Cover(QWidget):
    """An opaque sheet over one window's contents while the screen is locked."""

    def __init__(self, window: QWidget):
        super().__init__(window)
        self.setObjectName("lockCover")
        self.setAutoFillBackground(True)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        lay = QVBoxLayout(self)
        label = QLabel(self.tr("屏幕已锁定"))
        label.setObjectName("heading")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(label)
        self.setGeometry(window.rect())
        window.installEventFilter(self)
        self.raise_()
        self.show()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Resize:
            self.setGeometry(obj.rect())
            self.raise_()
        return False


class LockDialog(QDialog):
    """Asks the logged-in clerk's password; Esc and the close button do not dismiss it."""

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("LockDialog")
        self.setWindowTitle(self.tr("屏幕已锁定"))
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        lay = QVBoxLayout(self)
        u = ctx.user
        who = u.label if u is not None else ""
        self.note = QLabel(self.tr("长时间无操作，屏幕已锁定，案件内容已隐藏。\n请{0}输入密码解锁，未保存的录入仍在。").format(who))
        self.note.setWordWrap(True)
        lay.addWidget(self.note)
        form = QFormLayout()
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        plabel = QLabel(self.tr("密码(&P)："))
        plabel.setBuddy(self.password)
        form.addRow(plabel, self.password)
        lay.addLayout(form)
        self.message = QLabel()
        self.message.setObjectName("note")
        self.message.setWordWrap(True)
        lay.addWidget(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("解锁"))
        self.buttons.accepted.connect(self.try_unlock)
        lay.addWidget(self.buttons)
        self._busy = False
        self.password.setFocus()

    def reject(self) -> None:  # Esc: stays locked
        return

    def try_unlock(self) -> None:
        if self._busy:
            return
        password = self.password.text()
        if not password:
            self.message.setText(self.tr("请输入密码。"))
            return
        u = self.ctx.user
        if u is None or self.ctx.store is None:
            return
        from houshi_desk import users

        store, settings, name = self.ctx.store, self.ctx.settings, u.username
        self._busy = True
        self.ok.setEnabled(False)
        self.message.setText(self.tr("正在验证…"))
        BackgroundOp(parent=self, op=lambda: users.login(store, settings, name, password),
                     success=self._unlocked).failure(self._failed).writes().run()

    def _unlocked(self, user) -> None:
        self._busy = False
        self.ctx.user = user  # the same clerk, with a fresh session; nothing else changes
        self.accept()

    def _failed(self, exc) -> None:
        self._busy = False
        self.ok.setEnabled(True)
        self.message.setText(error_text(exc))
        self.password.clear()
        self.password.setFocus()


class IdleLock(QObject):
    """Counts user input application-wide; after ``users.lock_minutes`` without any, locks."""

    def __init__(self, ctx, window):
        super().__init__(window)
        self.ctx, self.window = ctx, window
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.lock)
        self.covers: list[Cover] = []
        self.dialog: LockDialog | None = None
        minutes = int(ctx.settings.users_lock_minutes or 0)
        self.timer.setInterval(max(0, minutes) * 60_000)
        self.enabled = minutes > 0
        if self.enabled:
            QApplication.instance().installEventFilter(self)
            self.timer.start()

    @property
    def locked(self) -> bool:
        return self.dialog is not None

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        if event.type() in _INPUT and self.dialog is None:
            self.timer.start()
        return False

    def lock(self) -> None:
        if self.dialog is not None or self.ctx.user is None:
            if self.enabled and self.dialog is None:
                self.timer.start()
            return
        for w in QApplication.topLevelWidgets():
            if w.isVisible() and not isinstance(w, (LockDialog,)) and w.isWindow() and not w.inherits("QMenu"):
                self.covers.append(Cover(w))
        self.dialog = LockDialog(self.ctx, self.window)
        self.dialog.accepted.connect(self.unlock)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()

    def unlock(self) -> None:
        for c in self.covers:
            try:
                c.parentWidget().removeEventFilter(c)
                c.deleteLater()
            except RuntimeError:  # its window closed meanwhile
                pass
        self.covers = []
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = None
        if self.enabled:
            self.timer.start()
