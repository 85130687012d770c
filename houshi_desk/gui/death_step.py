"""Step 3 of a new case: death and disposal facts (death proof kind, number, date; cremation or
burial proof), plus the deceased's employer and account that the 申请表 prints."""
from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from houshi_desk.domain.case import DeathFacts, DeathKind, Disposal
from houshi_desk.gui.widgets import DateEdit, enum_combo, note_label, select_data


class DeathStep(QWidget):
    def __init__(self, today, parent=None):
        super().__init__(parent)
        self.today = today
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        proof = QGroupBox(self.tr("死亡证明"))
        f = QFormLayout(proof)
        self.kind = enum_combo({k.value: k.label for k in DeathKind})
        self.died_at = DateEdit(with_time=True)
        self.place = QLineEdit()
        self.proof_number = QLineEdit()
        self.proof_issuer = QLineEdit()
        f.addRow(self.tr("死亡类型(&K)"), self.kind)
        f.addRow(self.tr("死亡时间(&D)"), self.died_at)
        f.addRow(self.tr("死亡地点"), self.place)
        f.addRow(self.tr("证明编号(&Z)"), self.proof_number)
        f.addRow(self.tr("出具单位"), self.proof_issuer)
        self.kind_note = note_label()
        f.addRow("", self.kind_note)
        lay.addWidget(proof)

        disp = QGroupBox(self.tr("遗体处理"))
        g = QFormLayout(disp)
        self.disposal = enum_combo({d.value: d.label for d in Disposal})
        self.disposal_number = QLineEdit()
        self.disposal_date = DateEdit()
        g.addRow(self.tr("方式(&C)"), self.disposal)
        self.disposal_number_label = QLabel()
        self.disposal_number_label.setBuddy(self.disposal_number)  # "(&H)" is a mnemonic, not a literal "&"
        g.addRow(self.disposal_number_label, self.disposal_number)
        g.addRow(self.tr("火化/安葬日期"), self.disposal_date)
        lay.addWidget(disp)

        more = QGroupBox(self.tr("逝者其他信息（打印在申请表上，可不填）"))
        m = QFormLayout(more)
        self.employer = QLineEdit()
        self.housing_fund_centre = QLineEdit()
        self.bank_account = QLineEdit()
        self.bank_name = QLineEdit()
        h = QHBoxLayout()
        h.addWidget(self.bank_account, 3)
        h.addWidget(QLabel(self.tr("开户行")))
        h.addWidget(self.bank_name, 2)
        m.addRow(self.tr("工作单位"), self.employer)
        m.addRow(self.tr("公积金缴存中心"), self.housing_fund_centre)
        m.addRow(self.tr("逝者账户"), h)
        lay.addWidget(more)
        self.problems = note_label(name="problems")
        lay.addWidget(self.problems)
        lay.addStretch(1)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.disposal.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()

    def _kind_changed(self, *_):
        kind = DeathKind(self.kind.currentData())
        self.kind_note.setText({
            DeathKind.NORMAL: self.tr("凭《居民死亡医学证明(推断)书》（医院或社区卫生服务中心、乡镇卫生院出具）。"),
            DeathKind.ABNORMAL: self.tr("凭公安机关出具的《非正常死亡证明》。"),
            DeathKind.ABROAD: self.tr("凭驻外使领馆或境外机构出具并经认证的死亡证明。"),
            DeathKind.DECLARED: self.tr("凭人民法院宣告死亡的判决书。"),
        }[kind])
        burial = self.disposal.currentData() == Disposal.BURIAL.value
        self.disposal_number_label.setText(self.tr("墓位使用证/安葬证明编号") if burial else self.tr("火化证编号(&H)"))

    def first_field(self):
        return self.kind

    def problem_list(self) -> list[str]:
        errors = []
        try:
            died = self.died_at.value()
        except ValueError:
            died = None
            errors.append(self.tr("死亡时间格式不对，请写成 2026-01-20 08:30（时间可不填）。"))
        else:
            if died is None:
                errors.append(self.tr("请填写死亡时间（以死亡证明为准）。"))
            elif died.date() > self.today():
                errors.append(self.tr("死亡时间晚于今天，请核对死亡证明。"))
        if not self.proof_number.text().strip():
            errors.append(self.tr("请填写死亡证明编号。"))
        if not self.disposal_date.valid():
            errors.append(self.tr("火化/安葬日期格式不对，请写成 2026-01-22。"))
        return errors

    def check(self) -> str | None:
        errors = self.problem_list()
        self.problems.setText("✗ " + "\n✗ ".join(errors) if errors else "")
        return errors[0] if errors else None

    def facts(self) -> DeathFacts:
        return DeathFacts(
            kind=DeathKind(self.kind.currentData()),
            died_at=self.died_at.value(),
            place=self.place.text().strip(),
            proof_number=self.proof_number.text().strip(),
            proof_issuer=self.proof_issuer.text().strip(),
            disposal=Disposal(self.disposal.currentData()),
            disposal_proof_number=self.disposal_number.text().strip(),
            disposal_date=self.disposal_date.value() if self.disposal_date.valid() else None,
            housing_fund_centre=self.housing_fund_centre.text().strip(),
            employer=self.employer.text().strip(),
            bank_account=self.bank_account.text().strip(),
            bank_name=self.bank_name.text().strip(),
        )

    def load(self, d: DeathFacts) -> None:
        select_data(self.kind, d.kind.value)
        self.died_at.set_value(d.died_at)
        self.place.setText(d.place)
        self.proof_number.setText(d.proof_number)
        self.proof_issuer.setText(d.proof_issuer)
        select_data(self.disposal, d.disposal.value)
        self.disposal_number.setText(d.disposal_proof_number)
        self.disposal_date.set_value(d.disposal_date)
        self.employer.setText(d.employer)
        self.housing_fund_centre.setText(d.housing_fund_centre)
        self.bank_account.setText(d.bank_account)
        self.bank_name.setText(d.bank_name)
