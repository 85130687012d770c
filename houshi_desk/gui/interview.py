"""Step 4 of a new case: the checklist interview.

Questions come from ``houshi_desk.domain.facts`` (``facts_to_ask``: only those that the region's rules
read — ``Catalog.facts_read()`` — and that matter given the answers so far); facts the earlier steps
already answer (death kind and date, disposal,
relationship, age, proxy) are never asked again. After every answer the checklist engine
(``houshi_desk.domain.checklist.evaluate``) runs and every matter is shown with applicable/not and
the reason in words, its department and due date; mandatory matters are fixed, optional (勾选) ones
start unticked and are ticked by the family's choice (Space on the row). A death outside the region's
joint service (abroad, declared dead; in NX not in Ningxia or not a local household) stops here with the
reason and the referral to each department; nothing is stored.
"""
from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDoubleValidator
from PySide6.QtWidgets import (QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QScrollArea,
                               QSplitter, QVBoxLayout, QWidget)

from houshi_desk.domain.facts import FACTS, FactsError, facts_to_ask
from houshi_desk.gui.data_strings import data_tr
from houshi_desk.gui.widgets import cell, make_table, note_label

log = logging.getLogger(__name__)

# Answered by the earlier steps (services.cases.derive_facts): never asked twice.
DERIVED = frozenset({"death_kind", "death_date", "disposal", "applicant_relationship", "applicant_age", "proxy"})


