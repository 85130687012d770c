"""Step 5 of a new case: the one set of materials still needed (each once, for every chosen matter),
and for each: scan, import a file, paper received, shared data, or supplied later (容缺后补).

Pages are processed when captured (so a bad file is refused at once, with the reason) and attached
to the case when it is saved (``houshi_desk.scanning.attach.attach_pages``), before it is submitted,
so the outbox sends them with the case.
"""
from __future__ import annotations

import logging

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from houshi_desk.domain.case import MaterialState
from houshi_desk.gui.ops import BackgroundOp
from houshi_desk.gui.widgets import cell, make_table, note_label

log = logging.getLogger(__name__)

DEFAULT_STATE = {"共享获取(免提交)": MaterialState.SHARED, "窗口现场办理": MaterialState.PAPER}


def needed_materials(result, chosen: set[str]):
    """The materials create_case will keep: those needed by a chosen matter, a precondition or the
    application itself (same rule as houshi_desk.services.cases.create_case)."""
    matter_codes = {m.code for m in result.matters}
    return [n for n in result.materials if any(c in chosen or c not in matter_codes for c in n.needed_by)]


class MaterialsStep(QWidget):
    COLUMNS = (QT_TRANSLATE_NOOP("MaterialsStep", "材料"), QT_TRANSLATE_NOOP("MaterialsStep", "来源"),
               QT_TRANSLATE_NOOP("MaterialsStep", "用于"), QT_TRANSLATE_NOOP("MaterialsStep", "状态"),
               QT_TRANSLATE_NOOP("MaterialsStep", "页数"))

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.needs = []
        self.states: dict[str, MaterialState] = {}
        self.card_read: set[str] = set()  # ID-card materials whose card the reader read (→ 已核验原件)
        self.pages: dict[str, list] = {}  # code → ProcessedPage list, attached at save
        self.sources: dict[str, str] = {}
        self.licences: dict[str, dict] = {}  # code → electronic licence from shared data (issue 15)
        # quality gate: code → [(1-based page number in self.pages[code], PageQuality)] of flagged
        # pages, and the clerk's reason for keeping them (audited when the case is saved)
        self.quality: dict[str, list] = {}
        self.quality_reasons: dict[str, str] = {}
        # OCR cross-check of the death proof / 火化证 / 墓位使用证: fields read per material, the running
        # OCR child, and the clerk's reasons for keeping entries the paper contradicts
        self.extracted: dict = {}
        self.crosscheck_result = None
        self.kept: dict[tuple[str, str], str] = {}
        self.ocr_run = None
        self._ocr_queue: list[str] = []
        self._ocr_progress = (0, 0)
        self.region_crops: dict = {}  # (code, page, box) → PNG of the page region, outlined
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(note_label(self.tr("以下是本案需要的全部材料（每种只收一次）。选中一行后：S 扫描，F 导入文件，"
                                         "C 高拍仪，P 已收纸质，D 容缺后补，H 共享获取，M 标为缺。")))
        self.table = make_table([self.tr(c) for c in self.COLUMNS], stretch=1)
        self.table.setObjectName("materials")
        # 状态 and 页数 must stay in view at 1366×768: the long columns wrap instead of widening the
        # list (来源 takes what is left, 材料 and 用于 have a set width the clerk can drag)
        from PySide6.QtWidgets import QHeaderView

        header = self.table.horizontalHeader()
        for col, width in ((0, 230), (2, 190)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(col, width)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(40)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        lay.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.actions = {}
        for key, label, fn in (
            ("S", self.tr("扫描(&S)"), self.scan),
            ("F", self.tr("导入文件(&F)"), self.import_file),
            ("C", self.tr("高拍仪(&C)"), self.camera),
            ("P", self.tr("已收纸质(&P)"), lambda: self.set_state(MaterialState.PAPER)),
            ("D", self.tr("容缺后补(&D)"), lambda: self.set_state(MaterialState.DEFERRED)),
            ("H", self.tr("共享获取(&H)"), lambda: self.set_state(MaterialState.SHARED)),
            ("M", self.tr("标为缺(&M)"), lambda: self.set_state(MaterialState.MISSING)),
        ):
            b = QPushButton(label)
            b.setAutoDefault(False)
            b.clicked.connect(fn)
            buttons.addWidget(b)
            self.actions[key] = b
            sc = QShortcut(QKeySequence(key), self.table)
            sc.setContext(Qt.ShortcutContext.WidgetShortcut)
            sc.activated.connect(fn)
        buttons.addStretch(1)
        lay.addLayout(buttons)
        self._build_quality_bar(lay)
        self._build_crosscheck(lay)
        self.summary = note_label(name="summary")
        lay.addWidget(self.summary)
        self.scan_source_factory = None  # set by the app: () -> ScanSource, or None
        self.actions["S"].setEnabled(False)
        self.actions["S"].setToolTip(self.tr("未检测到扫描仪；可用“导入文件”或高拍仪"))

    # ---------------------------------------------------------------- quality gate
    def _build_quality_bar(self, lay) -> None:
        from PySide6.QtWidgets import QLabel

        bar = QWidget(self)
        bar.setObjectName("quality")
        row = QHBoxLayout(bar)
        row.setContentsMargins(0, 0, 0, 0)
        self.quality_label = QLabel(bar)
        self.quality_label.setWordWrap(True)
        self.quality_label.setStyleSheet("color: #b00020;")
        row.addWidget(self.quality_label, 1)
        for key, label, fn in (("R", self.tr("重新扫描(&R)"), self.rescan),
                               ("A", self.tr("说明理由后使用(&A)"), lambda: self.accept_quality())):
            b = QPushButton(label, bar)
            b.setAutoDefault(False)
            b.clicked.connect(fn)
            row.addWidget(b)
            self.actions[key] = b
            sc = QShortcut(QKeySequence(key), self.table)
            sc.setContext(Qt.ShortcutContext.WidgetShortcut)
            sc.activated.connect(fn)
        self.quality_bar = bar
        bar.hide()
        lay.addWidget(bar)
        self.table.currentCellChanged.connect(lambda *_: self._show_quality())

    def pending_quality(self, code: str) -> list:
        """Flagged pages of ``code`` the clerk has neither rescanned nor explained."""
        return [] if code in self.quality_reasons else self.quality.get(code, [])

    def _quality_text(self, code: str) -> str:
        return "".join(self.tr("第 {0} 页：{1}").format(n, q.text()) for n, q in self.quality.get(code, []))

    def _show_quality(self) -> None:
        code = self.current_code()
        flagged = self.quality.get(code, []) if code else []
        if not flagged:
            self.quality_bar.hide()
            return
        if code in self.quality_reasons:
            self.quality_label.setText(self.tr("已说明理由后使用：{0}").format(self.quality_reasons[code]))
            self.quality_label.setStyleSheet("color: #555;")
        else:
            self.quality_label.setText(self._quality_text(code)
                                       + self.tr("按 R 重新扫描，或按 A 说明理由后仍然使用（记入审计）。"))
            self.quality_label.setStyleSheet("color: #b00020;")
        self.quality_bar.show()

    def rescan(self) -> None:
        """Drop the flagged pages of the selected material and capture again the way they came."""
        code = self.current_code()
        if code is None or not self.quality.get(code):
            return
        bad = {n for n, _ in self.quality.pop(code)}
        self.quality_reasons.pop(code, None)
        self.extracted.pop(code, None)  # read again with the new pages
        self.pages[code] = [p for i, p in enumerate(self.pages.get(code, []), 1) if i not in bad]
        if not self.pages[code]:
            self.states[code] = MaterialState.MISSING
        self._fill()
        how = self.sources.get(code)
        if how == "scan" and self.scan_source_factory is not None:
            self.scan()
        elif how == "camera":
            self.camera()
        else:
            self.import_file()

    def accept_quality(self, code: str | None = None, reason: str | None = None) -> bool:
        """Keep the flagged pages of a material: needs the clerk's reason (audited when saved)."""
        code = code or self.current_code()
        if code is None or not self.quality.get(code):
            return False
        if reason is None:
            from PySide6.QtWidgets import QInputDialog

            reason, ok = QInputDialog.getText(
                self, self.tr("说明理由"),
                self._quality_text(code) + "\n" + self.tr("请说明为什么仍然使用这些页面（将记入审计）："))
            if not ok:
                return False
        reason = (reason or "").strip()
        if len(reason) < 2:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.warning(self, self.tr("说明理由"), self.tr("请填写理由（至少两个字），或按 R 重新扫描。"))
            return False
        self.quality_reasons[code] = reason
        self._fill()
        return True

    def audits_on_save(self) -> dict[str, list[tuple[str, str]]]:
        """code → [(action, detail)] to record on the case when it is saved: pages kept in spite of
        the quality gate (with the clerk's reason), and the cross-check of the paper (kept values)."""
        from houshi_desk.scanning.quality import audit_detail

        out = {code: [("quality_accept", audit_detail(code, self.quality[code], reason))]
               for code, reason in self.quality_reasons.items() if self.quality.get(code)}
        for code, lines in self.crosscheck_audits().items():
            out.setdefault(code, []).extend(lines)
        return out

    # ---------------------------------------------------------------- OCR cross-check
    def _build_crosscheck(self, lay) -> None:
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QLabel, QListWidget

        self.crosscheck_status = QLabel(self)
        self.crosscheck_status.setObjectName("crosscheck_status")
        self.crosscheck_status.setWordWrap(True)
        self.crosscheck_status.hide()
        lay.addWidget(self.crosscheck_status)
        self.crosscheck_list = QListWidget(self)
        self.crosscheck_list.setObjectName("crosscheck")
        self.crosscheck_list.setMaximumHeight(120)
        self.crosscheck_list.setIconSize(self.crosscheck_list.iconSize() * 2)
        self.crosscheck_list.hide()
        lay.addWidget(self.crosscheck_list)
        sc = QShortcut(QKeySequence("K"), self.crosscheck_list)
        sc.setContext(Qt.ShortcutContext.WidgetShortcut)
        sc.activated.connect(lambda: self.keep_entry())
        self._ocr_timer = QTimer(self)
        self._ocr_timer.setInterval(250)
        self._ocr_timer.timeout.connect(self._show_ocr_progress)

    def _dialog(self):
        w = self.parentWidget()
        while w is not None and not hasattr(w, "case_so_far"):
            w = w.parentWidget()
        return w

    def _start_crosscheck(self, code: str) -> None:
        from houshi_desk.scanning.ocr import OCR_MATERIALS, available

        if code not in OCR_MATERIALS:
            return
        if not available():
            self.crosscheck_status.setText(self.tr("本机未安装文字识别组件（OCR），无法核对证明上的内容；"
                                                   "请人工核对证明与录入是否一致。"))
            self.crosscheck_status.show()
            return
        if self.ocr_run is not None:  # one child at a time: read this one next
            if code not in self._ocr_queue:
                self._ocr_queue.append(code)
            return
        pages = [p.data for p in self.pages.get(code, []) if p.mime != "application/pdf"]
        if not pages:
            return
        dialog = self._dialog()
        if dialog is not None and hasattr(dialog, "finished") and not getattr(self, "_close_hooked", False):
            dialog.finished.connect(lambda *_: self.cancel_crosscheck())  # the case is closed: end the child
            self._close_hooked = True
        holder = {}

        def work():
            from houshi_desk.services.crosscheck import read_materials

            def started(run):
                holder["run"] = run
                if self.ocr_run is None:  # the case was closed while the child was starting
                    run.cancel()
                else:
                    self.ocr_run = run

            extracted = read_materials({code: pages}, on_start=started,
                                       on_progress=lambda done, total: setattr(self, "_ocr_progress", (done, total)))
            return extracted, _region_crops(extracted, {code: pages})  # the icons, off the GUI thread

        self.ocr_run = True  # reserved until the child has started
        self._ocr_progress = (0, len(pages))
        self._ocr_timer.start()
        self._show_ocr_progress()
        BackgroundOp(parent=self, op=work, success=lambda ex: self._read_done(code, ex)) \
            .failure(lambda exc: self._read_failed(code, exc)).in_daemon_thread().run()

    def _show_ocr_progress(self) -> None:
        if self.ocr_run is None:
            self._ocr_timer.stop()
            return
        done, total = self._ocr_progress
        self.crosscheck_status.setText(self.tr("正在核对证明上的内容（第 {0}/{1} 页），可继续办理…").format(
            min(done + 1, total), total))
        self.crosscheck_status.show()

    def cancel_crosscheck(self) -> None:
        """End the OCR child (the case was closed); nothing read is kept."""
        self._ocr_queue.clear()
        run, self.ocr_run = self.ocr_run, None
        if run is not None and run is not True:
            run.cancel()

    def _read_done(self, code: str, result) -> None:
        extracted, crops = result
        self.ocr_run = None
        self.extracted.update(extracted)
        self.region_crops.update(crops)
        self.refresh_crosscheck()
        self._next_read()

    def _read_failed(self, code: str, exc) -> None:
        from houshi_desk.gui.ops import error_text
        from houshi_desk.scanning.errors import ScanCancelled

        cancelled = self.ocr_run is None
        self.ocr_run = None
        if not cancelled and not isinstance(exc, ScanCancelled):
            self.crosscheck_status.setText(error_text(exc))
            self.crosscheck_status.show()
        self._next_read()

    def _next_read(self) -> None:
        if self._ocr_queue:
            self._start_crosscheck(self._ocr_queue.pop(0))

    def refresh_crosscheck(self) -> None:
        """Compare what was read with what is entered now (the clerk may have corrected a field)."""
        if not self.extracted:
            return
        from PySide6.QtGui import QColor
        from PySide6.QtWidgets import QListWidgetItem

        from houshi_desk.services.crosscheck import compare

        dialog = self._dialog()
        case = dialog.case_so_far() if dialog is not None else None
        if case is None:
            return
        result = compare({c: e for c, e in self.extracted.items() if self.pages.get(c)}, case)
        for c in result.mismatches:
            c.kept_reason = self.kept.get((c.material, c.field), "")
        self.crosscheck_result = result
        self.crosscheck_list.clear()
        names = {n.code: n.name for n in self.needs}
        for c in result.mismatches + result.matches:
            if c.ok:
                item = QListWidgetItem(self.tr("✓ {0}与证明一致").format(c.label))
                item.setForeground(QColor("#6b6b6b"))
            else:
                text = self.tr("✗ {0}（{1}，{2}）").format(c.sentence, names.get(c.material, c.material), c.where)
                if c.kept_reason:
                    text += self.tr(" — 已保留录入：{0}").format(c.kept_reason)
                item = QListWidgetItem(text)
                item.setForeground(QColor("#8a6d00") if c.kept_reason else QColor("#b00020"))
                icon = self._region_icon(c)
                if icon is not None:
                    item.setIcon(icon)
            item.setData(Qt.ItemDataRole.UserRole, (c.material, c.field))
            self.crosscheck_list.addItem(item)
        bad = [c for c in result.mismatches if not c.kept_reason]
        if bad:
            self.crosscheck_status.setText(self.tr("证明与录入有 {0} 处不一致：请回到前面的步骤更正，"
                                                   "或选中该行按 K 说明理由后保留录入（记入审计）。").format(len(bad)))
        elif result.checks:
            self.crosscheck_status.setText(self.tr("证明上的内容已与录入核对。"))
        else:
            self.crosscheck_status.setText(self.tr("未能从证明上读出可核对的内容，请人工核对。"))
        self.crosscheck_status.show()
        self.crosscheck_list.setVisible(bool(result.checks))

    def _region_icon(self, check):
        """The page region the value was read from, outlined, as the row's icon."""
        png = self.region_crops.get((check.material, check.page, check.box)) if check.box else None
        if not png:
            return None
        from PySide6.QtGui import QIcon, QImage, QPixmap

        return QIcon(QPixmap.fromImage(QImage.fromData(png)))

    def keep_entry(self, key: tuple[str, str] | None = None, reason: str | None = None) -> bool:
        """Keep the entered value of the selected mismatch: needs the clerk's reason (audited on save)."""
        if key is None:
            item = self.crosscheck_list.currentItem()
            key = tuple(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None
        result = self.crosscheck_result
        check = next((c for c in (result.mismatches if result else []) if (c.material, c.field) == key), None)
        if check is None:
            return False
        if reason is None:
            from PySide6.QtWidgets import QInputDialog

            reason, ok = QInputDialog.getText(self, self.tr("保留录入"), check.sentence + "\n"
                                              + self.tr("请说明为什么保留与证明不一致的录入（将记入审计）："))
            if not ok:
                return False
        reason = (reason or "").strip()
        if len(reason) < 2:
            return False
        self.kept[key] = reason
        self.refresh_crosscheck()
        return True

    def crosscheck_audits(self) -> dict[str, list[tuple[str, str]]]:
        """material code → [(action, detail)] for the case's audit trail at save."""
        if self.crosscheck_result is None:
            return {}
        from houshi_desk.services.crosscheck import audit_lines

        self.refresh_crosscheck()
        return audit_lines(self.crosscheck_result)

    def showEvent(self, event) -> None:  # back from correcting a field: compare again (no new OCR)
        super().showEvent(event)
        self.refresh_crosscheck()

    def set_needs(self, needs) -> None:
        device = self.ctx.scan_device()
        if device and self.scan_source_factory is None:
            def factory(device=device):
                from houshi_desk.scanning.sources import open_source

                return open_source(device)

            self.scan_source_factory = factory
            self.actions["S"].setEnabled(True)
            self.actions["S"].setToolTip(self.tr("用扫描仪 {0} 扫描选中的材料").format(device))
        self.needs = list(needs)
        for n in self.needs:
            self.states.setdefault(n.code, DEFAULT_STATE.get(n.source, MaterialState.MISSING))
        for code in self.card_read:  # a card read by the reader is its own material, checked at the window
            if code in self.states and self.states[code] in (MaterialState.MISSING, MaterialState.DEFERRED):
                self.states[code] = MaterialState.VERIFIED
        self._fill()

    def _fill(self) -> None:
        current = self.table.currentRow()
        vbar, hbar = self.table.verticalScrollBar(), self.table.horizontalScrollBar()
        kept = (vbar.value(), hbar.value())  # an action on a row must not move the list
        self.table.setUpdatesEnabled(False)
        try:
            self._refill(current)
        finally:
            vbar.setValue(kept[0])
            hbar.setValue(kept[1])
            self.table.setUpdatesEnabled(True)

    def _refill(self, current: int) -> None:
        self.table.setRowCount(0)
        for n in self.needs:
            row = self.table.rowCount()
            self.table.insertRow(row)
            self.table.setItem(row, 0, cell(n.name + (f"（{n.optional_note}）" if n.optional_note else ""), n.code))
            self.table.setItem(row, 1, cell(n.source))
            self.table.setItem(row, 2, cell(self._needed_by_text(n)))
            state = self.states.get(n.code, MaterialState.MISSING)
            item = cell(state.label)
            if state is MaterialState.MISSING:
                item.setForeground(Qt.GlobalColor.red)
            if state is MaterialState.SHARED and n.code in self.licences:
                item = cell(self.tr("共享获取（免提交）{0}").format(self.licences[n.code].get("number", "")))
                item.setToolTip(self.licences[n.code].get("issuer", ""))
            if state is MaterialState.SCANNED and self.pending_quality(n.code):
                item = cell(self.tr("质量未通过"))
                item.setForeground(Qt.GlobalColor.red)
                item.setToolTip(self._quality_text(n.code))
            self.table.setItem(row, 3, item)
            self.table.setItem(row, 4, cell(len(self.pages.get(n.code, [])) or ""))
        if self.needs:
            self.table.setCurrentCell(max(0, min(current, len(self.needs) - 1)), 0)
        missing = [n.name for n in self.needs if self.states.get(n.code) is MaterialState.MISSING]
        deferred = [n.name for n in self.needs if self.states.get(n.code) is MaterialState.DEFERRED]
        text = self.tr("共 {0} 种材料").format(len(self.needs))
        if missing:
            text += self.tr("；尚缺 {0} 种（将列入一次告知单）").format(len(missing))
        if deferred:
            text += self.tr("；容缺后补 {0} 种").format(len(deferred))
        pending = [n.name for n in self.needs if self.pending_quality(n.code)]
        if pending:
            text += self.tr("；{0} 种材料的页面未通过质量检查").format(len(pending))
        self.summary.setText(text)
        self._show_quality()

    def _needed_by_text(self, need) -> str:
        names = []
        try:
            cat = self.ctx.catalog()
            for code in need.needed_by:
                if code == "application":
                    names.append(self.tr("申请"))
                else:
                    m = next((x for x in cat.matters if x.code == code), None)
                    p = next((x for x in cat.preconditions if x.code == code), None)
                    names.append(m.name if m else p.name if p else code)
        except Exception:  # noqa: BLE001 - a label, never a reason to fail
            names = list(need.needed_by)
        return "、".join(names[:3]) + (self.tr(" 等 {0} 项").format(len(names)) if len(names) > 3 else "")

    def current_code(self) -> str | None:
        row = self.table.currentRow()
        if row < 0 or row >= len(self.needs):
            return None
        return self.needs[row].code

    def apply_licences(self, licences: list[dict]) -> list[str]:
        """Materials the platform holds as electronic licences: 共享获取 (免提交) with the licence number,
        unless the family's paper or a scan was already taken. Returns the codes marked."""
        marked = []
        for lic in licences:
            code = lic.get("material")
            if not code or self.states.get(code) in (MaterialState.PAPER, MaterialState.SCANNED):
                continue
            self.licences[code] = {k: lic.get(k, "") for k in ("number", "issued", "issuer")}
            self.states[code] = MaterialState.SHARED
            marked.append(code)
        if self.needs:
            self._fill()
        return marked

    def clear_licences(self) -> None:
        """Another deceased: the previous person's licences no longer apply."""
        sources = {n.code: n.source for n in self.needs}
        for code in self.licences:
            if self.states.get(code) is MaterialState.SHARED:
                if code in sources:
                    self.states[code] = DEFAULT_STATE.get(sources[code], MaterialState.MISSING)
                else:
                    self.states.pop(code, None)
        self.licences = {}
        if self.needs:
            self._fill()

    def set_state(self, state: MaterialState, code: str | None = None) -> None:
        code = code or self.current_code()
        if code is None:
            return
        self.states[code] = state
        self._fill()

    def first_field(self):
        return self.table

    # ---------------------------------------------------------------- capture
    def import_file(self, paths: list[str] | None = None) -> None:
        code = self.current_code()
        if code is None:
            return
        if paths is None:
            paths, _ = QFileDialog.getOpenFileNames(
                self, self.tr("导入材料文件"), "", self.tr("图片或 PDF (*.png *.jpg *.jpeg *.tif *.tiff *.bmp *.pdf)"),
                options=QFileDialog.Option.DontUseNativeDialog)
        if not paths:
            return
        from houshi_desk.scanning.pipeline import PipelineOptions

        options = PipelineOptions.for_settings(self.ctx.settings)

        def work():
            from pathlib import Path

            from houshi_desk.scanning.fileimport import read_path

            pages = []
            for p in paths:
                pages.extend(read_path(Path(p)))
            return _prepare_and_check(pages, "import", options)

        BackgroundOp(parent=self, op=work, success=lambda pages: self._captured(code, pages, "import")) \
            .with_progress(self.tr("正在读取文件…")).run()

    def scan(self) -> None:
        code = self.current_code()
        if code is None or self.scan_source_factory is None:
            return
        factory = self.scan_source_factory
        from houshi_desk.scanning.pipeline import PipelineOptions

        resolution = PipelineOptions.scan_resolution(self.ctx.settings)
        mode = self.ctx.settings.scanning_mode
        options = PipelineOptions.for_settings(self.ctx.settings)
        holder = {}

        def work(report):
            from houshi_desk.scanning.source import ScanRequest

            source = factory()
            holder["source"] = source
            try:
                pages = []

                def on_page(page):
                    pages.append(page)
                    report(len(pages), 0, self.tr("已扫描 {0} 页…").format(len(pages)))

                result = source.scan(ScanRequest(resolution=resolution, mode=mode), on_page=on_page)
                return _prepare_and_check(result or pages, source.name, options)
            finally:
                try:
                    source.close()
                except Exception:  # noqa: BLE001
                    pass

        op = BackgroundOp(parent=self, op=work, success=lambda pages: self._captured(code, pages, "scan")) \
            .with_reporter().with_progress(self.tr("正在扫描…"), cancellable=True)
        op.cancel_hooks.append(lambda: holder["source"].cancel() if "source" in holder else None)
        op.run()

    def camera(self) -> None:
        """Photograph the selected material with the 高拍仪 (pages come back through _camera_done)."""
        code = self.current_code()
        if code is None:
            return
        from PySide6.QtWidgets import QMessageBox

        from houshi_desk.errors import HoushiError
        from houshi_desk.gui.camera import CameraSource
        from houshi_desk.gui.camera_dialog import CameraDialog

        device = self.ctx.settings.scanning_device or ""
        source = CameraSource(device if device.startswith("camera:") else None)
        name = next((n.name for n in self.needs if n.code == code), code)
        dlg = CameraDialog(source, name, self)
        try:
            dlg.start_preview()
        except HoushiError as exc:
            dlg.deleteLater()
            QMessageBox.warning(self, self.tr("高拍仪"), exc.message)
            return
        dlg.finished.connect(lambda result: self._camera_done(code, dlg, result))
        dlg.open()

    def _camera_done(self, code: str, dlg, result: int) -> None:
        from PySide6.QtWidgets import QDialog

        pages = list(dlg.pages)
        dlg.deleteLater()
        if result != QDialog.DialogCode.Accepted or not pages:
            return
        from houshi_desk.scanning.pipeline import PipelineOptions

        options = PipelineOptions.for_settings(self.ctx.settings)

        def work():
            return _prepare_and_check(pages, "camera", options)

        BackgroundOp(parent=self, op=work, success=lambda done: self._captured(code, done, "camera")) \
            .with_progress(self.tr("正在处理照片…")).run()

    def _captured(self, code: str, result, source: str) -> None:
        pages, flagged = result
        before = len(self.pages.get(code, []))
        if flagged:  # the clerk rescans (R) or explains (A); a reason given earlier does not cover these
            self.quality.setdefault(code, []).extend((before + n, q) for n, q in flagged)
            self.quality_reasons.pop(code, None)
        self.pages.setdefault(code, []).extend(pages)
        self.sources[code] = source
        self.states[code] = MaterialState.SCANNED
        self._fill()
        self._start_crosscheck(code)
        row = next((i for i, n in enumerate(self.needs) if n.code == code), 0)
        if self.table.currentRow() != row:
            self.table.setCurrentCell(row, 0)
        self.table.setFocus()

    def material_states(self) -> dict[str, MaterialState]:
        out = {}
        for n in self.needs:
            st = self.states.get(n.code, MaterialState.MISSING)
            if st is MaterialState.SCANNED and not self.pages.get(n.code):
                st = MaterialState.PAPER
            out[n.code] = st
        return out

    def check(self) -> str | None:
        # missing materials are allowed: they go on the one-time notice (一次告知); pages that failed
        # the quality gate are not, until they are rescanned or the clerk says why they are kept
        for n in self.needs:
            if self.pending_quality(n.code):
                row = self.needs.index(n)
                self.table.setCurrentCell(row, 0)
                return self.tr("“{0}”{1}请按 R 重新扫描，或按 A 说明理由后仍然使用。").format(
                    n.name, self._quality_text(n.code))
        self.refresh_crosscheck()
        result = self.crosscheck_result
        open_ = [c for c in (result.mismatches if result else []) if not c.kept_reason]
        if open_:
            self.crosscheck_list.setFocus()
            return self.tr("{0}。请回到前面的步骤更正录入，或在核对列表中选中该行按 K 说明理由后保留。").format(
                open_[0].sentence)
        return None


def _region_crops(extracted: dict, pages: dict) -> dict:
    """(code, page, box) → a small PNG of each region a field was read from, outlined in red
    (worker thread: each page is decoded once)."""
    import io

    from PIL import Image, ImageDraw

    out = {}
    for code, ex in extracted.items():
        decoded = {}
        for f in ex.fields.values():
            plist = pages.get(code, [])
            if not (0 < f.page <= len(plist)):
                continue
            try:
                if f.page not in decoded:
                    decoded[f.page] = Image.open(io.BytesIO(plist[f.page - 1])).convert("RGB")
                im = decoded[f.page]
                x0, y0, x1, y1 = f.box
                pad = max(20, y1 - y0)
                ox, oy = max(0, x0 - pad), max(0, y0 - pad)
                crop = im.crop((ox, oy, min(im.width, x1 + pad), min(im.height, y1 + pad)))
                ImageDraw.Draw(crop).rectangle([x0 - ox, y0 - oy, x1 - ox, y1 - oy], outline=(220, 0, 0), width=4)
                crop.thumbnail((240, 60))
                buf = io.BytesIO()
                crop.save(buf, "PNG")
                out[(code, f.page, f.box)] = buf.getvalue()
            except Exception:  # noqa: BLE001 - an icon, never a reason to fail
                log.debug("no region crop", exc_info=True)
    return out


def _prepare_and_check(pages, source: str, options):
    """Process captured pages (worker thread) with the office's options (``PipelineOptions.for_settings``:
    colour mode and quality) and run the quality gate on them:
    (ProcessedPage list, [(1-based page number, PageQuality)] of flagged pages)."""
    from houshi_desk.scanning.attach import prepare
    from houshi_desk.scanning.quality import check_pages

    done = prepare(pages, options)
    return done, check_pages(done, source, raws=pages)
