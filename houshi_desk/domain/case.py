"""A 身后“一件事” case: who died, who applies, what happened, which matters, which materials.

Pure dataclasses; the store maps them to tables and the services move them through the workflow.
The checklist engine (``houshi_desk.domain.checklist``) decides matters and materials from
``Case.facts``; this module only holds the result and the per-matter/per-material state.
"""
from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from typing import Any

from houshi_desk.domain.identity import IdentityDocument
from houshi_desk.errors import HoushiError


class PartyRole(str, enum.Enum):
    DECEASED = "deceased"  # 逝者
    APPLICANT = "applicant"  # 申请人（委托人）
    PROXY = "proxy"  # 受托人

    @property
    def label(self) -> str:
        return {"deceased": "逝者", "applicant": "申请人", "proxy": "受托人"}[self.value]


class Relationship(str, enum.Enum):
    SPOUSE = "spouse"
    CHILD = "child"
    PARENT = "parent"
    SIBLING = "sibling"
    GRANDPARENT = "grandparent"
    GRANDCHILD = "grandchild"
    OTHER_NEAR_RELATIVE = "other_near_relative"
    SPECIFIC = "specific"  # 特定关系人 (NX:83): e.g. a legatee, a guardian, who took care of the funeral
    OTHER = "other"

    @property
    def label(self) -> str:
        return RELATIONSHIP_LABELS[self]


RELATIONSHIP_LABELS = {
    Relationship.SPOUSE: "配偶",
    Relationship.CHILD: "子女",
    Relationship.PARENT: "父母",
    Relationship.SIBLING: "兄弟姐妹",
    Relationship.GRANDPARENT: "祖父母/外祖父母",
    Relationship.GRANDCHILD: "孙子女/外孙子女",
    Relationship.OTHER_NEAR_RELATIVE: "其他近亲属",
    Relationship.SPECIFIC: "特定关系人",
    Relationship.OTHER: "其他",
}


class DeathKind(str, enum.Enum):
    NORMAL = "normal"  # 正常死亡：《居民死亡医学证明(推断)书》
    ABNORMAL = "abnormal"  # 非正常死亡：公安《非正常死亡证明》
    ABROAD = "abroad"  # 境外死亡
    DECLARED = "declared"  # 宣告死亡（法院判决）

    @property
    def label(self) -> str:
        return {"normal": "正常死亡", "abnormal": "非正常死亡", "abroad": "境外死亡", "declared": "宣告死亡"}[
            self.value
        ]


class Disposal(str, enum.Enum):
    CREMATION = "cremation"  # 火化证
    BURIAL = "burial"  # 墓位使用证 / 安葬证明

    @property
    def label(self) -> str:
        return {"cremation": "火化", "burial": "安葬"}[self.value]


class CaseStatus(str, enum.Enum):
    DRAFT = "draft"  # 录入中
    SUBMITTED = "submitted"  # 已受理，待同步/部门办理
    CLOSED = "closed"  # 已办结（户口已注销、身份证已缴销）
    CANCELLED = "cancelled"  # 已作废

    @property
    def label(self) -> str:
        return {"draft": "录入中", "submitted": "已受理", "closed": "已办结", "cancelled": "已作废"}[self.value]


class MatterStatus(str, enum.Enum):
    NOT_APPLICABLE = "not_applicable"  # 不适用
    NOT_CHOSEN = "not_chosen"  # 适用但申请人未勾选
    PENDING = "pending"  # 已勾选，待提交
    SUBMITTED = "submitted"  # 已推送部门
    ACCEPTED = "accepted"  # 部门已受理
    IN_PROGRESS = "in_progress"  # 办理中
    DONE = "done"  # 办结
    RETURNED = "returned"  # 退回补正
    REFUSED = "refused"  # 不予受理
    WITHDRAWN = "withdrawn"  # 已撤回

    @property
    def label(self) -> str:
        return MATTER_STATUS_LABELS[self]


