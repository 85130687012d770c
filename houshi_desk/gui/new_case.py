"""The new-case flow: applicant → (proxy) → deceased → death and disposal → checklist interview →
materials → review, print and submit. Every step is reachable by keyboard alone: Enter goes on
(the default button), Alt+B goes back, Esc cancels after asking. Nothing is typed twice: what a
card or an earlier step says is carried forward (and derived facts are never asked again).

A card placed at any step fills the person that step is about (applicant, proxy, deceased; the
death step is about the deceased) and asks before replacing data already entered.
"""
from __future__ import annotations

import html
import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QFormLayout, QFrame, QGroupBox, QHBoxLayout, QLineEdit,
                               QMessageBox, QPushButton, QScrollArea, QTextBrowser, QVBoxLayout,
                               QWidget)

from houshi_desk.domain.case import (Case, CaseMaterial, CaseMatter, MaterialState, Party, PartyRole,
                                     Relationship)
from houshi_desk.gui.data_strings import data_tr
from houshi_desk.gui.death_step import DeathStep
from houshi_desk.gui.forms import load_form
from houshi_desk.gui.interview import InterviewStep
from houshi_desk.gui.materials_step import MaterialsStep, needed_materials
from houshi_desk.gui.ops import BackgroundOp, error_text, retry_locked
from houshi_desk.gui.person_form import PersonForm
from houshi_desk.gui.print_jobs import documents_for, outcome_summary, outcome_text, print_case_documents
from houshi_desk.gui.widgets import fit_initial

log = logging.getLogger(__name__)


class PersonStep(QWidget):
    def __init__(self, role: PartyRole, today, parent=None, *, proxy_days: int = 90):
        super().__init__(parent)
        self.today = today
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.person = PersonForm(role, today)
        self.person.setObjectName(f"person_{role.value}")
        lay.addWidget(self.person)
        self.proxy_box = None
        self.illness = self.valid_from = self.valid_to = None
        if role is PartyRole.APPLICANT:
            self.proxy_box = QCheckBox(self.tr("由受托人代为办理（仅限逝者唯一亲属身患重疾、长期卧床时）(&W)"))
            lay.addWidget(self.proxy_box)
        if role is PartyRole.PROXY:
            self._build_authorisation(lay, proxy_days)
        lay.addStretch(0)

    def _build_authorisation(self, lay, days: int) -> None:
        """What the 委托书 says besides the people: why the applicant cannot come (因患___, kept as the
        applicant's note) and how long the 受托人 may act (委托期限; default: today .. + setting
        ``proxy.default_validity_days``, editable)."""
        from datetime import timedelta

        from PySide6.QtWidgets import QLabel

        from houshi_desk.gui.widgets import DateEdit

        box = QGroupBox(self.tr("委托事项（印在授权委托书上）"))
        form = QFormLayout(box)
        self.illness = QLineEdit()
        self.illness.setObjectName("proxy_illness")
        self.illness.setPlaceholderText(self.tr("如：脑梗后遗症，长期卧床（空则在委托书上留横线手写）"))
        form.addRow(self.tr("委托人因患(&L)"), self.illness)
        self.valid_from = DateEdit()
        self.valid_from.setObjectName("proxy_valid_from")
        self.valid_to = DateEdit()
        self.valid_to.setObjectName("proxy_valid_to")
        start = self.today()
        self.valid_from.set_value(start)
        self.valid_to.set_value(start + timedelta(days=max(int(days), 1)))
        h = QHBoxLayout()
        h.addWidget(self.valid_from)
        h.addWidget(QLabel(self.tr("至")))
        h.addWidget(self.valid_to)
        h.addStretch(1)
        label = QLabel(self.tr("委托期限 自(&V)"))
        label.setBuddy(self.valid_from)
        form.addRow(label, h)
        lay.addWidget(box)
        for w in (self.illness, self.valid_from, self.valid_to):
            w.textEdited.connect(lambda *_: self.person.changed.emit())

    def authorised_period(self):
        """(from, to) as entered; a blank or malformed date is None (``check`` names the malformed)."""
        def d(w):
            try:
                return w.value()
            except ValueError:
                return None

        return d(self.valid_from), d(self.valid_to)

    def _period_problem(self) -> tuple[str, QWidget] | None:
        if self.valid_from is None:
            return None
        for w, label in ((self.valid_from, self.tr("委托期限开始日期")), (self.valid_to, self.tr("委托期限截止日期"))):
            if not w.valid():
                return self.tr("{0}格式不对，请写成 2026-01-20。").format(label), w
        from houshi_desk.services.cases import proxy_period_problem

        start, end = self.authorised_period()
        problem = proxy_period_problem(start, end, self.today())
        if problem:
            return problem[0], (self.valid_to if "截止" in problem[0] or "届满" in problem[0] else self.valid_from)
        return None

    def first_field(self):
        return self.person.first_field()

    def problem_field(self):
        errors, _warnings = self.person.problem_list()
        if not errors and not self.person.is_empty():
            period = self._period_problem()
            if period:
                return period[1]
        return self.person.problem_field()

    def check(self) -> str | None:
        errors, _warnings = self.person.problem_list()
        if self.person.is_empty():
            return self.tr("请放置{0}的身份证，或录入姓名和证件号码。").format(self.person.role.label)
        if errors:
            return errors[0]
        period = self._period_problem()
        return period[0] if period else None


