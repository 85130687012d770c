"""One case: parties, facts, matters with status history and department results, materials with
page thumbnails, print history and reprint, the case's outbox items; submit a draft; close the case
(户口注销 last, ID card surrendered). Opening a case is written to the audit trail."""
from __future__ import annotations

import logging

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QListWidget, QListWidgetItem,
                               QPushButton, QSplitter, QTabWidget, QTextBrowser, QVBoxLayout, QWidget)

from houshi_desk.domain.case import CaseStatus, MaterialState, MatterStatus
from houshi_desk.gui.forms import load_form
from houshi_desk.gui.ops import BackgroundOp, error_text
from houshi_desk.gui.widgets import cell, fit_initial, make_table, note_label
from houshi_desk.services.case_view import CaseSnapshot, case_snapshot

log = logging.getLogger(__name__)


def pushed_label(status: str, pushed: tuple | None) -> str:
    """What the window calls a matter's 已推送 step: 已排队 while the submission waits in the outbox
    (the platform may be down), 已推送 with the time the platform acknowledged it. A label only:
    the matter's status stays ``submitted``."""
    from PySide6.QtCore import QCoreApplication

    label = MatterStatus(status).label if status in MatterStatus._value2member_map_ else status
    if status != MatterStatus.SUBMITTED.value or pushed is None:
        return label
    state, when = pushed
    if state != "acked":
        return QCoreApplication.translate("CaseDialog", "已排队（等待省级平台确认）")
    if when is None:
        return label
    from datetime import timezone

    local = when.replace(tzinfo=timezone.utc).astimezone()
    return QCoreApplication.translate("CaseDialog", "已推送（平台 {0} 确认）").format(f"{local:%Y-%m-%d %H:%M}")


def _local(t) -> str:
    """Outbox times are naive UTC; shown in local time."""
    if t is None:
        return ""
    from datetime import timezone

    return f"{t.replace(tzinfo=timezone.utc).astimezone():%H:%M:%S}"


def _source_name(source: str) -> str:
    """Who changed a matter's status, in words: the window, the platform or (already in words from
    the service) a department's name."""
    from PySide6.QtCore import QCoreApplication

    words = {"window": QCoreApplication.translate("CaseDialog", "窗口"),
             "platform": QCoreApplication.translate("CaseDialog", "省级平台")}
    return words.get(source, source)


class CloseCaseDialog(QDialog):
    def __init__(self, ctx, number: str, problems: list[str], parent=None):
        super().__init__(parent)
        self.ctx, self.number = ctx, number
        self.setWindowTitle(self.tr("办结案件 {0}").format(number))
        self.form = load_form("close_case", self)
        f = self.form
        self.base_problems = [p for p in problems if "身份证" not in p]
        f.surrendered.toggled.connect(self._update)
        f.buttons.accepted.connect(self.do_close)
        f.buttons.rejected.connect(self.reject)
        f.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("办结"))
        f.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self._update()

    def _update(self, *_):
        f = self.form
        problems = list(self.base_problems)
        if not f.surrendered.isChecked():
            problems.append(self.tr("逝者居民身份证尚未缴销。"))
        f.problems.setText("\n".join("✗ " + p for p in problems))
        f.problems.setProperty("level", "error")
        f.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problems)

    def do_close(self) -> None:
        from houshi_desk.services.closing import close_case

        store, clerk, number = self.ctx.store, self.ctx.clerk, self.number
        BackgroundOp(parent=self, op=lambda: close_case(store, number, clerk=clerk, id_card_surrendered=True),
                     success=lambda _r: self.accept()) \
            .failure(lambda exc: self.form.problems.setText(error_text(exc))).writes().run()


