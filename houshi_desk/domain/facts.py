"""The case facts: the one schema of what the clerk asks, and validation of a facts dict.

Every fact the catalogs may test is declared here once (``FACTS``): its type, allowed values, the
Chinese question the clerk asks, the Chinese label used in derived reasons, whether it must always be
answered, its default, and ``ask_when`` (a condition over other facts: the question only matters then,
so the GUI asks it only then). Which matters a fact drives is read from the catalog
(``Catalog.matters_using(fact)``), so adding a matter never needs a change here.

Required vs default-able (documented policy):

* Always required (no sensible default): ``death_kind``, ``death_date``, ``disposal``,
  ``applicant_relationship``, ``applicant_age``.
* "Did the deceased have X" facts default to "no" / ``none``; the checklist then says e.g.
  "不适用：逝者未持有机动车驾驶证", which the clerk reads to the family, so a wrong default is caught
  in the conversation rather than hidden.
* Follow-up facts that decide a money matter or whether it may go ahead (already drawing the pension,
  dependent survivors, account balance, bills settled, fund loan/guarantee/frozen/sealed, kind of
  entitled group, applicant's own income, the sole relative being ill, …) have **no default**: they
  are required whenever their ``ask_when`` holds, and take the harmless value otherwise.

A value of ``null``/``None`` counts as not given. Unknown keys are refused (with the nearest known
key suggested), so a typo never silently drops an answer.

Public API: ``FACTS`` (name → ``FactSpec``), ``validate_facts(facts, today=None) -> Facts``,
``FactsError``, ``fact_names()``, ``facts_to_ask(facts_so_far)``.
"""
from __future__ import annotations

import datetime as _dt
import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from houshi_desk.errors import HoushiError

# Value types a fact may have; conditions check their operands against these.
FACT_TYPES = ("bool", "int", "number", "enum", "date", "str", "list")


class FactsError(HoushiError):
    """A facts dict is incomplete or wrong; ``key`` names the fact."""

    def __init__(self, message: str, *, key: str | None = None, hint: str | None = None):
        super().__init__(message, detail=f"fact={key}" if key else None, hint=hint)
        self.key = key


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
    "other": "其他人员",
}