class ReviewStep(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.summary = QTextBrowser()
        self.summary.setObjectName("review")
        self.summary.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        lay.addWidget(self.summary, 1)
        box = QGroupBox(self.tr("受理后打印"))
        h = QHBoxLayout(box)
        self.doc_boxes: dict[str, QCheckBox] = {}
        from houshi_desk.documents import KIND_LABELS

        for kind in ("application", "promise", "proxy", "notice", "receipt"):
            b = QCheckBox(data_tr("documents", KIND_LABELS.get(kind, kind)))
            b.setChecked(True)
            h.addWidget(b)
            self.doc_boxes[kind] = b
        h.addStretch(1)
        # the papers on screen, marked 草稿, before anything is saved (checked with the family)
        self.preview_button = QPushButton(self.tr("预览草稿(&Y)"))
        self.preview_button.setObjectName("preview_unsaved")
        self.preview_button.setAutoDefault(False)
        h.addWidget(self.preview_button)
        lay.addWidget(box)
        # how the family gets the results (NM:175 自取或邮递): recorded on the case and the receipt
        dbox = QGroupBox(self.tr("办理结果送达方式"))
        form = QFormLayout(dbox)
        self.delivery_method = QComboBox()
        self.delivery_method.setObjectName("delivery_method")
        self.delivery_method.addItem(self.tr("窗口自取"), "pickup")
        self.delivery_method.addItem(self.tr("邮寄送达"), "post")
        form.addRow(self.tr("送达方式(&D)"), self.delivery_method)
        self.post_fields: dict[str, QLineEdit] = {}
        for key, label in (("address", self.tr("邮寄地址")), ("postcode", self.tr("邮政编码")),
                           ("recipient", self.tr("收件人")), ("phone", self.tr("收件人电话"))):
            edit = QLineEdit()
            edit.setObjectName(f"delivery_{key}")
            self.post_fields[key] = edit
            form.addRow(label, edit)
        self.delivery_method.currentIndexChanged.connect(self._delivery_changed)
        self._form = form
        lay.addWidget(dbox)
        self._delivery_changed()

    def _delivery_changed(self, *_):
        post = self.delivery_method.currentData() == "post"
        for edit in self.post_fields.values():
            edit.setVisible(post)
            label = self._form.labelForField(edit)
            if label is not None:
                label.setVisible(post)

    def delivery(self):
        from houshi_desk.domain.case import Delivery

        if self.delivery_method.currentData() != "post":
            return Delivery("pickup")
        return Delivery("post", **{k: e.text().strip() for k, e in self.post_fields.items()})

    def first_field(self):
        return self.doc_boxes["application"]

    def check(self) -> str | None:
        problems = self.delivery().problems()
        return "；".join(problems) + "。" if problems else None

    def kinds(self) -> list[str]:
        return [k for k, b in self.doc_boxes.items() if b.isChecked() and b.isVisible()]


class NewCaseDialog(QDialog):
    case_created = Signal(str)

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("NewCaseDialog")
        self.setWindowTitle(self.tr("新建案件 — 身后一件事"))
        self.form = load_form("new_case", self)
        f = self.form
        today = ctx.today
        self.applicant = PersonStep(PartyRole.APPLICANT, today)
        self.proxy = PersonStep(PartyRole.PROXY, today, proxy_days=ctx.settings.proxy_default_validity_days)
        self.deceased = PersonStep(PartyRole.DECEASED, today)
        self.death = DeathStep(today)
        self.interview = InterviewStep(ctx, self.case_so_far)
        self.materials = MaterialsStep(ctx)
        self.review = ReviewStep()
        from houshi_desk.gui.shared_prefill import SharedPrefill

        self.shared = SharedPrefill(self)  # the deceased's shared records, asked in the background (issue 15)
        self.all_steps = [
            ("applicant", self.tr("1 申请人"), self.applicant),
            ("proxy", self.tr("1a 受托人"), self.proxy),
            ("deceased", self.tr("2 逝者"), self.deceased),
            ("death", self.tr("3 死亡与安葬"), self.death),
            ("interview", self.tr("4 办理事项"), self.interview),
            ("materials", self.tr("5 材料"), self.materials),
            ("review", self.tr("6 核对与打印"), self.review),
        ]
        # each step in a scroll area: on the smallest screen at 150 % (911×512 logical pixels) every
        # control stays reachable by scrolling instead of being pushed off the dialog
        self._scrolls = {}
        for _key, _title, w in self.all_steps:
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QFrame.Shape.NoFrame)
            scroll.setWidget(w)
            self._scrolls[w] = scroll
            f.pages.addWidget(scroll)
        self.index = 0
        self.number: str | None = None
        self.printed = []
        self._busy = False
        f.next.clicked.connect(self.go_next)
        f.back.clicked.connect(self.go_back)
        f.cancel.clicked.connect(self.reject)
        self.applicant.proxy_box.toggled.connect(self._update_steps)
        self.review.preview_button.clicked.connect(self.preview)
        for step in (self.applicant, self.proxy, self.deceased):
            step.person.changed.connect(self._recheck)
        self._update_steps()
        fit_initial(self, 1180, 660)
        if ctx.card is not None:
            ctx.card.card_read.connect(self.on_card)
            ctx.card.read_failed.connect(self.on_read_failed)
        self.go(0)

    # ---------------------------------------------------------------- steps
    def steps(self):
        return [s for s in self.all_steps if s[0] != "proxy" or self.applicant.proxy_box.isChecked()]

    def _update_steps(self, *_):
        f = self.form
        current = self.current_key() if hasattr(self, "index") else None
        f.steps.clear()
        for _key, title, _w in self.steps():
            f.steps.addItem(title)
        self.review.doc_boxes["proxy"].setVisible(self.applicant.proxy_box.isChecked())
        if current:
            self.index = next((i for i, s in enumerate(self.steps()) if s[0] == current), 0)
            f.steps.setCurrentRow(self.index)

    def current_key(self) -> str:
        return self.steps()[self.index][0]

    def current_step(self):
        return self.steps()[self.index][2]

    def step_widget(self, key: str):
        return next(w for k, _t, w in self.all_steps if k == key)

    def go(self, index: int) -> None:
        steps = self.steps()
        self.index = max(0, min(index, len(steps) - 1))
        key, title, w = steps[self.index]
        f = self.form
        if key == "interview":
            self.interview.refresh()
        elif key == "materials":
            r = self.interview.result
            if r is not None:
                from houshi_desk.domain.identity import Source

                self.materials.card_read = {code for code, step in (("applicant_id_card", self.applicant),
                                                                    ("deceased_id_card", self.deceased),
                                                                    ("proxy_id_card", self.proxy))
                                            if step.person.source is Source.CARD}
                self.materials.set_needs(needed_materials(r, set(self.interview.chosen_codes())))
        elif key == "review":
            self._fill_review()
        f.pages.setCurrentWidget(self._scrolls[w])
        f.steps.setCurrentRow(self.index)
        f.stepTitle.setText(title)
        f.back.setEnabled(self.index > 0)
        f.next.setText(self.tr("打印并提交") if key == "review" else self.tr("下一步"))
        f.message.setText(self._step_hint(key))
        f.message.setProperty("level", "info")
        self._repolish(f.message)
        w.first_field().setFocus()

    def _step_hint(self, key: str) -> str:
        return {
            "applicant": self.tr("请申请人把身份证放在读卡器上（或手工录入），核对后按 Enter。"),
            "proxy": self.tr("请受托人把身份证放在读卡器上（或手工录入）。"),
            "deceased": self.tr("请把逝者的身份证放在读卡器上（证件过期属正常情况）。"),
            "death": self.tr("按死亡证明和火化证/安葬证明填写。"),
            "interview": self.tr("逐项询问家属；右侧清单随回答即时更新。可选事项用空格键勾选或取消。"),
            "materials": self.tr("逐项收取材料；缺的材料会列入一次告知单，家属补齐后再交。"),
            "review": self.tr("与家属核对以下信息，按 Enter 打印文书并提交受理。"),
        }.get(key, "")

    def go_next(self) -> None:
        if self._busy:
            return
        w = self.current_step()
        problem = w.check()
        if problem:
            self.show_message(problem, "error")
            field = getattr(w, "problem_field", None)
            if field is not None:
                field().setFocus()  # e.g. 与逝者关系 when it is missing, not back to 姓名
            return
        if self.current_key() == "review":
            self.finish()
            return
        if self.current_key() == "deceased":  # a typed number (a card read asked already)
            self.shared.request(self.deceased.person.document().id_number)
        self.go(self.index + 1)

    def go_back(self) -> None:
        if self.index > 0 and not self._busy:
            self.go(self.index - 1)

    def _recheck(self) -> None:
        """A red message about the current step goes once the clerk has fixed it (e.g. the expiry
        reason is entered), instead of staying until the next 下一步."""
        if self.form.message.property("level") != "error" or self._busy:
            return
        w = self.current_step()
        if isinstance(w, PersonStep) and w.check() is None:
            self.show_message(self._step_hint(self.current_key()))

    def show_message(self, text: str, level: str = "info") -> None:
        self.form.message.setText(text)
        self.form.message.setProperty("level", level)
        self._repolish(self.form.message)

    @staticmethod
    def _repolish(w) -> None:
        w.style().unpolish(w)
        w.style().polish(w)

    def has_input(self) -> bool:
        return not (self.applicant.person.is_empty() and self.deceased.person.is_empty()) and self.number is None

    def reject(self) -> None:
        if self._busy:
            return
        if self.has_input():
            answer = QMessageBox.question(self, self.tr("放弃录入？"),
                                          self.tr("已录入的内容尚未保存。确定放弃这个案件吗？"),
                                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                          QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return
        self._disconnect()
        super().reject()

    def _disconnect(self) -> None:
        if self.ctx.card is not None:
            try:
                self.ctx.card.card_read.disconnect(self.on_card)
                self.ctx.card.read_failed.disconnect(self.on_read_failed)
            except (RuntimeError, TypeError):
                pass

    # ---------------------------------------------------------------- cards
    def person_for_step(self) -> PersonForm | None:
        return {"applicant": self.applicant.person, "proxy": self.proxy.person,
                "deceased": self.deceased.person, "death": self.deceased.person}.get(self.current_key())

    def on_card(self, ev) -> None:
        if self._busy or not self.isVisible():
            return
        form = self.person_for_step()
        if form is None:
            self.show_message(self.tr("已读到 {0} 的证件；当前步骤不涉及证件。如需改申请人或逝者，请按 Alt+B 回到该步骤后重新放卡。")
                              .format(ev.document.name), "warning")
            return
        doc = ev.document
        decoder = self.ctx.settings.idcard_wlt_decoder

        def photo():
            from houshi_desk.idcard import photo_png

            return photo_png(doc.photo_wlt, decoder) if doc.photo_wlt else None

        def fill(p):
            if form.fill_from_card(doc, p.png if p is not None else None):
                self.show_message(self.tr("已读取{0}证件：{1}（{2} 毫秒）。核对无误后按 Enter。")
                                  .format(form.role.label, doc.name, int(ev.elapsed_ms)), "ok")
                if form.role is PartyRole.DECEASED:
                    self.shared.request(doc.id_number)
                if self.current_key() == "death":
                    self.death.first_field().setFocus()
                else:
                    self.current_step().first_field().setFocus()
            else:
                self.show_message(self.tr("保留了已录入的{0}信息。").format(form.role.label))

        BackgroundOp(parent=self, op=photo, success=fill).run()

    def on_read_failed(self, ev) -> None:
        if self.isVisible():
            self.show_message(ev.message + (f"（{ev.hint}）" if ev.hint else ""), "error")

    # ---------------------------------------------------------------- the case
    def case_so_far(self) -> Case | None:
        """The case as entered; None while a step before the interview is incomplete."""
        for key in ("applicant", "deceased", "death") + (("proxy",) if self.applicant.proxy_box.isChecked() else ()):
            if self.step_widget(key).check():
                return None
        a, d = self.applicant.person, self.deceased.person
        rel = a.relationship.currentData()
        with_proxy = self.applicant.proxy_box.isChecked()
        applicant = Party(PartyRole.APPLICANT, a.document(), phone=a.phone.text().strip(),
                          address=a.contact_address.text().strip(), employer=a.employer.text().strip(),
                          bank_account=a.bank_account.text().strip(), bank_name=a.bank_name.text().strip(),
                          relationship=Relationship(rel) if rel else None,
                          relationship_note=a.relationship_note.text().strip() if rel == "specific" else "",
                          # 因患___ on the 委托书: the applicant's illness, asked only when a proxy acts
                          note=self.proxy.illness.text().strip() if with_proxy else "")
        proxy = None
        if with_proxy:
            p = self.proxy.person
            prel = p.relationship.currentData()
            start, end = self.proxy.authorised_period()
            proxy = Party(PartyRole.PROXY, p.document(), phone=p.phone.text().strip(),
                          address=p.contact_address.text().strip(), employer=p.employer.text().strip(),
                          relationship=Relationship(prel) if prel else None,
                          authorised_from=start, authorised_to=end)
        return Case(region=self.ctx.region, deceased=Party(PartyRole.DECEASED, d.document()), applicant=applicant,
                    proxy=proxy, death=self.death.facts(), facts={})

    def build_case(self) -> Case:
        case = self.case_so_far()
        case.facts = self.interview.answers()
        case.matters = [CaseMatter(code=c, applicable=True, mandatory=False, chosen=True)
                        for c in self.interview.chosen_codes()]
        case.delivery = self.review.delivery()
        states = self.materials.material_states()
        for code, st in states.items():
            if self.materials.pages.get(code):
                st = MaterialState.MISSING  # becomes 已扫描 when its pages are attached
            case.materials.append(CaseMaterial(code=code, state=st))
        ticket = getattr(self, "queue_ticket", None)  # set by the main window when a ticket was called (issue 17)
        if ticket is not None:
            case.ticket, case.called_at = ticket.number, ticket.called_at
        return case

    def override_reason(self) -> str:
        reasons = [s.person.expired_override() for s in (self.applicant, self.proxy) if s.person.expired_override()]
        return "；".join(reasons)

    def _fill_review(self) -> None:
        case = self.case_so_far()
        r = self.interview.result
        if case is None or r is None:
            self.review.summary.setPlainText(self.tr("信息不完整，请返回前面的步骤。"))
            return
        e = html.escape

        def person(p: Party) -> str:
            i = p.identity
            rel = f"，{p.relationship.label}" if p.relationship else ""
            return (f"<b>{e(p.role.label)}</b>：{e(i.name)}（{e(i.sex.label)}{e(rel)}），{e(i.card_type.label)} "
                    f"{e(i.id_number)}" + (self.tr("，电话 {0}").format(e(p.phone)) if p.phone else ""))

        d = case.death
        parts = [person(case.applicant)]
        if case.proxy:
            parts.append(person(case.proxy))
            pr = case.proxy
            parts.append(self.tr("<b>委托</b>：委托人因患{0}；受托人工作单位 {1}；委托期限 {2} 至 {3}").format(
                e(case.applicant.note or self.tr("（未填，委托书上留横线手写）")), e(pr.employer or "—"),
                pr.authorised_from.isoformat() if pr.authorised_from else self.tr("受理日"),
                pr.authorised_to.isoformat() if pr.authorised_to else self.tr("（默认）")))
        parts.append(person(case.deceased))
        override = self.override_reason()
        if override:  # an expired ID card accepted: the review shows why, as the case records it
            parts.append(self.tr("<b>证件过期继续受理原因</b>：{0}").format(e(override)))
        parts.append(self.tr("<b>死亡</b>：{0}，{1:%Y-%m-%d %H:%M}，证明编号 {2}；{3}，证号 {4}").format(
            e(d.kind.label), d.died_at, e(d.proof_number), e(d.disposal.label), e(d.disposal_proof_number or "—")))
        chosen = set(self.interview.chosen_codes())
        maybe = self.tr("（日历待更新）")  # counted past the holiday calendar the program knows
        rows = "".join(
            f"<tr><td>{e(m.name)}</td><td>{e(m.department_name)}</td>"
            f"<td>{m.due_date.isoformat() + (maybe if m.due_date_uncertain else '') if m.due_date else e(m.deadline_text)}</td></tr>"
            for m in r.matters if m.code in chosen)
        parts.append(self.tr("<b>申请办理 {0} 项</b>").format(len(chosen)) +
                     f"<table cellspacing=0 cellpadding=2>{rows}</table>")
        states = self.materials.material_states()
        missing = [n.name for n in self.materials.needs if states.get(n.code) is MaterialState.MISSING
                   and not self.materials.pages.get(n.code)]
        deferred = [n.name for n in self.materials.needs if states.get(n.code) is MaterialState.DEFERRED]
        parts.append(self.tr("<b>材料</b>：共 {0} 种，已收 {1} 种").format(
            len(self.materials.needs), len(self.materials.needs) - len(missing) - len(deferred)))
        for warning in (self.shared.death_date_mismatch(), self.shared.duplicate_text()):  # issue 15
            if warning:
                parts.append(f"<span style='color:#b00020'><b>{e(warning)}</b></span>")
        if missing:
            parts.append(self.tr("尚缺（列入一次告知单）：") + e("、".join(missing)))
        if deferred:
            parts.append(self.tr("容缺后补：") + e("、".join(deferred)))
        self.review.summary.setHtml("<br>".join(parts))

    def preview(self) -> None:
        """The papers as they would print, watermarked 草稿, rendered in the background; nothing saved."""
        if self._busy or self.case_so_far() is None:
            return
        from houshi_desk.services.preview import preview_unsaved

        case, settings, user, today = self.build_case(), self.ctx.settings, self.ctx.user, self.ctx.today()
        kinds = [k for k in self.review.kinds() if k != "proxy" or case.proxy is not None] or None
        self.show_message(self.tr("正在生成预览…"))

        def show(previews):
            from houshi_desk.gui.preview_dialog import PreviewDialog

            self.show_message(self._step_hint(self.current_key()))
            self.preview_dialog = PreviewDialog(self.tr("（未受理）"), previews, self)
            self.preview_dialog.open()

        BackgroundOp(parent=self, op=lambda: preview_unsaved(case, settings=settings, today=today, user=user,
                                                             kinds=kinds),
                     success=show).failure(lambda exc: self.show_message(error_text(exc), "error")).run()

    # ---------------------------------------------------------------- save, print, submit
    def finish(self) -> None:
        case = self.build_case()
        ctx = self.ctx
        if ctx.store is None:
            self.show_message(self.tr("数据库尚未就绪，请稍候再试。"), "error")
            return
        store, settings, clerk, today = ctx.store, ctx.settings, ctx.clerk, ctx.today()
        pages = {code: (list(p), self.materials.sources.get(code, "import"))
                 for code, p in self.materials.pages.items() if p}
        override = self.override_reason()
        audits = self.materials.audits_on_save()  # quality gate and OCR cross-check, on the case
        duplicate = None  # issue 15: the platform named open cases of this deceased elsewhere
        if self.shared.platform_duplicates():
            duplicate = self.shared.ask_duplicate_override()
            if duplicate is None:
                self.show_message(self.shared.duplicate_text() + self.tr("须由主管登录本窗口并登记原因后才能继续。"), "error")
                return
        shared_after = self.shared.after_create(duplicate)  # licences, changed shared facts, the override
        kinds = [k for k in self.review.kinds() if k != "proxy" or case.proxy is not None]

        user = ctx.user

        def save(report):
            # one use case, one transaction: pages are processed and stored first, then the case, its
            # pages, the audit entries, the shared-data marks and the submit are written together
            from houshi_desk.services.accept import accept_case

            report(0, 2, self.tr("正在保存案件和材料页面…"))
            done = accept_case(store, case, user=user, settings=settings, today=today, pages=pages, audits=audits,
                               submit=True, override_reason=override, duplicate_override=duplicate,
                               within=lambda s, row: shared_after(s, row, clerk))
            return done.number, None

        self._busy = True
        self.form.next.setEnabled(False)
        self.show_message(self.tr("正在保存…"))
        BackgroundOp(parent=self, op=save, success=lambda r: self._saved(r, kinds)) \
            .failure(self._save_failed).with_reporter().with_progress(self.tr("正在保存案件…")) \
            .writes().run()

    def _save_failed(self, exc) -> None:
        self._busy = False
        self.form.next.setEnabled(True)
        self.show_message(self.tr("案件未能保存：{0}").format(error_text(exc)), "error")

    def _saved(self, result, kinds) -> None:
        number, attach_error = result
        self.number = number
        self.ctx.cases_changed.emit()
        if self.ctx.sync is not None:
            self.ctx.sync.wake()
        if attach_error is not None:
            self._busy = False
            self.form.next.setEnabled(True)
            QMessageBox.warning(self, self.tr("材料页面未保存"), self.tr(
                "案件 {0} 已保存为草稿，但扫描的材料页面未能保存：{1}\n请在案件中重新扫描或导入后再提交。").format(
                number, error_text(attach_error)))
            self._done()
            return
        store, settings, user, today = self.ctx.store, self.ctx.settings, self.ctx.user, self.ctx.today()
        self.show_message(self.tr("案件 {0} 已受理，正在打印文书…").format(number), "ok")
        BackgroundOp(parent=self,
                     op=lambda report: print_case_documents(store, settings, number, kinds, user=user, today=today,
                                                            report=report),
                     success=self._printed).failure(self._print_failed) \
            .with_reporter().with_progress(self.tr("正在打印文书…"), cancellable=True) \
            .writes(one_transaction=False).run()

    def _printed(self, docs) -> None:
        self.printed = docs
        self._busy = False
        failed = [d for d in docs if d.status == "failed"]
        text = outcome_text(docs)
        if failed:
            QMessageBox.warning(self, self.tr("部分文书未打印"), text)
        self.ctx.last_message = self.tr("案件 {0} 已受理并提交；").format(self.number) + outcome_summary(docs)
        self._done()

    def _print_failed(self, exc) -> None:
        from houshi_desk.gui.ops import Cancelled

        self._busy = False
        if isinstance(exc, Cancelled):
            self.ctx.last_message = self.tr("案件 {0} 已受理并提交；打印已取消，可在案件中补打。").format(self.number)
            self._done()
            return
        QMessageBox.warning(self, self.tr("文书未打印"), self.tr(
            "案件 {0} 已受理并提交，但文书未能生成或打印：{1}\n可在案件中补打。").format(self.number, error_text(exc)))
        self._done()

    def _done(self) -> None:
        self._disconnect()
        self.case_created.emit(self.number)
        self.accept()
