"""The one schema of case facts: every fact a catalog may test, declared once.

Each ``FactSpec`` says the fact's type, allowed values, the Chinese question the clerk asks, the label
used in derived reasons, whether it must be answered, its default and ``ask_when`` (a condition over
other facts, in catalog syntax, as plain data). Validation lives in ``houshi_desk.domain.facts`` and
evaluation of conditions in ``houshi_desk.domain.conditions``; both import this module, which imports
neither, so the three form no cycle.

Which region asks a fact is not declared here: a region asks what its catalog's rules read
(``Catalog.facts_read()``).
"""
from __future__ import annotations

import datetime as _dt
import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# Value types a fact may have; conditions check their operands against these.
FACT_TYPES = ("bool", "int", "number", "enum", "date", "str", "list")


@dataclass(frozen=True)
class FactSpec:
    name: str
    type: str
    question: str  # what the clerk asks, as a question
    label: str  # noun phrase used in derived reasons ("逝者养老保险类型")
    values: Mapping[Any, str] = field(default_factory=dict)  # enum value → Chinese; for bool: True/False → sentence
    required: bool = False  # always required
    default: Any = None  # used when absent and not required (``None`` = required when ask_when holds)
    ask_when: dict | None = None  # condition (catalog syntax) over other facts
    minimum: float | None = None
    maximum: float | None = None

    def describe(self, value: Any) -> str:
        """Chinese text for a value: the sentence for a bool, the label for an enum."""
        if self.type == "bool":
            return self.values.get(bool(value), f"{self.label}：{'是' if value else '否'}")
        if self.type == "enum":
            return self.values.get(value, str(value))
        if isinstance(value, _dt.date):
            return f"{value.year}年{value.month}月{value.day}日"
        return str(value)


def _b(yes: str, no: str) -> dict:
    return {True: yes, False: no}


_RELATIONSHIPS = {
    "spouse": "配偶",
    "child": "子女",
    "parent": "父母",
    "sibling": "兄弟姐妹",
    "grandparent": "祖父母、外祖父母",
    "grandchild": "孙子女、外孙子女",
    "other_near_relative": "其他近亲属",
    "specific": "特定关系人",
    "other": "其他人员",
}

