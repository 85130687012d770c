"""One person's identity on a case (applicant, deceased or proxy): filled by a card read or typed
in, with live validation from ``houshi_desk.domain.identity`` (check digit, birth date and sex
from the number, validity; an expired card is a warning for the deceased, an error for the living
unless the clerk records why)."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (QComboBox, QFormLayout, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
                               QMessageBox, QVBoxLayout, QWidget)

from houshi_desk.domain.case import RELATIONSHIP_LABELS, PartyRole
from houshi_desk.domain.identity import (CARD_TYPE_LABELS, CardType, IdentityDocument, Severity, Sex, Source,
                                         check_document, normalize_id_number)
from houshi_desk.gui.widgets import DateEdit, enum_combo, note_label, select_data


class PersonForm(QWidget):
    changed = Signal()

    def __init__(self, role: PartyRole, today, parent=None):
        super().__init__(parent)
        self.role = role
        self.today = today  # callable → date
        self.source = Source.MANUAL
        self.photo_wlt: bytes | None = None
        self.confirm_replace = self._ask_replace  # tests may replace the question
        self._filling = False
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)

        card = QGroupBox(self.tr("证件信息（放置身份证自动填写，或手工录入）"))
        grid = QGridLayout(card)
        self.card_type = enum_combo({t.value: CARD_TYPE_LABELS[t] for t in CardType})
        self.name = QLineEdit()
        self.id_number = QLineEdit()
        self.id_number.setMaxLength(22)
        self.sex = enum_combo({Sex.MALE.value: "男", Sex.FEMALE.value: "女"}, placeholder=self.tr("（按号码）"))
        self.nation = QLineEdit()
        self.birth = DateEdit()
        self.address = QLineEdit()
        self.authority = QLineEdit()
        self.valid_from = DateEdit()
        self.valid_to = DateEdit()
        self.valid_to.setPlaceholderText(self.tr("空 = 长期"))
        fields = [
            (self.tr("证件类型"), self.card_type), (self.tr("姓名(&N)"), self.name),
            (self.tr("证件号码(&I)"), self.id_number), (self.tr("性别"), self.sex),
            (self.tr("民族"), self.nation), (self.tr("出生日期"), self.birth),
            (self.tr("签发机关"), self.authority), (self.tr("有效期起"), self.valid_from),
            (self.tr("有效期止"), self.valid_to),
        ]
        for i, (label, w) in enumerate(fields):
            lab = QLabel(label)
            lab.setBuddy(w)
            grid.addWidget(lab, i // 2, (i % 2) * 2)
            grid.addWidget(w, i // 2, (i % 2) * 2 + 1)
        row = (len(fields) + 1) // 2
        lab = QLabel(self.tr("证件住址"))
        lab.setBuddy(self.address)
        grid.addWidget(lab, row, 0)
        grid.addWidget(self.address, row, 1, 1, 3)
        self.problems = note_label(name="problems")
        grid.addWidget(self.problems, row + 1, 0, 1, 4)
        self.override = QLineEdit()
        self.override.setPlaceholderText(self.tr("证件过期仍继续受理的原因（如：新证办理中，已核验临时身份证明）"))
        self.override_label = QLabel(self.tr("过期原因"))
        self.override_label.setBuddy(self.override)
        grid.addWidget(self.override_label, row + 2, 0)
        grid.addWidget(self.override, row + 2, 1, 1, 3)
        self.override.hide()
        self.override_label.hide()

        left = QVBoxLayout()
        left.addWidget(card)
        self.extra = QGroupBox(self.tr("联系与账户"))
        extra = QFormLayout(self.extra)
        self.relationship = enum_combo({r.value: RELATIONSHIP_LABELS[r] for r in RELATIONSHIP_LABELS},
                                       placeholder=self.tr("请选择"))
        self.phone = QLineEdit()
        self.contact_address = QLineEdit()
        self.bank_account = QLineEdit()
        self.bank_name = QLineEdit()
        self.employer = QLineEdit()
        # 特定关系人 (NX:83): what the relationship is, shown only for that choice
        # parented: for the deceased and a proxy they are never laid out, and an unparented buddy
        # outlived every case as a hidden top-level window (tests/gui/test_memory.py)
        self.relationship_note = QLineEdit(self)
        self.relationship_note.setObjectName("relationship_note")
        self.relationship_note.setPlaceholderText(self.tr("如：受遗赠人、监护人、料理后事的人"))
        self.relationship_note_label = QLabel(self.tr("特定关系说明"), self)
        self.relationship_note_label.setBuddy(self.relationship_note)
        if role is PartyRole.APPLICANT:
            extra.addRow(self.tr("与逝者关系(&R)"), self.relationship)
            extra.addRow(self.relationship_note_label, self.relationship_note)
        self.relationship_note.hide()
        self.relationship_note_label.hide()
        if role is PartyRole.PROXY:
            extra.addRow(self.tr("与申请人关系(&R)"), self.relationship)
        if role is not PartyRole.DECEASED:
            extra.addRow(self.tr("联系电话(&T)"), self.phone)
            extra.addRow(self.tr("常住地址"), self.contact_address)
        if role is PartyRole.PROXY:  # printed in the 申请表's and the 委托书's 受托人 block
            self.employer.setObjectName("proxy_employer")
            extra.addRow(self.tr("工作单位(&E)"), self.employer)
        if role is PartyRole.APPLICANT:
            h = QHBoxLayout()
            h.addWidget(self.bank_account, 3)
            h.addWidget(QLabel(self.tr("开户行")))
            h.addWidget(self.bank_name, 2)
            extra.addRow(self.tr("本人一类银行卡号"), h)
            extra.addRow(self.tr("工作单位"), self.employer)
        if extra.rowCount():
            left.addWidget(self.extra)
        else:
            self.extra.hide()
        left.addStretch(1)
        outer.addLayout(left, 1)

        self.photo = QLabel()
        self.photo.setFixedSize(102, 126)
        self.photo.setObjectName("photo")
        self.photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.photo.setToolTip(self.tr("证件照片（读卡后显示）"))
        side = QVBoxLayout()
        side.addWidget(self.photo)
        side.addStretch(1)
        outer.addLayout(side)

        for w in (self.name, self.id_number, self.nation, self.address, self.authority, self.birth,
                  self.valid_from, self.valid_to, self.phone, self.contact_address, self.bank_account,
                  self.bank_name, self.employer, self.override, self.relationship_note):
            w.textEdited.connect(self._edited)
        for box in (self.card_type, self.sex, self.relationship):
            box.currentIndexChanged.connect(self._edited)
        self.id_number.editingFinished.connect(self._derive_from_number)
        self.refresh_problems()

    # ---------------------------------------------------------------- state
    def is_empty(self) -> bool:
        return not (self.name.text().strip() or self.id_number.text().strip())

    def _edited(self, *_):
        if self._filling:
            return
        if self.source is Source.CARD and self.sender() in (self.name, self.id_number):
            self.source = Source.MANUAL  # a hand edit makes it no longer the chip's data
        self.refresh_problems()
        self.changed.emit()

    def _derive_from_number(self) -> None:
        """Birth date and sex follow from an 18-digit number; fill them so they are not typed twice."""
        n = normalize_id_number(self.id_number.text())
        if n != self.id_number.text():
            self.id_number.setText(n)
        if len(n) == 18 and n[:17].isdigit():
            try:
                born = date(int(n[6:10]), int(n[10:12]), int(n[12:14]))
            except ValueError:
                born = None
            if born and not self.birth.text().strip():
                self.birth.set_value(born)
            if self.sex.currentData() is None:
                select_data(self.sex, Sex.MALE.value if int(n[16]) % 2 else Sex.FEMALE.value)
        self.refresh_problems()

    def document(self) -> IdentityDocument:
        """The identity as entered; dates that do not parse become None (reported by problems())."""
        def d(w):
            try:
                return w.value()
            except ValueError:
                return None

        sex = self.sex.currentData()
        n = normalize_id_number(self.id_number.text())
        if sex is None and len(n) == 18 and n[16].isdigit():
            sex = Sex.MALE.value if int(n[16]) % 2 else Sex.FEMALE.value
        return IdentityDocument(
            card_type=CardType(self.card_type.currentData()),
            name=self.name.text().strip(),
            id_number=n,
            sex=Sex(sex) if sex else Sex.UNKNOWN,
            birth_date=d(self.birth),
            nation=self.nation.text().strip(),
            address=self.address.text().strip(),
            authority=self.authority.text().strip(),
            valid_from=d(self.valid_from),
            valid_to=d(self.valid_to),
            source=self.source,
            photo_wlt=self.photo_wlt if self.source is Source.CARD else None,
        )

    def problem_list(self):
        """(errors, warnings) as Chinese sentences."""
        errors, warnings = [], []
        for w, label in ((self.birth, self.tr("出生日期")), (self.valid_from, self.tr("有效期起")),
                         (self.valid_to, self.tr("有效期止"))):
            if not w.valid():
                errors.append(self.tr("{0}格式不对，请写成 2026-01-20。").format(label))
        for p in check_document(self.document(), self.today(), role=self.role.value):
            if p.severity is Severity.WARNING:
                warnings.append(p.message)
            elif p.code == "expired" and self.override.text().strip():
                warnings.append(p.message + self.tr("（已登记原因）"))
            else:
                errors.append(p.message)
        specific = self.role is PartyRole.APPLICANT and self.relationship.currentData() == "specific"
        self.relationship_note.setVisible(specific)
        self.relationship_note_label.setVisible(specific)
        if specific and not self.relationship_note.text().strip():
            errors.append(self.tr("请写明与逝者的特定关系（如受遗赠人、监护人）。"))
        if self.role is not PartyRole.DECEASED and self.relationship.isVisibleTo(self) and \
                self.relationship.currentData() is None:
            errors.append(self.tr("请选择{0}。").format(self.tr("与逝者的关系") if self.role is PartyRole.APPLICANT
                                                         else self.tr("与申请人的关系")))
        return errors, warnings

    def problem_field(self) -> QWidget:
        """Where the clerk fixes the first problem ``problem_list`` names (focus goes there, not to 姓名)."""
        for w in (self.birth, self.valid_from, self.valid_to):
            if not w.valid():
                return w
        if self.role is not PartyRole.DECEASED and self.relationship.isVisibleTo(self) and \
                self.relationship.currentData() is None:
            return self.relationship
        if self.relationship_note.isVisibleTo(self) and not self.relationship_note.text().strip():
            return self.relationship_note
        if self.override.isVisibleTo(self) and not self.override.text().strip():
            return self.override
        return self.first_field()

    def expired_override(self) -> str:
        return self.override.text().strip()

    def refresh_problems(self) -> None:
        errors, warnings = self.problem_list()
        expired = any("过期" in e or "有效期" in e for e in errors) or bool(self.override.text().strip())
        show_override = self.role is not PartyRole.DECEASED and expired
        self.override.setVisible(show_override)
        self.override_label.setVisible(show_override)
        if self.is_empty():
            self.problems.setText(self.tr("请放置{0}的身份证，或手工录入。").format(self.role.label))
            self.problems.setProperty("level", "info")
        elif errors:
            self.problems.setText("✗ " + "\n✗ ".join(errors))
            self.problems.setProperty("level", "error")
        elif warnings:
            self.problems.setText("! " + "\n! ".join(warnings))
            self.problems.setProperty("level", "warning")
        else:
            src = self.tr("（读自证件芯片）") if self.source is Source.CARD else ""
            self.problems.setText(self.tr("✓ 证件信息完整有效") + src)
            self.problems.setProperty("level", "ok")
        self.problems.style().unpolish(self.problems)
        self.problems.style().polish(self.problems)

    # ---------------------------------------------------------------- card
    def _ask_replace(self, doc: IdentityDocument) -> bool:
        answer = QMessageBox.question(
            self, self.tr("替换已录入的信息？"),
            self.tr("{0}信息已录入（{1}）。用刚放置的证件（{2}）替换吗？").format(
                self.role.label, self.name.text().strip() or self.tr("未填姓名"), doc.name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def fill_from_card(self, doc: IdentityDocument, photo_png: bytes | None = None, *, ask: bool = True) -> bool:
        """Fill from a card read; asks before replacing different data already entered."""
        current = normalize_id_number(self.id_number.text())
        if ask and not self.is_empty() and current != doc.id_number and not self.confirm_replace(doc):
            return False
        self._filling = True
        try:
            select_data(self.card_type, doc.card_type.value)
            self.name.setText(doc.name if not doc.name_en or doc.name else doc.name_en)
            self.id_number.setText(doc.id_number)
            select_data(self.sex, doc.sex.value if doc.sex in (Sex.MALE, Sex.FEMALE) else None)
            self.nation.setText(doc.nation or doc.nationality)
            self.birth.set_value(doc.birth_date)
            self.address.setText(doc.address)
            self.authority.setText(doc.authority)
            self.valid_from.set_value(doc.valid_from)
            self.valid_to.set_value(doc.valid_to)
            self.source = Source.CARD
            self.photo_wlt = doc.photo_wlt
            if photo_png:
                pm = QPixmap()
                pm.loadFromData(photo_png)
                self.photo.setPixmap(pm)
        finally:
            self._filling = False
        self.refresh_problems()
        self.changed.emit()
        return True

    def load(self, party) -> None:
        """Show a saved party (case view / editing a draft)."""
        self.fill_from_card(party.identity, ask=False)
        self.source = party.identity.source
        if party.relationship is not None:
            select_data(self.relationship, party.relationship.value)
        self.relationship_note.setText(party.relationship_note)
        self.phone.setText(party.phone)
        self.contact_address.setText(party.address)
        self.bank_account.setText(party.bank_account)
        self.bank_name.setText(party.bank_name)
        self.employer.setText(party.employer)
        self.refresh_problems()

    def first_field(self) -> QWidget:
        return self.name