class InterviewStep(QWidget):
    changed = Signal()

    def __init__(self, ctx, case_source, parent=None):
        """``case_source()`` returns the case as entered so far (parties and death facts)."""
        super().__init__(parent)
        self.ctx = ctx
        self.case_source = case_source
        self.result = None
        self.facts = None
        self.error: str | None = None
        self.chosen: dict[str, bool] = {}  # optional matters the family chose or declined
        self._rows: dict[str, tuple[QLabel, QWidget]] = {}
        self._refreshing = False
        # shared data (issue 15; gui/shared_prefill.py): facts the platform filled, values it offered
        # that differ from what the clerk had entered, and the clerk's changes of shared facts
        self.shared: dict[str, dict] = {}  # name → {"value", "source", "as_of"}
        self.offered: dict[str, dict] = {}
        self.overrides: dict[str, tuple] = {}  # name → (shared item, new value, reason)
        self._touched: set[str] = set()  # facts the clerk set by hand
        self._setting = False

        split = QSplitter(Qt.Orientation.Horizontal, self)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(split)

        qbox = QGroupBox(self.tr("询问家属（只问与本案有关的问题）"))
        qlay = QVBoxLayout(qbox)
        self.shared_line = note_label(name="shared_line")
        self.shared_line.hide()
        qlay.addWidget(self.shared_line)
        from PySide6.QtWidgets import QPushButton

        self.adopt_button = QPushButton(self.tr("采用共享数据(&G)"))
        self.adopt_button.setObjectName("adopt_shared")
        self.adopt_button.clicked.connect(self.adopt_offered)
        self.adopt_button.hide()
        qlay.addWidget(self.adopt_button)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        inner = QWidget()
        self.form = QFormLayout(inner)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        scroll.setWidget(inner)
        qlay.addWidget(scroll)
        split.addWidget(qbox)

        for name, spec in FACTS.items():
            if name in DERIVED:
                continue
            w = self._widget_for(spec)
            w.setObjectName(f"fact_{name}")
            label = QLabel(data_tr("facts", spec.question))
            label.setWordWrap(True)
            label.setBuddy(w)
            self.form.addRow(label, w)
            self._rows[name] = (label, w)
            if isinstance(w, QComboBox):  # activated / textEdited: the clerk's hand only, never ours
                w.activated.connect(lambda _i, n=name: self._user_changed(n))
            else:  # a typed number is checked against the shared one when the clerk leaves the field
                w.textEdited.connect(lambda _t, n=name: self._touched.add(n))
                w.editingFinished.connect(lambda n=name: self._user_changed(n) if n in self._touched else None)

        right = QWidget()
        rlay = QVBoxLayout(right)
        rlay.setContentsMargins(0, 0, 0, 0)
        self.applicant_line = note_label(name="applicant")
        rlay.addWidget(self.applicant_line)
        self.table = make_table([self.tr("办理"), self.tr("事项"), self.tr("部门"), self.tr("理由"), self.tr("办结期限")],
                                stretch=3)
        self.table.setObjectName("matters")
        from PySide6.QtWidgets import QHeaderView

        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 250)  # long matter names wrap instead of pushing the reasons off screen
        self.table.itemChanged.connect(self._item_changed)
        rlay.addWidget(self.table, 1)
        self.notices = note_label(name="notices")
        rlay.addWidget(self.notices)
        from PySide6.QtWidgets import QPushButton

        self.referral_button = QPushButton(self.tr("打印分别办理指引(&Z)"))
        self.referral_button.setObjectName("print_referral")
        self.referral_button.clicked.connect(self.print_referral)
        self.referral_button.hide()
        self.referral_message = note_label(name="referral_message")
        rlay.addWidget(self.referral_button)
        rlay.addWidget(self.referral_message)
        split.addWidget(right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([360, 660])

    # ---------------------------------------------------------------- questions
    def _widget_for(self, spec) -> QWidget:
        if spec.type == "bool":
            box = QComboBox()
            if spec.default is None:
                box.addItem(self.tr("请选择"), None)
            box.addItem(self.tr("是"), True)
            box.addItem(self.tr("否"), False)
            if spec.default is not None:
                box.setCurrentIndex(box.findData(bool(spec.default)))
            box.currentIndexChanged.connect(self.refresh)
            return box
        if spec.type == "enum":
            box = QComboBox()
            if spec.default is None:
                box.addItem(self.tr("请选择"), None)
            for value, label in spec.values.items():
                box.addItem(data_tr("facts", label), value)
            if spec.default is not None:
                box.setCurrentIndex(max(0, box.findData(spec.default)))
            box.currentIndexChanged.connect(self.refresh)
            return box
        edit = QLineEdit()
        if spec.type in ("number", "int"):
            edit.setValidator(QDoubleValidator(0, 1e9, 2, edit))
            edit.setPlaceholderText(self.tr("数字"))
        elif spec.type == "list":
            edit.setPlaceholderText(self.tr("多个用顿号或逗号分隔，如：工商银行、农业银行"))
        edit.textEdited.connect(self.refresh)
        return edit

    def _value(self, name: str):
        spec = FACTS[name]
        w = self._rows[name][1]
        if isinstance(w, QComboBox):
            return w.currentData()
        text = w.text().strip()
        if spec.type == "list":
            return [p.strip() for p in text.replace("，", "、").replace(",", "、").split("、") if p.strip()]
        if not text:
            return None
        try:
            v = float(text)
        except ValueError:
            return None
        return int(v) if spec.type == "int" else v

    def answers(self) -> dict:
        """The answers to the questions now shown (hidden ones are left to their harmless default)."""
        out = {}
        for name, (label, w) in self._rows.items():
            if not w.isHidden():
                v = self._value(name)
                if v is not None:
                    out[name] = v
        return out

    def load(self, facts: dict) -> None:
        for name, value in facts.items():
            if name not in self._rows or value is None:
                continue
            w = self._rows[name][1]
            if isinstance(w, QComboBox):
                i = w.findData(value)
                if i >= 0:
                    w.setCurrentIndex(i)
            elif isinstance(value, list):
                w.setText("、".join(value))
            else:
                w.setText(str(value))
        self.refresh()

    # ---------------------------------------------------------------- shared data (issue 15)
    def set_shared_line(self, text: str, level: str = "info") -> None:
        self.shared_line.setText(text)
        self.shared_line.setProperty("level", level)
        self.shared_line.setVisible(bool(text))
        self.shared_line.style().unpolish(self.shared_line)
        self.shared_line.style().polish(self.shared_line)

    def _set_value(self, name: str, value) -> bool:
        w = self._rows[name][1]
        self._setting = True
        try:
            if isinstance(w, QComboBox):
                i = w.findData(value)
                if i < 0:
                    return False
                w.setCurrentIndex(i)
            elif isinstance(value, list):
                w.setText("、".join(map(str, value)))
            else:
                w.setText(str(value))
        finally:
            self._setting = False
        return True

    def _mark(self, name: str) -> None:
        from houshi_desk.services.shared import provenance

        label, w = self._rows[name]
        text = data_tr("facts", FACTS[name].question)
        if name in self.overrides:
            item = self.overrides[name][0]
            text += "\n" + self.tr("〔已改动共享数据（{0}），原因：{1}〕").format(provenance(item), self.overrides[name][2])
        elif name in self.shared:
            text += "\n" + self.tr("〔{0}〕").format(provenance(self.shared[name]))
        elif name in self.offered:
            item = self.offered[name]
            text += "\n" + self.tr("〔共享数据为“{0}”（{1}），未覆盖已录入的内容〕").format(
                FACTS[name].describe(item["value"]), provenance(item))
        label.setText(text)
        label.setProperty("shared", name in self.shared)
        w.setToolTip(text)

    def apply_shared(self, facts: dict) -> tuple[list[str], list[str]]:
        """Fill the facts the platform shared: (filled, offered). A fact the clerk already entered is
        never overwritten; a different shared value is offered instead (``adopt_offered``)."""
        filled, offered = [], []
        for name, item in facts.items():
            if name not in self._rows or name in DERIVED:
                continue
            if name in self._touched:
                if self._value(name) != item["value"]:
                    self.offered[name] = item
                    offered.append(name)
                    self._mark(name)
                continue
            if self._set_value(name, item["value"]):
                self.shared[name] = item
                filled.append(name)
                self._mark(name)
        self.adopt_button.setVisible(bool(self.offered))
        self.refresh()
        return filled, offered

    def clear_shared(self) -> None:
        """Another deceased: what the previous person's records filled goes back to unanswered (what
        the clerk entered stays), and nothing of theirs is offered or kept."""
        for name in list(self.shared):
            if name in self._touched:
                continue
            w, spec = self._rows[name][1], FACTS[name]
            self._setting = True
            try:
                if isinstance(w, QComboBox):
                    i = w.findData(spec.default if spec.default is not None else None)
                    w.setCurrentIndex(max(0, i))
                else:
                    w.setText("")
            finally:
                self._setting = False
        names = set(self.shared) | set(self.offered) | set(self.overrides)
        self.shared, self.offered, self.overrides = {}, {}, {}
        for name in names:
            self._mark(name)
        self.adopt_button.hide()
        self.set_shared_line("")
        self.refresh()

    def adopt_offered(self) -> None:
        """The clerk takes the shared values offered for facts they had entered."""
        for name, item in list(self.offered.items()):
            if self._set_value(name, item["value"]):
                self.shared[name] = item
                self._touched.discard(name)
            del self.offered[name]
            self._mark(name)
        self.adopt_button.hide()
        self.refresh()

    def _user_changed(self, name: str) -> None:
        if self._setting:
            return
        self._touched.add(name)
        item = self.shared.get(name)
        if item is None:
            return
        value = self._value(name)
        if name in self.overrides and self.overrides[name][1] == value:
            return
        if value == item["value"]:
            self.overrides.pop(name, None)
        else:
            reason = self.ask_override_reason(name, item, value)
            if reason:
                self.overrides[name] = (item, value, reason)
            else:  # no reason, no change: the shared value stays
                self._set_value(name, item["value"])
                self.overrides.pop(name, None)
                self.refresh()
        self._mark(name)

    def ask_override_reason(self, name: str, item: dict, value) -> str:
        """Why the clerk changes a fact the platform shared (goes to the audit trail when the case is
        saved); empty = keep the shared value."""
        from PySide6.QtWidgets import QInputDialog

        from houshi_desk.services.shared import provenance

        text, ok = QInputDialog.getText(self, self.tr("改动共享数据"), self.tr(
            "“{0}”来自共享数据（{1}）。请说明改动的原因（将记入审计）：").format(
            data_tr("facts", FACTS[name].question), provenance(item)))
        return text.strip() if ok else ""

    def asked_questions(self) -> list[str]:
        """The questions the clerk still has to ask: shown, and not answered by shared data."""
        return [n for n, (label, w) in self._rows.items() if not w.isHidden() and n not in self.shared]

    def first_field(self) -> QWidget:
        for name, (label, w) in self._rows.items():
            if not w.isHidden():
                return w
        return self.table

    # ---------------------------------------------------------------- checklist
    def refresh(self, *_):
        if self._refreshing:
            return
        self._refreshing = True
        try:
            self._refresh()
        finally:
            self._refreshing = False
        self.changed.emit()

    def _refresh(self) -> None:
        from houshi_desk.domain.checklist import evaluate
        from houshi_desk.domain.facts import validate_facts
        from houshi_desk.domain.case import derive_facts

        case = self.case_source()
        raw = {}
        for name in self._rows:  # every answer, so ask_when sees them
            v = self._value(name)
            if v is not None:
                raw[name] = v
        derived = {}
        if case is not None:
            case.facts = {}
            derived = {k: v for k, v in derive_facts(case, self.ctx.today()).items() if k in DERIVED}
        read = self.ctx.catalog().facts_read()
        asked = {s.name for s in facts_to_ask({**raw, **derived}, read=read)}
        for name, (label, w) in self._rows.items():
            label.setHidden(name not in asked)
            w.setHidden(name not in asked)
        self.error = None
        if case is None:
            self.error = self.tr("请先完成申请人、逝者和死亡信息。")
            self.result = None
            self._show_result()
            return
        case.facts = self.answers()
        try:
            self.facts = validate_facts(derive_facts(case, self.ctx.today()), self.ctx.today(), read=read)
            self.result = evaluate(self.ctx.catalog(), self.facts, self.ctx.today())
        except FactsError as exc:
            self.result = None
            spec = FACTS.get(exc.key or "")
            self.error = self.tr("请回答：{0}").format(data_tr("facts", spec.question)) if spec is not None and exc.key not in DERIVED \
                else exc.message
        self._show_result()

    def _show_result(self) -> None:
        r = self.result
        self.referral_button.hide()
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        if r is None:
            self.applicant_line.setText(self.error or "")
            self.applicant_line.setProperty("level", "error")
            self.notices.setText("")
        elif r.scope is not None and not r.scope.in_scope:
            # out of the joint service: say why, refer to each department, accept nothing
            self.error = self.tr("不在联办范围，不能受理：{0}").format(r.scope.reason)
            self.applicant_line.setText(self.error)
            self.applicant_line.setProperty("level", "error")
            lines = [r.scope.referral_text or self.tr("请分别到以下部门办理：")]
            materials = self.ctx.catalog().materials
            for d in r.scope.referral:
                names = "、".join(materials[c].name if c in materials else c for c in d["materials"])
                lines.append(f"{d['department_name']}：{names}")
            self.notices.setText("\n".join(lines))
            self.referral_button.show()
        else:
            ok = r.applicant.eligible
            self.applicant_line.setText(self.tr("申请人资格：") + r.applicant.reason +
                                        "".join("\n" + h for h in r.applicant.hints))
            self.applicant_line.setProperty("level", "ok" if ok else "error")
            if not ok:
                self.error = self.tr("申请人不符合申请条件：{0}").format(r.applicant.reason)
            for m in r.matters:
                row = self.table.rowCount()
                self.table.insertRow(row)
                check = cell("")
                check.setData(Qt.ItemDataRole.UserRole, m.code)
                flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                if m.kind == "info":
                    check.setText(self.tr("告知"))
                elif not m.applicable:
                    check.setText(self.tr("不适用"))
                elif m.mandatory:
                    check.setText(self.tr("必办"))
                    check.setCheckState(Qt.CheckState.Checked)
                else:
                    flags |= Qt.ItemFlag.ItemIsUserCheckable
                    chosen = self.chosen.get(m.code, False)  # 勾选: the family chooses
                    check.setText(self.tr("可选"))
                    check.setCheckState(Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked)
                check.setFlags(flags)
                self.table.setItem(row, 0, check)
                self.table.setItem(row, 1, cell(m.name))
                self.table.setItem(row, 2, cell(m.department_name))
                self.table.setItem(row, 3, cell(m.reason))
                due = ""
                if self.is_chosen(m) and m.due_date:
                    due = m.due_date.isoformat() + (self.tr("（日历待更新）") if m.due_date_uncertain else "")
                elif self.is_chosen(m):
                    due = self.tr("按部门规定时限办结")  # no limit stated or configured: nothing promised
                self.table.setItem(row, 4, cell(due))
                if not m.applicable or m.kind == "info":
                    for c in range(5):
                        self.table.item(row, c).setForeground(Qt.GlobalColor.gray)
            if r.scope is None or r.scope.in_scope:
                self.notices.setText("\n".join(r.notices))
        self.applicant_line.style().unpolish(self.applicant_line)
        self.applicant_line.style().polish(self.applicant_line)
        self.table.blockSignals(False)
        self.table.resizeRowsToContents()

    # ---------------------------------------------------------------- referral (out of scope)
    def print_referral(self) -> None:
        """Print the 分别办理指引 for an out-of-scope death: nothing is stored, the family gets the
        departments to visit one by one. Runs in the background; the PDF is kept 0600 in the data folder."""
        from houshi_desk.gui.ops import BackgroundOp

        result, catalog, settings, today = self.result, self.ctx.catalog(), self.ctx.settings, self.ctx.today()
        if result is None or result.scope is None or result.scope.in_scope:
            return
        self.referral_message.setText(self.tr("正在生成分别办理指引…"))
        BackgroundOp(parent=self, op=lambda: print_referral(result, catalog, settings, today),
                     success=self._referral_done).failure(self._referral_failed).run()

    def _referral_done(self, outcome) -> None:
        path, printer = outcome
        self.referral_message.setText(self.tr("已送打印机“{0}”。").format(printer) if printer
                                      else self.tr("未设置打印机，指引已保存为 PDF：{0}").format(path))

    def _referral_failed(self, exc) -> None:
        from houshi_desk.gui.ops import error_text

        self.referral_message.setText(self.tr("分别办理指引未能打印：{0}").format(error_text(exc)))

    def _item_changed(self, item) -> None:
        if item.column() != 0:
            return
        code = item.data(Qt.ItemDataRole.UserRole)
        if code and item.flags() & Qt.ItemFlag.ItemIsUserCheckable:
            self.chosen[code] = item.checkState() == Qt.CheckState.Checked
            self.refresh()

    def set_chosen(self, code: str, chosen: bool) -> None:
        self.chosen[code] = chosen
        self.refresh()

    def is_chosen(self, m) -> bool:
        if not m.applicable or m.kind == "info":
            return False
        return m.mandatory or self.chosen.get(m.code, False)

    def chosen_codes(self) -> list[str]:
        return [m.code for m in self.result.matters if self.is_chosen(m)] if self.result else []

    def check(self) -> str | None:
        self.refresh()
        if self.error:
            return self.error
        if self.result is None:
            return self.tr("清单尚未生成。")
        return None


def print_referral(result, catalog, settings, today):
    """(saved PDF path, printer or "") — the referral rendered, kept 0600 and sent to the printer
    remembered for A4 notices, in a child process like every other print."""
    import os
    from datetime import datetime

    from houshi_desk.documents import Office
    from houshi_desk.documents.printjobs import PrinterChoices
    from houshi_desk.documents.referral import render_referral
    from houshi_desk.gui.print_jobs import sender

    doc = render_referral(result, catalog, office=Office.from_settings(settings), today=today)
    folder = settings.paths.data_dir / "referrals"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / f"referral-{datetime.now():%Y%m%d-%H%M%S}.pdf"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(doc.pdf)
    printer, paper = PrinterChoices.for_settings(settings).get("notice")
    if printer:
        sender().send(path, printer, paper or "A4", "分别办理指引")
    return str(path), printer