_SPECS = [
    # --- death and disposal -------------------------------------------------------------------
    FactSpec("death_kind", "enum", "逝者是正常死亡、非正常死亡、境外死亡，还是被宣告死亡？", "死亡类型",
             {"normal": "正常死亡", "abnormal": "非正常死亡", "abroad": "在国（境）外死亡", "declared": "被宣告死亡"},
             required=True),
    FactSpec("death_date", "date", "逝者死亡日期是哪一天？（以死亡证明为准）", "死亡日期", required=True),
    FactSpec("disposal", "enum", "遗体是火化还是安葬？", "遗体处理方式",
             {"cremation": "火化", "burial": "安葬"}, required=True),
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
    FactSpec("has_survivor_dependants", "bool",
             "逝者是否有依靠其生前供养的遗属（如无生活来源的配偶、未成年子女、父母）？", "供养遗属",
             _b("逝者有生前供养的遗属", "逝者无生前供养的遗属"), default=None,
             ask_when={"fact": "pension_type", "in": ["employee", "institution"]}),
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
    # --- applicant -------------------------------------------------------------------------------
    FactSpec("applicant_relationship", "enum", "申请人与逝者是什么关系？", "申请人与逝者关系",
             _RELATIONSHIPS, required=True),
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


def fact_names() -> list[str]:
    return list(FACTS)


class Facts(Mapping[str, Any]):
    """Validated, complete facts: every key of ``FACTS`` present with a value of the right type."""

    __slots__ = ("_values", "given")

    def __init__(self, values: dict[str, Any], given: frozenset[str]):
        self._values = values
        self.given = given  # keys the caller supplied (the rest were defaulted)

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def __iter__(self):
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def to_json(self) -> dict[str, Any]:
        return {k: (v.isoformat() if isinstance(v, _dt.date) else v) for k, v in self._values.items()}

    def __repr__(self) -> str:
        return f"Facts({self._values!r})"


def suggest_key(name: str) -> str | None:
    match = difflib.get_close_matches(name, FACTS, n=1, cutoff=0.6)
    return match[0] if match else None


def _type_word(spec: FactSpec) -> str:
    return {
        "bool": "是/否（true 或 false）",
        "int": "整数",
        "number": "数字",
        "enum": "以下之一：" + "、".join(f"{k}（{v}）" for k, v in spec.values.items()),
        "date": "日期，格式 YYYY-MM-DD",
        "str": "文字",
        "list": "文字列表",
    }[spec.type]


def _coerce(spec: FactSpec, value: Any) -> Any:
    """Return the value in its canonical Python type, or raise FactsError naming the key."""
    name = spec.name

    def wrong() -> FactsError:
        return FactsError(f"事实“{name}”（{spec.label}）的值 {value!r} 类型不对，应为{_type_word(spec)}。",
                          key=name, hint="请改正后重新提交")

    t = spec.type
    if t == "bool":
        if not isinstance(value, bool):
            raise wrong()
        return value
    if t in ("int", "number"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise wrong()
        if t == "int" and isinstance(value, float):
            if not value.is_integer():
                raise wrong()
            value = int(value)
        if spec.minimum is not None and value < spec.minimum or spec.maximum is not None and value > spec.maximum:
            raise FactsError(f"事实“{name}”（{spec.label}）的值 {value} 超出合理范围"
                             f"（{spec.minimum:g}～{spec.maximum if spec.maximum is not None else '不限'}）。",
                             key=name, hint="请核对后重新填写")
        return value
    if t == "enum":
        if not isinstance(value, str) or value not in spec.values:
            raise FactsError(f"事实“{name}”（{spec.label}）的值 {value!r} 无效，应为{_type_word(spec)}。",
                             key=name, hint="请从可选值中选择")
        return value
    if t == "date":
        if isinstance(value, _dt.datetime):
            return value.date()
        if isinstance(value, _dt.date):
            return value
        if not isinstance(value, str):
            raise wrong()
        try:
            return _dt.date.fromisoformat(value.strip())
        except ValueError:
            raise FactsError(f"事实“{name}”（{spec.label}）的日期 {value!r} 无效，应为真实存在的日期，格式 YYYY-MM-DD。",
                             key=name, hint="例如 2025-09-30") from None
    if t == "str":
        if not isinstance(value, str):
            raise wrong()
        return value
    if t == "list":
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise wrong()
        return list(value)
    raise AssertionError(t)  # pragma: no cover - FACT_TYPES is closed


def validate_facts(facts: Mapping[str, Any], today: _dt.date | None = None) -> Facts:
    """Check a facts dict and fill defaults; raise ``FactsError`` (Chinese, naming the key) if wrong.

    Unknown keys are refused with the closest known key suggested (a typo must not silently drop a
    fact). ``today``, when given, also refuses a death date in the future.
    """
    from houshi_desk.domain.conditions import parse_condition  # local: conditions imports facts

    if not isinstance(facts, Mapping):
        raise FactsError("案件事实应为“键: 值”形式的对象（JSON 对象或 TOML 表）。", hint="请检查事实文件的格式")
    for key in facts:
        if key not in FACTS:
            near = suggest_key(str(key))
            raise FactsError(f"未知的事实“{key}”。" + (f"您是不是要填“{near}”（{FACTS[near].label}）？" if near else ""),
                             key=str(key), hint="请改正键名；可用的键见 houshi-desk checklist --list-facts")
    values: dict[str, Any] = {}
    for name, spec in FACTS.items():
        if name in facts and facts[name] is not None:
            values[name] = _coerce(spec, facts[name])
    # Second pass: required / dependent facts, in schema order so ask_when sees earlier answers.
    for name, spec in FACTS.items():
        if name in values:
            continue
        if spec.required:
            raise FactsError(f"缺少必填事实“{name}”：{spec.question}", key=name, hint="请补充后重新提交")
        asked = True
        if spec.ask_when is not None:
            asked = parse_condition(spec.ask_when, where=f"facts.{name}.ask_when").test(values)
        if spec.default is None:
            if asked:
                raise FactsError(f"缺少事实“{name}”：{spec.question}（根据已填情况，此项必须回答）",
                                 key=name, hint="请补充后重新提交")
            values[name] = _harmless(spec)
        else:
            values[name] = list(spec.default) if isinstance(spec.default, list) else spec.default
    if today is not None and values["death_date"] > today:
        raise FactsError(f"死亡日期（death_date）{values['death_date'].isoformat()} 晚于今天（{today.isoformat()}），请核对死亡证明。",
                         key="death_date")
    return Facts(values, frozenset(k for k in facts if facts[k] is not None))


def _harmless(spec: FactSpec) -> Any:
    """Value of a dependent fact whose question does not arise (e.g. loan when there is no fund)."""
    if spec.type == "enum":
        return "none" if "none" in spec.values else next(iter(spec.values))
    return {"bool": False, "number": 0, "int": 0, "list": []}.get(spec.type, "")


def facts_to_ask(answers: Mapping[str, Any]) -> list[FactSpec]:
    """The questions that matter given the answers so far, in schema order (for "ask only when it matters").

    An answer that is itself invalid is ignored here; ``validate_facts`` reports it.
    """
    from houshi_desk.domain.conditions import parse_condition

    known: dict[str, Any] = {}
    for name, spec in FACTS.items():
        if answers.get(name) is not None:
            try:
                known[name] = _coerce(spec, answers[name])
            except FactsError:
                pass
    out = []
    for name, spec in FACTS.items():
        if spec.ask_when is None:
            out.append(spec)
            continue
        cond = parse_condition(spec.ask_when, where=f"facts.{name}.ask_when")
        if all(f in known for f in cond.facts()) and cond.test(known):
            out.append(spec)
    return out