def pdf_thumbnail(data: bytes, width: int, height: int) -> bytes | None:
    """PNG of the first page of a (single-page) PDF, fitted into width × height; None if unreadable.
    Runs in a worker thread (QtPdf renders into a QImage, no widget involved)."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
    from PySide6.QtPdf import QPdfDocument

    raw = QByteArray(data)
    source = QBuffer(raw)
    source.open(QIODevice.OpenModeFlag.ReadOnly)
    doc = QPdfDocument()
    try:
        doc.load(source)
        if doc.status() != QPdfDocument.Status.Ready or doc.pageCount() < 1:
            return None
        page = doc.pagePointSize(0)
        if page.width() <= 0 or page.height() <= 0:
            return None
        scale = min(width / page.width(), height / page.height())
        image = doc.render(0, QSize(max(1, round(page.width() * scale)), max(1, round(page.height() * scale))))
        if image.isNull():
            return None
        out = QBuffer()
        out.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(out, "PNG")
        return bytes(out.data())
    finally:
        doc.close()
        source.close()


class CaseDialog(QDialog):
    def __init__(self, ctx, number: str, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.number = number.strip().upper()
        self.snapshot: CaseSnapshot | None = None
        self.setObjectName("CaseDialog")
        self.setWindowTitle(self.tr("案件 {0}").format(self.number))
        lay = QVBoxLayout(self)
        self.header = QLabel(self.tr("正在打开案件 {0}…").format(self.number))
        self.header.setObjectName("heading")
        self.header.setWordWrap(True)
        lay.addWidget(self.header)
        self.tabs = QTabWidget()
        lay.addWidget(self.tabs, 1)
        # overview
        self.overview = QTextBrowser()
        self.tabs.addTab(self.overview, self.tr("概要(&1)"))
        # matters
        mw = QSplitter(Qt.Orientation.Vertical)
        self.matters = make_table([self.tr("事项"), self.tr("部门"), self.tr("状态"), self.tr("期限"), self.tr("部门结果")],
                                  stretch=0)
        self.matters.currentCellChanged.connect(lambda r, *_: self._show_history(r))
        self.history = make_table([self.tr("时间"), self.tr("状态"), self.tr("来源"), self.tr("经办"), self.tr("说明")],
                                  stretch=4)
        mw.addWidget(self.matters)
        mw.addWidget(self.history)
        self.tabs.addTab(mw, self.tr("事项(&2)"))
        # materials
        matw = QWidget()
        ml = QHBoxLayout(matw)
        self.materials = make_table([self.tr("材料"), self.tr("状态"), self.tr("页数")], stretch=0)
        self.materials.currentCellChanged.connect(lambda r, *_: self._show_pages(r))
        ml.addWidget(self.materials, 2)
        self.pages = QListWidget()
        self.pages.setViewMode(QListWidget.ViewMode.IconMode)
        self.pages.setIconSize(QSize(120, 160))
        self.pages.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.pages.setObjectName("thumbnails")
        ml.addWidget(self.pages, 3)
        self.tabs.addTab(matw, self.tr("材料(&3)"))
        # prints
        pw = QWidget()
        pl = QVBoxLayout(pw)
        self.prints = make_table([self.tr("文书"), self.tr("时间"), self.tr("经办"), self.tr("打印机"), self.tr("结果")],
                                 stretch=4)
        pl.addWidget(self.prints, 1)
        row = QHBoxLayout()
        self.reprint_button = QPushButton(self.tr("补打选中文书(&R)"))
        self.reprint_button.clicked.connect(self.reprint_selected)
        self.print_all_button = QPushButton(self.tr("重新打印受理文书"))
        self.print_all_button.clicked.connect(lambda: self.print_kinds(None, reprint=True))
        self.completion_button = QPushButton(self.tr("打印办结通知"))
        self.completion_button.clicked.connect(lambda: self.print_kinds(["completion"], reprint=False))
        for b in (self.reprint_button, self.print_all_button, self.completion_button):
            b.setAutoDefault(False)
            row.addWidget(b)
        row.addStretch(1)
        pl.addLayout(row)
        self.tabs.addTab(pw, self.tr("打印(&4)"))
        # outbox
        self.outbox = make_table([self.tr("步骤"), self.tr("状态"), self.tr("进度"), self.tr("尝试"), self.tr("下次尝试"),
                                  self.tr("最近错误")], stretch=5)
        self.tabs.addTab(self.outbox, self.tr("发送(&5)"))
        self.message = note_label()
        lay.addWidget(self.message)
        buttons = QHBoxLayout()
        self.submit_button = QPushButton(self.tr("提交受理(&U)"))
        self.submit_button.clicked.connect(self.submit)
        # a draft's papers on screen, marked 草稿 (a draft's 受理回执 is never printed)
        self.preview_button = QPushButton(self.tr("预览草稿(&P)"))
        self.preview_button.setObjectName("preview_draft")
        self.preview_button.clicked.connect(self.preview)
        self.close_case_button = QPushButton(self.tr("办结(&C)…"))
        self.close_case_button.clicked.connect(self.close_case)
        self.done_button = QPushButton(self.tr("关闭"))
        self.done_button.clicked.connect(self.accept)
        for b in (self.submit_button, self.preview_button, self.close_case_button):
            b.setAutoDefault(False)
            buttons.addWidget(b)
        self.preview_button.hide()
        buttons.addStretch(1)
        buttons.addWidget(self.done_button)
        lay.addLayout(buttons)
        fit_initial(self, 1100, 660)
        self._viewed = False  # the first load writes the 查看案件 audit entry; refreshes do not
        self.reload()
        if ctx.sync is not None:
            ctx.sync.results_arrived.connect(self.reload)

    # ---------------------------------------------------------------- loading
    def reload(self) -> None:
        store, user, number, settings = self.ctx.store, self.ctx.user, self.number, self.ctx.settings
        audited, self._viewed = not self._viewed, True
        BackgroundOp(parent=self, op=lambda: case_snapshot(store, user, number, settings=settings, audited=audited),
                     success=self._show) \
            .failure(self._load_failed).writes().run()

    def _load_failed(self, exc) -> None:
        self.header.setText(error_text(exc))
        self.header.setProperty("level", "error")
        for b in (self.submit_button, self.close_case_button):
            b.setEnabled(False)

    def _show(self, snap: CaseSnapshot) -> None:
        self.snapshot = snap
        case = snap.case
        status = CaseStatus(snap.status)
        self.header.setText(self.tr("{0}　逝者 {1}　申请人 {2}　{3}").format(
            self.number, case.deceased.identity.name, case.applicant.identity.name, status.label))
        self.submit_button.setVisible(status is CaseStatus.DRAFT)
        self.preview_button.setVisible(status is CaseStatus.DRAFT)
        self.close_case_button.setEnabled(status is CaseStatus.SUBMITTED)
        self.close_case_button.setToolTip("\n".join(snap.close_problems))
        self._overview(case)
        self.matters.setRowCount(0)
        self._matter_rows = [m for m in snap.matters if m["chosen"]]
        for m in self._matter_rows:
            r = self.matters.rowCount()
            self.matters.insertRow(r)
            for c, v in enumerate((m["name"], m["department"], pushed_label(m["status"], snap.pushed),
                                   (m["due"].isoformat() + (self.tr("（日历待更新）") if m["due_uncertain"] else "")) if m["due"] else "", m["result"])):
                self.matters.setItem(r, c, cell(v))
        self.materials.setRowCount(0)
        for m in snap.materials:
            r = self.materials.rowCount()
            self.materials.insertRow(r)
            for c, v in enumerate((m["name"], MaterialState(m["state"]).label, len(m["files"]) or "")):
                self.materials.setItem(r, c, cell(v))
        from houshi_desk.documents import KIND_LABELS

        self.prints.setRowCount(0)
        status_text = {"printed": self.tr("已打印"), "saved": self.tr("已存 PDF"), "failed": self.tr("失败")}
        for p in snap.prints:
            r = self.prints.rowCount()
            self.prints.insertRow(r)
            from houshi_desk.gui.data_strings import data_tr

            label = data_tr("documents", KIND_LABELS.get(p["kind"], p["kind"])) + (self.tr("（补打）") if p["reprint"] else "")
            result = status_text.get(p["status"], p["status"]) + (f"：{p['error']}" if p["error"] else "")
            for c, v in enumerate((label, f"{p['at']:%Y-%m-%d %H:%M}", p["user"], p["printer"] or "—", result)):
                self.prints.setItem(r, c, cell(v, p["kind"] if c == 0 else None))
        from houshi_desk.gui.outbox_view import next_try_text
        from houshi_desk.sync.outbox import KIND_LABELS as OK, STATE_LABELS

        self.outbox.setRowCount(0)
        sync = self.ctx.sync
        sending = sync is not None and sync.uploader is not None
        for o in snap.outbox:
            r = self.outbox.rowCount()
            self.outbox.insertRow(r)
            progress = f"{o['sent'] * 100 // o['size']}%" if o["size"] else ""
            material = o.get("material_name") or o["material"]
            for c, v in enumerate((OK.get(o["kind"], o["kind"]) + (f"（{material}）" if material else ""),
                                   STATE_LABELS.get(o["state"], o["state"]), progress, o["attempts"],
                                   next_try_text(o, sending=sending), o["error"])):
                self.outbox.setItem(r, c, cell(v))
        if self.matters.rowCount():
            self.matters.selectRow(0)
        if self.materials.rowCount():
            self.materials.selectRow(0)

    def _overview(self, case) -> None:
        import html

        from houshi_desk.domain.facts import FACTS, facts_to_ask

        e = html.escape
        asked = {spec.name for spec in facts_to_ask(case.facts)}
        lines = []
        for p in case.parties():
            i = p.identity
            rel = f"（{p.relationship.label}）" if p.relationship else ""
            lines.append(f"<b>{e(p.role.label)}</b>：{e(i.name)}{e(rel)}　{e(i.card_type.label)} {e(i.masked_number)}"
                         + (self.tr("　电话 {0}").format(e(p.phone)) if p.phone else ""))
        if case.proxy is not None:  # what the 委托书 says besides the people
            pr = case.proxy
            lines.append(self.tr("<b>委托</b>：委托人因患{0}　受托人工作单位 {1}　委托期限 {2} 至 {3}").format(
                e(case.applicant.note or "—"), e(pr.employer or "—"),
                pr.authorised_from.isoformat() if pr.authorised_from else "—",
                pr.authorised_to.isoformat() if pr.authorised_to else "—"))
        d = case.death
        lines.append(self.tr("<b>死亡</b>：{0}　{1:%Y-%m-%d %H:%M}　{2}　证明编号 {3}").format(
            e(d.kind.label), d.died_at, e(d.place), e(d.proof_number)))
        lines.append(self.tr("<b>遗体处理</b>：{0}　{1}").format(e(d.disposal.label), e(d.disposal_proof_number)))
        facts = []
        for name, value in case.facts.items():
            spec = FACTS.get(name)
            if spec is not None and spec.type == "bool" and name in asked and name != "proxy":
                facts.append(e(spec.describe(value)))
        if facts:
            lines.append(self.tr("<b>询问结果</b>：") + "；".join(facts))
        lines.append(self.tr("<b>经办</b>：{0}　{1}　{2}").format(
            e(case.clerk), case.application_date.isoformat() if case.application_date else "", e(case.office)))
        if case.ticket:  # 叫号 (issue 17): the family's ticket and its times
            def hm(t):
                return f"{t:%H:%M}" if t else "—"

            lines.append(self.tr("<b>叫号</b>：{0} 号　叫号 {1}　受理 {2}　结束 {3}").format(
                e(case.ticket), hm(case.called_at), hm(case.served_at), hm(case.finished_at)))
        self.overview.setHtml("<br>".join(lines))

    def _show_history(self, row: int) -> None:
        self.history.setRowCount(0)
        rows = getattr(self, "_matter_rows", [])
        if not 0 <= row < len(rows):
            return
        pushed = self.snapshot.pushed if self.snapshot is not None else None
        for at, status, source, actor, note in rows[row]["history"]:
            r = self.history.rowCount()
            self.history.insertRow(r)
            st = pushed_label(status, pushed)
            for c, v in enumerate((f"{at:%Y-%m-%d %H:%M:%S}", st, _source_name(source), actor, note)):
                self.history.setItem(r, c, cell(v))

    def _show_pages(self, row: int) -> None:
        self.pages.clear()
        snap = self.snapshot
        if snap is None or not 0 <= row < len(snap.materials):
            return
        files = snap.materials[row]["files"]
        if not files:
            return
        settings = self.ctx.settings

        def thumbs():
            import io

            from PIL import Image

            from houshi_desk.scanning.filestore import FileStore

            fs = FileStore.for_settings(settings)
            out = []
            for page_no, sha, mime in files:
                try:
                    data = fs.get(sha)
                    if mime == "application/pdf":  # an imported PDF page: rendered like a scan
                        out.append((page_no, pdf_thumbnail(data, 240, 320)))
                        continue
                    im = Image.open(io.BytesIO(data))
                    im.thumbnail((240, 320))
                    buf = io.BytesIO()
                    im.convert("RGB").save(buf, "PNG")
                    out.append((page_no, buf.getvalue()))
                except Exception:  # noqa: BLE001 - a missing page shows as a gap, with its number
                    log.warning("page %s of a material could not be read", page_no)
                    out.append((page_no, None))
            return out

        BackgroundOp(parent=self, op=thumbs, success=self._thumbs).run()

    def _thumbs(self, items) -> None:
        self.pages.clear()
        for page_no, png in items:
            icon = QIcon()
            if png:
                pm = QPixmap()
                pm.loadFromData(png)
                icon = QIcon(pm)
            self.pages.addItem(QListWidgetItem(icon, self.tr("第 {0} 页").format(page_no)))

    # ---------------------------------------------------------------- actions
    def submit(self) -> None:
        from houshi_desk.services.cases import submit_case

        store, clerk, number = self.ctx.store, self.ctx.clerk, self.number

        def done(_r):
            self.message.setText(self.tr("已提交受理，进入发送队列。"))
            self.ctx.cases_changed.emit()
            if self.ctx.sync is not None:
                self.ctx.sync.wake()
            self.reload()

        BackgroundOp(parent=self, op=lambda: submit_case(store, number, clerk=clerk), success=done) \
            .failure(lambda exc: self.message.setText(error_text(exc))).writes().run()

    def preview(self) -> None:
        """Render the draft's papers (watermarked 草稿) in the background and show them."""
        from houshi_desk.services.preview import preview_documents

        store, settings, user, number, today = self.ctx.store, self.ctx.settings, self.ctx.user, self.number, \
            self.ctx.today()
        self.message.setText(self.tr("正在生成预览…"))

        def show(previews):
            from houshi_desk.gui.preview_dialog import PreviewDialog

            self.message.setText("")
            self.preview_dialog = PreviewDialog(number, previews, self)
            self.preview_dialog.open()

        BackgroundOp(parent=self, op=lambda: preview_documents(store, settings, number, user=user, today=today),
                     success=show).failure(lambda exc: self.message.setText(error_text(exc))).writes().run()

    def reprint_selected(self) -> None:
        r = self.prints.currentRow()
        if r < 0:
            self.message.setText(self.tr("请先在列表中选中要补打的文书。"))
            return
        kind = self.prints.item(r, 0).data(Qt.ItemDataRole.UserRole)
        self.print_kinds([kind], reprint=True)

    def print_kinds(self, kinds: list[str] | None, *, reprint: bool) -> None:
        from houshi_desk.gui.print_jobs import documents_for, outcome_text, print_case_documents

        snap = self.snapshot
        if snap is None:
            return
        kinds = kinds or documents_for(snap.case)
        store, settings, user, number, today = self.ctx.store, self.ctx.settings, self.ctx.user, self.number, \
            self.ctx.today()

        def done(docs):
            self.message.setText(outcome_text(docs))
            self.reload()

        BackgroundOp(parent=self, op=lambda report: print_case_documents(store, settings, number, kinds, user=user,
                                                                         today=today, report=report),
                     success=done).failure(lambda exc: self.message.setText(error_text(exc))) \
            .with_reporter().with_progress(self.tr("正在打印…"), cancellable=True).writes(one_transaction=False).run()

    def close_case(self) -> None:
        snap = self.snapshot
        if snap is None:
            return
        dlg = CloseCaseDialog(self.ctx, self.number, snap.close_problems, self)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self.ctx.cases_changed.emit()
            if dlg.form.printNotice.isChecked():
                self.print_kinds(["completion"], reprint=False)
            from houshi_desk.gui.evaluation_window import offer_evaluation  # 好差评 after 办结 (issue 17)

            offer_evaluation(self.ctx, self.number, "closed", parent=self.parent())
            self.reload()