MATTER_STATUS_LABELS = {
    MatterStatus.NOT_APPLICABLE: "不适用",
    MatterStatus.NOT_CHOSEN: "未勾选",
    MatterStatus.PENDING: "待提交",
    MatterStatus.SUBMITTED: "已推送",
    MatterStatus.ACCEPTED: "已受理",
    MatterStatus.IN_PROGRESS: "办理中",
    MatterStatus.DONE: "办结",
    MatterStatus.RETURNED: "退回补正",
    MatterStatus.REFUSED: "不予受理",
    MatterStatus.WITHDRAWN: "已撤回",
}


class MaterialState(str, enum.Enum):
    MISSING = "missing"  # 尚未提供
    PAPER = "paper"  # 已收纸质材料
    SCANNED = "scanned"  # 已扫描
    SHARED = "shared"  # 共享获取（电子证照，免提交）
    DEFERRED = "deferred"  # 容缺受理，后补
    VERIFIED = "verified"  # 已核验原件: the ID card itself was read by the card reader at the window

    @property
    def label(self) -> str:
        return {"missing": "缺", "paper": "已收纸质", "scanned": "已扫描", "shared": "共享获取", "deferred": "容缺后补",
                "verified": "已核验原件"}[self.value]

    @property
    def satisfied(self) -> bool:
        return self in (MaterialState.PAPER, MaterialState.SCANNED, MaterialState.SHARED, MaterialState.VERIFIED)


@dataclass
class Party:
    role: PartyRole
    identity: IdentityDocument
    phone: str = ""
    address: str = ""  # 常住地址 (may differ from the card's address)
    employer: str = ""
    bank_account: str = ""
    bank_name: str = ""
    relationship: Relationship | None = None  # applicant → deceased; proxy → applicant
    note: str = ""  # e.g. the applicant's illness when a proxy is used (委托书)
    relationship_note: str = ""  # what the specific relationship is (特定关系人), e.g. "受遗赠人"
    # the proxy's (受托人) authorisation period, 委托期限 on the 委托书 — not the ID card's validity,
    # which stays in ``identity``. None on the applicant and the deceased; for a proxy the services
    # default it to the application date .. + setting ``proxy.default_validity_days``.
    authorised_from: date | None = None
    authorised_to: date | None = None


@dataclass
class DeathFacts:
    kind: DeathKind
    died_at: datetime
    place: str = ""
    proof_number: str = ""  # 死亡证明编号
    proof_issuer: str = ""
    disposal: Disposal = Disposal.CREMATION
    disposal_proof_number: str = ""  # 火化证 / 墓位使用证 编号
    disposal_date: date | None = None
    housing_fund_centre: str = ""  # 住房公积金缴存中心名称（申请表）
    employer: str = ""  # 逝者工作单位名称（申请表）
    bank_account: str = ""  # 逝者账户号码（申请表）
    bank_name: str = ""


@dataclass
class CaseMatter:
    code: str
    applicable: bool
    mandatory: bool
    chosen: bool
    reason: str = ""
    due_date: date | None = None
    status: MatterStatus = MatterStatus.PENDING
    result: str = ""  # the department's result text, when it arrives
    due_date_uncertain: bool = False  # counted past the holiday calendar the program knows


@dataclass
class CaseMaterial:
    code: str
    state: MaterialState = MaterialState.MISSING
    note: str = ""


@dataclass
class Delivery:
    """How the family is told the results (NM:175 "自取或邮递"): pick-up at the window, or post."""

    method: str = "pickup"  # pickup | post
    address: str = ""
    postcode: str = ""  # 6 digits
    recipient: str = ""
    phone: str = ""

    METHODS = {"pickup": "窗口自取", "post": "邮寄送达"}

    @property
    def label(self) -> str:
        return self.METHODS.get(self.method, self.method)

    def to_json(self) -> dict:
        return {"method": self.method, "address": self.address, "postcode": self.postcode,
                "recipient": self.recipient, "phone": self.phone}

    @classmethod
    def from_json(cls, data: dict | None) -> "Delivery":
        if not data:
            return cls()
        return cls(**{k: str(data.get(k) or "") for k in ("method", "address", "postcode", "recipient", "phone")})

    def problems(self) -> list[str]:
        """Data errors (not policy): what makes a delivery unusable, in words."""
        out = []
        if self.method not in self.METHODS:
            out.append(f"送达方式“{self.method}”无效，应为 pickup（窗口自取）或 post（邮寄送达）")
        if self.method == "post":
            if not self.address.strip():
                out.append("邮寄送达须填写邮寄地址")
            if not re.fullmatch(r"\d{6}", self.postcode):
                out.append(f"邮政编码应为 6 位数字，实际为“{self.postcode}”")
            if not self.recipient.strip():
                out.append("邮寄送达须填写收件人")
            if not self.phone.strip():
                out.append("邮寄送达须填写收件人电话")
        return out


