"""The outbox: every item with its state, progress, attempts, next try and last error; retry one,
pause or resume sending, cancel a case's sending (only before the platform has been contacted —
after that a withdrawal is a case decision, not a queue operation)."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QCheckBox, QDialog, QHBoxLayout, QMessageBox, QPushButton, QVBoxLayout

from houshi_desk.gui.ops import BackgroundOp, error_text
from houshi_desk.gui.widgets import cell, fit_initial, make_table, note_label


def _local(t) -> str:
    """Outbox times are naive UTC; shown in local time."""
    if t is None:
        return ""
    from datetime import timezone

    return f"{t.replace(tzinfo=timezone.utc).astimezone():%m-%d %H:%M:%S}"


def next_try_text(item: dict, *, sending: bool, now=None) -> str:
    """The 下次尝试 cell: a time only while it is still ahead and something will try then. A time
    already past is never shown as if a retry were coming: either the sender picks it up at once,
    or nothing sends (platform not configured, sending paused) and the cell says so."""
    from datetime import datetime, timezone

    from PySide6.QtCore import QCoreApplication

    if item["state"] not in ("queued", "retry_wait"):
        return ""
    if not sending:
        return QCoreApplication.translate("OutboxDialog", "发送未运行，恢复后发送")
    nxt = item["next"]
    now = now or datetime.now(timezone.utc).replace(tzinfo=None)
    if nxt is None or nxt <= now:
        return QCoreApplication.translate("OutboxDialog", "即将发送") if item["state"] == "queued" else \
            QCoreApplication.translate("OutboxDialog", "即将重试")
    return _local(nxt)


def material_names(ctx) -> dict[str, str]:
    """Material code → its name (the outbox shows names, not codes)."""
    from houshi_desk.gui.names import code_names

    return code_names(ctx)


class OutboxDialog(QDialog):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.items: list[dict] = []
        self.setObjectName("OutboxDialog")
        self.setWindowTitle(self.tr("发送队列"))
        lay = QVBoxLayout(self)
        self.summary = note_label(name="summary")
        lay.addWidget(self.summary)
        self.show_all = QCheckBox(self.tr("显示已送达和已取消的项(&A)"))
        self.show_all.toggled.connect(self._toggled)
        lay.addWidget(self.show_all)
        self.table = make_table([self.tr("案件"), self.tr("步骤"), self.tr("状态"), self.tr("进度"), self.tr("尝试次数"),
                                 self.tr("下次尝试"), self.tr("最近错误")], stretch=6)
        self.table.setObjectName("outbox")
        self.table.currentCellChanged.connect(lambda *_: self._buttons())
        lay.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.retry_button = QPushButton(self.tr("立即重试(&R)"))
        self.retry_button.clicked.connect(self.retry)
        self.pause_button = QPushButton(self.tr("暂停发送(&P)"))
        self.pause_button.clicked.connect(self.toggle_pause)
        self.cancel_button = QPushButton(self.tr("取消该案件的发送(&X)"))
        self.cancel_button.clicked.connect(self.cancel_case)
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.accept)
        for b in (self.retry_button, self.pause_button, self.cancel_button):
            b.setAutoDefault(False)
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(close)
        lay.addLayout(row)
        self.message = note_label()
        lay.addWidget(self.message)
        fit_initial(self, 1100, 600)
        self.timer = QTimer(self)
        self.timer.setInterval(2000)
        self.timer.timeout.connect(self.reload)
        self.timer.start()
        self._loading = False
        self._again = False
        self._names = material_names(ctx)
        self.reload()

    def _toggled(self, _checked) -> None:
        self.reload(force=True)

    def reload(self, *_, force: bool = False):
        if self.ctx.store is None:
            return
        if self._loading:
            # a load is running with the old choice: load again when it is done, so the table
            # always matches the check box
            self._again = self._again or force
            return
        self._loading = True
        from houshi_desk.services.outbox import outbox_list

        store, user, every = self.ctx.store, self.ctx.user, self.show_all.isChecked()
        self._loaded_with = every
        BackgroundOp(parent=self, op=lambda: outbox_list(store, user, include_finished=every), success=self._show) \
            .failure(self._failed).run()

    def _failed(self, exc) -> None:
        self._loading = False
        self.message.setText(error_text(exc))

    def _show(self, result) -> None:
        from houshi_desk.sync.outbox import KIND_LABELS, STATE_LABELS

        self._loading = False
        if self._again or self._loaded_with != self.show_all.isChecked():
            self._again = False
            self.reload()
            return
        items, summary = result
        keep = self.table.currentRow()
        self.items = items
        sync = self.ctx.sync
        text = sync.outbox_text() if sync is not None and sync.summary is not None else ""
        if summary.alerts:
            text += "\n" + "\n".join(summary.alerts)
        self.summary.setText(text or self.tr("发送队列"))
        self.paused = bool(summary.paused)
        self.table.setRowCount(0)
        sending = sync is not None and sync.uploader is not None and not self.paused
        for it in items:
            r = self.table.rowCount()
            self.table.insertRow(r)
            progress = ""
            if it["size"]:
                progress = f"{min(100, max(it['offset'], it['sent']) * 100 // it['size'])}%（{it['size'] / 1024:.0f} KB）"
            material = it["material"]
            kind = KIND_LABELS.get(it["kind"], it["kind"]) + (f"：{self._names.get(material, material)}" if material else "")
            for c, v in enumerate((it["case"], kind, STATE_LABELS.get(it["state"], it["state"]), progress,
                                   it["attempts"], next_try_text(it, sending=sending), it["error"])):
                self.table.setItem(r, c, cell(v, it["id"] if c == 0 else None))
        empty_texts = (self.tr("没有任何发送记录。"), self.tr("没有待发送的项：所有案件都已送达省级平台。"))
        if items:
            self.table.selectRow(max(0, min(keep, len(items) - 1)))
            if self.message.text() in empty_texts:
                self.message.clear()
        elif not self.message.text() or self.message.text() in empty_texts:  # never over what an action said
            self.message.setText(empty_texts[0] if self.show_all.isChecked() else empty_texts[1])
        self._buttons()

    def current(self) -> dict | None:
        r = self.table.currentRow()
        return self.items[r] if 0 <= r < len(self.items) else None

    def _buttons(self) -> None:
        it = self.current()
        self.retry_button.setEnabled(bool(it and it["state"] in ("retry_wait", "needs_attention")))
        self.cancel_button.setEnabled(bool(it and not it["contacted"] and it["state"] not in ("acked", "cancelled")))
        self.cancel_button.setToolTip("" if it is None or not it["contacted"] else
                                      self.tr("平台已收到该案件，不能再取消发送；如需撤回，请在案件中办理。"))
        self.pause_button.setText(self.tr("继续发送(&P)") if getattr(self, "paused", False) else self.tr("暂停发送(&P)"))

    def retry(self) -> None:
        it = self.current()
        if it is None:
            return
        from houshi_desk.services.outbox import retry

        store, user, item_id = self.ctx.store, self.ctx.user, it["id"]
        BackgroundOp(parent=self, op=lambda: retry(store, user, item_id),
                     success=lambda _r: self._changed(self.tr("已放回队列，马上重试。"))) \
            .writes().run()

    def toggle_pause(self) -> None:
        sync = self.ctx.sync
        paused = getattr(self, "paused", False)
        store, user = self.ctx.store, self.ctx.user

        def work():
            from houshi_desk.services.outbox import set_paused

            set_paused(store, user, not paused)

        def done(_r):
            if sync is not None:
                if paused:
                    sync.resume_uploader()
                else:
                    sync.pause_uploader()
            self._changed(self.tr("已继续发送。") if paused else self.tr("已暂停发送；案件仍保存在本机队列中。"))

        BackgroundOp(parent=self, op=work, success=done).writes().run()

    def cancel_case(self) -> None:
        it = self.current()
        if it is None or it["contacted"]:
            return
        answer = QMessageBox.question(self, self.tr("取消发送？"), self.tr(
            "取消后，案件 {0} 不会再发送到省级平台（案件本身仍保存在本机）。确定取消吗？").format(it["case"]),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        from houshi_desk.services.outbox import cancel_sending

        store, user, number = self.ctx.store, self.ctx.user, it["case"]
        BackgroundOp(parent=self, op=lambda: cancel_sending(store, user, number),
                     success=lambda _r: self._changed(self.tr("已取消该案件的发送。"))) \
            .failure(lambda exc: self.message.setText(error_text(exc))).writes().run()

    def _changed(self, text: str) -> None:
        self.message.setText(text)
        if self.ctx.sync is not None:
            self.ctx.sync.wake()
        self.reload()

    def done(self, r) -> None:
        self.timer.stop()
        super().done(r)