_SPECS = [
    # --- death and disposal -------------------------------------------------------------------
    FactSpec("death_kind", "enum", "逝者是正常死亡、非正常死亡、境外死亡，还是被宣告死亡？", "死亡类型",
             {"normal": "正常死亡", "abnormal": "非正常死亡", "abroad": "在国（境）外死亡", "declared": "被宣告死亡"},
             required=True),
    FactSpec("death_date", "date", "逝者死亡日期是哪一天？（以死亡证明为准）", "死亡日期", required=True),
    FactSpec("died_in_region", "bool", "逝者是否在本自治区境内死亡？", "死亡地点",
             _b("逝者在本自治区境内死亡", "逝者不是在本自治区境内死亡"), required=True),
    FactSpec("deceased_local_household", "bool", "逝者是否为本自治区户籍人员？", "逝者户籍",
             _b("逝者为本自治区户籍人员", "逝者不是本自治区户籍人员"), required=True),
    FactSpec("disposal", "enum", "遗体是火化还是安葬？", "遗体处理方式",
             {"cremation": "火化", "burial": "安葬"}, required=True),
    FactSpec("ashes_buried_in_cemetery", "bool", "骨灰是否在公墓或公益性墓地安葬？", "骨灰安葬",
             _b("骨灰在公墓或公益性墓地安葬", "骨灰未在公墓或公益性墓地安葬"), default=False,
             ask_when={"fact": "disposal", "eq": "cremation"}),
    # --- household and identity ---------------------------------------------------------------
    FactSpec("deceased_is_household_head", "bool", "逝者是不是户主？", "逝者户主身份",
             _b("逝者为户主", "逝者不是户主"), default=False),
    FactSpec("deceased_has_driving_licence", "bool", "逝者是否持有机动车驾驶证（遗失的也算）？", "驾驶证",
             _b("逝者持有机动车驾驶证", "逝者未持有机动车驾驶证"), default=False),
    # --- pensions and social insurance --------------------------------------------------------
    FactSpec("pension_type", "enum", "逝者参加的是哪种养老保险？", "逝者养老保险类型",
             {"employee": "职工基本养老保险", "urban_rural": "城乡居民养老保险",
              "institution": "机关事业单位养老保险", "none": "未参加养老保险"}, default="none"),
    FactSpec("pension_receiving", "bool", "逝者生前是否已在领取养老保险待遇？", "养老待遇领取",
             _b("逝者生前已领取养老保险待遇", "逝者生前未领取养老保险待遇"), default=None,
             ask_when={"fact": "pension_type", "ne": "none"}),
    FactSpec("retired", "bool", "逝者是否为离退休人员？", "离退休",
             _b("逝者为离退休人员", "逝者不是离退休人员"), default=False),
    FactSpec("unemployment_benefit", "bool", "逝者生前是否在领取失业保险金？", "失业保险金",
             _b("逝者生前在领取失业保险金", "逝者生前未领取失业保险金"), default=False),
    FactSpec("public_post_subsidy", "bool", "逝者生前是否在公益性岗位领取补贴？", "公益性岗位补贴",
             _b("逝者生前在领取公益性岗位补贴", "逝者生前未领取公益性岗位补贴"), default=False),
    # --- medical insurance --------------------------------------------------------------------
    FactSpec("medical_insurance", "enum", "逝者参加的是哪种基本医疗保险？", "逝者医疗保险类型",
             {"employee": "职工基本医疗保险", "resident": "城乡居民基本医疗保险", "none": "未参加基本医疗保险"},
             default="none"),
    FactSpec("medical_account_balance", "number", "逝者职工医保个人账户余额约多少元？（不清楚可填估计数，无余额填0）",
             "医保个人账户余额", default=None, minimum=0,
             ask_when={"fact": "medical_insurance", "eq": "employee"}),
    FactSpec("medical_bills_settled", "bool", "逝者生前的医保费用（住院、门诊结算）是否已经结清？", "医保费用结算",
             _b("逝者生前医保费用已结清", "逝者生前医保费用尚未结清"), default=None,
             ask_when={"fact": "medical_insurance", "ne": "none"}),
    # --- housing fund -------------------------------------------------------------------------
    FactSpec("housing_fund_account", "bool", "逝者是否有住房公积金账户？", "住房公积金账户",
             _b("逝者有住房公积金账户", "逝者没有住房公积金账户"), default=False),
    FactSpec("housing_fund_loan_outstanding", "bool", "逝者或其配偶是否有未结清的住房公积金贷款？", "公积金贷款",
             _b("死者或配偶有未结清住房公积金贷款", "死者及配偶无未结清住房公积金贷款"), default=None,
             ask_when={"fact": "housing_fund_account", "is_true": True}),
    FactSpec("housing_fund_guarantee", "bool", "逝者或其配偶是否为他人的住房公积金贷款承担担保责任？", "公积金贷款担保",
             _b("死者或配偶有住房公积金贷款担保责任", "死者及配偶无住房公积金贷款担保责任"), default=None,
             ask_when={"fact": "housing_fund_account", "is_true": True}),
    FactSpec("housing_fund_frozen", "bool", "逝者或其配偶的公积金账户是否被查封、冻结或被限制提取？", "公积金账户冻结",
             _b("死者或配偶住房公积金账户被依法查封、冻结或限制提取",
                "死者及配偶住房公积金账户未被查封、冻结或限制提取"), default=None,
             ask_when={"fact": "housing_fund_account", "is_true": True}),
    FactSpec("housing_fund_sealed", "bool", "逝者原工作单位是否已办理其公积金个人账户封存？", "公积金账户封存",
             _b("原缴存单位已封存逝者住房公积金账户", "原缴存单位尚未封存逝者住房公积金账户"), default=None,
             ask_when={"fact": "housing_fund_account", "is_true": True}),
    # --- assistance, veterans, disability -------------------------------------------------------
    FactSpec("social_assistance", "bool", "逝者生前是否享受低保、特困供养、高龄津贴、孤儿或困难残疾人补贴等？",
             "救助补助", _b("逝者生前享受救助补助资金", "逝者生前未享受低保、特困供养、高龄津贴等救助补助资金"),
             default=False),
    FactSpec("low_income", "bool", "逝者是否属于城乡低收入困难群体（低保、特困等）？", "低收入困难群体",
             _b("逝者属于城乡低收入困难群体", "逝者不属于城乡低收入困难群体"), default=False),
    FactSpec("entitled_group", "bool", "逝者是否为优抚对象（享受国家定期抚恤或生活补助）？", "优抚对象",
             _b("逝者为优抚对象", "逝者不是优抚对象"), default=False),
    FactSpec("entitled_group_kind", "enum", "逝者属于哪类优抚对象？", "优抚对象类别",
             {"key": "重点优抚对象", "ordinary": "一般优抚对象", "military_retiree": "军休干部",
              "none": "非优抚对象"}, default=None,
             ask_when={"fact": "entitled_group", "is_true": True}),
    FactSpec("martyr", "bool", "逝者是否为烈士、因公牺牲或病故军人，或政策规定的其他一次性抚恤对象？",
             "一次性抚恤", _b("逝者属于一次性抚恤金发放对象", "逝者不属于一次性抚恤金发放对象"), default=False),
    FactSpec("disability_card", "bool", "逝者是否持有残疾人证？", "残疾人证",
             _b("逝者持有残疾人证", "逝者未持有残疾人证"), default=False),
    # --- inheritance -----------------------------------------------------------------------------
    FactSpec("deposit_banks", "list", "逝者在哪些银行有存款（每家银行5万元以内可免公证提取）？", "存款银行",
             default=[]),
    FactSpec("applicant_heir_basis", "enum", "申请人以什么身份继承逝者存款？", "继承依据",
             {"statutory_first_order": "第一顺序法定继承人（配偶、子女、父母）",
              "notarised_will": "公证遗嘱指定的继承人", "legatee": "受遗赠人", "other": "其他继承人"},
             default=None, ask_when={"fact": "deposit_banks", "ne": []}),
    # --- applicant -------------------------------------------------------------------------------
    FactSpec("applicant_relationship", "enum", "申请人与逝者是什么关系？", "申请人与逝者关系",
             _RELATIONSHIPS, required=True),
    FactSpec("applicant_relationship_note", "str", "申请人与逝者是什么特定关系？（如受遗赠人、监护人、料理后事的人）",
             "特定关系说明", default=None, ask_when={"fact": "applicant_relationship", "eq": "specific"}),
    FactSpec("applicant_age", "int", "申请人年龄多少周岁？", "申请人年龄", required=True, minimum=0, maximum=130),
    FactSpec("applicant_own_income", "bool", "申请人（16至18周岁）是否以本人劳动收入为主要生活来源？",
             "申请人劳动收入", _b("申请人以本人劳动收入为主要生活来源", "申请人不以本人劳动收入为主要生活来源"),
             default=None,
             ask_when={"all": [{"fact": "applicant_age", "ge": 16}, {"fact": "applicant_age", "lt": 18}]}),
    FactSpec("has_direct_relative", "bool", "逝者是否还有直系亲属（配偶、父母、子女等）？", "直系亲属",
             _b("逝者有直系亲属", "逝者无直系亲属"), default=None,
             ask_when={"fact": "applicant_relationship", "in": ["sibling", "other_near_relative"]}),
    FactSpec("proxy", "bool", "是否由受托人代为办理？", "委托办理",
             _b("由受托人代为办理", "由申请人本人办理"), default=False),
    FactSpec("sole_relative_incapacitated", "bool",
             "逝者是否只有一位直系亲属或近亲属，且其身患重疾、长期卧床行动不便？", "唯一亲属重病",
             _b("逝者只有一位亲属且其身患重疾、行动不便", "不属于唯一亲属身患重疾、行动不便的情形"), default=None,
             ask_when={"fact": "proxy", "is_true": True}),
]

FACTS: dict[str, FactSpec] = {spec.name: spec for spec in _SPECS}

# Facts an earlier version asked and no rule reads any more; cases stored with them still load (the
# answer is dropped). has_survivor_dependants: an invented condition on 遗属待遇 (neither seed has it).
RETIRED_FACTS = frozenset({"has_survivor_dependants"})


def fact_names() -> list[str]:
    return list(FACTS)


def suggest_key(name: str) -> str | None:
    match = difflib.get_close_matches(name, FACTS, n=1, cutoff=0.6)
    return match[0] if match else None
