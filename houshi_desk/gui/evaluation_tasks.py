"""The supervisor's 差评整改 tab (issue 17): every 差评 (level 1–2) not yet rectified, the earliest
deadline first, with its reasons and the clerk; the supervisor writes what was done and marks it
rectified (audited). Deadlines are ``evaluation.rectify_working_days`` working days after the rating."""
from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from houshi_desk.gui.ops import BackgroundOp, error_text
from houshi_desk.gui.widgets import cell, make_table, note_label


class RectificationTab(QWidget):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("RectificationTab")
        self.items = []
        lay = QVBoxLayout(self)
        self.table = make_table([self.tr("受理编号"), self.tr("评价"), self.tr("原因与意见"), self.tr("经办人"),
                                 self.tr("评价时间"), self.tr("整改期限")], stretch=2)
        self.table.setObjectName("rectifications")
        lay.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.note = QLineEdit()
        self.note.setObjectName("rectify_note")
        self.note.setPlaceholderText(self.tr("整改情况（如：已约谈经办人，已电话回访群众）"))
        row.addWidget(self.note, 1)
        self.done_button = QPushButton(self.tr("整改办结"))
        self.done_button.setObjectName("rectify_done")
        self.done_button.setAutoDefault(False)
        self.done_button.clicked.connect(self.rectify)
        row.addWidget(self.done_button)
        lay.addLayout(row)
        self.message = note_label(name="rectify_message")
        lay.addWidget(self.message)
        self.load()

    def load(self) -> None:
        from houshi_desk.services.evaluations import rectification_list

        store, user = self.ctx.store, self.ctx.user
        if store is None:
            return
        BackgroundOp(parent=self, op=lambda: rectification_list(store, user), success=self._show).failure(
            lambda exc: self.message.setText(error_text(exc))).run()

    def _show(self, result) -> None:
        items, names = result
        self.items = items
        self.table.setRowCount(0)
        today = self.ctx.today()
        for it in items:
            i = self.table.rowCount()
            self.table.insertRow(i)
            why = "；".join(x for x in (it.reasons_text(), it.text) if x)
            due = it.due.isoformat() + (self.tr("（已超期）") if it.due < today else "")
            for c, v in enumerate((it.case_number, f"{it.level} {it.level_label}", why, names.get(it.clerk, it.clerk),
                                   it.at.strftime("%Y-%m-%d %H:%M"), due)):
                self.table.setItem(i, c, cell(v))
        self.message.setText(self.tr("待整改差评 {0} 条。").format(len(items)) if items else self.tr("没有待整改的差评。"))
        if items:
            self.table.selectRow(0)

    def rectify(self) -> None:
        from houshi_desk.services.evaluations import rectify_as

        row = self.table.currentRow()
        if not 0 <= row < len(self.items):
            self.message.setText(self.tr("请先在列表中选中一条差评。"))
            return
        note = self.note.text().strip()
        if not note:
            self.message.setText(self.tr("请写明整改情况后再点“整改办结”。"))
            return
        item, store, user = self.items[row], self.ctx.store, self.ctx.user

        def work():
            rectify_as(store, user, item.id, note=note)  # the supervisor's permission is checked there

        def done(_r) -> None:
            self.note.clear()
            self.load()

        BackgroundOp(parent=self, op=work, success=done).failure(
            lambda exc: self.message.setText(error_text(exc))).writes().run()