@dataclass
class Case:
    region: str
    deceased: Party
    applicant: Party
    death: DeathFacts
    facts: dict = field(default_factory=dict)
    proxy: Party | None = None
    number: str = ""  # assigned by the store at first save
    status: CaseStatus = CaseStatus.DRAFT
    clerk: str = ""
    office: str = ""
    created_at: datetime | None = None
    application_date: date | None = None
    matters: list[CaseMatter] = field(default_factory=list)
    materials: list[CaseMaterial] = field(default_factory=list)
    notes: str = ""
    id_card_surrendered: bool = False
    delivery: Delivery = field(default_factory=Delivery)
    catalog_version: str = ""  # the catalog the family was told from (set at acceptance)
    checklist: dict | None = None  # the evaluated checklist as told at acceptance (reprints use it)
    ticket: str | None = None  # the queue ticket the family was called with (issue 17)
    called_at: datetime | None = None
    served_at: datetime | None = None
    finished_at: datetime | None = None

    def parties(self) -> list[Party]:
        return [p for p in (self.deceased, self.applicant, self.proxy) if p is not None]

    def matter(self, code: str) -> CaseMatter | None:
        return next((m for m in self.matters if m.code == code), None)

    def material(self, code: str) -> CaseMaterial | None:
        return next((m for m in self.materials if m.code == code), None)


def derive_facts(case: Case, today: date) -> dict[str, Any]:
    """Facts the parties and death facts already answer; what the clerk entered wins."""
    facts = dict(case.facts)
    facts.setdefault("death_kind", case.death.kind.value)
    facts.setdefault("death_date", case.death.died_at.date().isoformat())
    facts.setdefault("disposal", case.death.disposal.value)
    if case.applicant.relationship is not None:
        facts.setdefault("applicant_relationship", case.applicant.relationship.value)
    if case.applicant.relationship_note:
        facts.setdefault("applicant_relationship_note", case.applicant.relationship_note)
    born = case.applicant.identity.birth_date
    if born is not None:
        age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        facts.setdefault("applicant_age", age)
    facts.setdefault("proxy", case.proxy is not None)
    return facts


CASE_NUMBER_RE = re.compile(r"^(?P<region>\d{6})-(?P<terminal>[A-Z0-9]{1,8})-(?P<date>\d{8})-(?P<seq>\d{4,})$")


class InvalidCaseNumber(HoushiError):
    pass


def format_case_number(region_code: str, terminal_id: str, day: date, sequence: int) -> str:
    """``150702-W03-20260122-0007``: unique without a network (region + terminal + day + sequence)."""
    if not re.fullmatch(r"\d{6}", region_code):
        raise InvalidCaseNumber(f"行政区划代码应为 6 位数字：{region_code!r}，请在设置中修正 office.region_code。")
    term = terminal_id.strip().upper()
    if not re.fullmatch(r"[A-Z0-9]{1,8}", term):
        raise InvalidCaseNumber(f"终端编号只能由 1–8 位字母或数字组成：{terminal_id!r}，请在设置中修正 office.terminal_id。")
    return f"{region_code}-{term}-{day:%Y%m%d}-{sequence:04d}"


def parse_case_number(text: str) -> dict:
    """Split a case number (e.g. from a barcode scanner); raises InvalidCaseNumber."""
    m = CASE_NUMBER_RE.match(text.strip().upper())
    if not m:
        raise InvalidCaseNumber(f"“{text.strip()}”不是有效的受理编号（格式如 150702-W03-20260122-0007）。")
    return m.groupdict()
